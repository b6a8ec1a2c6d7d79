#include "engine/clocks.h"

#include <algorithm>
#include <unordered_map>

#include "core/time.h"
#include "engine/classifier.h"
#include "engine/decisions.h"

namespace vigil {
namespace {

using std::chrono::seconds;

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The lowest score of a class of the scale; nullopt for a name not on it (unclassified).
std::optional<double> ClassFloor(const std::string& class_name, const ClassScale& scale) {
  for (const auto& level : scale.levels()) {
    if (level.name == class_name) {
      return level.min_score;
    }
  }
  return std::nullopt;
}

// The rating score a CVSS threshold is compared with: the score behind the derived class, or
// the lower bound of that class when it came from the scanner's severity.
std::optional<double> RatingScore(const VulnSummary& v, const ClassScale& scale) {
  if (v.rating_score) {
    return v.rating_score;
  }
  return ClassFloor(v.auto_class, scale);
}

// A class a person set (an approved recast or classify) designates the vulnerability as that
// class: it counts as the lowest score of the class, as a scanner's severity does (NCSSR v1.7:
// CVSS 7.0 or more "or as otherwise designated as a Critical Vulnerability by the CA").
bool MeetsScore(const VulnSummary& v, const ClassScale& scale, double min) {
  auto rated = RatingScore(v, scale);
  if (rated && *rated >= min) {
    return true;
  }
  auto designated =
      IsManualClassification(v.class_source) ? ClassFloor(v.class_name, scale) : std::nullopt;
  return designated && *designated >= min;
}

bool Selects(const ClockRule& rule, const VulnSummary& v, const ClassScale& scale,
             const std::vector<const KevEntry*>& kev) {
  if (!rule.classes.empty() && !Contains(rule.classes, v.auto_class) &&
      !Contains(rule.classes, v.class_name)) {
    return false;
  }
  if (rule.cvss_min && !MeetsScore(v, scale, *rule.cvss_min)) {
    return false;
  }
  if (rule.kev_only || rule.anchor == ClockAnchor::kKevAdded ||
      rule.anchor == ClockAnchor::kKevDue) {
    return !kev.empty();
  }
  return true;
}

struct Scoped {
  const FindingFact* fact;
  const ClockAsset* asset;
};

struct Scope {
  std::vector<Scoped> findings;  // in scope and known at `now`
};

bool FixedAt(const FindingFact& f, Timestamp now) {
  return f.state == FindingState::kFixed && f.fixed_at && *f.fixed_at <= now;
}

struct Stop {
  Timestamp at;
  std::string by;
};

// When every in-scope finding had been fixed by `now`: the last of those fixes.
std::optional<Timestamp> AllFixedAt(const Scope& scope, Timestamp now) {
  std::optional<Timestamp> last_fix;
  for (const Scoped& s : scope.findings) {
    if (!FixedAt(*s.fact, now)) {
      return std::nullopt;
    }
    last_fix = std::max(last_fix.value_or(*s.fact->fixed_at), *s.fact->fixed_at);
  }
  return last_fix;
}

// A recast to the derived class or above says the vulnerability is at least as bad as its
// ratings: it designates a class (and may start a clock), it is no basis for not remediating.
bool KeepsOrRaises(const DecisionRecord& d, const VulnSummary& v, const ClassScale& scale) {
  auto to = scale.Rank(d.new_class);
  if (!to) {
    return false;  // no class: a new score only
  }
  auto from = scale.Rank(v.auto_class);
  return !from || *to <= *from;
}

// Whether the decision is a documented basis for not remediating (docs/policy.md: stops).
bool IsBasis(const DecisionRecord& d, const VulnSummary& v, const ClassScale& scale) {
  switch (d.type) {
    case DecisionType::kRecast:
      return !KeepsOrRaises(d, v, scale);
    case DecisionType::kFalsePositive:
    case DecisionType::kAcceptRisk:
      return true;
    case DecisionType::kMitigationPlan:
    case DecisionType::kClassify:
      break;
  }
  return false;
}

// Whether the decision is the basis NCSSR v1.7 1.l accepts for not patching (ClockStops).
bool IsPatchHarmBasis(const DecisionRecord& d, const VulnSummary& v, const ClassScale& scale) {
  return d.type == DecisionType::kFalsePositive ||
         (d.reason == ReasonCategory::kPatchHarm && IsBasis(d, v, scale));
}

// Whether the decision covers every in-scope finding not already fixed when it took effect.
bool CoversScope(const DecisionRecord& d, const Scope& scope, Timestamp at) {
  for (const Scoped& s : scope.findings) {
    if (!FixedAt(*s.fact, at) && !Covers(d, s.asset->name, s.fact->port)) {
      return false;
    }
  }
  return true;
}

// What a decision stopping the clock is called ("plan #3 (mitigation-plan)"); empty when the
// decision does not stop this rule's clock.
std::string StopName(const ClockRule& rule, const DecisionRecord& d, const Scope& scope,
                     const VulnSummary& v, const ClassScale& scale) {
  bool plan = d.type == DecisionType::kMitigationPlan && rule.stops.plan;
  bool basis = (rule.stops.basis && IsBasis(d, v, scale)) ||
               (rule.stops.patch_harm && IsPatchHarmBasis(d, v, scale));
  if (!(plan || basis) || !d.effective_at || !InEffectAt(d, *d.effective_at) ||
      !CoversScope(d, scope, *d.effective_at)) {
    return "";
  }
  return std::string(plan ? "plan" : "basis") + " #" + std::to_string(d.id) + " (" +
         std::string(ToString(d.type)) + ")";
}

// The earliest event that stops the clock, if any happened by `now`.
std::optional<Stop> FirstStop(const ClockRule& rule, const Scope& scope, const VulnSummary& v,
                              const ClassScale& scale,
                              const std::vector<const DecisionRecord*>& decisions, Timestamp now) {
  std::optional<Stop> best;
  auto consider = [&](Timestamp at, std::string by) {
    if (at <= now && (!best || at < best->at)) {
      best = Stop{at, std::move(by)};
    }
  };
  if (auto fixed = rule.stops.fixed ? AllFixedAt(scope, now) : std::nullopt) {
    consider(*fixed, "fixed");
  }
  for (const DecisionRecord* d : decisions) {
    if (std::string by = StopName(rule, *d, scope, v, scale); !by.empty()) {
      consider(*d->effective_at, std::move(by));
    }
  }
  return best;
}

// The clock's anchor under the rule (for a KEV due date, its due time too); `kev` holds the
// vulnerability's KEV entries.
void SetAnchor(const ClockRule& rule, const VulnSummary& v, Timestamp discovery,
               const std::vector<const KevEntry*>& kev, ComplianceClock& c) {
  switch (rule.anchor) {
    case ClockAnchor::kDiscovery:
      c.anchor = discovery;
      c.anchor_kind = "discovery";
      break;
    case ClockAnchor::kPatch:
      c.anchor = v.patch_published.value_or(discovery);
      c.anchor_kind = v.patch_published ? "patch" : "discovery (no patch date)";
      break;
    case ClockAnchor::kKevAdded:
    case ClockAnchor::kKevDue: {
      const KevEntry* first = kev.front();
      for (const KevEntry* k : kev) {
        if (k->due_date < first->due_date) {
          first = k;
        }
      }
      c.anchor = first->date_added;
      c.anchor_kind = "kev-added";
      if (rule.anchor == ClockAnchor::kKevDue) {
        // KEV's dueDate is a day: the action is due by its end.
        c.due = first->due_date + std::chrono::hours(24) - seconds(1);
        c.anchor_kind = "kev-due";
      }
      break;
    }
  }
}

// Met or missed by the event that stopped the clock; else overdue, due soon or open at `now`.
void SetStatus(const std::optional<Stop>& stop, Timestamp now, seconds due_soon,
               ComplianceClock& c) {
  if (stop) {
    c.stopped_at = stop->at;
    c.stopped_by = stop->by;
    if (stop->at <= c.due) {
      c.status = ClockStatus::kMet;
    } else {
      c.status = ClockStatus::kMissed;
      c.late_by = std::chrono::duration_cast<seconds>(stop->at - c.due);
    }
  } else if (now > c.due) {
    c.status = ClockStatus::kOverdue;
  } else if (c.due - now <= due_soon) {
    c.status = ClockStatus::kDueSoon;
  }
}

}  // namespace

std::string_view ToString(ClockStatus status) {
  switch (status) {
    case ClockStatus::kOpen:
      return "open";
    case ClockStatus::kDueSoon:
      return "due-soon";
    case ClockStatus::kOverdue:
      return "overdue";
    case ClockStatus::kMet:
      return "met";
    case ClockStatus::kMissed:
      return "missed";
  }
  return "open";
}

std::vector<ComplianceClock> EvaluateClocks(const std::vector<ClockRule>& rules,
                                            const ClockFacts& facts, Timestamp now,
                                            std::chrono::seconds due_soon) {
  std::unordered_map<int64_t, std::vector<Scoped>> findings_of;
  for (const auto& f : facts.findings) {
    if (f.state == FindingState::kInactive || f.first_seen > now) {
      continue;
    }
    auto asset = facts.assets.find(f.asset_id);
    if (asset != facts.assets.end()) {
      findings_of[f.vuln_id].push_back({&f, &asset->second});
    }
  }
  std::map<std::string, std::vector<const DecisionRecord*>> decisions_of;
  for (const auto& d : facts.decisions) {
    decisions_of[d.vuln_key].push_back(&d);
  }
  std::vector<ComplianceClock> out;
  for (const auto& v : facts.vulns) {
    auto fit = findings_of.find(v.id);
    if (fit == findings_of.end()) {
      continue;
    }
    std::vector<const KevEntry*> kev;
    for (const auto& cve : v.cves) {
      if (auto k = facts.kev.find(cve); k != facts.kev.end()) {
        kev.push_back(&k->second);
      }
    }
    for (const auto& rule : rules) {
      if (!Selects(rule, v, facts.scale, kev)) {
        continue;
      }
      Scope scope;
      if (rule.zones.empty()) {
        scope.findings = fit->second;
      } else {
        for (const Scoped& s : fit->second) {
          if (Contains(rule.zones, s.asset->zone)) {
            scope.findings.push_back(s);
          }
        }
      }
      if (scope.findings.empty()) {
        continue;
      }
      ComplianceClock c{
          .rule = &rule, .vuln_key = v.key, .title = v.title, .class_name = v.class_name};
      Timestamp discovery = scope.findings.front().fact->first_seen;
      for (const Scoped& s : scope.findings) {
        discovery = std::min(discovery, s.fact->first_seen);
        c.assets.push_back(s.asset->name);
      }
      std::sort(c.assets.begin(), c.assets.end());
      c.assets.erase(std::unique(c.assets.begin(), c.assets.end()), c.assets.end());
      SetAnchor(rule, v, discovery, kev, c);
      if (rule.anchor != ClockAnchor::kKevDue) {
        c.due = rule.months > 0 ? AddMonths(c.anchor, rule.months) : c.anchor + rule.within;
      }
      auto stop = FirstStop(rule, scope, v, facts.scale, decisions_of[v.key], now);
      SetStatus(stop, now, due_soon, c);
      out.push_back(std::move(c));
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const ComplianceClock& a, const ComplianceClock& b) {
    if (a.due != b.due) {
      return a.due < b.due;
    }
    if (a.rule->id != b.rule->id) {
      return a.rule->id < b.rule->id;
    }
    return a.vuln_key < b.vuln_key;
  });
  return out;
}

}  // namespace vigil
