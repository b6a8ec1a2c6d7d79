#include "web/ui.h"

#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <filesystem>

#include "core/text.h"
#include "core/time.h"
#include "report/summary.h"
#include "web/forms.h"
#include "web/html.h"
#include "web/multipart.h"
#include "web/reports.h"
#include "web/routes.h"

namespace vigil::web {
namespace {

using Json = nlohmann::ordered_json;
using html::Escape;
using html::UrlEncode;

constexpr size_t kPageRows = 50;

// Who is signed in: their identity for the application layer, their role (for leaving out
// forms they cannot use), and the session's CSRF token.
struct Who {
  Identity identity;
  std::string role;
  std::string csrf;
  std::string session_id;
};

struct PageCall {
  const Request& r;
  const Who& who;
  Service service;
  ServerState& state;
  const ClassScale& scale;
  std::vector<std::string> params;
  std::map<std::string, std::string> form;   // the POSTed fields
  std::unique_lock<std::mutex>& store_lock;  // held; SignIn releases it while it hashes

  html::Frame Frame(const std::string& title, const std::string& current) const {
    return html::Frame{.title = title,
                       .user = who.identity.user,
                       .role = who.role,
                       .csrf = who.csrf,
                       .current = current};
  }
  std::string Field(const std::string& name) const {
    auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  }
  bool Can(std::initializer_list<const char*> roles) const {
    for (const char* role : roles) {
      if (who.role == role) {
        return true;
      }
    }
    return false;
  }
};

Response Html(int status, std::string body) {
  Response r{.status = status, .content_type = "text/html; charset=utf-8", .body = std::move(body)};
  r.headers.emplace_back("Content-Security-Policy", html::kContentSecurityPolicy);
  r.headers.emplace_back("X-Frame-Options", "DENY");
  // Not no-referrer: under it browsers send "Origin: null" with the UI's own forms.
  r.headers.emplace_back("Referrer-Policy", "same-origin");
  return r;
}

Response Redirect(const std::string& location) {
  Response r{.status = 303, .content_type = "text/plain; charset=utf-8", .body = ""};
  r.headers.emplace_back("Location", location);
  return r;
}

// A page with an error for a failed call: the status of the API's problem for it.
Response ErrorPage(const PageCall& c, const Status& status, const std::string& title) {
  int code = 500;
  switch (status.code()) {
    case ErrorCode::kInvalidInput:
    case ErrorCode::kUsage:
      code = 400;
      break;
    case ErrorCode::kNotFound:
      code = 404;
      break;
    case ErrorCode::kPermissionDenied:
      code = 403;
      break;
    case ErrorCode::kFailedPrecondition:
      code = 409;
      break;
    default:
      break;
  }
  return Html(code, html::Page(c.Frame(title, ""), html::Notice(status.Describe(), true)));
}

// A local path to return to after signing in; anything else (another site) is "/".
std::string SafeNext(const std::string& next) {
  if (next.empty() || next[0] != '/' || next.rfind("//", 0) == 0 ||
      next.find_first_of("\\\r\n") != std::string::npos) {
    return "/";
  }
  return next;
}

std::string Option(const std::string& value, const std::string& label, bool selected) {
  return "<option value=\"" + Escape(value) + "\"" + (selected ? " selected" : "") + ">" +
         Escape(label) + "</option>";
}

std::string Input(const std::string& label, const std::string& name, const std::string& type,
                  const std::string& value, bool required, const std::string& extra = "") {
  return "<label>" + Escape(label) + " <input type=\"" + type + "\" name=\"" + name +
         "\" value=\"" + Escape(value) + "\"" + (required ? " required" : "") + extra + "></label>";
}

// ---- Signing in ------------------------------------------------------------------------

std::string LoginForm(const std::string& user, const std::string& next) {
  return "<form class=\"stacked\" method=\"post\" action=\"/login\">" +
         Input("User name", "user", "text", user, true, " autocomplete=\"username\"") +
         Input("Password", "password", "password", "", true, " autocomplete=\"current-password\"") +
         "<input type=\"hidden\" name=\"next\" value=\"" + Escape(SafeNext(next)) +
         "\"><button type=\"submit\">Sign in</button></form>"
         "<p>New here, or a password to reset? <a href=\"/enrol\">Set your password with "
         "your enrolment code</a>.</p>";
}

Response ShowLogin(PageCall& c) {
  return Html(200, html::Page({.title = "Sign in"}, LoginForm("", c.r.Param("next"))));
}

Response DoLogin(PageCall& c) {
  std::string user = c.Field("user");
  std::string next = c.Field("next");
  auto page = [&](int status, const std::string& notice) {
    return Html(status, html::Page({.title = "Sign in"},
                                   html::Notice(notice, true) + LoginForm(user, next)));
  };
  auto in = SignIn(c.state, c.service, c.r, user, c.Field("password"), c.store_lock);
  switch (in.kind) {
    case SignInOutcome::Kind::kBusy: {
      Response r = page(503, "The server is busy checking other sign-ins: try again in a second.");
      r.headers.emplace_back("Retry-After", "1");
      return r;
    }
    case SignInOutcome::Kind::kThrottled: {
      Response r = page(429, "Too many failed sign-ins: try again in " +
                                 std::to_string(in.retry_after.count()) + " seconds.");
      r.headers.emplace_back("Retry-After", std::to_string(in.retry_after.count()));
      return r;
    }
    case SignInOutcome::Kind::kRefused:
      return page(401, "The user name or the password is wrong.");
    case SignInOutcome::Kind::kNoSession:
      return page(503, "No session could be opened; try again.");
    case SignInOutcome::Kind::kOpened:
      break;
  }
  Response r = Redirect(SafeNext(next));
  r.headers.emplace_back("Set-Cookie", SessionCookie(in.session.id, SessionStore::kLifetime,
                                                     c.state.options.secure_cookies));
  return r;
}

std::string EnrolForm(const std::string& user) {
  return "<p>Your admin gave you a one-time enrolment code (it works for 72 hours). Choose a "
         "password of at least 12 characters that you use nowhere else; a few words make a "
         "good one.</p><form class=\"stacked\" method=\"post\" action=\"/enrol\">" +
         Input("User name", "user", "text", user, true, " autocomplete=\"username\"") +
         Input("Enrolment code", "code", "text", "", true, " autocomplete=\"one-time-code\"") +
         Input("New password", "password", "password", "", true,
               " autocomplete=\"new-password\" minlength=\"12\"") +
         Input("The new password again", "password2", "password", "", true,
               " autocomplete=\"new-password\" minlength=\"12\"") +
         "<button type=\"submit\">Set my password</button></form>";
}

Response ShowEnrol(PageCall& /*c*/) {
  return Html(200, html::Page({.title = "Set your password"}, EnrolForm("")));
}

Response DoEnrol(PageCall& c) {
  std::string user = c.Field("user");
  auto now = std::chrono::steady_clock::now();
  std::string client = ClientAddress(c.r, c.state.options);
  if (auto wait = c.state.address_failures.RetryAfter(client, now); wait.count() > 0) {
    return Html(429, html::Page({.title = "Set your password"},
                                html::Notice("Too many failed attempts from this address: try "
                                             "again in " +
                                                 std::to_string(wait.count()) + " seconds.",
                                             true)));
  }
  if (c.Field("password") != c.Field("password2")) {
    return Html(400, html::Page({.title = "Set your password"},
                                html::Notice("The two passwords differ.", true) + EnrolForm(user)));
  }
  auto enrolled = EnrolUnlocked(c.state, c.service, user, c.Field("code"), c.Field("password"),
                                client, c.store_lock);
  if (!enrolled) {
    Response r = Html(503, html::Page({.title = "Set your password"},
                                      html::Notice("The server is busy checking other "
                                                   "credentials: try again in a second.",
                                                   true) +
                                          EnrolForm(user)));
    r.headers.emplace_back("Retry-After", "1");
    return r;
  }
  const Status& s = *enrolled;
  if (!s.ok()) {
    if (s.code() == ErrorCode::kPermissionDenied) {
      c.state.address_failures.Fail(client, now);
    }
    return Html(s.code() == ErrorCode::kPermissionDenied ? 403 : 400,
                html::Page({.title = "Set your password"},
                           html::Notice(s.Describe(), true) + EnrolForm(user)));
  }
  return Html(200, html::Page({.title = "Set your password"},
                              html::Notice("Your password is set. Sign in with it now.", false) +
                                  LoginForm(user, "/")));
}

Response DoLogout(PageCall& c) {
  c.state.sessions.Close(c.who.session_id);
  Response r = Redirect("/login");
  r.headers.emplace_back(
      "Set-Cookie", SessionCookie("", std::chrono::seconds(0), c.state.options.secure_cookies));
  return r;
}

// Browsers ask for it on their own; there is none.
Response NoIcon(PageCall& /*c*/) {
  return Response{.status = 204, .content_type = "image/x-icon", .body = ""};
}

Response Stylesheet(PageCall& /*c*/) {
  return Response{.content_type = "text/css; charset=utf-8", .body = html::kStylesheet};
}

// ---- The dashboard ---------------------------------------------------------------------

// A horizontal bar chart of labelled counts, as inline SVG (no script, no style attribute).
std::string BarChart(const std::string& id, const std::string& title,
                     const std::vector<std::pair<std::string, int64_t>>& bars) {
  int64_t top = 1;
  for (const auto& [label, n] : bars) {
    top = std::max(top, n);
  }
  const int row = 26;
  const int height = static_cast<int>(bars.size()) * row + 10;
  std::string out = "<svg role=\"img\" aria-labelledby=\"" + id + "\" width=\"520\" height=\"" +
                    std::to_string(height) + "\" viewBox=\"0 0 520 " + std::to_string(height) +
                    "\"><title id=\"" + id + "\">" + Escape(title) + "</title>";
  int y = 5;
  for (const auto& [label, n] : bars) {
    int width = static_cast<int>(300.0 * static_cast<double>(n) / static_cast<double>(top));
    out += "<text x=\"0\" y=\"" + std::to_string(y + 16) + "\">" + Escape(label) + "</text>";
    out += "<rect x=\"130\" y=\"" + std::to_string(y + 3) + "\" width=\"" +
           std::to_string(std::max(width, n > 0 ? 2 : 0)) +
           "\" height=\"18\" fill=\"#0b57d0\"></rect>";
    out += "<text x=\"" + std::to_string(136 + width) + "\" y=\"" + std::to_string(y + 16) + "\">" +
           std::to_string(n) + "</text>";
    y += row;
  }
  return out + "</svg>";
}

std::string Card(const std::string& label, int64_t n, const std::string& href, const char* tone) {
  std::string number =
      "<span class=\"n " + std::string(n > 0 ? tone : "") + "\">" + std::to_string(n) + "</span>";
  return "<li class=\"card\">" + number +
         (href.empty() ? Escape(label)
                       : "<a href=\"" + Escape(href) + "\">" + Escape(label) + "</a>") +
         "</li>";
}

std::string Days(std::chrono::seconds s) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", static_cast<double>(s.count()) / 86400.0);
  return text;
}

// The 90-day chart of open vulnerabilities by class and the time-to-remediate chart, each with
// its data as a table (the weekly samples of the first).
std::string TrendsHtml(const Trends& t) {
  std::string out =
      "<h2>Open vulnerabilities by class, last 90 days</h2><figure>" +
      report::OpenByClassSvg(t.open, "Open vulnerabilities by class, last 90 days", 220) +
      "</figure>";
  view::Table weekly;
  weekly.columns = {{"at", "Day"}};
  for (const auto& cls : t.open.classes) {
    weekly.columns.push_back({cls, cls});
  }
  for (size_t i = 0; i < t.open.times.size(); ++i) {
    size_t from_end = t.open.times.size() - 1 - i;
    if (from_end % 7 != 0) {
      continue;
    }
    std::vector<view::Cell> row{view::Cell(FormatIso8601(t.open.times[i]).substr(0, 10))};
    for (const auto& counts : t.open.counts) {
      row.emplace_back(counts[i]);
    }
    weekly.rows.push_back(std::move(row));
  }
  out += "<details><summary>The chart's data, weekly</summary>" +
         html::Table(weekly, {.caption = "Open vulnerabilities by class, weekly"}) + "</details>";
  int64_t fixed = 0;
  std::vector<std::pair<std::string, int64_t>> bars;
  for (const auto& b : t.remediation.buckets) {
    bars.emplace_back(b.label, b.fixed);
    fixed += b.fixed;
  }
  out += "<h2>Time to remediate, last 90 days</h2><p>" + std::to_string(fixed) +
         " findings fixed, by how long they were open from first seen to fixed.</p>" +
         BarChart("remediation-chart-title", "Findings fixed in the last 90 days by time to fix",
                  bars);
  view::Table by_class;
  by_class.columns = {{"class", "Class"},
                      {"fixed", "Findings fixed"},
                      {"median", "Median days"},
                      {"p90", "90th percentile days"}};
  for (const auto& k : t.remediation.by_class) {
    by_class.rows.push_back({k.class_name, k.fixed, Days(k.median), Days(k.p90)});
  }
  return out + html::Table(by_class, {.caption = "Time to remediate by class (its class now)"});
}

Response Dashboard(PageCall& c) {
  auto cached = CachedRead<Overview>(c.state.cache, c.service, c.who.identity, "overview",
                                     [&] { return c.service.Summarize(c.who.identity); });
  if (!cached.ok()) {
    return ErrorPage(c, cached.status(), "Dashboard");
  }
  const Overview* o = cached->get();
  int64_t open = o->unclassified;
  for (const auto& [cls, n] : o->open_by_class) {
    open += n;
  }
  int64_t overdue = 0;
  int64_t due_soon = 0;
  for (const auto& r : o->clocks) {
    overdue += r.overdue;
    due_soon += r.due_soon;
  }
  int64_t stale = 0;
  int64_t silent = 0;
  for (const auto& s : o->scanners) {
    stale += s.stale ? 1 : 0;
    silent += s.silent_agents;
  }
  std::string body = "<p>As of " + Escape(FormatIso8601(o->now)) + ".</p><ul class=\"cards\">";
  body += Card("open vulnerabilities", open, "/vulnerabilities", "");
  body += Card("clocks overdue", overdue, "", "bad");
  body += Card("clocks due soon", due_soon, "", "warn");
  body += Card("unclassified", o->unclassified, "/vulnerabilities?class=unclassified", "warn");
  body += Card("decisions awaiting approval", o->pending_decisions, "/approvals", "warn");
  body += Card("stale scanners", stale, "/scanners", "bad");
  body += Card("silent agents", silent, "/scanners", "bad");
  if (o->coverage_missed) {
    body += Card("assets scanned too rarely", *o->coverage_missed, "", "bad");
  }
  body += "</ul><h2>Open vulnerabilities by class</h2>";
  std::vector<std::pair<std::string, int64_t>> bars = o->open_by_class;
  bars.emplace_back("unclassified", o->unclassified);
  body += BarChart("class-chart-title", "Open vulnerabilities by class", bars);
  view::Table by_class;
  by_class.columns = {{"class", "Class"}, {"open", "Open vulnerabilities"}};
  for (const auto& [cls, n] : bars) {
    by_class.rows.push_back({cls, n});
  }
  body += html::Table(by_class, {.caption = "Open vulnerabilities by class (the chart's data)",
                                 .link_column = "class",
                                 .link_prefix = "/vulnerabilities?class="});
  view::Table clocks;
  clocks.columns = {
      {"rule", "Rule"}, {"overdue", "Overdue"}, {"due_soon", "Due soon"}, {"open", "Running"}};
  for (const auto& r : o->clocks) {
    clocks.rows.push_back({r.rule, r.overdue, r.due_soon, r.open});
  }
  body += "<h2>Compliance clocks</h2>" + html::Table(clocks, {.caption = "Clocks by rule"});
  view::Table scanners;
  scanners.columns = {{"name", "Scanner"},
                      {"last_scan", "Last scan"},
                      {"due_by", "Due by"},
                      {"stale", "Stale"},
                      {"silent", "Silent agents"}};
  for (const auto& s : o->scanners) {
    scanners.rows.push_back(
        {s.name, view::TimeCell(s.last_scan), view::TimeCell(s.due_by), s.stale, s.silent_agents});
  }
  body += "<h2>Scanners</h2>" + html::Table(scanners, {.caption = "Scanner health"});
  auto trends =
      LaggingRead<Trends>(c.state.cache, c.service, c.who.identity, "trends|90", kTrendsLag,
                          [&] { return c.service.SummarizeTrends(c.who.identity, 90); });
  if (!trends.ok()) {
    return ErrorPage(c, trends.status(), "Dashboard");
  }
  body += TrendsHtml(**trends);
  return Html(200, html::Page(c.Frame("Dashboard", "/"), body));
}

// ---- Vulnerabilities -------------------------------------------------------------------

// The orders the vulnerabilities page offers (VulnFilter::sort).
constexpr std::pair<const char*, const char*> kSortOrders[] = {
    {"", "most severe first"},
    {"-first_seen", "newest first"},
    {"first_seen", "oldest first"},
    {"-last_seen", "last seen latest first"},
    {"-affected_assets", "most assets first"},
    {"-epss", "highest EPSS first"},
    {"kev_due", "KEV due soonest first"},
    {"key", "by key"}};

VulnFilter FilterOf(const Request& r) {
  return VulnFilter{.class_name = r.Param("class"),
                    .cve = r.Param("cve"),
                    .scanner = r.Param("scanner"),
                    .kev = r.Param("kev") == "1",
                    .all = r.Param("all") == "1",
                    .zone = r.Param("zone"),
                    .overdue = r.Param("overdue") == "1",
                    .sort = r.Param("sort")};
}

std::string QueryOf(const VulnFilter& f) {
  std::string q;
  auto add = [&](const char* name, const std::string& value) {
    if (!value.empty()) {
      q += (q.empty() ? "?" : "&") + std::string(name) + "=" + UrlEncode(value);
    }
  };
  add("class", f.class_name);
  add("cve", f.cve);
  add("scanner", f.scanner);
  add("kev", f.kev ? "1" : "");
  add("all", f.all ? "1" : "");
  add("zone", f.zone);
  add("overdue", f.overdue ? "1" : "");
  add("sort", f.sort);
  return q;
}

Result<std::shared_ptr<const view::Table>> CachedVulnerabilities(PageCall& c,
                                                                 const VulnFilter& filter) {
  return CachedRead<view::Table>(c.state.cache, c.service, c.who.identity, CacheKey(filter),
                                 [&] { return c.service.Vulnerabilities(c.who.identity, filter); });
}

Response Vulnerabilities(PageCall& c) {
  VulnFilter filter = FilterOf(c.r);
  auto cached = CachedVulnerabilities(c, filter);
  if (!cached.ok()) {
    return ErrorPage(c, cached.status(), "Vulnerabilities");
  }
  const view::Table* table = cached->get();
  size_t page = 0;
  if (std::string p = c.r.Param("page"); !p.empty()) {
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), page);
    if (ec != std::errc() || end != p.data() + p.size()) {
      page = 0;
    }
  }
  size_t pages = std::max<size_t>(1, (table->rows.size() + kPageRows - 1) / kPageRows);
  page = std::min(page, pages - 1);
  std::string form =
      "<form class=\"inline\" method=\"get\" action=\"/vulnerabilities\"><label>Class "
      "<select name=\"class\">" +
      Option("", "any", filter.class_name.empty());
  for (const auto& level : c.scale.levels()) {
    form += Option(level.name, level.name, filter.class_name == level.name);
  }
  form += Option("unclassified", "unclassified", filter.class_name == "unclassified") +
          "</select></label>" + Input("CVE", "cve", "text", filter.cve, false) +
          Input("Scanner", "scanner", "text", filter.scanner, false) +
          Input("Zone", "zone", "text", filter.zone, false) +
          "<label>Only KEV <input type=\"checkbox\" name=\"kev\" value=\"1\"" +
          (filter.kev ? " checked" : "") +
          "></label><label>Only overdue <input type=\"checkbox\" name=\"overdue\" value=\"1\"" +
          (filter.overdue ? " checked" : "") +
          "></label><label>Also closed <input type=\"checkbox\" name=\"all\" value=\"1\"" +
          (filter.all ? " checked" : "") + "></label><label>Sort <select name=\"sort\">";
  for (const auto& [value, label] : kSortOrders) {
    form += Option(value, label, filter.sort == value);
  }
  form += "</select></label><button type=\"submit\">Filter</button></form>";
  std::string query = QueryOf(filter);
  std::string body = form + "<p>" + std::to_string(table->rows.size()) +
                     " vulnerabilities. <a href=\"/vulnerabilities.csv" + Escape(query) +
                     "\">Download as CSV</a></p>";
  body += html::Table(
      *table, {.caption = "Vulnerabilities",
               .link_column = "key",
               .link_prefix = "/vulnerabilities/",
               .columns = {"key", "class", "class_source", "open_findings", "affected_assets",
                           "cves", "kev_due", "epss", "last_seen", "title"},
               .first_row = page * kPageRows,
               .max_rows = kPageRows});
  std::string sep = query.empty() ? "?" : "&";
  body += "<nav class=\"pager\" aria-label=\"Pages\">";
  if (page > 0) {
    body += "<a href=\"/vulnerabilities" +
            Escape(query + sep + "page=" + std::to_string(page - 1)) + "\">Previous page</a>";
  }
  body += "<span>Page " + std::to_string(page + 1) + " of " + std::to_string(pages) + "</span>";
  if (page + 1 < pages) {
    body += "<a href=\"/vulnerabilities" +
            Escape(query + sep + "page=" + std::to_string(page + 1)) + "\">Next page</a>";
  }
  body += "</nav>";
  return Html(200, html::Page(c.Frame("Vulnerabilities", "/vulnerabilities"), body));
}

Response VulnerabilitiesCsv(PageCall& c) {
  auto cached = CachedVulnerabilities(c, FilterOf(c.r));
  if (!cached.ok()) {
    return ErrorPage(c, cached.status(), "Vulnerabilities");
  }
  const view::Table* table = cached->get();
  std::string out;
  for (size_t i = 0; i < table->columns.size(); ++i) {
    out += (i > 0 ? "," : "") + CsvField(table->columns[i].key);
  }
  out += "\r\n";
  for (const auto& row : table->rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      bool number =
          std::holds_alternative<int64_t>(row[i]) || std::holds_alternative<double>(row[i]);
      std::string text =
          std::holds_alternative<std::nullptr_t>(row[i]) ? "" : html::CellText(row[i]);
      out += (i > 0 ? "," : "") + CsvField(text, number ? CsvCell::kNumber : CsvCell::kText);
    }
    out += "\r\n";
  }
  Response r{.content_type = "text/csv; charset=utf-8", .body = std::move(out)};
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"vulnerabilities.csv\"");
  return r;
}

std::string DecideForm(const PageCall& c, const std::string& key) {
  std::string classes;
  for (const auto& level : c.scale.levels()) {
    classes += Option(level.name, level.name, false);
  }
  return "<h2 id=\"decide\">Record a decision</h2><p>It takes effect once a second person "
         "approves it (four eyes). State the factual basis an auditor can check.</p>"
         "<form class=\"stacked\" method=\"post\" action=\"/vulnerabilities/" +
         Escape(UrlEncode(key)) + "/decisions\">" + html::CsrfField(c.who.csrf) +
         "<label>Type <select name=\"type\" required>" +
         Option("recast", "recast (another class)", true) +
         Option("false-positive", "false positive", false) +
         Option("accept-risk", "accept the risk (until an expiry)", false) +
         Option("mitigation-plan", "mitigation plan (with a target date)", false) +
         Option("classify", "classify", false) +
         "</select></label><label>Reason <select name=\"reason\" required>" +
         Option("compensating-controls", "compensating controls", true) +
         Option("disagree-with-nvd", "disagree with NVD", false) +
         Option("false-positive", "false positive", false) +
         Option("absence-of-threat", "absence of threat", false) +
         Option("patch-harm", "the patch would do harm", false) + Option("other", "other", false) +
         "</select></label><label>New class (recast, classify) <select name=\"severity\">" +
         Option("", "–", true) + classes + "</select></label>" +
         "<label>Factual basis <textarea name=\"basis\" rows=\"4\" required></textarea></label>" +
         Input("Expires (accept-risk; ISO 8601)", "expires", "text", "", false) +
         Input("Target date (mitigation plan; ISO 8601)", "target", "text", "", false) +
         Input("Only these assets (comma-separated; empty: all)", "assets", "text", "", false) +
         "<button type=\"submit\">Propose the decision</button></form>";
}

// The forms an approver sees under a pending decision; nothing for the others.
std::string SecondEyesForms(const PageCall& c, const std::string& id, const std::string& author,
                            const std::string& back) {
  if (c.who.role != "approver" || author == c.who.identity.user) {
    return {};
  }
  std::string hidden = html::CsrfField(c.who.csrf) +
                       "<input type=\"hidden\" name=\"back\" value=\"" + Escape(back) + "\">";
  return "<form class=\"inline\" method=\"post\" action=\"/decisions/" + Escape(id) +
         "/approve\">" + hidden + Input("Approval note", "note", "text", "", false) +
         "<button type=\"submit\">Approve #" + Escape(id) +
         "</button></form><form class=\"inline\" method=\"post\" action=\"/decisions/" +
         Escape(id) + "/reject\">" + hidden +
         Input("Why it is rejected", "basis", "text", "", true) +
         "<button type=\"submit\">Reject #" + Escape(id) + "</button></form>";
}

std::string Cell(const view::Table& t, size_t row, const std::string& key) {
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (t.columns[i].key == key) {
      return html::CellText(t.rows[row][i]);
    }
  }
  return {};
}

// The decisions of a listing, each with the approver's forms when it is pending.
std::string DecisionsWithForms(const PageCall& c, const view::Table& decisions,
                               const std::string& back, bool forms) {
  std::string out = html::Table(
      decisions, {.caption = "Decisions",
                  .columns = {"id", "vulnerability", "type", "reason", "state", "new_class",
                              "assets", "author", "created_at", "decided_by", "basis"}});
  if (!forms) {
    return out;
  }
  for (size_t i = 0; i < decisions.rows.size(); ++i) {
    if (Cell(decisions, i, "state") != "pending") {
      continue;
    }
    std::string f =
        SecondEyesForms(c, Cell(decisions, i, "id"), Cell(decisions, i, "author"), back);
    if (!f.empty()) {
      out += "<h3>Decision #" + Escape(Cell(decisions, i, "id")) + " on " +
             Escape(Cell(decisions, i, "vulnerability")) + "</h3>" + f;
    }
  }
  return out;
}

Response VulnerabilityPage(PageCall& c, bool dossier, const std::string& notice = "") {
  const std::string& key = c.params[0];
  auto detail = CachedRead<Json>(
      c.state.cache, c.service, c.who.identity, "vuln|" + key, [&]() -> Result<Json> {
        ASSIGN_OR_RETURN(auto d, c.service.Vulnerability(c.who.identity, key));
        return ToJson(d);
      });
  if (!detail.ok()) {
    return ErrorPage(c, detail.status(), key);
  }
  auto decisions = c.service.Decisions(c.who.identity, {.state = "all", .vuln = key});
  if (!decisions.ok()) {
    return ErrorPage(c, decisions.status(), key);
  }
  const Json& j = **detail;
  std::string body = notice;
  body += "<dl class=\"facts\">";
  for (const char* field :
       {"key", "title", "class", "class_source", "derived_class", "derived_source", "rating_score",
        "cvss3_score", "cvss3_vector", "cvss2_score", "scanner_severity", "patch_published", "cves",
        "open_findings", "jira_issue"}) {
    const Json& v = j[field];
    std::string text;
    if (v.is_null()) {
      text = "–";
    } else if (v.is_string()) {
      text = v.get<std::string>();
    } else if (v.is_array()) {
      for (const auto& e : v) {
        text += (text.empty() ? "" : ", ") + e.get<std::string>();
      }
    } else {
      text = v.dump();
    }
    body += "<dt>" + Escape(field) + "</dt><dd>" + Escape(text.empty() ? "–" : text) + "</dd>";
  }
  body += "</dl>";
  if (!dossier) {
    body += "<p class=\"noprint\"><a href=\"/vulnerabilities/" + Escape(UrlEncode(key)) +
            "/dossier\">Printable dossier</a></p>";
  } else {
    body += "<p>Dossier of " + Escape(key) + " as of " + Escape(FormatIso8601(c.service.Now())) +
            ", for " + Escape(c.who.identity.user) + ".</p>";
  }
  body += "<h2 id=\"decisions\">Decisions</h2>" +
          DecisionsWithForms(c, *decisions, "/vulnerabilities/" + UrlEncode(key), !dossier);
  if (!dossier && c.Can({"admin", "approver", "analyst"})) {
    body += DecideForm(c, key);
  }
  body += "<h2>Affected assets</h2>" + html::JsonTable(j["detections"], "Findings on assets");
  body += "<h2>Clocks</h2>" + html::JsonTable(j["clocks"], "Compliance clocks");
  body += "<h2>Ratings</h2>" + html::JsonTable(j["ratings"], "Every rating, by source");
  body += html::JsonTable(j["cve_facts"], "CVE facts: NVD, EPSS, KEV");
  body += "<h2>Timeline</h2>" + html::JsonTable(j["timeline"], "What happened, in order");
  std::string title = (dossier ? "Dossier: " : "") + key;
  return Html(notice.empty() ? 200 : 400, html::Page(c.Frame(title, "/vulnerabilities"), body));
}

Response ShowVulnerability(PageCall& c) {
  return VulnerabilityPage(c, false);
}

Response ShowDossier(PageCall& c) {
  return VulnerabilityPage(c, true);
}

Response Decide(PageCall& c) {
  DecideInput in{.key = c.params[0],
                 .type = c.Field("type"),
                 .reason = c.Field("reason"),
                 .basis = c.Field("basis"),
                 .severity = c.Field("severity")};
  if (!c.Field("expires").empty()) {
    in.expires = c.Field("expires");
  }
  if (!c.Field("target").empty()) {
    in.target = c.Field("target");
  }
  in.assets = SplitNonEmpty(c.Field("assets"), ",");
  auto d = c.service.Decide(c.who.identity, in);
  if (!d.ok()) {
    if (d.status().code() == ErrorCode::kPermissionDenied ||
        d.status().code() == ErrorCode::kNotFound) {
      return ErrorPage(c, d.status(), "Record a decision");
    }
    return VulnerabilityPage(c, false, html::Notice(d.status().Describe(), true));
  }
  return Redirect("/vulnerabilities/" + UrlEncode(c.params[0]) + "#decisions");
}

Response SecondEyes(PageCall& c, bool approve) {
  int64_t id = 0;
  const std::string& text = c.params[0];
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return ErrorPage(c, NotFound("no decision '" + text + "'"), "Decision");
  }
  auto d = approve ? c.service.Approve(c.who.identity, id, c.Field("note"))
                   : c.service.Reject(c.who.identity, id, c.Field("basis"));
  if (!d.ok()) {
    return ErrorPage(c, d.status(), approve ? "Approve" : "Reject");
  }
  std::string back = c.Field("back");
  return Redirect(
      back == "/approvals" ? back : "/vulnerabilities/" + UrlEncode(d->vuln_key) + "#decisions");
}

Response Approve(PageCall& c) {
  return SecondEyes(c, true);
}

Response Reject(PageCall& c) {
  return SecondEyes(c, false);
}

Response Approvals(PageCall& c) {
  auto pending = c.service.Decisions(c.who.identity, {.state = "pending"});
  if (!pending.ok()) {
    return ErrorPage(c, pending.status(), "Approvals");
  }
  std::string body =
      "<p>Decisions awaiting a second person. An approver approves or rejects "
      "what someone else proposed.</p>" +
      DecisionsWithForms(c, *pending, "/approvals", true);
  return Html(200, html::Page(c.Frame("Approvals", "/approvals"), body));
}

// ---- Assets, scanners, reviews, users, audit -------------------------------------------

Response Assets(PageCall& c) {
  auto assets = c.service.Assets(c.who.identity, {.state = "all"});
  if (!assets.ok()) {
    return ErrorPage(c, assets.status(), "Assets");
  }
  std::string body = html::Table(
      *assets, {.caption = "Assets",
                .columns = {"name", "ip", "fqdn", "zone", "owner", "state", "last_seen",
                            "open_findings", "stale", "decommissioned_at", "decommission_reason"}});
  if (c.Can({"admin", "approver", "analyst"})) {
    body +=
        "<h2>Decommission an asset</h2><p>Its open findings become inactive; the reason is "
        "kept in the audit log.</p><form class=\"inline\" method=\"post\" "
        "action=\"/assets/decommission\">" +
        html::CsrfField(c.who.csrf) + Input("Asset (name, FQDN or IP)", "asset", "text", "", true) +
        Input("Reason", "reason", "text", "", true) +
        "<button type=\"submit\">Decommission</button></form>";
  }
  return Html(200, html::Page(c.Frame("Assets", "/assets"), body));
}

Response DecommissionAsset(PageCall& c) {
  auto out = c.service.Decommission(c.who.identity, c.Field("asset"), c.Field("reason"));
  if (!out.ok()) {
    return ErrorPage(c, out.status(), "Decommission");
  }
  return Redirect("/assets");
}

Response TablePage(PageCall& c, const Result<view::Table>& table, const std::string& title,
                   const std::string& path, const std::string& intro = "") {
  if (!table.ok()) {
    return ErrorPage(c, table.status(), title);
  }
  return Html(200,
              html::Page(c.Frame(title, path), intro + html::Table(*table, {.caption = title})));
}

Response Scanners(PageCall& c) {
  return TablePage(c, c.service.Scanners(c.who.identity, "30d"), "Scanners", "/scanners",
                   "<p>Each scanner's last scan, when the next is due, and the agents and "
                   "expected assets it has gone quiet on.</p>");
}

Response Reviews(PageCall& c) {
  return TablePage(c, c.service.Reviews(c.who.identity), "Reviews", "/reviews");
}

Response Users(PageCall& c) {
  auto users = c.service.Users(c.who.identity);
  if (!users.ok()) {
    return ErrorPage(c, users.status(), "Users");
  }
  auto tokens = c.service.ApiTokens(c.who.identity);
  std::string body = html::Table(*users, {.caption = "Users and their roles"});
  if (tokens.ok()) {
    body += "<h2>Pipeline tokens</h2>" + html::Table(*tokens, {.caption = "Pipeline tokens"});
  }
  return Html(200, html::Page(c.Frame("Users", "/users"), body));
}

Response Audit(PageCall& c) {
  auto report = c.service.VerifyLog(c.who.identity, {});
  if (!report.ok()) {
    return ErrorPage(c, report.status(), "Audit");
  }
  std::string body =
      report->ok() ? html::Notice(
                         "The log verifies: every event is signed and chained, and the tables "
                         "match it.",
                         false)
                   : html::Notice("The log does NOT verify: see the problems below.", true);
  body += "<dl class=\"facts\"><dt>events</dt><dd>" + std::to_string(report->events) +
          "</dd><dt>checkpoints verified</dt><dd>" + std::to_string(report->checkpoints) +
          "</dd><dt>time-stamped</dt><dd>" + std::to_string(report->timestamped) +
          "</dd><dt>tables checked</dt><dd>" + std::to_string(report->tables_checked) +
          "</dd><dt>root</dt><dd>" + Escape(report->root) + "</dd></dl>";
  view::Table problems;
  problems.columns = {{"problem", "Problem"}};
  for (const auto& p : report->problems) {
    problems.rows.push_back({p});
  }
  body += html::Table(problems, {.caption = "Problems"});
  if (c.Can({"admin", "approver", "analyst"})) {
    body += "<form method=\"post\" action=\"/audit/checkpoint\">" + html::CsrfField(c.who.csrf) +
            "<button type=\"submit\">Sign a checkpoint now</button></form>";
  }
  return Html(200, html::Page(c.Frame("Audit", "/audit"), body));
}

Response SignCheckpoint(PageCall& c) {
  auto cp = c.service.Checkpoint(c.who.identity);
  if (!cp.ok()) {
    return ErrorPage(c, cp.status(), "Audit");
  }
  return Redirect("/audit");
}

// ---- Evidence packs --------------------------------------------------------------------

Response Reports(PageCall& c) {
  Status allowed = c.service.CanRead(c.who.identity);
  if (!allowed.ok()) {
    return ErrorPage(c, allowed, "Evidence packs");
  }
  std::string body =
      "<p>The evidence pack of an audit period: every scan, vulnerability, decision and clock "
      "of the period with the log's events, proofs and a signed checkpoint, which an auditor "
      "verifies offline (docs/report.md).</p>";
  if (c.Can({"admin", "approver", "analyst"})) {
    body += "<form class=\"inline\" method=\"post\" action=\"/reports\">" +
            html::CsrfField(c.who.csrf) + Input("From (date)", "from", "date", "", true) +
            Input("To (date)", "to", "date", "", true) +
            "<button type=\"submit\">Make the pack</button></form>";
  }
  view::Table t;
  t.columns = {{"id", "Pack"}, {"bytes", "Bytes"}, {"created_at", "Made"}};
  for (const auto& e : ListPacks(c.state.options.reports_dir)) {
    t.rows.push_back({e.id, static_cast<int64_t>(e.bytes), e.created});
  }
  body += html::Table(t, {.caption = "Packs made so far (download as .tar)",
                          .link_column = "id",
                          .link_prefix = "/reports/"});
  return Html(200, html::Page(c.Frame("Evidence packs", "/reports"), body));
}

Response MakeReportPage(PageCall& c) {
  auto made = MakePack(c.service, c.who.identity, c.state.options.reports_dir, c.Field("from"),
                       c.Field("to"));
  if (!made.ok()) {
    return ErrorPage(c, made.status(), "Evidence packs");
  }
  return Redirect("/reports");
}

Response DownloadReportPage(PageCall& c) {
  Status allowed = c.service.CanRead(c.who.identity);
  if (!allowed.ok()) {
    return ErrorPage(c, allowed, "Evidence packs");
  }
  auto tar = PackArchive(c.state.options.reports_dir, c.params[0]);
  if (!tar.ok()) {
    return ErrorPage(c, tar.status(), "Evidence packs");
  }
  Response r{.content_type = "application/x-tar", .body_file = *tar};
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + c.params[0] + ".tar\"");
  return r;
}

// ---- Upload ----------------------------------------------------------------------------

std::string UploadForm(const PageCall& c) {
  return "<p>A scanner's report (Nessus, OpenVAS, Qualys, Trivy, Grype, SARIF, CycloneDX; the "
         "format is recognised from the content). The import is all or nothing.</p>"
         "<form class=\"stacked\" method=\"post\" action=\"/upload\" "
         "enctype=\"multipart/form-data\">" +
         html::CsrfField(c.who.csrf) + Input("Scanner", "scanner", "text", "", true) +
         "<label>Report <input type=\"file\" name=\"report\" required></label>"
         "<button type=\"submit\">Import</button></form>";
}

Response ShowUpload(PageCall& c) {
  return Html(200, html::Page(c.Frame("Upload a scan", "/upload"), UploadForm(c)));
}

Response DoUpload(PageCall& c, const std::string& report_file) {
  auto outcomes = c.service.Import(
      c.who.identity, ImportInput{.files = {report_file}, .scanner = c.Field("scanner")});
  if (!outcomes.ok()) {
    std::string message = outcomes.status().Describe();
    for (size_t at = message.find(report_file); at != std::string::npos;
         at = message.find(report_file)) {
      message.replace(at, report_file.size(), "the report");
    }
    int code = outcomes.status().code() == ErrorCode::kPermissionDenied ? 403 : 400;
    return Html(code, html::Page(c.Frame("Upload a scan", "/upload"),
                                 html::Notice(message, true) + UploadForm(c)));
  }
  outcomes->front().file = "the report";
  view::Table t = ImportTable(*outcomes);
  std::string note = outcomes->front().already_imported
                         ? "This report was imported before: nothing changed."
                         : "Imported.";
  return Html(201, html::Page(c.Frame("Upload a scan", "/upload"),
                              html::Notice(note, false) + html::Table(t, {.caption = "Import"}) +
                                  "<p><a href=\"/\">Back to the dashboard</a></p>"));
}

// ---- Routing ---------------------------------------------------------------------------

enum class Access { kOpen, kSignedIn };

struct PageRoute {
  const char* method;
  const char* pattern;
  Response (*handler)(PageCall&);
  Access access;
};

const std::vector<PageRoute>& PageRoutes() {
  static const std::vector<PageRoute> kRoutes = {
      {"GET", "/static/vigil.css", Stylesheet, Access::kOpen},
      {"GET", "/favicon.ico", NoIcon, Access::kOpen},
      {"GET", "/login", ShowLogin, Access::kOpen},
      {"POST", "/login", DoLogin, Access::kOpen},
      {"GET", "/enrol", ShowEnrol, Access::kOpen},
      {"POST", "/enrol", DoEnrol, Access::kOpen},
      {"POST", "/logout", DoLogout, Access::kSignedIn},
      {"GET", "/", Dashboard, Access::kSignedIn},
      {"GET", "/vulnerabilities", Vulnerabilities, Access::kSignedIn},
      {"GET", "/vulnerabilities.csv", VulnerabilitiesCsv, Access::kSignedIn},
      {"GET", "/vulnerabilities/{key}", ShowVulnerability, Access::kSignedIn},
      {"GET", "/vulnerabilities/{key}/dossier", ShowDossier, Access::kSignedIn},
      {"POST", "/vulnerabilities/{key}/decisions", Decide, Access::kSignedIn},
      {"POST", "/decisions/{id}/approve", Approve, Access::kSignedIn},
      {"POST", "/decisions/{id}/reject", Reject, Access::kSignedIn},
      {"GET", "/approvals", Approvals, Access::kSignedIn},
      {"GET", "/assets", Assets, Access::kSignedIn},
      {"POST", "/assets/decommission", DecommissionAsset, Access::kSignedIn},
      {"GET", "/scanners", Scanners, Access::kSignedIn},
      {"GET", "/reviews", Reviews, Access::kSignedIn},
      {"GET", "/users", Users, Access::kSignedIn},
      {"GET", "/audit", Audit, Access::kSignedIn},
      {"POST", "/audit/checkpoint", SignCheckpoint, Access::kSignedIn},
      {"GET", "/reports", Reports, Access::kSignedIn},
      {"POST", "/reports", MakeReportPage, Access::kSignedIn},
      {"GET", "/reports/{id}", DownloadReportPage, Access::kSignedIn},
      {"GET", "/upload", ShowUpload, Access::kSignedIn},
      {"POST", "/upload", nullptr, Access::kSignedIn},  // DoUpload, with the spooled body
  };
  return kRoutes;
}

// A form posted from another site: its Origin names another host than the request's, or is
// "null" (a sandboxed frame, a data: page). Without an Origin header (older clients, curl)
// the CSRF token alone decides.
bool CrossOrigin(const Request& r) {
  auto origin = r.Header("origin");
  auto host = r.Header("host");
  if (!origin) {
    return false;
  }
  if (*origin == "null" || !host) {
    return true;
  }
  size_t scheme = origin->find("://");
  std::string origin_host = scheme == std::string::npos ? *origin : origin->substr(scheme + 3);
  return origin_host != *host;
}

Response Forbidden(const std::string& why) {
  return Html(403, html::Page({.title = "Refused"}, html::Notice(why, true)));
}

}  // namespace

std::vector<std::pair<std::string, std::string>> Ui::Routes() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : PageRoutes()) {
    out.emplace_back(r.method, r.pattern);
  }
  return out;
}

bool Ui::Spools(const std::string& method, const std::string& path) {
  return method == "POST" && path == "/upload";
}

// NOLINTNEXTLINE(readability-function-size): the one path every page request takes, in order
Response Ui::Handle(const Request& request, std::string& route) {
  std::vector<std::string> path = Segments(request.path);
  const PageRoute* found = nullptr;
  std::vector<std::string> params;
  for (const auto& e : PageRoutes()) {
    auto m = Match(e.pattern, path);
    if (m && (e.method == request.method ||
              (request.method == "HEAD" && std::string_view(e.method) == "GET"))) {
      found = &e;
      params = std::move(*m);
      break;
    }
  }
  if (found == nullptr) {
    return Html(404, html::Page({.title = "Not found"},
                                html::Notice("There is no page " + request.path + ".", true) +
                                    "<p><a href=\"/\">The dashboard</a></p>"));
  }
  route = found->pattern;
  bool post = request.method == "POST";
  if (post && CrossOrigin(request)) {
    return Forbidden("This form was sent from another site.");
  }
  std::map<std::string, std::string> form;
  std::string report_file;
  MultipartForm multipart;
  if (post && found->handler == nullptr) {
    if (request.body_file.empty()) {
      return Forbidden("The form arrived without its fields.");
    }
    report_file = request.body_file + ".report";
    auto parsed =
        ParseMultipart(request.body_file, request.Header("content-type").value_or(""), report_file);
    if (!parsed.ok()) {
      ::unlink(report_file.c_str());
      return Html(400, html::Page({.title = "Upload a scan"},
                                  html::Notice(parsed.status().message(), true)));
    }
    multipart = std::move(*parsed);
    form = multipart.fields;
  } else if (post) {
    form = ParseForm(request.body);
  }
  // Removes the report extracted from the upload whatever happens next.
  struct Cleanup {
    std::string path;
    ~Cleanup() {
      if (!path.empty()) {
        ::unlink(path.c_str());
      }
    }
  } cleanup{report_file};

  std::unique_lock<std::mutex> lock(store_mutex_);
  Who who;
  if (found->access == Access::kSignedIn) {
    std::string id = SessionIdOf(request);
    auto session = state_.sessions.Find(id, std::chrono::steady_clock::now());
    if (!session) {
      return Redirect(post ? "/login" : "/login?next=" + UrlEncode(request.path));
    }
    auto resumed = app_.service().ResumeSession(session->user, session->password_set_at);
    if (!resumed.ok()) {
      state_.sessions.Close(id);
      return Redirect("/login");
    }
    if (post) {
      auto it = form.find("csrf");
      if (it == form.end() || !SameSecret(it->second, session->csrf)) {
        return Forbidden(
            "This form has expired or did not come from vigil (its CSRF token is missing or "
            "wrong): go back, reload the page and send it again.");
      }
    }
    who = Who{.identity = resumed->identity,
              .role = std::string(ToString(resumed->role)),
              .csrf = session->csrf,
              .session_id = id};
  }
  PageCall call{.r = request,
                .who = who,
                .service = app_.service(),
                .state = state_,
                .scale = app_.scale(),
                .params = std::move(params),
                .form = std::move(form),
                .store_lock = lock};
  Response r;
  if (found->handler == nullptr) {
    if (!multipart.has_file) {
      r = Html(400, html::Page(
                        call.Frame("Upload a scan", "/upload"),
                        html::Notice("Choose a report file to upload.", true) + UploadForm(call)));
    } else {
      r = DoUpload(call, report_file);
    }
  } else {
    r = found->handler(call);
  }
  r.user = who.identity.user;
  return r;
}

}  // namespace vigil::web
