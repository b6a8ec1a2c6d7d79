// Compliance clocks (docs/policy.md): for each rule of the policy and each vulnerability it
// applies to, when the clock started, when it is due, and whether it was met in time.
// A pure function of the stored facts and "now": `--now` reproduces any past day.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/class_scale.h"
#include "core/policy.h"
#include "store/queries.h"
#include "store/records.h"

namespace vigil {

enum class ClockStatus { kOpen, kDueSoon, kOverdue, kMet, kMissed };
std::string_view ToString(ClockStatus status);

struct ComplianceClock {
  const ClockRule* rule = nullptr;
  std::string vuln_key;
  std::string title;
  std::string class_name;
  Timestamp anchor{};
  std::string anchor_kind;  // discovery | patch | discovery (no patch date) | kev-added | kev-due
  Timestamp due{};
  ClockStatus status = ClockStatus::kOpen;
  std::optional<Timestamp> stopped_at;          // the event that met (or, late, missed) the clock
  std::string stopped_by;                       // "fixed", "plan #N", "basis #N (recast)"
  std::optional<std::chrono::seconds> late_by;  // missed: how late the event came
  std::vector<std::string> assets;              // the in-scope assets with the vulnerability
};

// An asset whose findings the clocks count: active, with its zone (decommissioned assets
// are out of the clocks, docs/lifecycle.md).
struct ClockAsset {
  std::string name;
  std::string zone;
};

struct ClockFacts {
  const std::vector<VulnSummary>& vulns;     // every vulnerability (include_closed)
  const std::vector<FindingFact>& findings;  // every finding, every state
  const std::vector<DecisionRecord>& decisions;
  const std::map<int64_t, ClockAsset>& assets;  // by asset id; findings elsewhere don't count
  const std::map<std::string, KevEntry>& kev;   // by CVE id
  const ClassScale& scale;
};

// Every clock, ordered by due time, then rule, then vulnerability.
std::vector<ComplianceClock> EvaluateClocks(const std::vector<ClockRule>& rules,
                                            const ClockFacts& facts, Timestamp now,
                                            std::chrono::seconds due_soon);

}  // namespace vigil
