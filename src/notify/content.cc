#include "notify/content.h"

#include <map>

#include "core/time.h"
#include "notify/filter.h"
#include "report/tables.h"

namespace vigil::notify {
namespace {

using nlohmann::json;
using report::HtmlEscape;

// The causes in the order a digest lists them: what breaks a deadline first.
const std::vector<std::pair<std::string, std::vector<std::string>>>& Causes() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kCauses = {
      {"Deadlines overdue or missed", {"clock-overdue", "clock-missed"}},
      {"Unclassified vulnerabilities", {"unclassified"}},
      {"Deadlines due soon", {"clock-due-soon"}},
      {"Mitigation plans overdue", {"plan-overdue"}},
      {"Decisions waiting", {"approval-overdue", "decision-expiring"}},
      {"Stale scanners", {"stale-scanner"}},
      {"Silent agents", {"silent-agent"}},
      {"Coverage gaps", {"coverage-gap", "scan-cadence-missed", "unexpected-asset", "stale-asset"}},
      {"Reappeared assets", {"reappeared-asset"}},
      {"Reviews", {"review-overdue", "review-single-person", "decision-concentration"}},
      {"Set-up gaps", {"policy-unset", "cadence-unset"}},
      {"Notifications not delivered", {"notification-failed"}},
  };
  return kCauses;
}

size_t CauseRank(const std::string& kind) {
  const auto& causes = Causes();
  for (size_t i = 0; i < causes.size(); ++i) {
    for (const auto& k : causes[i].second) {
      if (k == kind) {
        return i;
      }
    }
  }
  return causes.size();
}

// The vulnerability an item is about, when it is: unclassified items name it, clocks
// "rule/KEY", plans "KEY/decision #N".
std::string VulnOf(const CheckItem& item) {
  if (item.kind == "unclassified") {
    return item.subject;
  }
  if (item.kind.rfind("clock-", 0) == 0) {
    // "RULE/KEY", where rule ids hold slashes themselves ("ncssr-1.7/4.f") and keys do not.
    size_t last = item.subject.rfind('/');
    return last == std::string::npos ? "" : item.subject.substr(last + 1);
  }
  if (item.kind == "plan-overdue") {
    return item.subject.substr(0, item.subject.find('/'));
  }
  return "";
}

struct Group {
  std::string cause;
  std::vector<const CheckItem*> items;
};

std::vector<Group> GroupItems(const std::vector<const CheckItem*>& items) {
  std::map<size_t, Group> by_rank;
  for (const CheckItem* item : items) {
    size_t rank = CauseRank(item->kind);
    Group& g = by_rank[rank];
    g.cause = CauseOf(item->kind);
    g.items.push_back(item);
  }
  std::vector<Group> out;
  out.reserve(by_rank.size());
  for (auto& [rank, g] : by_rank) {
    out.push_back(std::move(g));
  }
  return out;
}

void AppendSection(const std::string& heading, const std::vector<const CheckItem*>& items,
                   const std::string& link_base, std::string& text, std::string& html) {
  if (items.empty()) {
    return;
  }
  text += heading + " (" + std::to_string(items.size()) + ")\n";
  html += "<h2>" + HtmlEscape(heading) + " (" + std::to_string(items.size()) + ")</h2>\n";
  for (const Group& g : GroupItems(items)) {
    text += "\n  " + g.cause + " (" + std::to_string(g.items.size()) + ")\n";
    html += "<h3>" + HtmlEscape(g.cause) + " (" + std::to_string(g.items.size()) + ")</h3>\n<ul>\n";
    for (const CheckItem* item : g.items) {
      std::string link = VulnLink(link_base, VulnOf(*item));
      text += "  - " + item->detail + (link.empty() ? "" : "\n    " + link) + "\n";
      html += "<li>" + HtmlEscape(item->detail);
      if (!link.empty()) {
        html += " <a href=\"" + HtmlEscape(link) + "\">open in vigil</a>";
      }
      html += "</li>\n";
    }
    html += "</ul>\n";
  }
  text += "\n";
}

std::string HtmlPage(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" +
         HtmlEscape(title) + "</title></head>\n<body style=\"font-family: sans-serif\">\n<h1>" +
         HtmlEscape(title) + "</h1>\n" + body + "</body></html>\n";
}

}  // namespace

json Rendered::ToJson() const {
  json out{{"title", title}, {"text", text}, {"html", html}, {"data", data}};
  if (!recipients.empty()) {
    out["to"] = recipients;
  }
  return out;
}

Rendered Rendered::FromJson(const json& j) {
  Rendered r;
  r.title = j.value("title", "");
  r.text = j.value("text", "");
  r.html = j.value("html", "");
  r.data = j.contains("data") ? j["data"] : json::object();
  if (j.contains("to") && j["to"].is_array()) {
    for (const auto& a : j["to"]) {
      if (a.is_string()) {
        r.recipients.push_back(a.get<std::string>());
      }
    }
  }
  return r;
}

std::string CauseOf(const std::string& kind) {
  size_t rank = CauseRank(kind);
  return rank < Causes().size() ? Causes()[rank].first : "Other";
}

std::string ItemKey(const CheckItem& item) {
  return item.kind + ":" + item.subject;
}

Rendered RenderDigest(const DigestRule& rule, const DigestSlot& slot,
                      const std::vector<CheckItem>& items, const std::set<std::string>& previous,
                      bool first, const std::string& link_base) {
  std::vector<const CheckItem*> fresh;
  std::vector<const CheckItem*> known;
  json list = json::array();
  for (const CheckItem& item : items) {
    bool is_new = !first && !previous.count(ItemKey(item));
    (is_new ? fresh : known).push_back(&item);
    list.push_back(json{{"key", ItemKey(item)},
                        {"kind", item.kind},
                        {"cause", CauseOf(item.kind)},
                        {"subject", item.subject},
                        {"detail", item.detail},
                        {"since", item.since ? json(FormatIso8601(*item.since)) : json()},
                        {"new", is_new}});
  }
  Rendered r;
  std::string count =
      items.empty() ? "nothing needs attention"
                    : std::to_string(items.size()) + " need attention" +
                          (fresh.empty() ? "" : " (" + std::to_string(fresh.size()) + " new)");
  r.title = "vigil daily report " + slot.local_date + ": " + count;
  std::string intro = "The daily report '" + rule.name + "' of " + slot.local_text +
                      ": what `vigil check` lists at that moment.";
  r.text = r.title + "\n\n" + intro + "\n\n";
  std::string body = "<p>" + HtmlEscape(intro) + "</p>\n";
  if (items.empty()) {
    r.text +=
        "Nothing needs attention: no vulnerability is unclassified, overdue or due soon, "
        "no decision is waiting, every scanner and agent reported in time.\n";
    body +=
        "<p><strong>Nothing needs attention</strong>: no vulnerability is unclassified, "
        "overdue or due soon, no decision is waiting, every scanner and agent reported in "
        "time.</p>\n";
  } else {
    AppendSection("New since the last report", fresh, link_base, r.text, body);
    AppendSection(first ? "Needing attention" : "Still needing attention", known, link_base, r.text,
                  body);
  }
  r.html = HtmlPage(r.title, body);
  r.data = json{{"type", "digest"},
                {"rule", rule.name},
                {"local_date", slot.local_date},
                {"scheduled_at", FormatIso8601(slot.at)},
                {"summary", json{{"items", items.size()}, {"new", fresh.size()}}},
                {"items", list},
                {"title", r.title}};
  return r;
}

Rendered RenderAlert(const AlertRule& rule, const AlertFact& fact, bool started, Timestamp at,
                     const std::string& link_base) {
  Rendered r;
  r.title = std::string("vigil alert: ") + (started ? "" : "ended: ") +
            (fact.headline.empty() ? fact.condition + " " + fact.subject : fact.headline);
  std::string link = VulnLink(link_base, fact.vuln_key);
  std::string when = (started ? "Started " : "Ended ") + FormatIso8601(at);
  r.text = r.title + "\n\n" + fact.detail + "\n\n" + when + " (alert rule '" + rule.name + "').\n" +
           (link.empty() ? "" : link + "\n");
  std::string body = "<p>" + HtmlEscape(fact.detail) + "</p>\n<p>" + HtmlEscape(when) +
                     " (alert rule '" + HtmlEscape(rule.name) + "').</p>\n";
  if (!link.empty()) {
    body += "<p><a href=\"" + HtmlEscape(link) + "\">Open in vigil</a></p>\n";
  }
  r.html = HtmlPage(r.title, body);
  r.data = json{{"type", "alert"},
                {"rule", rule.name},
                {"event", started ? "started" : "ended"},
                {"condition", fact.condition},
                {"subject", fact.subject},
                {"detail", fact.detail},
                {"at", FormatIso8601(at)},
                {"title", r.title}};
  if (!fact.vuln_key.empty()) {
    r.data["vulnerability"] = fact.vuln_key;
  }
  if (!link.empty()) {
    r.data["link"] = link;
  }
  return r;
}

}  // namespace vigil::notify
