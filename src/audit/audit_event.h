// An event of the audit log (docs/audit.md): every change to what vigil keeps is one event,
// a leaf of a Merkle tree (core/merkle.h). The leaf is the event's canonical JSON.
#pragma once

#include <cstdint>
#include <string>

#include "core/time.h"

namespace vigil {

struct AuditEvent {
  int64_t seq = 0;  // 1, 2, ...; leaf index seq - 1
  Timestamp at{};
  std::string actor;
  std::string type;     // e.g. "import", "decision.approved"
  std::string subject;  // e.g. "scan 3", "decision #4", "tenable:19506"
  std::string payload;  // canonical JSON object (old and new values)
};

// {"actor":...,"at":<unix seconds>,"payload":<payload>,"seq":<n>,"subject":...,"type":...}
std::string CanonicalLeaf(const AuditEvent& event);

}  // namespace vigil
