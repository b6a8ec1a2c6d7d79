// VEX statements that arrive with a report (a CycloneDX `analysis`, a Trivy "not_affected"
// status, a SARIF suppression) become *proposed* decisions: pending until a person with the
// approver role approves them, whatever the policy says about the type, so a document never
// decides on its own (docs/decisions.md#vex).
//
// "not_affected" and "false_positive" propose a false-positive decision for the vulnerability
// on that asset, with the statement as its basis. Other states ("exploitable", "in_triage",
// "resolved", ...) propose nothing; they stay in the finding's evidence. A statement already
// proposed (same vulnerability, asset and basis, in any state, rejected ones included) is
// not proposed again, whichever file it came in, so re-importing a report does not pile up
// proposals.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "engine/decisions.h"
#include "ingest/report.h"

namespace vigil {

struct VexStatement {
  std::string vuln_key;
  std::string asset;     // the asset's name
  std::string location;  // the package or file the statement is about
  VexAnalysis analysis;
};

// Records a pending decision for each statement that calls for one; returns the new
// decisions. `origin` names the document ("scan.json (CycloneDX)").
Result<std::vector<DecisionRecord>> ProposeFromVex(const DecisionContext& ctx,
                                                   const std::vector<VexStatement>& statements,
                                                   const std::string& origin);

// What a statement says ("VEX statement about <package> on <asset>: state ..., justification
// ...: <detail>"), and the basis a proposed decision gets: that text and its origin.
std::string VexStatementText(const VexStatement& statement);
std::string VexBasis(const VexStatement& statement, const std::string& origin);

}  // namespace vigil
