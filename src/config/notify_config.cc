#include "config/notify_config.h"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <set>

namespace vigil::config {
namespace {

constexpr std::array<std::string_view, 8> kAlertConditions = {
    "new-vulnerability", "scanner-stale", "agent-silent", "asset-reappeared",
    "approval-waiting",  "clock-due",     "clock-missed", "coverage-gap"};

// A rule's name is part of idempotency keys and file names: letters, digits, '-', '_', '.'.
bool IsRuleName(const std::string& name) {
  // "jira" is the Jira tickets' own.
  return !name.empty() && name.size() <= 64 && name != "jira" &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' ||
                  c == '.';
         });
}

// An address as mail headers and SMTP's RCPT take it: local@domain, printable ASCII, no
// spaces, quotes, angle brackets or commas (nothing that could end a header or a command).
bool IsMailAddress(const std::string& a) {
  size_t at = a.find('@');
  if (a.size() > 254 || at == std::string::npos || at == 0 || at + 1 >= a.size() ||
      a.find('@', at + 1) != std::string::npos) {
    return false;
  }
  return std::all_of(a.begin(), a.end(), [](char c) {
    return c > ' ' && c < 127 && c != '<' && c != '>' && c != ',' && c != '"' && c != '(' &&
           c != ')' && c != ';' && c != ':' && c != '\\' && c != '[' && c != ']';
  });
}

bool StartsWith(const std::string& s, std::string_view prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// A URL without characters that could split an HTTP request or a header.
bool IsCleanUrl(const std::string& url) {
  return std::all_of(url.begin(), url.end(), [](char c) { return c > ' ' && c < 127; });
}

Status CheckHttpUrl(Fields& f, const std::string& key, const std::string& url) {
  if (!(StartsWith(url, "http://") || StartsWith(url, "https://")) || !IsCleanUrl(url) ||
      url.size() < 10) {
    return f.Error(*f.table().get(key),
                   f.What() + "." + key + " must be an http:// or https:// URL");
  }
  return Status::Ok();
}

Result<std::vector<std::string>> Recipients(Fields& f) {
  ASSIGN_OR_RETURN(auto to, f.Strings("to"));
  for (const auto& a : to) {
    if (!IsMailAddress(a)) {
      return f.Error(*f.table().get("to"),
                     f.What() + ".to: '" + a + "' is not a mail address (name@domain)");
    }
  }
  return to;
}

Result<std::optional<WebhookTarget>> Webhook(Fields& f) {
  ASSIGN_OR_RETURN(std::string url, f.String("webhook"));
  ASSIGN_OR_RETURN(std::string format, f.String("webhook_format"));
  if (url.empty()) {
    if (!format.empty()) {
      return f.Error(*f.table().get("webhook_format"),
                     f.What() + ".webhook_format needs a webhook");
    }
    return std::optional<WebhookTarget>();
  }
  RETURN_IF_ERROR(CheckHttpUrl(f, "webhook", url));
  WebhookTarget target{.url = url};
  if (format == "slack") {
    target.format = WebhookFormat::kSlack;
  } else if (format == "teams") {
    target.format = WebhookFormat::kTeams;
  } else if (!format.empty() && format != "json") {
    return f.Error(*f.table().get("webhook_format"),
                   f.What() + ".webhook_format must be \"json\", \"slack\" or \"teams\"");
  }
  return std::optional(target);
}

Status ReadFilter(Fields& f, const ClassScale& scale, NotifyFilter& filter) {
  ASSIGN_OR_RETURN(filter.min_class, f.String("min_class"));
  ASSIGN_OR_RETURN(filter.classes, f.Strings("classes"));
  ASSIGN_OR_RETURN(auto kev, f.Bool("kev"));
  filter.kev = kev.value_or(false);
  ASSIGN_OR_RETURN(filter.zones, f.Strings("zones"));
  ASSIGN_OR_RETURN(filter.scanners, f.Strings("scanners"));
  std::vector<std::string> named = filter.classes;
  if (!filter.min_class.empty()) {
    named.push_back(filter.min_class);
  }
  for (const auto& c : named) {
    if (!scale.Contains(c)) {
      std::string key = c == filter.min_class ? "min_class" : "classes";
      std::string names;
      for (const auto& level : scale.levels()) {
        names += (names.empty() ? "" : ", ") + level.name;
      }
      return f.Error(*f.table().get(key), f.What() + "." + key + ": '" + c +
                                              "' is not a class of the classification scale (" +
                                              names + ")");
    }
  }
  return Status::Ok();
}

Status ReadSmtp(Fields& notify, const std::string& path, NotifyConfig& out) {
  ASSIGN_OR_RETURN(const toml::table* t, notify.Table("smtp"));
  if (t == nullptr) {
    return Status::Ok();
  }
  Fields f(*t, "[notify.smtp]", path);
  SmtpConfig smtp;
  ASSIGN_OR_RETURN(smtp.url, f.String("url", true));
  ASSIGN_OR_RETURN(smtp.from, f.String("from", true));
  ASSIGN_OR_RETURN(smtp.username, f.String("username"));
  ASSIGN_OR_RETURN(smtp.password_file, f.String("password_file"));
  ASSIGN_OR_RETURN(std::string starttls, f.String("starttls"));
  ASSIGN_OR_RETURN(smtp.ca_file, f.String("ca_file"));
  ASSIGN_OR_RETURN(auto timeout, f.Duration("timeout"));
  RETURN_IF_ERROR(f.Done());
  if (!(StartsWith(smtp.url, "smtp://") || StartsWith(smtp.url, "smtps://")) ||
      !IsCleanUrl(smtp.url) || smtp.url.find('/', smtp.url.find("//") + 2) != std::string::npos) {
    return f.Error(*t->get("url"),
                   "[notify.smtp].url must be smtp://HOST[:PORT] or smtps://HOST[:PORT]");
  }
  if (!IsMailAddress(smtp.from)) {
    return f.Error(*t->get("from"), "[notify.smtp].from must be a mail address (name@domain)");
  }
  if (!starttls.empty()) {
    if (starttls != "required" && starttls != "opportunistic" && starttls != "off") {
      return f.Error(*t->get("starttls"),
                     "[notify.smtp].starttls must be \"required\", \"opportunistic\" or \"off\"");
    }
    smtp.starttls = starttls;
  } else if (!smtp.username.empty()) {
    // A password is never sent where a man in the middle could strip STARTTLS, unless the
    // file says so.
    smtp.starttls = "required";
  }
  if (smtp.username.empty() != smtp.password_file.empty()) {
    return f.Error(*t, "[notify.smtp] needs both username and password_file, or neither");
  }
  if (timeout) {
    if (timeout->count() < 1 || timeout->count() > 600) {
      return f.Error(*t->get("timeout"), "[notify.smtp].timeout must be 1s to 10m");
    }
    smtp.timeout = *timeout;
  }
  out.smtp = smtp;
  return Status::Ok();
}

Status ReadDigests(Fields& notify, const std::string& path, NotifyConfig& out,
                   std::set<std::string>& names) {
  ASSIGN_OR_RETURN(auto tables, TablesOf(notify, "digest"));
  for (const toml::table* t : tables) {
    Fields f(*t, "[[notify.digest]]", path);
    DigestRule rule;
    rule.line = static_cast<int>(t->source().begin.line);
    ASSIGN_OR_RETURN(rule.name, f.String("name", true));
    ASSIGN_OR_RETURN(std::string at, f.String("at", true));
    ASSIGN_OR_RETURN(std::string zone, f.String("time_zone"));
    ASSIGN_OR_RETURN(rule.to, Recipients(f));
    ASSIGN_OR_RETURN(rule.webhook, Webhook(f));
    RETURN_IF_ERROR(f.Done());
    if (!IsRuleName(rule.name) || !names.insert(rule.name).second) {
      return f.Error(*t->get("name"),
                     "[[notify.digest]].name must be a unique name of letters, "
                     "digits, '-', '_' or '.' (not \"jira\")");
    }
    int h = 0;
    int m = 0;
    if (at.size() != 5 || at[2] != ':' || !std::isdigit(static_cast<unsigned char>(at[0])) ||
        !std::isdigit(static_cast<unsigned char>(at[1])) ||
        !std::isdigit(static_cast<unsigned char>(at[3])) ||
        !std::isdigit(static_cast<unsigned char>(at[4])) ||
        (h = (at[0] - '0') * 10 + (at[1] - '0')) > 23 ||
        (m = (at[3] - '0') * 10 + (at[4] - '0')) > 59) {
      return f.Error(*t->get("at"),
                     "[[notify.digest]].at must be a time of day HH:MM, e.g. \"07:00\"");
    }
    rule.minute_of_day = h * 60 + m;
    if (!zone.empty()) {
      try {
        date::locate_zone(zone);
      } catch (const std::exception&) {
        return f.Error(*t->get("time_zone"),
                       "[[notify.digest]].time_zone: unknown time zone '" + zone +
                           "' (an IANA name such as \"Europe/Budapest\" or \"UTC\")");
      }
      rule.time_zone = zone;
    }
    if (rule.to.empty() && !rule.webhook) {
      return f.Error(*t, "[[notify.digest]] '" + rule.name + "' needs 'to' or 'webhook'");
    }
    out.digests.push_back(rule);
  }
  return Status::Ok();
}

Status ReadAlertConditions(Fields& f, const toml::table& t, AlertRule& rule) {
  ASSIGN_OR_RETURN(rule.on, f.Strings("on"));
  if (rule.on.empty()) {
    return f.Error(t, "[[notify.alert]] '" + rule.name + "' needs 'on': what it alerts on");
  }
  for (const auto& c : rule.on) {
    if (std::find(kAlertConditions.begin(), kAlertConditions.end(), c) == kAlertConditions.end()) {
      std::string known;
      for (auto k : kAlertConditions) {
        known += (known.empty() ? "" : ", ") + std::string(k);
      }
      return f.Error(*t.get("on"),
                     "[[notify.alert]].on: unknown condition '" + c + "' (one of " + known + ")");
    }
  }
  ASSIGN_OR_RETURN(auto after, f.Duration("approval_after"));
  ASSIGN_OR_RETURN(auto within, f.Duration("due_within"));
  ASSIGN_OR_RETURN(auto on_end, f.Bool("on_end"));
  rule.approval_after = after.value_or(rule.approval_after);
  rule.due_within = within.value_or(rule.due_within);
  rule.on_end = on_end.value_or(false);
  return Status::Ok();
}

Status ReadAlerts(Fields& notify, const std::string& path, const ClassScale& scale,
                  NotifyConfig& out, std::set<std::string>& names) {
  ASSIGN_OR_RETURN(auto tables, TablesOf(notify, "alert"));
  for (const toml::table* t : tables) {
    Fields f(*t, "[[notify.alert]]", path);
    AlertRule rule;
    rule.line = static_cast<int>(t->source().begin.line);
    ASSIGN_OR_RETURN(rule.name, f.String("name", true));
    if (!IsRuleName(rule.name) || !names.insert(rule.name).second) {
      return f.Error(*t->get("name"),
                     "[[notify.alert]].name must be a unique name of letters, "
                     "digits, '-', '_' or '.' (not \"jira\")");
    }
    RETURN_IF_ERROR(ReadAlertConditions(f, *t, rule));
    ASSIGN_OR_RETURN(rule.to, Recipients(f));
    ASSIGN_OR_RETURN(rule.webhook, Webhook(f));
    RETURN_IF_ERROR(ReadFilter(f, scale, rule.filter));
    RETURN_IF_ERROR(f.Done());
    if (rule.to.empty() && !rule.webhook) {
      return f.Error(*t, "[[notify.alert]] '" + rule.name + "' needs 'to' or 'webhook'");
    }
    out.alerts.push_back(rule);
  }
  return Status::Ok();
}

Status ReadJira(Fields& notify, const std::string& path, const ClassScale& scale,
                NotifyConfig& out) {
  ASSIGN_OR_RETURN(const toml::table* t, notify.Table("jira"));
  if (t == nullptr) {
    return Status::Ok();
  }
  Fields f(*t, "[notify.jira]", path);
  JiraConfig jira;
  ASSIGN_OR_RETURN(jira.url, f.String("url", true));
  ASSIGN_OR_RETURN(auto version, f.Integer("api_version"));
  ASSIGN_OR_RETURN(jira.user, f.String("user", true));
  ASSIGN_OR_RETURN(jira.token_file, f.String("token_file", true));
  ASSIGN_OR_RETURN(jira.project, f.String("project", true));
  ASSIGN_OR_RETURN(std::string type, f.String("issue_type"));
  ASSIGN_OR_RETURN(jira.labels, f.Strings("labels"));
  ASSIGN_OR_RETURN(std::string done, f.String("done_transition"));
  ASSIGN_OR_RETURN(std::string reopen, f.String("reopen_transition"));
  ASSIGN_OR_RETURN(jira.ca_file, f.String("ca_file"));
  RETURN_IF_ERROR(ReadFilter(f, scale, jira.filter));
  RETURN_IF_ERROR(f.Done());
  RETURN_IF_ERROR(CheckHttpUrl(f, "url", jira.url));
  while (!jira.url.empty() && jira.url.back() == '/') {
    jira.url.pop_back();
  }
  if (version) {
    if (*version != 2 && *version != 3) {
      return f.Error(*t->get("api_version"), "[notify.jira].api_version must be 2 or 3");
    }
    jira.api_version = static_cast<int>(*version);
  }
  for (const auto& label : jira.labels) {
    if (label.empty() || label.find_first_of(" \t\r\n") != std::string::npos) {
      return f.Error(*t->get("labels"), "[notify.jira].labels: Jira labels have no spaces");
    }
  }
  // A project key as Jira makes them (it goes into JQL): a capital letter, then capitals,
  // digits or '_'.
  bool key_ok = !jira.project.empty() && jira.project.size() <= 255 &&
                std::isupper(static_cast<unsigned char>(jira.project[0])) != 0 &&
                std::all_of(jira.project.begin(), jira.project.end(), [](char c) {
                  return std::isupper(static_cast<unsigned char>(c)) != 0 ||
                         std::isdigit(static_cast<unsigned char>(c)) != 0 || c == '_';
                });
  if (!key_ok) {
    return f.Error(*t->get("project"),
                   "[notify.jira].project must be a project key such as \"VUL\"");
  }
  if (!type.empty()) {
    jira.issue_type = type;
  }
  if (!done.empty()) {
    jira.done_transition = done;
  }
  if (!reopen.empty()) {
    jira.reopen_transition = reopen;
  }
  out.jira = jira;
  return Status::Ok();
}

}  // namespace

Status ReadNotify(Fields& top, const std::string& path, Config& config) {
  ASSIGN_OR_RETURN(const toml::table* t, top.Table("notify"));
  if (t == nullptr) {
    return Status::Ok();
  }
  Fields notify(*t, "[notify]", path);
  NotifyConfig& out = config.notify;
  ASSIGN_OR_RETURN(out.link_base, notify.String("link_base"));
  if (!out.link_base.empty()) {
    RETURN_IF_ERROR(CheckHttpUrl(notify, "link_base", out.link_base));
    while (out.link_base.back() == '/') {
      out.link_base.pop_back();
    }
  }
  RETURN_IF_ERROR(ReadSmtp(notify, path, out));
  ASSIGN_OR_RETURN(const toml::table* webhook, notify.Table("webhook"));
  if (webhook != nullptr) {
    Fields f(*webhook, "[notify.webhook]", path);
    ASSIGN_OR_RETURN(out.webhook_secret_file, f.String("secret_file", true));
    ASSIGN_OR_RETURN(auto timeout, f.Duration("timeout"));
    out.webhook_timeout = timeout.value_or(out.webhook_timeout);
    if (out.webhook_timeout.count() < 1 || out.webhook_timeout.count() > 600) {
      return f.Error(*webhook->get("timeout"), "[notify.webhook].timeout must be 1s to 10m");
    }
    RETURN_IF_ERROR(f.Done());
  }
  std::set<std::string> names;
  RETURN_IF_ERROR(ReadDigests(notify, path, out, names));
  RETURN_IF_ERROR(ReadAlerts(notify, path, config.classification.scale, out, names));
  RETURN_IF_ERROR(ReadJira(notify, path, config.classification.scale, out));
  RETURN_IF_ERROR(notify.Done());
  bool mails = !out.smtp && (std::any_of(out.digests.begin(), out.digests.end(),
                                         [](const DigestRule& r) { return !r.to.empty(); }) ||
                             std::any_of(out.alerts.begin(), out.alerts.end(),
                                         [](const AlertRule& r) { return !r.to.empty(); }));
  if (mails) {
    return InvalidInput(Where(path, t->source()) +
                        ": rules in [notify] send mail ('to'), which needs [notify.smtp]");
  }
  return Status::Ok();
}

}  // namespace vigil::config
