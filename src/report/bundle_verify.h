// `vigil audit verify --bundle DIR`: checks an evidence pack offline, with no database: the
// checkpoint's signature, every event's leaf and its inclusion proof in the checkpoint, and
// the files of the manifest, whose hash is the pack's last event (docs/report.md).
#pragma once

#include <string>

#include "core/status.h"
#include "engine/audit_verify.h"

namespace vigil {

Result<VerifyReport> VerifyEvidencePack(const std::string& dir);

}  // namespace vigil
