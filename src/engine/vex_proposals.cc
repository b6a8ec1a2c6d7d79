#include "engine/vex_proposals.h"

#include <algorithm>

#include "core/text.h"
#include "store/store.h"

namespace vigil {
namespace {

bool ProposesFalsePositive(const VexAnalysis& a) {
  std::string state = AsciiLower(a.state);
  return state == "not_affected" || state == "false_positive";
}

}  // namespace

std::string VexStatementText(const VexStatement& s) {
  const VexAnalysis& a = s.analysis;
  std::string basis = "VEX statement about " +
                      (s.location.empty() ? s.asset : s.location + " on " + s.asset) + ": state " +
                      a.state;
  if (!a.justification.empty()) {
    basis += ", justification " + a.justification;
  }
  if (!a.response.empty()) {
    basis += ", response " + Join(a.response, "/");
  }
  std::string_view detail = TrimSpace(a.detail);
  basis += detail.empty() ? std::string(" (no detail given)") : ": " + std::string(detail);
  return basis;
}

std::string VexBasis(const VexStatement& s, const std::string& origin) {
  return VexStatementText(s) + " (from " + origin + ")";
}

Result<std::vector<DecisionRecord>> ProposeFromVex(const DecisionContext& ctx,
                                                   const std::vector<VexStatement>& statements,
                                                   const std::string& origin) {
  std::vector<DecisionRecord> made;
  for (const VexStatement& s : statements) {
    if (!ProposesFalsePositive(s.analysis)) {
      continue;
    }
    std::string basis = VexBasis(s, origin);
    std::string same = VexStatementText(s) + " (from ";
    ASSIGN_OR_RETURN(auto earlier, ctx.store.QueryDecisions(DecisionQuery{.vuln_key = s.vuln_key}));
    bool known = std::any_of(earlier.begin(), earlier.end(), [&](const DecisionRecord& d) {
      return d.type == DecisionType::kFalsePositive && d.basis.rfind(same, 0) == 0 &&
             d.assets == std::vector<std::string>{s.asset};
    });
    if (known) {
      continue;
    }
    DecideRequest request{.vuln_key = s.vuln_key,
                          .type = DecisionType::kFalsePositive,
                          .reason = ReasonCategory::kFalsePositive,
                          .basis = basis,
                          .assets = {s.asset},
                          .proposal = true};
    ASSIGN_OR_RETURN(DecisionRecord d, Decide(ctx, request));
    made.push_back(std::move(d));
  }
  return made;
}

}  // namespace vigil
