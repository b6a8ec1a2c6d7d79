// `vigil audit verify --bundle DIR`: checks an evidence pack offline, with no database: the
// checkpoint's signature, its RFC 3161 time-stamp when the pack has one, every event's leaf
// and its inclusion proof in the checkpoint, and the files of the manifest, whose hash is the
// pack's last event (docs/audit.md). Every file of the pack is untrusted input: a malformed
// line is a problem named by file and line, never a crash.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"
#include "engine/audit_verify.h"

namespace vigil {

struct BundleVerifyOptions {
  // The verifier key the operator gave the auditor; the pack's verifier-key.txt must be it.
  // Unset: the pack's own key is used (and the report says so).
  std::optional<std::string> verifier_key;
  // PEM certificates the time-stamp is checked against (the TSA's CA). Unset: the pack's
  // tsa-ca.pem, when it has one.
  std::optional<std::string> tsa_trust_pem;
};

Result<VerifyReport> VerifyEvidencePack(const std::string& dir,
                                        const BundleVerifyOptions& options = {});

}  // namespace vigil
