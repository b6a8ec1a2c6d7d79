#include "engine/compliance.h"

#include "engine/asset_labels.h"
#include "engine/decisions.h"
#include "store/store.h"

namespace vigil {

Result<std::vector<ComplianceClock>> ComplianceClocks(Store& store, const Config& config,
                                                      Timestamp now,
                                                      const std::optional<std::string>& only_vuln) {
  if (config.policy.rules.empty()) {
    return std::vector<ComplianceClock>();
  }
  ASSIGN_OR_RETURN(
      auto vulns,
      QueryVulnerabilitiesAt(
          store, {.key = only_vuln, .include_closed = true, .with_scanners = false}, now));
  std::optional<int64_t> only_id;
  if (only_vuln) {
    if (vulns.empty()) {
      return std::vector<ComplianceClock>();
    }
    only_id = vulns.front().id;
  }
  ASSIGN_OR_RETURN(auto findings,
                   store.QueryFindingFacts({.states = {FindingState::kOpen, FindingState::kReopened,
                                                       FindingState::kFixed},
                                            .vuln_id = only_id}));
  ASSIGN_OR_RETURN(auto decisions, QueryDecisionsAt(store, {.vuln_key = only_vuln}, now));
  ASSIGN_OR_RETURN(auto assets, store.QueryAssets({}));
  ASSIGN_OR_RETURN(auto inventory, store.QueryInventory());
  std::vector<AssetLabels> labels = LabelAssets(assets, inventory, config.asset_rules);
  // Findings of decommissioned assets are out of the clocks (docs/lifecycle.md).
  std::map<int64_t, ClockAsset> in_scope;
  for (size_t i = 0; i < assets.size(); ++i) {
    if (assets[i].state == AssetState::kActive) {
      in_scope[assets[i].id] = {.name = assets[i].name, .zone = labels[i].zone};
    }
  }
  ASSIGN_OR_RETURN(auto kev_entries, store.QueryKev());
  std::map<std::string, KevEntry> kev;
  for (auto& e : kev_entries) {
    kev.emplace(e.cve, std::move(e));
  }
  return EvaluateClocks(config.policy.rules,
                        {.vulns = vulns,
                         .findings = findings,
                         .decisions = decisions,
                         .assets = in_scope,
                         .kev = kev,
                         .scale = config.classification.scale},
                        now, config.policy.due_soon);
}

}  // namespace vigil
