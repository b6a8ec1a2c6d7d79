#include "engine/check.h"

#include "core/class_scale.h"
#include "core/duration.h"
#include "engine/asset_labels.h"
#include "engine/compliance.h"
#include "engine/coverage.h"
#include "engine/decisions.h"
#include "engine/plan_overdue.h"
#include "engine/reviews.h"
#include "engine/scanner_health.h"
#include "engine/zone_cadence.h"
#include "store/store.h"

namespace vigil {
namespace {

Status ScannerItems(Store& store, Timestamp now, std::vector<CheckItem>& out) {
  ASSIGN_OR_RETURN(auto scanners, store.QueryScanners());
  for (const auto& s : scanners) {
    if (!s.cadence) {
      out.push_back({"cadence-unset", s.name,
                     "scanner " + s.name +
                         " has no cadence, so nobody would notice it stop: vigil scanner set " +
                         s.name + " --kind KIND --cadence DURATION",
                     s.created_at});
      continue;
    }
    ASSIGN_OR_RETURN(auto last_scans, store.LastScansByScanner(s.name));
    ScannerHealth h = EvaluateScanner(s, last_scans, now);
    if (h.stale) {
      out.push_back({"stale-scanner", s.name,
                     "no scan from " + s.name + " since " +
                         (s.last_scan ? FormatIso8601(*s.last_scan) : "it was registered") +
                         "; due by " + FormatIso8601(*h.due_by) + " (cadence " +
                         FormatDuration(*s.cadence) + " + grace " + FormatDuration(s.grace) + ")",
                     h.due_by});
    }
    for (const auto& a : h.silent_agents) {
      out.push_back({"silent-agent", s.name + "/" + a.asset,
                     "agent on " + a.asset + " last scanned by " + s.name + " at " +
                         FormatIso8601(a.last_scanned),
                     a.last_scanned + *s.cadence + s.grace});
    }
  }
  return Status::Ok();
}

void AssetItems(const std::vector<AssetView>& assets, Timestamp now, const CheckOptions& options,
                std::vector<CheckItem>& out) {
  for (const auto& a : assets) {
    if (IsStaleAsset(a, now, options.window)) {
      out.push_back({"stale-asset", a.name,
                     "no scanner has seen " + a.name + " since " + FormatIso8601(a.last_seen) +
                         ": decommission it or find out why scanning stopped",
                     a.last_seen + options.window});
    }
    if (a.reappeared_at && now - *a.reappeared_at <= options.window) {
      out.push_back({"reappeared-asset", a.name,
                     a.name + " was decommissioned" +
                         (a.decommissioned_at ? " on " + FormatIso8601(*a.decommissioned_at)
                                              : std::string()) +
                         " and appeared in a scan at " + FormatIso8601(*a.reappeared_at),
                     a.reappeared_at});
    }
  }
}

Status CoverageItems(Store& store, const std::vector<AssetView>& assets,
                     const std::vector<InventoryEntry>& inventory, Timestamp now,
                     const CheckOptions& options, std::vector<CheckItem>& out) {
  if (inventory.empty()) {
    return Status::Ok();
  }
  std::map<std::string, std::vector<AssetLastScan>> last_scans;
  for (const auto& e : inventory) {
    for (const auto& scanner : e.scanners) {
      if (!last_scans.count(scanner)) {
        ASSIGN_OR_RETURN(last_scans[scanner], store.LastScansByScanner(scanner));
      }
    }
  }
  Coverage c = EvaluateCoverage(inventory, assets, last_scans, now, options.coverage_window);
  for (const auto& g : c.gaps) {
    std::string by = g.scanner.empty() ? "any scanner" : g.scanner;
    out.push_back(
        {"coverage-gap", g.scanner.empty() ? g.expected : g.expected + "/" + g.scanner,
         g.expected +
             (g.last_scanned ? " not scanned by " + by + " since " + FormatIso8601(*g.last_scanned)
                             : " never scanned by " + by) +
             " (window " + FormatDuration(options.coverage_window) + ")",
         g.last_scanned ? std::optional(*g.last_scanned + options.coverage_window) : std::nullopt});
  }
  for (const auto& name : c.unexpected) {
    out.push_back({"unexpected-asset", name,
                   name + " was scanned but is not in the expected inventory", std::nullopt});
  }
  return Status::Ok();
}

Status ZoneCadenceItems(Store& store, const Config& config, Timestamp now,
                        std::vector<CheckItem>& out) {
  ASSIGN_OR_RETURN(auto statuses, LoadZoneCadence(store, config, now));
  for (const auto& st : statuses) {
    if (st.met) {
      continue;
    }
    const ZoneScanRule& r = *st.rule;
    std::string rule_text = "zone " + r.zone + " requires a scan every " + FormatDuration(r.every) +
                            (r.requirement.empty() ? "" : " (" + r.requirement + ")");
    out.push_back({"scan-cadence-missed", r.zone + "/" + st.asset,
                   st.asset +
                       (st.last_scan ? " last scanned " + FormatIso8601(*st.last_scan) +
                                           ", due by " + FormatIso8601(*st.due)
                                     : " was never scanned") +
                       "; " + rule_text,
                   st.due});
  }
  return Status::Ok();
}

void ClockItems(const std::vector<ComplianceClock>& clocks, Timestamp now,
                const CheckOptions& options, std::vector<CheckItem>& out) {
  for (const auto& c : clocks) {
    std::string what = c.rule->framework + " (" + c.rule->stage + ", rule " + c.rule->id + ")";
    std::string subject = c.rule->id + "/" + c.vuln_key;
    switch (c.status) {
      case ClockStatus::kOverdue:
        out.push_back({"clock-overdue", subject,
                       c.vuln_key + " [" + c.class_name + "] was due " + FormatIso8601(c.due) +
                           " under " + what + "; " + c.anchor_kind + " " + FormatIso8601(c.anchor) +
                           "; not fixed, no approved plan or basis",
                       c.due});
        break;
      case ClockStatus::kDueSoon:
        out.push_back({"clock-due-soon", subject,
                       c.vuln_key + " [" + c.class_name + "] is due " + FormatIso8601(c.due) +
                           " under " + what,
                       c.anchor});
        break;
      case ClockStatus::kMissed:
        if (c.stopped_at && now - *c.stopped_at <= options.window) {
          out.push_back({"clock-missed", subject,
                         c.vuln_key + " was due " + FormatIso8601(c.due) + " under " + what +
                             " and was met late by " + FormatDuration(*c.late_by) + " (" +
                             c.stopped_by + " at " + FormatIso8601(*c.stopped_at) + ")",
                         c.due});
        }
        break;
      case ClockStatus::kOpen:
      case ClockStatus::kMet:
        break;
    }
  }
}

Status DecisionItems(Store& store, const Policy& policy, Timestamp now,
                     std::vector<CheckItem>& out) {
  ASSIGN_OR_RETURN(
      auto decisions,
      QueryDecisionsAt(store, {.states = {DecisionState::kPending, DecisionState::kApproved}},
                       now));
  for (const auto& d : decisions) {
    std::string subject = "decision #" + std::to_string(d.id);
    std::string what = std::string(ToString(d.type)) + " of " + d.vuln_key + " by " + d.author;
    if (d.state == DecisionState::kPending && d.created_at <= now &&
        now - d.created_at > policy.approval_overdue) {
      out.push_back({"approval-overdue", subject,
                     what + " has awaited approval since " + FormatIso8601(d.created_at) +
                         ": vigil approve " + std::to_string(d.id) + " or vigil reject " +
                         std::to_string(d.id),
                     d.created_at + policy.approval_overdue});
    }
    if (d.state == DecisionState::kApproved && d.expires_at && *d.expires_at > now &&
        *d.expires_at - now <= policy.expiring_soon) {
      out.push_back({"decision-expiring", subject,
                     what + " expires " + FormatIso8601(*d.expires_at) +
                         "; renew it with a new decision or fix the findings",
                     d.expires_at});
    }
  }
  return Status::Ok();
}

Status VulnerabilityItems(Store& store, Timestamp now, std::vector<CheckItem>& out) {
  ASSIGN_OR_RETURN(auto vulns,
                   QueryVulnerabilitiesAt(store, {.class_name = std::string(kUnclassified)}, now));
  for (const auto& v : vulns) {
    out.push_back({"unclassified", v.key,
                   v.key + " (" + v.title + ") has no rating and no class; " +
                       std::to_string(v.open_findings) + " open findings",
                   v.first_seen});
  }
  return Status::Ok();
}

// Notifications given up (docs/notifications.md): nobody was told what they said.
Status NotificationItems(Store& store, std::vector<CheckItem>& out) {
  ASSIGN_OR_RETURN(auto failed, store.QueryNotifications({.states = {"failed"}}));
  for (const auto& n : failed) {
    out.push_back({"notification-failed", n.key,
                   "the " + n.kind + " '" + n.title + "' (" + n.channel +
                       ") could not be sent after " + std::to_string(n.attempts) +
                       " attempts: " + n.last_error + "; see vigil notify log",
                   n.created_at});
  }
  return Status::Ok();
}

}  // namespace

CheckOptions CheckOptionsFrom(const Config& config) {
  return {.window = config.check.stale_after, .coverage_window = config.check.coverage_window};
}

Result<std::vector<CheckItem>> RunChecks(Store& store, const Config& config, Timestamp now,
                                         const CheckOptions& options) {
  ASSIGN_OR_RETURN(auto clocks, ComplianceClocks(store, config, now));
  return RunChecks(store, config, now, options, clocks);
}

Result<std::vector<CheckItem>> RunChecks(Store& store, const Config& config, Timestamp now,
                                         const CheckOptions& options,
                                         const std::vector<ComplianceClock>& clocks) {
  std::vector<CheckItem> out;
  if (config.policy.rules.empty()) {
    // No rule means no deadline is tracked at all: that is itself what needs attention.
    out.push_back({"policy-unset", "policy",
                   "no compliance clock rules are in force, so no deadline is tracked: apply a "
                   "configuration with [policy] profiles (vigil config apply FILE; "
                   "docs/policy.md)",
                   std::nullopt});
  }
  RETURN_IF_ERROR(ScannerItems(store, now, out));
  ASSIGN_OR_RETURN(auto assets, store.QueryAssets({}));
  AssetItems(assets, now, options, out);
  ASSIGN_OR_RETURN(auto inventory, store.QueryInventory());
  RETURN_IF_ERROR(CoverageItems(store, assets, inventory, now, options, out));
  RETURN_IF_ERROR(ZoneCadenceItems(store, config, now, out));
  RETURN_IF_ERROR(VulnerabilityItems(store, now, out));
  ClockItems(clocks, now, options, out);
  RETURN_IF_ERROR(DecisionItems(store, config.policy, now, out));
  RETURN_IF_ERROR(PlanOverdueItems(store, assets, now, out));
  RETURN_IF_ERROR(ReviewCheckItems(store, config.policy.review, now, out));
  RETURN_IF_ERROR(NotificationItems(store, out));
  return out;
}

}  // namespace vigil
