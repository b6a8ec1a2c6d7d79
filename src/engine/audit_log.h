// Appending to the audit log (docs/audit.md). Every change vigil makes appends one event in
// the same transaction as the change itself, so there is no change without its event and no
// event without its change. The event becomes the next leaf of the Merkle tree; the compact
// range of the tree is kept, so an append costs O(log n).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "audit/audit_event.h"
#include "core/status.h"
#include "core/time.h"
#include "store/records.h"

namespace vigil {

class Store;

// Appends an event. `payload` is a JSON object of the old and new values; it must hold no
// floating-point numbers (write scores as strings). Returns the event's sequence number.
Result<int64_t> AppendEvent(Store& store, Timestamp at, const std::string& actor,
                            const std::string& type, const std::string& subject,
                            const nlohmann::json& payload);

// The latest time the log holds (its last event's or checkpoint's, whichever is later).
Result<Timestamp> LatestLoggedTime(Store& store);
// Refuses `at` when it is before LatestLoggedTime, else makes it the latest: every event and
// checkpoint goes through here, so the log's times never run backwards.
Status AdvanceLoggedTime(Store& store, Timestamp at);

// A time for a payload: ISO-8601 text, or null when unset.
nlohmann::json JsonTime(const std::optional<Timestamp>& t);

// The event a stored row holds (without its hashes).
AuditEvent EventOf(const EventRecord& record);

// The canonical text of a payload: keys sorted, no white space, UTF-8 (invalid bytes become
// U+FFFD). Refuses floating-point numbers.
Result<std::string> CanonicalPayload(const nlohmann::json& payload);

}  // namespace vigil
