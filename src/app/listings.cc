// The listings of the application layer (app/service.h): each checks its filter, reads at the
// clock's time and returns its table. Moved from the CLI commands, columns unchanged.
#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string_view>

#include "app/service.h"
#include "core/duration.h"
#include "core/text.h"
#include "engine/asset_labels.h"
#include "engine/compliance.h"
#include "engine/coverage.h"
#include "engine/decisions.h"
#include "engine/scanner_health.h"
#include "store/store.h"

namespace vigil {
namespace {

std::optional<std::string> NonEmpty(const std::string& s) {
  return s.empty() ? std::nullopt : std::optional(s);
}

Result<std::vector<FindingState>> ParseStates(const std::string& text) {
  std::vector<FindingState> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item == "all") {
      return AllFindingStates();
    }
    auto state = ParseFindingState(item);
    if (!state) {
      return FieldError("state",
                        "'" + item + "' is not one of open, fixed, reopened, inactive, all");
    }
    out.push_back(*state);
  }
  return out;
}

Result<VulnQuery> ParseVulnFilter(const VulnFilter& f, const ClassScale& scale) {
  VulnQuery q{.include_closed = f.all};
  if (!f.class_name.empty()) {
    std::string upper = AsciiUpper(f.class_name);
    if (f.class_name == kUnclassified || upper == "UNCLASSIFIED") {
      q.class_name = std::string(kUnclassified);
    } else if (scale.Contains(upper)) {
      q.class_name = upper;
    } else {
      return FieldError("class", "'" + f.class_name + "' is not a class of the scale");
    }
  }
  q.cve = NonEmpty(f.cve);
  q.asset = NonEmpty(f.asset);
  q.scanner = NonEmpty(f.scanner);
  q.kev_only = f.kev;
  if (!f.epss_above.empty()) {
    auto v = ParseDouble(f.epss_above);
    if (!v || *v < 0 || *v > 1) {
      return FieldError("epss_above", "must be a probability 0..1, not '" + f.epss_above + "'");
    }
    q.epss_above = *v;
  }
  return q;
}

// The order a listing of vulnerabilities is sorted in (VulnFilter::sort).
struct VulnOrder {
  enum By { kClass, kKey, kFirstSeen, kLastSeen, kOpenFindings, kAffectedAssets, kEpss, kKevDue };
  By by = kClass;
  bool descending = false;

  // Ascending; what has no value (no EPSS score, no KEV due date) after what has one.
  template <typename Rank>
  bool Less(const VulnSummary& a, const VulnSummary& b, const Rank& rank) const {
    auto optional_less = [](const auto& x, const auto& y) {
      if (x.has_value() != y.has_value()) {
        return x.has_value();
      }
      return x.has_value() && *x < *y;
    };
    switch (by) {
      case kClass:
        return rank(a.class_name) < rank(b.class_name);
      case kKey:
        return a.key < b.key;
      case kFirstSeen:
        return optional_less(a.first_seen, b.first_seen);
      case kLastSeen:
        return optional_less(a.last_seen, b.last_seen);
      case kOpenFindings:
        return a.open_findings < b.open_findings;
      case kAffectedAssets:
        return a.affected_assets < b.affected_assets;
      case kEpss:
        return optional_less(a.epss, b.epss);
      case kKevDue:
        return optional_less(a.kev_due, b.kev_due);
    }
    return false;
  }
};

Result<VulnOrder> ParseVulnOrder(const std::string& text) {
  static const std::map<std::string, VulnOrder::By, std::less<>> kBy = {
      {"class", VulnOrder::kClass},
      {"key", VulnOrder::kKey},
      {"first_seen", VulnOrder::kFirstSeen},
      {"last_seen", VulnOrder::kLastSeen},
      {"open_findings", VulnOrder::kOpenFindings},
      {"affected_assets", VulnOrder::kAffectedAssets},
      {"epss", VulnOrder::kEpss},
      {"kev_due", VulnOrder::kKevDue}};
  VulnOrder order;
  std::string_view name = text;
  if (!name.empty() && name.front() == '-') {
    order.descending = true;
    name.remove_prefix(1);
  }
  if (name.empty() && !order.descending) {
    return order;
  }
  auto it = kBy.find(name);
  if (it == kBy.end()) {
    return FieldError("sort",
                      "'" + text +
                          "' is not one of class, key, first_seen, last_seen, open_findings, "
                          "affected_assets, epss, kev_due (with '-' before it: descending)");
  }
  order.by = it->second;
  return order;
}

// The ids of the vulnerabilities with an open (or reopened) finding on an asset in `zone` (by
// the inventory or the asset rules, engine/asset_labels.h). A zone that neither the inventory,
// the asset rules nor the scan-cadence rules name is an error.
Result<std::set<int64_t>> VulnsOpenInZone(Store& store, const Config& config,
                                          const std::string& zone) {
  ASSIGN_OR_RETURN(auto inventory, store.QueryInventory());
  auto named = [&](const auto& items) {
    return std::any_of(items.begin(), items.end(), [&](const auto& i) { return i.zone == zone; });
  };
  if (!named(inventory) && !named(config.asset_rules) && !named(config.zone_rules)) {
    return FieldError("zone",
                      "no inventory entry, asset rule or [[zone]] rule names zone '" + zone + "'");
  }
  ASSIGN_OR_RETURN(auto assets, store.QueryAssets({}));
  std::vector<AssetLabels> labels = LabelAssets(assets, inventory, config.asset_rules);
  std::set<int64_t> zone_assets;
  for (size_t i = 0; i < assets.size(); ++i) {
    if (labels[i].zone == zone) {
      zone_assets.insert(assets[i].id);
    }
  }
  ASSIGN_OR_RETURN(auto findings, store.QueryFindingFacts(
                                      {.states = {FindingState::kOpen, FindingState::kReopened}}));
  std::set<int64_t> out;
  for (const auto& f : findings) {
    if (zone_assets.contains(f.asset_id)) {
      out.insert(f.vuln_id);
    }
  }
  return out;
}

// The decision in effect that handles the finding, e.g. "false-positive #3".
view::Cell DecisionCell(const std::vector<DecisionRecord>& decisions, const FindingView& f,
                        Timestamp now) {
  const DecisionRecord* d = HandlingDecision(decisions, f.vuln_key, f.asset, f.port, now);
  if (d == nullptr) {
    return nullptr;
  }
  return std::string(ToString(d->type)) + " #" + std::to_string(d->id);
}

}  // namespace

Result<view::Table> Service::Vulnerabilities(const Identity& who, const VulnFilter& filter) {
  const ClassScale& scale = config_.classification.scale;
  ASSIGN_OR_RETURN(VulnQuery q, ParseVulnFilter(filter, scale));
  ASSIGN_OR_RETURN(VulnOrder order, ParseVulnOrder(filter.sort));
  if (!filter.state.empty() && filter.state != "open" && filter.state != "closed" &&
      filter.state != "all") {
    return FieldError("state", "must be open, closed or all, not '" + filter.state + "'");
  }
  bool closed_only = filter.state == "closed";
  q.include_closed = q.include_closed || closed_only || filter.state == "all";
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  Timestamp now = clock_.Now();
  ASSIGN_OR_RETURN(auto vulns, QueryVulnerabilitiesAt(store_, q, now));
  if (closed_only) {
    std::erase_if(vulns, [](const VulnSummary& v) { return v.open_findings > 0; });
  }
  if (!filter.zone.empty()) {
    ASSIGN_OR_RETURN(auto in_zone, VulnsOpenInZone(store_, config_, filter.zone));
    std::erase_if(vulns, [&](const VulnSummary& v) { return !in_zone.contains(v.id); });
  }
  if (filter.overdue) {
    std::set<std::string> overdue;
    if (!config_.policy.rules.empty()) {
      ASSIGN_OR_RETURN(auto clocks, ComplianceClocks(store_, config_, now));
      for (const auto& c : clocks) {
        if (c.status == ClockStatus::kOverdue) {
          overdue.insert(c.vuln_key);
        }
      }
    }
    std::erase_if(vulns, [&](const VulnSummary& v) { return !overdue.contains(v.key); });
  }
  auto rank = [&](const std::string& c) { return scale.Rank(c).value_or(99); };
  std::stable_sort(vulns.begin(), vulns.end(), [&](const VulnSummary& a, const VulnSummary& b) {
    if (rank(a.class_name) != rank(b.class_name)) {
      return rank(a.class_name) < rank(b.class_name);
    }
    return a.open_findings > b.open_findings;
  });
  if (order.by != VulnOrder::kClass || order.descending) {
    std::stable_sort(vulns.begin(), vulns.end(), [&](const VulnSummary& a, const VulnSummary& b) {
      return order.descending ? order.Less(b, a, rank) : order.Less(a, b, rank);
    });
  }
  view::Table t;
  t.columns = {{"key", "KEY"},
               {"class", "CLASS"},
               {"class_source", "SOURCE"},
               {"open_findings", "OPEN"},
               {"affected_assets", "ASSETS"},
               {"first_seen", "FIRST SEEN"},
               {"last_seen", "LAST SEEN"},
               {"cves", "CVES", 40},
               {"kev_due", "KEV DUE"},
               {"epss", "EPSS"},
               {"scanners", "SCANNERS", 30},
               {"title", "TITLE", 60}};
  for (const auto& v : vulns) {
    t.rows.push_back({v.key, v.class_name, v.class_source, v.open_findings, v.affected_assets,
                      view::TimeCell(v.first_seen), view::TimeCell(v.last_seen), v.cves,
                      view::TimeCell(v.kev_due), v.epss ? view::Cell(*v.epss) : view::Cell(),
                      v.scanners, v.title});
  }
  return t;
}

Result<VulnerabilityDetail> Service::Vulnerability(const Identity& who, const std::string& key) {
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  Timestamp now = clock_.Now();
  ASSIGN_OR_RETURN(auto history, LoadHistory(store_, key, now));
  if (!history) {
    return NotFound("vulnerability " + key + " is not in the database");
  }
  VulnerabilityDetail out{.history = std::move(*history)};
  ASSIGN_OR_RETURN(auto clocks, ComplianceClocks(store_, config_, now, key));
  for (auto& c : clocks) {
    if (c.vuln_key == key) {
      out.clocks.push_back(std::move(c));
    }
  }
  ASSIGN_OR_RETURN(out.ratings, RatingsOf(store_, out.history.def));
  for (const auto& f : out.history.findings) {
    out.open_findings += f.state == FindingState::kOpen || f.state == FindingState::kReopened;
  }
  ASSIGN_OR_RETURN(out.jira_issue, JiraIssueOf(key));
  return out;
}

Result<view::Table> Service::Findings(const Identity& who, const FindingFilter& filter) {
  FindingQuery q{.states = OpenFindingStates(), .absent_unverified_only = filter.absent_unverified};
  if (!filter.state.empty()) {
    ASSIGN_OR_RETURN(q.states, ParseStates(filter.state));
  }
  q.asset = NonEmpty(filter.asset);
  q.vuln_key = NonEmpty(filter.vuln);
  q.scanner = NonEmpty(filter.scanner);
  q.cve = NonEmpty(filter.cve);
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  Timestamp now = clock_.Now();
  ASSIGN_OR_RETURN(auto findings, store_.QueryFindings(q));
  ASSIGN_OR_RETURN(auto decisions, QueryDecisionsAt(store_, {}, now));
  view::Table t;
  t.columns = {{"vulnerability", "VULNERABILITY"},
               {"class", "CLASS"},
               {"asset", "ASSET"},
               {"port", "PORT"},
               {"protocol", "PROTO"},
               {"service", "SERVICE"},
               {"location", "LOCATION", 60},
               {"installed_version", "INSTALLED"},
               {"fixed_version", "FIXED IN"},
               {"flags", "FLAGS"},
               {"state", "STATE"},
               {"first_seen", "FIRST SEEN"},
               {"last_seen", "LAST SEEN"},
               {"fixed_at", "FIXED AT"},
               {"times_reopened", "REOPENED"},
               {"absent_unverified", "ABSENT-UNVERIFIED"},
               {"scanners", "SCANNERS"},
               {"decision", "DECISION"},
               {"title", "TITLE", 50}};
  int min_qod = config_.import.min_qod;
  for (const auto& f : findings) {
    std::vector<std::string> flags;
    if (f.qod && *f.qod < min_qod) {
      flags.push_back("low-qod(" + std::to_string(*f.qod) + ")");
    }
    t.rows.push_back({f.vuln_key, f.class_name, f.asset, int64_t{f.port}, f.protocol,
                      view::TextCell(f.service), view::TextCell(f.location),
                      view::TextCell(f.installed_version), view::TextCell(f.fixed_version), flags,
                      std::string(ToString(f.state)), view::TimeCell(f.first_seen),
                      view::TimeCell(f.last_seen), view::TimeCell(f.fixed_at),
                      int64_t{f.times_reopened}, f.absent_unverified, f.scanners,
                      DecisionCell(decisions, f, now), f.title});
  }
  return t;
}

Result<view::Table> Service::Assets(const Identity& who, const AssetFilter& filter) {
  std::optional<std::chrono::seconds> stale_after;
  if (!filter.stale_after.empty()) {
    ASSIGN_OR_RETURN(stale_after, ParseDurationField("stale_after", filter.stale_after));
  }
  AssetQuery q;
  bool only_stale = filter.state == "stale";
  if (only_stale) {
    q.state = AssetState::kActive;
  } else if (filter.state != "all") {
    q.state = ParseAssetState(filter.state);
    if (!q.state) {
      return FieldError("state",
                        "must be active, decommissioned, stale or all, not '" + filter.state + "'");
    }
  }
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  ASSIGN_OR_RETURN(auto assets, store_.QueryAssets(q));
  ASSIGN_OR_RETURN(auto inventory, store_.QueryInventory());
  std::vector<AssetLabels> labels = LabelAssets(assets, inventory, config_.asset_rules);
  // Per asset, when each scanner last scanned it.
  std::map<std::string, std::vector<std::string>> scanned_by;
  ASSIGN_OR_RETURN(auto scanners, store_.QueryScanners());
  for (const auto& s : scanners) {
    ASSIGN_OR_RETURN(auto last_scans, store_.LastScansByScanner(s.name));
    for (const auto& l : last_scans) {
      scanned_by[l.asset].push_back(s.name + " " + FormatIso8601(l.last_scanned));
    }
  }
  std::chrono::seconds window = stale_after.value_or(config_.check.stale_after);
  Timestamp now = clock_.Now();
  view::Table t;
  t.columns = {{"name", "NAME"},
               {"ip", "IP"},
               {"fqdn", "FQDN"},
               {"agent_id", "AGENT ID"},
               {"os", "OS", 30},
               {"zone", "ZONE"},
               {"site", "SITE"},
               {"owner", "OWNER"},
               {"expected", "EXPECTED"},
               {"state", "STATE"},
               {"first_seen", "FIRST SEEN"},
               {"last_seen", "LAST SEEN"},
               {"scanned_by", "SCANNED BY", 50},
               {"open_findings", "OPEN"},
               {"stale", "STALE"},
               {"decommissioned_at", "DECOMMISSIONED"},
               {"decommissioned_by", "BY"},
               {"decommission_reason", "REASON", 30},
               {"reappeared_at", "REAPPEARED"}};
  for (size_t i = 0; i < assets.size(); ++i) {
    const AssetView& a = assets[i];
    const AssetLabels& l = labels[i];
    bool stale = IsStaleAsset(a, now, window);
    if ((only_stale && !stale) || (!filter.zone.empty() && l.zone != filter.zone)) {
      continue;
    }
    t.rows.push_back({a.name, view::TextCell(a.ip), view::TextCell(a.fqdn),
                      view::TextCell(a.agent_id), view::TextCell(a.os), view::TextCell(l.zone),
                      view::TextCell(l.site), view::TextCell(l.owner), l.expected != nullptr,
                      std::string(ToString(a.state)), view::TimeCell(a.first_seen),
                      view::TimeCell(a.last_seen), scanned_by[a.name], a.open_findings, stale,
                      view::TimeCell(a.decommissioned_at), view::TextCell(a.decommissioned_by),
                      view::TextCell(a.decommission_reason), view::TimeCell(a.reappeared_at)});
  }
  return t;
}

Result<view::Table> Service::Scanners(const Identity& who, const std::string& window_text) {
  ASSIGN_OR_RETURN(auto window, ParseDurationField("window", window_text));
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  ASSIGN_OR_RETURN(auto scanners, store_.QueryScanners());
  Timestamp now = clock_.Now();
  ASSIGN_OR_RETURN(auto inventory, store_.QueryInventory());
  ASSIGN_OR_RETURN(auto assets, store_.QueryAssets({}));
  std::map<std::string, std::vector<AssetLastScan>> last_scans;
  for (const auto& s : scanners) {
    ASSIGN_OR_RETURN(last_scans[s.name], store_.LastScansByScanner(s.name));
  }
  vigil::Coverage coverage =
      EvaluateCoverage(inventory, assets, last_scans, now, config_.check.coverage_window);
  view::Table t;
  t.columns = {{"name", "NAME"},
               {"kind", "KIND"},
               {"cadence", "CADENCE"},
               {"grace", "GRACE"},
               {"scans", "SCANS"},
               {"scans_in_window", "IN WINDOW"},
               {"assets", "ASSETS"},
               {"last_scan", "LAST SCAN"},
               {"last_import", "LAST IMPORT"},
               {"due_by", "DUE BY"},
               {"stale", "STALE"},
               {"silent_agents", "SILENT AGENTS"},
               {"silent_agent_names", "SILENT", 40},
               {"expected_assets", "EXPECTED"},
               {"coverage_gaps", "GAPS"},
               {"coverage_gap_names", "NOT COVERED", 40}};
  for (const auto& s : scanners) {
    ScannerHealth h = EvaluateScanner(s, last_scans[s.name], now);
    ASSIGN_OR_RETURN(auto times, store_.ScanTimes(s.name));
    int64_t in_window = std::count_if(
        times.begin(), times.end(), [&](Timestamp at) { return at <= now && now - at <= window; });
    int64_t expected = 0;
    for (const auto& e : inventory) {
      expected += std::count(e.scanners.begin(), e.scanners.end(), s.name);
    }
    std::vector<std::string> gaps;
    for (const auto& g : coverage.gaps) {
      if (g.scanner == s.name) {
        gaps.push_back(g.expected);
      }
    }
    std::vector<std::string> silent;
    for (const auto& a : h.silent_agents) {
      silent.push_back(a.asset);
    }
    t.rows.push_back(
        {s.name, s.kind, s.cadence ? view::Cell(FormatDuration(*s.cadence)) : view::Cell(nullptr),
         FormatDuration(s.grace), s.scans, in_window, s.assets, view::TimeCell(s.last_scan),
         view::TimeCell(s.last_import), view::TimeCell(h.due_by), h.stale,
         static_cast<int64_t>(h.silent_agents.size()), silent, expected,
         static_cast<int64_t>(gaps.size()), gaps});
  }
  return t;
}

Result<view::Table> Service::Decisions(const Identity& who, const DecisionFilter& filter) {
  DecisionQuery q;
  if (!filter.vuln.empty()) {
    q.vuln_key = filter.vuln;
  }
  if (filter.state != "all") {
    auto state = ParseDecisionState(filter.state);
    if (!state) {
      return FieldError("state",
                        "must be pending, approved, rejected, lapsed, superseded or all, not '" +
                            filter.state + "'");
    }
    q.states = {*state};
  }
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  ASSIGN_OR_RETURN(auto decisions, QueryDecisionsAt(store_, q, clock_.Now()));
  view::Table t;
  t.columns = {{"id", "ID"},
               {"vulnerability", "VULNERABILITY"},
               {"type", "TYPE"},
               {"reason", "REASON"},
               {"state", "STATE"},
               {"new_class", "CLASS"},
               {"assets", "ASSETS", 30},
               {"port", "PORT"},
               {"author", "AUTHOR"},
               {"created_at", "CREATED"},
               {"decided_by", "DECIDED BY"},
               {"decided_at", "DECIDED"},
               {"effective_at", "EFFECTIVE"},
               {"expires_at", "EXPIRES"},
               {"target_at", "TARGET"},
               {"ended_at", "ENDED"},
               {"superseded_by", "SUPERSEDED BY"},
               {"basis", "BASIS", 40},
               {"decided_basis", "DECISION NOTE", 30}};
  for (const auto& d : decisions) {
    t.rows.push_back(
        {d.id, d.vuln_key, std::string(ToString(d.type)), std::string(ToString(d.reason)),
         std::string(ToString(d.state)), view::TextCell(d.new_class),
         d.assets.empty() ? view::Cell(std::vector<std::string>{"all"}) : view::Cell(d.assets),
         d.port ? view::Cell(static_cast<int64_t>(*d.port)) : view::Cell(nullptr), d.author,
         view::TimeCell(d.created_at), view::TextCell(d.decided_by), view::TimeCell(d.decided_at),
         view::TimeCell(d.effective_at), view::TimeCell(d.expires_at), view::TimeCell(d.target_at),
         view::TimeCell(d.ended_at),
         d.superseded_by != 0 ? view::Cell(d.superseded_by) : view::Cell(nullptr), d.basis,
         view::TextCell(d.decided_basis)});
  }
  return t;
}

}  // namespace vigil
