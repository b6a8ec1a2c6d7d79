#include "engine/compliance.h"

#include "engine/asset_labels.h"
#include "store/store.h"

namespace vigil {

Result<std::vector<ComplianceClock>> ComplianceClocks(Store& store, const Config& config,
                                                      Timestamp now,
                                                      const std::optional<std::string>& only_vuln) {
  if (config.policy.rules.empty()) {
    return std::vector<ComplianceClock>();
  }
  ASSIGN_OR_RETURN(auto vulns, store.QueryVulnerabilities({.include_closed = true}));
  if (only_vuln) {
    std::erase_if(vulns, [&](const VulnSummary& v) { return v.key != *only_vuln; });
  }
  ASSIGN_OR_RETURN(auto findings,
                   store.QueryFindings({.states = {FindingState::kOpen, FindingState::kReopened,
                                                   FindingState::kFixed},
                                        .vuln_key = only_vuln,
                                        .with_scanners = false}));
  ASSIGN_OR_RETURN(auto decisions, store.QueryDecisions({}));
  ASSIGN_OR_RETURN(auto assets, store.QueryAssets({}));
  ASSIGN_OR_RETURN(auto inventory, store.QueryInventory());
  std::vector<AssetLabels> labels = LabelAssets(assets, inventory, config.asset_rules);
  std::map<std::string, std::string> zones;
  for (size_t i = 0; i < assets.size(); ++i) {
    if (assets[i].state == AssetState::kActive) {
      zones[assets[i].name] = labels[i].zone;
    }
  }
  // Findings of decommissioned assets are out of the clocks (docs/lifecycle.md).
  std::erase_if(findings, [&](const FindingView& f) { return !zones.count(f.asset); });
  ASSIGN_OR_RETURN(auto kev_entries, store.QueryKev());
  std::map<std::string, KevEntry> kev;
  for (auto& e : kev_entries) {
    kev.emplace(e.cve, std::move(e));
  }
  return EvaluateClocks(config.policy.rules,
                        {.vulns = vulns,
                         .findings = findings,
                         .decisions = decisions,
                         .asset_zones = zones,
                         .kev = kev,
                         .scale = config.classification.scale},
                        now, config.policy.due_soon);
}

}  // namespace vigil
