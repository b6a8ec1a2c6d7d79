// Mitigation plans past their target (docs/health.md#plan-overdue). A plan is a promise with a
// date (NCSSR v1.7 4.f.2: "create and implement a plan"): once its target has passed, every
// finding it covers should be fixed. `vigil check` names each plan in effect whose target
// passed while a finding it covers, on an active asset, is not fixed.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/queries.h"
#include "store/records.h"

namespace vigil {

class Store;
struct CheckItem;

struct OverduePlan {
  const DecisionRecord* plan = nullptr;
  std::vector<std::string> unfixed;  // assets with a finding it covers not fixed at `now`
  int64_t findings = 0;              // how many such findings
};

// The plans of `decisions` in effect at `now` whose target is before `now` and that cover
// findings (of `findings`, on the assets of `active`: id to name) not fixed at `now`.
std::vector<OverduePlan> OverduePlans(const std::vector<DecisionRecord>& decisions,
                                      const std::vector<FindingFact>& findings,
                                      const std::map<int64_t, std::string>& active, Timestamp now);

// The plan-overdue items of `vigil check`, with the assets already loaded.
Status PlanOverdueItems(Store& store, const std::vector<AssetView>& assets, Timestamp now,
                        std::vector<CheckItem>& out);

}  // namespace vigil
