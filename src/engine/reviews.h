// Reviews (docs/decisions.md#reviews): the incident's remedy for one-person analysis. A
// review records who took part and covers every vulnerability first seen since the previous
// one. `vigil check` warns when none took place within the policy's period, when the latest
// had fewer than two participants, and when one person made more than the allowed share of
// the decisions of the trailing window.
#pragma once

#include <string>
#include <vector>

#include "core/policy.h"
#include "core/status.h"
#include "store/records.h"

namespace vigil {

class Store;
struct CheckItem;

// Records a review at `now`. Participants must be registered users; duplicates are refused.
Result<ReviewRecord> RecordReview(Store& store, const std::vector<std::string>& participants,
                                  const std::string& notes, const std::string& recorded_by,
                                  Timestamp now);

// decision-concentration items: one person made, or approved and rejected, more than the
// policy's share of the decisions of its window (once the window holds its minimum number).
void ConcentrationItems(const std::vector<DecisionRecord>& decisions, const ReviewPolicy& policy,
                        Timestamp now, std::vector<CheckItem>& out);

// The review items of `vigil check`.
Status ReviewCheckItems(Store& store, const ReviewPolicy& policy, Timestamp now,
                        std::vector<CheckItem>& out);

}  // namespace vigil
