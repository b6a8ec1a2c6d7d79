// The policy (docs/policy.md): compliance clock rules, what decisions need, and how often
// reviews happen. Plain data; the built-in profiles are in core/policy_profiles.h, the file
// format in config/, the evaluation in engine/clocks.h and engine/decisions.h.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/decision.h"

namespace vigil {

// Where a clock starts.
enum class ClockAnchor {
  kDiscovery,  // the first discovery of the vulnerability on an in-scope asset
  kPatch,      // the publication of the patch (else, conservatively, the discovery)
  kKevAdded,   // the day CISA added the CVE to the KEV catalog
  kKevDue,     // KEV's own dueDate: the deadline itself, no duration
};

// What stops a clock.
struct ClockStops {
  bool fixed = true;   // every in-scope finding fixed, verified by a rescan
  bool plan = false;   // an approved mitigation plan covering every affected asset
  bool basis = false;  // an approved documented basis: recast, false positive, accepted risk
  // Only the basis NCSSR v1.7 1.l accepts for not patching: an approved basis with reason
  // patch-harm (the patch would do more harm than good), or a false positive (no patch is
  // missing where the finding is not real). Implied by `basis`.
  bool patch_harm = false;
};

struct ClockRule {
  std::string id;         // unique, e.g. "ncssr-1.7/4.f"
  std::string framework;  // e.g. "NCSSR v1.7 4.f"
  std::string stage;      // review | respond | remediate
  // Which vulnerabilities: all conditions given must hold; none given = every vulnerability.
  std::vector<std::string> classes;  // the derived or the current class is one of these
  std::optional<double> cvss_min;    // rating score (or its class's lower bound) >= this
  bool kev_only = false;             // listed in the KEV catalog
  std::vector<std::string> zones;    // findings on assets of these zones only
  ClockAnchor anchor = ClockAnchor::kDiscovery;
  std::chrono::seconds within{0};  // the duration, when not in months
  int months = 0;                  // calendar months (1.l "six months"), instead of `within`
  ClockStops stops;
};

struct DecisionPolicy {
  // Types that take effect only when approved (default: all but mitigation-plan).
  std::vector<DecisionType> need_approval = {DecisionType::kRecast, DecisionType::kFalsePositive,
                                             DecisionType::kAcceptRisk, DecisionType::kClassify};
  size_t min_basis_length = 20;
  std::chrono::seconds max_accept_risk = std::chrono::hours(24 * 365);
};

struct ReviewPolicy {
  std::chrono::seconds every = std::chrono::hours(24 * 30);  // a review at least this often
  // One person's share of the decisions made, or of those approved or rejected, in
  // `share_window` may be at most this; a larger one is an alarm once at least
  // `min_decisions` decisions were made (or decided) in the window.
  double max_share = 0.8;
  int min_decisions = 5;
  std::chrono::seconds share_window = std::chrono::hours(24 * 90);
};

struct Policy {
  std::vector<std::string> profiles;  // the built-in profiles switched on, by name
  std::vector<ClockRule> rules;       // the profiles' rules, then the file's own
  std::chrono::seconds due_soon = std::chrono::hours(24);
  std::chrono::seconds approval_overdue = std::chrono::hours(48);
  std::chrono::seconds expiring_soon = std::chrono::hours(24 * 14);
  DecisionPolicy decisions;
  ReviewPolicy review;
};

}  // namespace vigil
