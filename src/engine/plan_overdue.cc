#include "engine/plan_overdue.h"

#include <algorithm>
#include <set>

#include "engine/check.h"
#include "engine/decisions.h"
#include "store/store.h"

namespace vigil {
namespace {

// A plan whose target passed before `now` while it was in effect; exactly at the target it is
// still in time.
bool PastTarget(const DecisionRecord& d, Timestamp now) {
  return d.type == DecisionType::kMitigationPlan && d.target_at && *d.target_at < now &&
         InEffectAt(d, now);
}

// Not fixed at `now`: reported by then, and not (yet) fixed. Inactive findings belong to
// decommissioned assets, which owe nothing.
bool UnfixedAt(const FindingFact& f, Timestamp now) {
  if (f.first_seen > now || f.state == FindingState::kInactive) {
    return false;
  }
  return f.state != FindingState::kFixed || !f.fixed_at || *f.fixed_at > now;
}

std::string Detail(const OverduePlan& o) {
  const DecisionRecord& d = *o.plan;
  std::string assets;
  for (const auto& a : o.unfixed) {
    assets += (assets.empty() ? "" : ", ") + a;
  }
  return "mitigation plan #" + std::to_string(d.id) + " of " + d.vuln_key + " by " + d.author +
         " was to be carried out by " + FormatIso8601(*d.target_at) + "; " +
         std::to_string(o.findings) + " findings it covers are not fixed (" + assets +
         "): fix them, or record a new plan or basis";
}

}  // namespace

std::vector<OverduePlan> OverduePlans(const std::vector<DecisionRecord>& decisions,
                                      const std::vector<FindingFact>& findings,
                                      const std::map<int64_t, std::string>& active, Timestamp now) {
  std::vector<OverduePlan> out;
  for (const auto& d : decisions) {
    if (!PastTarget(d, now)) {
      continue;
    }
    OverduePlan o{.plan = &d};
    std::set<std::string> unfixed;
    for (const auto& f : findings) {
      auto asset = active.find(f.asset_id);
      if (f.vuln_id == d.vuln_id && asset != active.end() && UnfixedAt(f, now) &&
          Covers(d, asset->second, f.port)) {
        unfixed.insert(asset->second);
        ++o.findings;
      }
    }
    if (o.findings > 0) {
      o.unfixed.assign(unfixed.begin(), unfixed.end());
      out.push_back(std::move(o));
    }
  }
  return out;
}

Status PlanOverdueItems(Store& store, const std::vector<AssetView>& assets, Timestamp now,
                        std::vector<CheckItem>& out) {
  ASSIGN_OR_RETURN(auto decisions, store.QueryDecisions({}));
  std::erase_if(decisions, [&](const DecisionRecord& d) { return !PastTarget(d, now); });
  std::map<int64_t, std::string> active;
  for (const auto& a : assets) {
    if (a.state == AssetState::kActive) {
      active.emplace(a.id, a.name);
    }
  }
  std::vector<FindingFact> findings;
  std::set<int64_t> read;
  for (const auto& d : decisions) {
    if (read.insert(d.vuln_id).second) {
      ASSIGN_OR_RETURN(auto facts, store.QueryFindingFacts({.vuln_id = d.vuln_id}));
      findings.insert(findings.end(), facts.begin(), facts.end());
    }
  }
  for (const auto& o : OverduePlans(decisions, findings, active, now)) {
    out.push_back({"plan-overdue", o.plan->vuln_key + "/decision #" + std::to_string(o.plan->id),
                   Detail(o), o.plan->target_at});
  }
  return Status::Ok();
}

}  // namespace vigil
