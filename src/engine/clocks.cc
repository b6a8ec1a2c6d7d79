#include "engine/clocks.h"

#include <algorithm>
#include <unordered_map>

#include "core/time.h"
#include "engine/decisions.h"

namespace vigil {
namespace {

using std::chrono::seconds;

bool Contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

// The rating score a CVSS threshold is compared with: the score behind the derived class, or
// the lower bound of that class when it came from the scanner's severity.
std::optional<double> RatingScore(const VulnSummary& v, const ClassScale& scale) {
  if (v.rating_score) {
    return v.rating_score;
  }
  for (const auto& level : scale.levels()) {
    if (level.name == v.auto_class) {
      return level.min_score;
    }
  }
  return std::nullopt;
}

bool Selects(const ClockRule& rule, const VulnSummary& v, const ClassScale& scale,
             const std::vector<const KevEntry*>& kev) {
  if (!rule.classes.empty() && !Contains(rule.classes, v.auto_class) &&
      !Contains(rule.classes, v.class_name)) {
    return false;
  }
  if (rule.cvss_min) {
    auto score = RatingScore(v, scale);
    if (!score || *score < *rule.cvss_min) {
      return false;
    }
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

// The earliest event that stops the clock, if any happened by `now`.
std::optional<Stop> FirstStop(const ClockRule& rule, const Scope& scope,
                              const std::vector<const DecisionRecord*>& decisions, Timestamp now) {
  std::optional<Stop> best;
  auto consider = [&](Timestamp at, std::string by) {
    if (at <= now && (!best || at < best->at)) {
      best = Stop{at, std::move(by)};
    }
  };
  if (rule.stops.fixed) {
    std::optional<Timestamp> last_fix;
    bool all_fixed = !scope.findings.empty();
    for (const Scoped& s : scope.findings) {
      if (!FixedAt(*s.fact, now)) {
        all_fixed = false;
        break;
      }
      last_fix = std::max(last_fix.value_or(*s.fact->fixed_at), *s.fact->fixed_at);
    }
    if (all_fixed && last_fix) {
      consider(*last_fix, "fixed");
    }
  }
  for (const DecisionRecord* d : decisions) {
    bool plan = d->type == DecisionType::kMitigationPlan;
    bool basis = d->type == DecisionType::kRecast || d->type == DecisionType::kFalsePositive ||
                 d->type == DecisionType::kAcceptRisk;
    if (!((plan && rule.stops.plan) || (basis && rule.stops.basis)) || !d->effective_at) {
      continue;
    }
    Timestamp at = *d->effective_at;
    if (!InEffectAt(*d, at)) {
      continue;
    }
    // It must cover every in-scope finding not already fixed when it took effect.
    bool covers = true;
    for (const Scoped& s : scope.findings) {
      if (!FixedAt(*s.fact, at) && !Covers(*d, s.asset->name, s.fact->port)) {
        covers = false;
        break;
      }
    }
    if (covers) {
      consider(at, std::string(plan ? "plan" : "basis") + " #" + std::to_string(d->id) + " (" +
                       std::string(ToString(d->type)) + ")");
    }
  }
  return best;
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
      if (rule.anchor != ClockAnchor::kKevDue) {
        c.due = rule.months > 0 ? AddMonths(c.anchor, rule.months) : c.anchor + rule.within;
      }
      auto stop = FirstStop(rule, scope, decisions_of[v.key], now);
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
