// The application layer's overview: counts of what needs attention (app/service.h Overview).
#include <algorithm>
#include <chrono>

#include "app/service.h"
#include "engine/compliance.h"
#include "engine/open_history.h"
#include "engine/scanner_health.h"
#include "engine/zone_cadence.h"
#include "store/store.h"

namespace vigil {

Result<Overview> Service::Summarize(const Identity& who) {
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  Overview out;
  out.now = clock_.Now();
  VulnQuery q;
  q.with_scanners = false;
  ASSIGN_OR_RETURN(auto vulns, QueryVulnerabilitiesAt(store_, q, out.now));
  std::map<std::string, int64_t> by_class;
  for (const auto& v : vulns) {
    if (v.class_name.empty()) {
      ++out.unclassified;
    } else {
      ++by_class[v.class_name];
    }
  }
  for (const auto& level : config_.classification.scale.levels()) {
    out.open_by_class.emplace_back(level.name, by_class[level.name]);
  }
  if (!config_.policy.rules.empty()) {
    ASSIGN_OR_RETURN(auto clocks, ComplianceClocks(store_, config_, out.now));
    std::map<std::string, Overview::RuleClocks> rules;
    for (const auto& rule : config_.policy.rules) {
      rules[rule.id].rule = rule.id;
    }
    for (const auto& c : clocks) {
      auto& r = rules[c.rule->id];
      r.open += c.status == ClockStatus::kOpen ? 1 : 0;
      r.due_soon += c.status == ClockStatus::kDueSoon ? 1 : 0;
      r.overdue += c.status == ClockStatus::kOverdue ? 1 : 0;
    }
    for (auto& [id, r] : rules) {
      out.clocks.push_back(std::move(r));
    }
  }
  ASSIGN_OR_RETURN(auto scanners, store_.QueryScanners());
  for (const auto& s : scanners) {
    ASSIGN_OR_RETURN(auto last_scans, store_.LastScansByScanner(s.name));
    ScannerHealth h = EvaluateScanner(s, last_scans, out.now);
    out.scanners.push_back({.name = s.name,
                            .last_scan = s.last_scan,
                            .due_by = h.due_by,
                            .stale = h.stale,
                            .silent_agents = static_cast<int64_t>(h.silent_agents.size())});
  }
  ASSIGN_OR_RETURN(auto pending, store_.QueryDecisions({.states = {DecisionState::kPending}}));
  out.pending_decisions = static_cast<int64_t>(pending.size());
  if (!config_.zone_rules.empty()) {
    ASSIGN_OR_RETURN(auto statuses, LoadZoneCadence(store_, config_, out.now));
    out.coverage_missed = static_cast<int64_t>(
        std::count_if(statuses.begin(), statuses.end(), [](const auto& st) { return !st.met; }));
  }
  return out;
}

Result<Trends> Service::SummarizeTrends(const Identity& who, int days) {
  if (days < 1 || days > 366) {
    return FieldError("days", "must be a whole number of days from 1 to 366");
  }
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  Timestamp now = clock_.Now();
  std::vector<Timestamp> times;
  for (int k = days; k >= 0; --k) {
    times.push_back(now - std::chrono::days(k));
  }
  Timestamp from = times.front();
  return LoadTrends(store_, config_.classification.scale, std::move(times), from, now);
}

}  // namespace vigil
