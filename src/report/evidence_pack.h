// The evidence pack of an audit period (docs/report.md): `vigil report --from --to --out DIR`.
// Printable HTML with no external resources; the same tables as CSV and JSON; the period's
// events as JSON lines with an inclusion proof each, the signed checkpoint covering them and
// the public key; and VERIFY.md, how to check it all offline. The pack's manifest (the SHA-256
// of every table file) is itself an event of the log, so the checkpoint covers the tables too.
#pragma once

#include <string>

#include "core/config.h"
#include "core/status.h"
#include "core/time.h"

namespace vigil {

class Store;

struct EvidencePackRequest {
  Timestamp from{};
  Timestamp to{};
  Timestamp now{};
  std::string out_dir;  // created; must not exist or be empty
  std::string key_path;
  std::string actor;
};

struct EvidencePackSummary {
  int64_t scans = 0;
  int64_t vulnerabilities = 0;
  int64_t decisions = 0;
  int64_t clocks = 0;
  int64_t events = 0;
  std::string checkpoint;  // the signed note
};

Result<EvidencePackSummary> WriteEvidencePack(Store& store, const Config& config,
                                              const EvidencePackRequest& request);

}  // namespace vigil
