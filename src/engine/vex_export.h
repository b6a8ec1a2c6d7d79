// Decisions about package vulnerabilities as a CycloneDX 1.5 VEX document (docs/vex.md), for
// the customers and auditors who ask "is this CVE in your image exploitable?".
//
// Every decision in effect at `now` of type false-positive, accept-risk or mitigation-plan,
// about a vulnerability with package findings (a location), becomes one entry of
// `vulnerabilities[]`: the advisory id, the packages it covers as `affects` (each package a
// component, by purl), and an `analysis`:
//
//   false-positive, reason false-positive        -> state false_positive
//   false-positive, reason compensating-controls -> state not_affected,
//                                                   justification protected_by_mitigating_control
//   false-positive, other reasons                -> state not_affected (no justification)
//   accept-risk                                  -> state exploitable, response will_not_fix
//   mitigation-plan                              -> state in_triage, response update
//
// with the decision's basis, author, approver and times as `detail`, and its creation and
// approval as firstIssued and lastUpdated. The document is deterministic for a given database
// and `now` (its serial number is derived from its content).
#pragma once

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/time.h"

namespace vigil {

class Store;

// The implicit destructor and moves reach nlohmann::json's destructor, which allocates while
// it tears nested values down, so the check assumes they may throw; only std::bad_alloc can.
// NOLINTNEXTLINE(bugprone-exception-escape)
struct VexExport {
  nlohmann::ordered_json document;
  int statements = 0;  // entries of vulnerabilities[]
  int components = 0;
};

Result<VexExport> ExportVex(Store& store, Timestamp now);

}  // namespace vigil
