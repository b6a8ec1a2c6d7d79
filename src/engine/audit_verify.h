// `vigil audit verify` (docs/audit.md#verification): recomputes every leaf from the stored
// events, the tree, every checkpoint's signature and root, and the consistency between
// consecutive checkpoints; optionally that the log extends a checkpoint an auditor kept. It
// names the first event or checkpoint that does not match.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace vigil {

class Store;

struct VerifyOptions {
  std::optional<std::string> kept_checkpoint;  // a signed checkpoint kept from earlier
  std::optional<std::string> verifier_key;     // the key to trust instead of the log's own
  // PEM certificates RFC 3161 tokens are checked against ([audit] tsa_certificate); a
  // checkpoint with a token and no trust to check it against is a problem.
  std::optional<std::string> tsa_trust_pem;
};

struct VerifyReport {
  int64_t events = 0;
  int64_t checkpoints = 0;
  int64_t timestamped = 0;            // checkpoints whose RFC 3161 token verified
  std::string root;                   // hex root of the whole log
  bool tables_checked = false;        // the tables were compared with the log
  bool test_clock = false;            // a test-clock database: not evidence
  std::vector<std::string> problems;  // the first problem first; empty when all verifies
  std::vector<std::string> notes;     // what was trusted without proof (shown, not failures)
  bool ok() const { return problems.empty(); }
};

Result<VerifyReport> VerifyAuditLog(Store& store, const VerifyOptions& options);

}  // namespace vigil
