// The evidence pack of an audit period (docs/report.md): `vigil report --from --to --out DIR`.
// Printable HTML with no external resources; the same tables as CSV and JSON; the period's
// events as JSON lines with an inclusion proof each, the signed checkpoint covering them and
// the public key; and VERIFY.md, how to check it all offline. The pack's manifest (the SHA-256
// of every table file) is itself an event of the log, so the checkpoint covers the tables too.
#pragma once

#include <optional>
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
  // A preview: the tables only, nothing recorded in the log or signed (the database is opened
  // read-only); the pack says it is no evidence.
  bool dry_run = false;
  // Verify the log and the tables before signing (always, but in the tests that show what
  // verify --bundle catches in a pack an unverifying writer made from a tampered database).
  bool verify_first = true;
  // PEM certificates RFC 3161 tokens are checked against when the log is verified first.
  std::optional<std::string> tsa_trust_pem;
};

struct EvidencePackSummary {
  int64_t scans = 0;
  int64_t vulnerabilities = 0;
  int64_t decisions = 0;
  int64_t clocks = 0;
  int64_t events = 0;
  std::string checkpoint;  // the signed note
};

// The installation's public key as PEM (SubjectPublicKeyInfo), and the SHA-256 of its DER: what
// an auditor compares with the fingerprint the operator gave them.
std::string PublicKeyPem(const std::string& public_key);
std::string PublicKeyFingerprint(const std::string& public_key);

// Verifies the log first (except for a dry run) and refuses to sign a pack from a database
// that fails.
Result<EvidencePackSummary> WriteEvidencePack(Store& store, const Config& config,
                                              const EvidencePackRequest& request);

}  // namespace vigil
