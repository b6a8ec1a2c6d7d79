#include "notify/queue.h"

#include <algorithm>
#include <map>
#include <set>

#include "core/sha256.h"
#include "core/text.h"
#include "engine/asset_labels.h"
#include "engine/audit_log.h"
#include "engine/check.h"
#include "engine/compliance.h"
#include "engine/config_apply.h"
#include "engine/decisions.h"
#include "notify/content.h"
#include "notify/filter.h"
#include "notify/jira.h"
#include "notify/schedule.h"
#include "store/store.h"

namespace vigil::notify {
namespace {

using nlohmann::json;

// What the evaluation reads, each at most once.
class Facts {
 public:
  Facts(Store& store, const Config& config, Timestamp now)
      : store_(store), config_(config), now_(now) {}

  Result<const std::vector<ComplianceClock>*> Clocks() {
    if (!clocks_) {
      ASSIGN_OR_RETURN(auto c, ComplianceClocks(store_, config_, now_));
      clocks_ = std::move(c);
    }
    return &*clocks_;
  }
  Result<const std::vector<CheckItem>*> Items() {
    if (!items_) {
      ASSIGN_OR_RETURN(const auto* clocks, Clocks());
      ASSIGN_OR_RETURN(auto items,
                       RunChecks(store_, config_, now_, CheckOptionsFrom(config_), *clocks));
      items_ = std::move(items);
    }
    return &*items_;
  }
  // Every vulnerability (open or not) by key.
  Result<const std::map<std::string, VulnSummary>*> Vulns() {
    if (!vulns_) {
      ASSIGN_OR_RETURN(auto list, QueryVulnerabilitiesAt(store_, {.include_closed = true}, now_));
      vulns_.emplace();
      for (auto& v : list) {
        std::string key = v.key;
        vulns_->emplace(std::move(key), std::move(v));
      }
    }
    return &*vulns_;
  }
  // The zone of each asset by name.
  Result<const std::map<std::string, std::string>*> Zones() {
    if (!zones_) {
      ASSIGN_OR_RETURN(auto assets, store_.QueryAssets({}));
      ASSIGN_OR_RETURN(inventory_, store_.QueryInventory());
      auto labels = LabelAssets(assets, inventory_, config_.asset_rules);
      zones_.emplace();
      for (size_t i = 0; i < assets.size(); ++i) {
        (*zones_)[assets[i].name] = labels[i].zone;
      }
    }
    return &*zones_;
  }
  Store& store() { return store_; }
  Timestamp now() const { return now_; }

 private:
  Store& store_;
  const Config& config_;
  Timestamp now_;
  std::optional<std::vector<ComplianceClock>> clocks_;
  std::optional<std::vector<CheckItem>> items_;
  std::optional<std::map<std::string, VulnSummary>> vulns_;
  std::optional<std::map<std::string, std::string>> zones_;
  std::vector<InventoryEntry> inventory_;
};

std::string Sha(const std::string& text) {
  return Sha256Hex(text);
}

// ---- digests ----

Result<int> QueueDigest(Facts& facts, const Config& config, const DigestRule& rule,
                        const std::string& actor) {
  ASSIGN_OR_RETURN(DigestSlot slot, DigestSlotAt(rule, facts.now()));
  if (facts.now() < slot.at) {
    return 0;
  }
  // A slot that passed before the rule existed is not owed.
  ASSIGN_OR_RETURN(RuleStart start, NotifyRuleStart(facts.store(), rule.name, facts.now()));
  if (slot.at < start.at) {
    return 0;
  }
  Store& store = facts.store();
  ASSIGN_OR_RETURN(auto last,
                   store.QueryNotifications(
                       {.rule = rule.name, .kind = "digest", .newest_first = true, .limit = 1}));
  if (!last.empty() && last[0].subject >= slot.local_date) {
    return 0;  // this day's digest (or a later one, after the clock was set back) is queued
  }
  std::set<std::string> previous;
  if (!last.empty()) {
    json content = json::parse(last[0].content, nullptr, false);
    if (content.is_object() && content.contains("data") && content["data"].contains("items")) {
      for (const auto& item : content["data"]["items"]) {
        previous.insert(item.value("key", ""));
      }
    }
  }
  ASSIGN_OR_RETURN(const auto* items, facts.Items());
  Rendered r = RenderDigest(rule, slot, *items, previous, last.empty(), config.notify.link_base);
  int queued = 0;
  std::vector<std::string> channels;
  if (!rule.to.empty()) {
    channels.emplace_back("email");
  }
  if (rule.webhook) {
    channels.emplace_back("webhook");
  }
  for (const auto& channel : channels) {
    r.recipients = channel == "email" ? rule.to : std::vector<std::string>();
    std::string content = r.ToJson().dump();
    ASSIGN_OR_RETURN(bool added,
                     Enqueue(store,
                             {.rule = rule.name,
                              .channel = channel,
                              .kind = "digest",
                              .key = "digest/" + rule.name + "/" + slot.local_date + "/" + channel,
                              .subject = slot.local_date,
                              .title = r.title,
                              .content = content},
                             facts.now(), actor));
    queued += added ? 1 : 0;
  }
  return queued;
}

// ---- alerts ----

bool Watches(const AlertRule& rule, std::string_view condition) {
  return std::find(rule.on.begin(), rule.on.end(), condition) != rule.on.end();
}

using Conditions = std::map<std::string, AlertFact>;  // by "condition:subject"

void Add(Conditions& out, AlertFact fact) {
  std::string key = fact.condition + ":" + fact.subject;
  out.emplace(std::move(key), std::move(fact));
}

// The asset a check item is about ("scanner/asset", "zone/asset", "asset/scanner", "asset").
std::string AssetOfItem(const CheckItem& item) {
  size_t slash = item.subject.find('/');
  if (item.kind == "silent-agent" || item.kind == "scan-cadence-missed") {
    return slash == std::string::npos ? item.subject : item.subject.substr(slash + 1);
  }
  return item.subject.substr(0, slash);
}

Status CheckConditions(Facts& facts, const AlertRule& rule, Conditions& out) {
  static const std::map<std::string, std::string> kByKind = {
      {"stale-scanner", "scanner-stale"},
      {"silent-agent", "agent-silent"},
      {"coverage-gap", "coverage-gap"},
      {"scan-cadence-missed", "coverage-gap"}};
  bool wanted = std::any_of(kByKind.begin(), kByKind.end(),
                            [&](const auto& kv) { return Watches(rule, kv.second); });
  if (!wanted) {
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(const auto* items, facts.Items());
  ASSIGN_OR_RETURN(const auto* zones, facts.Zones());
  for (const CheckItem& item : *items) {
    auto it = kByKind.find(item.kind);
    if (it == kByKind.end() || !Watches(rule, it->second)) {
      continue;
    }
    bool about_scanner = item.kind == "stale-scanner" || item.kind == "silent-agent";
    if (about_scanner &&
        !ScannerMatches(rule.filter, {item.subject.substr(0, item.subject.find('/'))})) {
      continue;
    }
    if (item.kind != "stale-scanner" && !ZoneMatches(rule.filter, *zones, {AssetOfItem(item)})) {
      continue;
    }
    Add(out, {.condition = it->second, .subject = item.subject, .detail = item.detail});
  }
  return Status::Ok();
}

// Decommissioned assets that appeared in a scan within the check window (as `vigil check`
// lists them), read from the assets alone so that an import can queue the alert itself.
Status ReappearedConditions(Facts& facts, const Config& config, const AlertRule& rule,
                            Conditions& out) {
  if (!Watches(rule, "asset-reappeared")) {
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(auto assets, facts.store().QueryAssets({}));
  ASSIGN_OR_RETURN(const auto* zones, facts.Zones());
  for (const auto& a : assets) {
    if (!a.reappeared_at || facts.now() - *a.reappeared_at > config.check.stale_after ||
        !ZoneMatches(rule.filter, *zones, {a.name})) {
      continue;
    }
    Add(out, {.condition = "asset-reappeared",
              .subject = a.name,
              .detail = a.name + " was decommissioned" +
                        (a.decommissioned_at ? " on " + FormatIso8601(*a.decommissioned_at)
                                             : std::string()) +
                        " and appeared in a scan at " + FormatIso8601(*a.reappeared_at)});
  }
  return Status::Ok();
}

Status ClockConditions(Facts& facts, const Config& config, const AlertRule& rule, Timestamp start,
                       Conditions& out) {
  if (!Watches(rule, "clock-due") && !Watches(rule, "clock-missed")) {
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(const auto* clocks, facts.Clocks());
  ASSIGN_OR_RETURN(const auto* vulns, facts.Vulns());
  ASSIGN_OR_RETURN(const auto* zones, facts.Zones());
  Timestamp now = facts.now();
  for (const ComplianceClock& c : *clocks) {
    auto v = vulns->find(c.vuln_key);
    if (v == vulns->end() || !ClassMatches(rule.filter, config.classification.scale, v->second) ||
        !ScannerMatches(rule.filter, v->second.scanners) ||
        !ZoneMatches(rule.filter, *zones, c.assets)) {
      continue;
    }
    std::string subject = c.rule->id + "/" + c.vuln_key;
    bool open = c.status == ClockStatus::kOpen || c.status == ClockStatus::kDueSoon;
    if (Watches(rule, "clock-due") && open && c.due > now && c.due - now <= rule.due_within) {
      Add(out, {.condition = "clock-due",
                .subject = subject,
                .detail = c.vuln_key + " (" + c.class_name + ") is due under " + c.rule->framework +
                          " at " + FormatIso8601(c.due),
                .vuln_key = c.vuln_key});
    }
    // Deadlines missed before the rule started are the digest's, not an alert's.
    bool missed =
        (c.status == ClockStatus::kOverdue || c.status == ClockStatus::kMissed) && c.due >= start;
    if (Watches(rule, "clock-missed") && missed) {
      Add(out, {.condition = "clock-missed",
                .subject = subject,
                .detail = c.vuln_key + " (" + c.class_name + ") missed its deadline under " +
                          c.rule->framework + ": due " + FormatIso8601(c.due),
                .vuln_key = c.vuln_key});
    }
  }
  return Status::Ok();
}

Status DecisionConditions(Facts& facts, const Config& config, const AlertRule& rule,
                          Conditions& out) {
  if (!Watches(rule, "approval-waiting")) {
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(
      auto pending,
      QueryDecisionsAt(facts.store(), {.states = {DecisionState::kPending}}, facts.now()));
  ASSIGN_OR_RETURN(const auto* vulns, facts.Vulns());
  for (const DecisionRecord& d : pending) {
    auto v = vulns->find(d.vuln_key);
    if (v == vulns->end() || !ClassMatches(rule.filter, config.classification.scale, v->second) ||
        d.created_at > facts.now() || facts.now() - d.created_at < rule.approval_after) {
      continue;
    }
    Add(out, {.condition = "approval-waiting",
              .subject = "decision #" + std::to_string(d.id),
              .detail = std::string(ToString(d.type)) + " of " + d.vuln_key + " by " + d.author +
                        " has waited for approval since " + FormatIso8601(d.created_at),
              .vuln_key = d.vuln_key});
  }
  return Status::Ok();
}

// New vulnerabilities: recorded after the rule started (the ones before are what the digest
// is for), open, and matching the filter.
Status VulnConditions(Facts& facts, const Config& config, const AlertRule& rule,
                      int64_t last_before, Conditions& out) {
  if (!Watches(rule, "new-vulnerability")) {
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(const auto* vulns, facts.Vulns());
  for (const auto& [key, v] : *vulns) {
    if (v.id <= last_before || v.open_findings == 0 ||
        !ClassMatches(rule.filter, config.classification.scale, v) ||
        !ScannerMatches(rule.filter, v.scanners)) {
      continue;
    }
    if (!rule.filter.zones.empty()) {
      ASSIGN_OR_RETURN(auto findings, facts.store().QueryFindings(
                                          {.states = OpenFindingStates(), .vuln_key = key}));
      ASSIGN_OR_RETURN(const auto* zones, facts.Zones());
      std::vector<std::string> assets;
      assets.reserve(findings.size());
      for (const auto& f : findings) {
        assets.push_back(f.asset);
      }
      if (!ZoneMatches(rule.filter, *zones, assets)) {
        continue;
      }
    }
    std::string kev = v.kev_due ? ", on the KEV list" : "";
    Add(out, {.condition = "new-vulnerability",
              .subject = key,
              .detail = key + " (" + v.title + "), class " + v.class_name + kev + ": " +
                        std::to_string(v.open_findings) + " open findings on " +
                        std::to_string(v.affected_assets) + " assets" +
                        (v.first_seen ? ", first seen " + FormatIso8601(*v.first_seen) : ""),
              .vuln_key = key,
              .headline = "new " + v.class_name + " vulnerability " + key + ": " + v.title});
  }
  return Status::Ok();
}

Result<int> QueueAlertChannels(Store& store, const AlertRule& rule, const std::string& kind,
                               const std::string& key, const std::string& subject, Rendered r,
                               Timestamp now, const std::string& actor) {
  int queued = 0;
  auto one = [&](const std::string& channel) -> Status {
    r.recipients = channel == "email" ? rule.to : std::vector<std::string>();
    std::string content = r.ToJson().dump();
    ASSIGN_OR_RETURN(bool added, Enqueue(store,
                                         {.rule = rule.name,
                                          .channel = channel,
                                          .kind = kind,
                                          .key = key + "/" + channel,
                                          .subject = subject,
                                          .title = r.title,
                                          .content = content},
                                         now, actor));
    queued += added ? 1 : 0;
    return Status::Ok();
  };
  if (!rule.to.empty()) {
    RETURN_IF_ERROR(one("email"));
  }
  if (rule.webhook) {
    RETURN_IF_ERROR(one("webhook"));
  }
  return queued;
}

Result<int> QueueAlerts(Facts& facts, const Config& config, const AlertRule& rule,
                        const std::vector<AlertConditionRecord>& stored, const std::string& actor) {
  Store& store = facts.store();
  Timestamp now = facts.now();
  ASSIGN_OR_RETURN(RuleStart start, NotifyRuleStart(store, rule.name, now));
  Conditions current;
  RETURN_IF_ERROR(CheckConditions(facts, rule, current));
  RETURN_IF_ERROR(ReappearedConditions(facts, config, rule, current));
  RETURN_IF_ERROR(ClockConditions(facts, config, rule, start.at, current));
  RETURN_IF_ERROR(DecisionConditions(facts, config, rule, current));
  RETURN_IF_ERROR(VulnConditions(facts, config, rule, start.last_vuln_id, current));
  std::map<std::string, const AlertConditionRecord*> active;
  for (const auto& c : stored) {
    // Only conditions of the kinds evaluated now can end now.
    if (c.rule == rule.name && !c.ended_at &&
        Watches(rule, c.condition.substr(0, c.condition.find(':')))) {
      active[c.condition] = &c;
    }
  }
  int queued = 0;
  for (const auto& [key, fact] : current) {
    if (active.count(key)) {
      continue;
    }
    RETURN_IF_ERROR(store.PutAlertCondition(
        {.rule = rule.name, .condition = key, .detail = fact.detail, .started_at = now}));
    Rendered r = RenderAlert(rule, fact, true, now, config.notify.link_base);
    ASSIGN_OR_RETURN(std::string stamp, KeyStamp(store, now));
    std::string nkey = "alert/" + rule.name + "/" + key + "/" + stamp;
    ASSIGN_OR_RETURN(int n, QueueAlertChannels(store, rule, "alert", nkey, key, r, now, actor));
    queued += n;
  }
  for (const auto& [key, record] : active) {
    if (current.count(key)) {
      continue;
    }
    AlertConditionRecord ended = *record;
    ended.ended_at = now;
    RETURN_IF_ERROR(store.PutAlertCondition(ended));
    if (!rule.on_end) {
      continue;
    }
    size_t colon = key.find(':');
    AlertFact fact{.condition = key.substr(0, colon),
                   .subject = key.substr(colon + 1),
                   .detail = "No longer so: " + record->detail};
    Rendered r = RenderAlert(rule, fact, false, now, config.notify.link_base);
    ASSIGN_OR_RETURN(std::string stamp, KeyStamp(store, now));
    std::string nkey = "alert-end/" + rule.name + "/" + key + "/" + stamp;
    ASSIGN_OR_RETURN(int n, QueueAlertChannels(store, rule, "alert-end", nkey, key, r, now, actor));
    queued += n;
  }
  return queued;
}

}  // namespace

Result<std::string> KeyStamp(Store& store, Timestamp now) {
  ASSIGN_OR_RETURN(int64_t seq, store.LastEventSeq());
  return std::to_string(ToUnixSeconds(now)) + "-" + std::to_string(seq);
}

Result<bool> Enqueue(Store& store, const Queued& q, Timestamp now, const std::string& actor) {
  NotificationRecord n{.rule = q.rule,
                       .channel = q.channel,
                       .kind = q.kind,
                       .key = q.key,
                       .subject = q.subject,
                       .title = q.title,
                       .content = q.content,
                       .created_at = now,
                       .next_attempt_at = now};
  ASSIGN_OR_RETURN(auto id, store.InsertNotification(n));
  if (!id) {
    return false;
  }
  json to = json::array();
  json content = json::parse(q.content, nullptr, false);
  if (content.is_object() && content.contains("to")) {
    to = content["to"];
  }
  RETURN_IF_ERROR(AppendEvent(store, now, actor, "notification.queued", q.key,
                              {{"id", *id},
                               {"to", to},
                               {"rule", q.rule},
                               {"channel", q.channel},
                               {"kind", q.kind},
                               {"subject", q.subject},
                               {"title", q.title},
                               {"content_sha256", Sha(q.content)}})
                      .status());
  return true;
}

namespace {

Result<int> QueueTickets(Facts& facts, const Config& config, const std::string& actor) {
  if (!config.notify.jira) {
    return 0;
  }
  ASSIGN_OR_RETURN(const auto* vulns, facts.Vulns());
  static const std::map<std::string, std::string> kNoZones;
  const std::map<std::string, std::string>* zones = &kNoZones;
  if (!config.notify.jira->filter.zones.empty()) {
    ASSIGN_OR_RETURN(zones, facts.Zones());
  }
  return QueueJira(facts.store(), config, *vulns, *zones, facts.now(), actor);
}

// The alert rules restricted to the conditions a change starts (what QueueChanges evaluates).
std::vector<AlertRule> ChangeRules(const std::vector<AlertRule>& rules) {
  std::vector<AlertRule> out;
  for (const AlertRule& rule : rules) {
    AlertRule r = rule;
    r.on.clear();
    for (const auto& c : rule.on) {
      if (c == "new-vulnerability" || c == "asset-reappeared") {
        r.on.push_back(c);
      }
    }
    if (!r.on.empty()) {
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace

Result<QueueSummary> QueueChanges(Store& store, const Config& config, Timestamp now,
                                  const std::string& actor) {
  QueueSummary out;
  std::vector<AlertRule> rules = ChangeRules(config.notify.alerts);
  if (rules.empty() && !config.notify.jira) {
    return out;
  }
  Facts facts(store, config, now);
  if (!rules.empty()) {
    ASSIGN_OR_RETURN(auto stored, store.QueryAlertConditions());
    for (const AlertRule& rule : rules) {
      ASSIGN_OR_RETURN(int n, QueueAlerts(facts, config, rule, stored, actor));
      out.alerts += n;
    }
  }
  ASSIGN_OR_RETURN(out.tickets, QueueTickets(facts, config, actor));
  return out;
}

Result<QueueSummary> QueueDue(Store& store, const Config& config, Timestamp now,
                              const std::string& actor) {
  QueueSummary out;
  Facts facts(store, config, now);
  for (const DigestRule& rule : config.notify.digests) {
    ASSIGN_OR_RETURN(int n, QueueDigest(facts, config, rule, actor));
    out.digests += n;
  }
  if (!config.notify.alerts.empty()) {
    ASSIGN_OR_RETURN(auto stored, store.QueryAlertConditions());
    for (const AlertRule& rule : config.notify.alerts) {
      ASSIGN_OR_RETURN(int n, QueueAlerts(facts, config, rule, stored, actor));
      out.alerts += n;
    }
  }
  ASSIGN_OR_RETURN(out.tickets, QueueTickets(facts, config, actor));
  return out;
}

}  // namespace vigil::notify
