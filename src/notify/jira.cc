#include "notify/jira.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "core/sha256.h"
#include "core/text.h"
#include "engine/compliance.h"
#include "engine/decisions.h"
#include "engine/logged_rows.h"
#include "net/http_post.h"
#include "notify/filter.h"
#include "notify/queue.h"
#include "store/store.h"

namespace vigil::notify {
namespace {

using nlohmann::json;

// A label Jira accepts: no spaces; anything but letters, digits, '-', '_', '.' becomes '-'.
std::string LabelText(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    out += std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' ? static_cast<char>(c) : '-';
  }
  return out.substr(0, 200);
}

std::string OneLine(const std::string& s, size_t max) {
  std::string out;
  for (char c : s) {
    out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  }
  if (out.size() > max) {
    size_t end = max - 3;
    while (end > 0 && (static_cast<unsigned char>(out[end]) & 0xC0) == 0x80) {
      --end;
    }
    out = out.substr(0, end) + "...";
  }
  return out;
}

// The issue's fields as vigil keeps them: a structured description rendered for the API
// version when sent.
json IssueFields(const JiraConfig& jira, const VulnSummary& v,
                 const std::vector<std::string>& assets, const std::vector<ComplianceClock>& clocks,
                 const std::string& link_base) {
  std::vector<std::string> labels = jira.labels;
  labels.push_back("vigil");
  labels.push_back("vigil-class-" + LabelText(v.class_name));
  labels.push_back(IssueLabel(v.key));
  json blocks = json::array();
  blocks.push_back({{"p", v.key + ": " + v.title}});
  std::string cves = Join(v.cves, ", ");
  blocks.push_back(
      {{"p", "Class " + v.class_name +
                 (v.rating_score ? " (score " + ScoreText(*v.rating_score) + ")" : std::string()) +
                 (cves.empty() ? "" : "; " + cves) + (v.kev_due ? "; on the CISA KEV list" : "")}});
  blocks.push_back({{"h", "Affected assets (" + std::to_string(assets.size()) + ")"}});
  json list = json::array();
  for (size_t i = 0; i < assets.size() && i < 50; ++i) {
    list.push_back(assets[i]);
  }
  if (assets.size() > 50) {
    list.push_back("... and " + std::to_string(assets.size() - 50) + " more");
  }
  blocks.push_back({{"ul", list}});
  json due = json::array();
  for (const auto& c : clocks) {
    due.push_back(c.rule->framework + ": due " + FormatIso8601(c.due) + " (" +
                  std::string(ToString(c.status)) + ")");
  }
  if (!due.empty()) {
    blocks.push_back({{"h", "Compliance clocks"}});
    blocks.push_back({{"ul", due}});
  }
  std::string link = VulnLink(link_base, v.key);
  if (!link.empty()) {
    blocks.push_back({{"link", link}});
  }
  return json{{"summary", OneLine(v.key + ": " + v.title, 255)},
              {"labels", labels},
              {"description", blocks}};
}

Result<std::vector<std::string>> AssetsOf(Store& store, const std::string& key) {
  ASSIGN_OR_RETURN(auto findings,
                   store.QueryFindings({.states = OpenFindingStates(), .vuln_key = key}));
  std::set<std::string> names;
  for (const auto& f : findings) {
    names.insert(f.asset);
  }
  return std::vector<std::string>(names.begin(), names.end());
}

struct Change {
  std::string op;  // create | update | transition | comment
  std::string key_suffix;
  json body;
};

Result<int> Queue(Store& store, const VulnSummary& v, const Change& c, Timestamp now,
                  const std::string& actor) {
  json content = c.body;
  content["vulnerability"] = v.key;
  content["op"] = c.op;
  ASSIGN_OR_RETURN(bool added, Enqueue(store,
                                       {.rule = "jira",
                                        .channel = "jira",
                                        .kind = "ticket",
                                        .key = "jira/" + v.key + "/" + c.key_suffix,
                                        .subject = v.key,
                                        .title = c.op + " the Jira issue of " + v.key,
                                        .content = content.dump()},
                                       now, actor));
  return added ? 1 : 0;
}

Result<int> QueueComments(Store& store, const std::map<std::string, VulnSummary>& vulns,
                          const std::map<std::string, JiraLinkRecord>& links, Timestamp now,
                          const std::string& actor) {
  ASSIGN_OR_RETURN(auto approved,
                   QueryDecisionsAt(store, {.states = {DecisionState::kApproved}}, now));
  int queued = 0;
  for (const auto& d : approved) {
    auto v = vulns.find(d.vuln_key);
    if (!links.count(d.vuln_key) || v == vulns.end()) {
      continue;
    }
    // Plain words, the same in wiki markup escaped or not: what an in-doubt retry looks for.
    std::string marker = "(vigil decision " + std::to_string(d.id) + ")";
    std::string text = marker + " " + std::string(ToString(d.type)) + " by " + d.author +
                       ", approved by " + d.decided_by +
                       (d.decided_at ? " at " + FormatIso8601(*d.decided_at) : std::string()) +
                       ". Basis: " + d.basis;
    ASSIGN_OR_RETURN(int n, Queue(store, v->second,
                                  {.op = "comment",
                                   .key_suffix = "comment/decision-" + std::to_string(d.id),
                                   .body = json{{"comment", text}, {"marker", marker}}},
                                  now, actor));
    queued += n;
  }
  return queued;
}

}  // namespace

std::string IssueLabel(const std::string& vuln_key) {
  return "vigil-" + Sha256Hex(vuln_key).substr(0, 16);
}

Result<int> QueueJira(Store& store, const Config& config,
                      const std::map<std::string, VulnSummary>& vulns,
                      const std::map<std::string, std::string>& zones, Timestamp now,
                      const std::string& actor) {
  const JiraConfig& jira = *config.notify.jira;
  // The links of the vulnerabilities at hand, as they are after this run (what comments need).
  std::map<std::string, JiraLinkRecord> links;
  int queued = 0;
  for (const auto& [key, v] : vulns) {
    ASSIGN_OR_RETURN(auto link, store.FindJiraLink(key));
    bool open = v.open_findings > 0;
    if (!link) {
      if (!open || !ClassMatches(jira.filter, config.classification.scale, v) ||
          !ScannerMatches(jira.filter, v.scanners)) {
        continue;
      }
      ASSIGN_OR_RETURN(auto assets, AssetsOf(store, key));
      const auto& wanted = jira.filter.zones;
      if (!wanted.empty() && std::none_of(assets.begin(), assets.end(), [&](const auto& a) {
            auto z = zones.find(a);
            return z != zones.end() &&
                   std::find(wanted.begin(), wanted.end(), z->second) != wanted.end();
          })) {
        continue;
      }
      ASSIGN_OR_RETURN(auto clocks, ComplianceClocks(store, config, now, key));
      json fields = IssueFields(jira, v, assets, clocks, config.notify.link_base);
      ASSIGN_OR_RETURN(
          int n, Queue(store, v,
                       {.op = "create", .key_suffix = "create", .body = json{{"fields", fields}}},
                       now, actor));
      queued += n;
      JiraLinkRecord l{
          .vuln_key = key, .synced_class = v.class_name, .synced_state = "open", .updated_at = now};
      RETURN_IF_ERROR(store.PutJiraLink(l));
      links[key] = l;
      continue;
    }
    JiraLinkRecord l = *link;
    bool changed = false;
    if (l.synced_class != v.class_name) {
      ASSIGN_OR_RETURN(auto assets, AssetsOf(store, key));
      ASSIGN_OR_RETURN(auto clocks, ComplianceClocks(store, config, now, key));
      json fields = IssueFields(jira, v, assets, clocks, config.notify.link_base);
      ASSIGN_OR_RETURN(std::string stamp, KeyStamp(store, now));
      ASSIGN_OR_RETURN(
          int n, Queue(store, v,
                       {.op = "update",
                        .key_suffix = "update/" + LabelText(v.class_name) + "/" + stamp,
                        .body = json{{"fields", fields},
                                     {"remove_labels",
                                      json::array({"vigil-class-" + LabelText(l.synced_class)})}}},
                       now, actor));
      queued += n;
      l.synced_class = v.class_name;
      changed = true;
    }
    std::string state = open ? "open" : "fixed";
    if (l.synced_state != state) {
      std::string target = open ? jira.reopen_transition : jira.done_transition;
      ASSIGN_OR_RETURN(std::string stamp, KeyStamp(store, now));
      ASSIGN_OR_RETURN(int n, Queue(store, v,
                                    {.op = "transition",
                                     .key_suffix = "transition/" + state + "/" + stamp,
                                     .body = json{{"transition", target}}},
                                    now, actor));
      queued += n;
      l.synced_state = state;
      changed = true;
    }
    if (changed) {
      l.updated_at = now;
      RETURN_IF_ERROR(store.PutJiraLink(l));
    }
    links[key] = l;
  }
  ASSIGN_OR_RETURN(int comments, QueueComments(store, vulns, links, now, actor));
  return queued + comments;
}

namespace {

// Text from scans and people as wiki text: every character that starts markup escaped, line
// breaks (which would start a heading or a list) made spaces.
std::string WikiEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\r' || c == '\n') {
      out += ' ';
      continue;
    }
    if (c == '{' || c == '}' || c == '[' || c == ']' || c == '|' || c == '*' || c == '_' ||
        c == '^' || c == '~' || c == '+' || c == '-' || c == '#' || c == '!' || c == '\\' ||
        c == '?' || c == '@') {
      out += '\\';
    }
    out += c;
  }
  return out;
}

json AdfText(const std::string& s) {
  return json{{"type", "text"}, {"text", s.empty() ? std::string(" ") : s}};
}

json AdfParagraph(const std::string& s) {
  return json{{"type", "paragraph"}, {"content", json::array({AdfText(s)})}};
}

// The description for API v2 (wiki markup) or v3 (an Atlassian Document).
json Description(const json& blocks, int version) {
  if (version == 2) {
    std::string text;
    for (const auto& b : blocks) {
      if (b.contains("p")) {
        text += WikiEscape(b["p"].get<std::string>()) + "\n\n";
      } else if (b.contains("h")) {
        text += "h3. " + WikiEscape(b["h"].get<std::string>()) + "\n";
      } else if (b.contains("ul")) {
        for (const auto& item : b["ul"]) {
          text += "* " + WikiEscape(item.get<std::string>()) + "\n";
        }
        text += "\n";
      } else if (b.contains("link")) {
        text += "[Open in vigil|" + b["link"].get<std::string>() + "]\n";
      }
    }
    return text;
  }
  json content = json::array();
  for (const auto& b : blocks) {
    if (b.contains("p")) {
      content.push_back(AdfParagraph(b["p"].get<std::string>()));
    } else if (b.contains("h")) {
      content.push_back(json{{"type", "heading"},
                             {"attrs", {{"level", 3}}},
                             {"content", json::array({AdfText(b["h"].get<std::string>())})}});
    } else if (b.contains("ul") && !b["ul"].empty()) {
      json items = json::array();
      for (const auto& item : b["ul"]) {
        items.push_back(json{{"type", "listItem"},
                             {"content", json::array({AdfParagraph(item.get<std::string>())})}});
      }
      content.push_back(json{{"type", "bulletList"}, {"content", items}});
    } else if (b.contains("link")) {
      json text = AdfText("Open in vigil");
      text["marks"] = json::array({json{{"type", "link"}, {"attrs", {{"href", b["link"]}}}}});
      content.push_back(json{{"type", "paragraph"}, {"content", json::array({text})}});
    }
  }
  return json{{"type", "doc"}, {"version", 1}, {"content", content}};
}

json CommentBody(const std::string& text, int version) {
  if (version == 2) {
    return WikiEscape(text);
  }
  return json{{"type", "doc"}, {"version", 1}, {"content", json::array({AdfParagraph(text)})}};
}

class Client {
 public:
  Client(const JiraConfig& jira, const std::string& token) : jira_(jira), token_(token) {}

  Result<HttpResponse> Call(const std::string& method, const std::string& path,
                            const json& body = json()) const {
    HttpCall call{.method = method,
                  .url = jira_.url + "/rest/api/" + std::to_string(jira_.api_version) + "/" + path,
                  .headers = {"Accept: application/json", "Content-Type: application/json",
                              "User-Agent: vigil"},
                  .body = body.is_null() ? std::string() : body.dump(),
                  .timeout = std::chrono::seconds(30),
                  .ca_file = jira_.ca_file,
                  .user = jira_.user,
                  .password = token_,
                  .max_body = 4 << 20};
    return HttpSend(call);
  }
  int version() const { return jira_.api_version; }
  const JiraConfig& config() const { return jira_; }

 private:
  const JiraConfig& jira_;
  const std::string& token_;
};

json ParseBody(const HttpResponse& r) {
  json j = json::parse(r.body, nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

// The key of the issue labelled for `vuln`, if Jira has one.
Result<std::optional<std::string>> FindIssue(const Client& c, const std::string& vuln,
                                             Delivery& failure) {
  std::string jql =
      "project = \"" + c.config().project + "\" AND labels = \"" + IssueLabel(vuln) + "\"";
  // search/jql: Jira Cloud removed the older /search in 2025 (it answers 410).
  std::string path = "search/jql?jql=" + PercentEncode(jql) + "&fields=key&maxResults=1";
  auto r = c.Call("GET", path);
  if (!r.ok() || r->status != 200) {
    failure = DeliveryOf(r);
    return InvalidInput("search failed");
  }
  json body = ParseBody(*r);
  if (body.contains("issues") && body["issues"].is_array() && !body["issues"].empty()) {
    return std::optional(body["issues"][0].value("key", ""));
  }
  return std::optional<std::string>();
}

Delivery Create(const Client& c, const Claimed& claimed, const json& content) {
  std::string vuln = content.value("vulnerability", "");
  JiraLinkRecord link = claimed.link.value_or(JiraLinkRecord{.vuln_key = vuln});
  if (!link.issue_key.empty()) {
    return Delivery{.outcome = Delivery::Outcome::kSent, .result = link.issue_key};
  }
  // After a crash, or an attempt that got no answer, Jira may have made it: look first.
  if (claimed.in_doubt || claimed.notification.attempts > 1) {
    Delivery failure;
    auto found = FindIssue(c, vuln, failure);
    if (!found.ok()) {
      return failure;
    }
    if (*found) {
      link.issue_key = **found;
      return Delivery{.outcome = Delivery::Outcome::kSent, .result = link.issue_key, .link = link};
    }
  }
  const json& f = content["fields"];
  json fields{{"project", {{"key", c.config().project}}},
              {"issuetype", {{"name", c.config().issue_type}}},
              {"summary", f["summary"]},
              {"labels", f["labels"]},
              {"description", Description(f["description"], c.version())}};
  auto r = c.Call("POST", "issue", json{{"fields", fields}});
  Delivery d = DeliveryOf(r);
  if (d.outcome == Delivery::Outcome::kSent) {
    link.issue_key = ParseBody(*r).value("key", "");
    if (link.issue_key.empty()) {
      return Delivery{.outcome = Delivery::Outcome::kRetry, .error = "Jira created no key"};
    }
    d.result = link.issue_key;
    d.link = link;
  }
  return d;
}

Delivery Update(const Client& c, const std::string& issue, const json& content) {
  const json& f = content["fields"];
  // Labels are added and removed one by one, so that labels people gave the issue stay.
  json labels = json::array();
  for (const auto& l : content.value("remove_labels", json::array())) {
    labels.push_back({{"remove", l}});
  }
  for (const auto& l : f["labels"]) {
    labels.push_back({{"add", l}});
  }
  json body{
      {"fields",
       {{"summary", f["summary"]}, {"description", Description(f["description"], c.version())}}},
      {"update", {{"labels", labels}}}};
  Delivery d = DeliveryOf(c.Call("PUT", "issue/" + PercentEncode(issue), body));
  if (d.outcome == Delivery::Outcome::kSent) {
    d.result = issue + " updated";
  }
  return d;
}

Delivery Transition(const Client& c, const std::string& issue, const std::string& target) {
  auto r = c.Call("GET", "issue/" + PercentEncode(issue) + "/transitions");
  if (!r.ok() || r->status != 200) {
    return DeliveryOf(r);
  }
  json body = ParseBody(*r);
  std::string id;
  for (const auto& t : body.value("transitions", json::array())) {
    std::string name = t.value("name", "");
    std::string to = t.contains("to") ? t["to"].value("name", "") : "";
    if (AsciiLower(name) == AsciiLower(target) || AsciiLower(to) == AsciiLower(target)) {
      id = t.value("id", "");
      break;
    }
  }
  if (id.empty()) {
    auto issue_r = c.Call("GET", "issue/" + PercentEncode(issue) + "?fields=status");
    if (!issue_r.ok() || issue_r->status != 200) {
      Delivery d = DeliveryOf(issue_r);
      // Not knowing the status is no reason to give up: a 2xx that is not 200 is retried too.
      if (d.outcome == Delivery::Outcome::kSent) {
        d.outcome = Delivery::Outcome::kRetry;
        d.error = "unexpected answer to the status lookup";
      }
      return d;
    }
    {
      json fields = ParseBody(*issue_r).value("fields", json::object());
      std::string status = fields.contains("status") ? fields["status"].value("name", "") : "";
      if (AsciiLower(status) == AsciiLower(target)) {
        return Delivery{.outcome = Delivery::Outcome::kSent,
                        .result = issue + " already " + status};
      }
    }
    return Delivery{.outcome = Delivery::Outcome::kFailed,
                    .error = issue + " offers no transition named '" + target + "'"};
  }
  Delivery d = DeliveryOf(c.Call("POST", "issue/" + PercentEncode(issue) + "/transitions",
                                 json{{"transition", {{"id", id}}}}));
  if (d.outcome == Delivery::Outcome::kSent) {
    d.result = issue + " -> " + target;
  }
  return d;
}

Delivery Comment(const Client& c, const std::string& issue, const json& content, bool in_doubt) {
  std::string marker = content.value("marker", "");
  if (in_doubt && !marker.empty()) {
    auto r = c.Call("GET", "issue/" + PercentEncode(issue) + "/comment?maxResults=1000");
    if (!r.ok() || r->status != 200) {
      return DeliveryOf(r);
    }
    for (const auto& comment : ParseBody(*r).value("comments", json::array())) {
      if (comment.contains("body") && comment["body"].dump().find(marker) != std::string::npos) {
        return Delivery{.outcome = Delivery::Outcome::kSent, .result = issue + " commented"};
      }
    }
  }
  Delivery d =
      DeliveryOf(c.Call("POST", "issue/" + PercentEncode(issue) + "/comment",
                        json{{"body", CommentBody(content.value("comment", ""), c.version())}}));
  if (d.outcome == Delivery::Outcome::kSent) {
    d.result = issue + " commented";
  }
  return d;
}

}  // namespace

Delivery SendJira(const JiraConfig& jira, const std::string& token, const Claimed& claimed) {
  json content = json::parse(claimed.notification.content, nullptr, false);
  if (!content.is_object()) {
    return Delivery{.outcome = Delivery::Outcome::kFailed, .error = "damaged outbox content"};
  }
  Client c(jira, token);
  std::string op = content.value("op", "");
  if (op == "create") {
    return Create(c, claimed, content);
  }
  if (!claimed.link || claimed.link->issue_key.empty()) {
    return Delivery{.outcome = Delivery::Outcome::kWaiting,
                    .error = "waiting for the issue to be created"};
  }
  const std::string& issue = claimed.link->issue_key;
  if (op == "update") {
    return Update(c, issue, content);
  }
  if (op == "transition") {
    return Transition(c, issue, content.value("transition", ""));
  }
  if (op == "comment") {
    return Comment(c, issue, content, claimed.in_doubt || claimed.notification.attempts > 1);
  }
  return Delivery{.outcome = Delivery::Outcome::kFailed, .error = "unknown Jira change " + op};
}

}  // namespace vigil::notify
