#include "web/api.h"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>

#include <nlohmann/json.hpp>

#include "app/dispatcher.h"
#include "core/duration.h"
#include "core/sha256.h"
#include "core/text.h"
#include "core/time.h"
#include "web/multipart.h"
#include "web/reports.h"
#include "web/routes.h"

namespace vigil::web {
namespace {

using Json = nlohmann::ordered_json;

constexpr size_t kDefaultLimit = 100;
constexpr size_t kMaxLimit = 1000;
constexpr int kMaxBodyDepth = 32;

Response JsonResponse(int status, const Json& body) {
  return Response{.status = status,
                  .body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
}

// Nesting deeper than any request body of the API needs is refused before parsing.
bool TooDeep(const std::string& body) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMaxBodyDepth) {
        return true;
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

// The request's JSON object, or the problem that refuses it.
Result<Json> BodyObject(const Request& r) {
  if (r.body.empty()) {
    return Json::object();
  }
  if (TooDeep(r.body)) {
    return InvalidInput("the body nests deeper than " + std::to_string(kMaxBodyDepth) + " levels");
  }
  Json j = Json::parse(r.body, nullptr, false);
  if (j.is_discarded()) {
    return InvalidInput("the body is not JSON");
  }
  if (!j.is_object()) {
    return InvalidInput("the body must be a JSON object");
  }
  return j;
}

// A string member, or an error naming it; absent members are empty.
Result<std::string> StringMember(const Json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) {
    return std::string();
  }
  if (!it->is_string()) {
    return FieldError(name, "must be a string");
  }
  return it->get<std::string>();
}

Result<std::optional<std::string>> OptionalStringMember(const Json& body, const char* name) {
  ASSIGN_OR_RETURN(std::string s, StringMember(body, name));
  return s.empty() ? std::nullopt : std::optional(s);
}

Result<DecideInput> DecideBody(const Json& body) {
  DecideInput in;
  ASSIGN_OR_RETURN(in.key, StringMember(body, "key"));
  ASSIGN_OR_RETURN(in.type, StringMember(body, "type"));
  ASSIGN_OR_RETURN(in.reason, StringMember(body, "reason"));
  ASSIGN_OR_RETURN(in.basis, StringMember(body, "basis"));
  ASSIGN_OR_RETURN(in.severity, StringMember(body, "severity"));
  ASSIGN_OR_RETURN(in.expires, OptionalStringMember(body, "expires"));
  ASSIGN_OR_RETURN(in.target, OptionalStringMember(body, "target"));
  if (auto it = body.find("score"); it != body.end() && !it->is_null()) {
    if (!it->is_number()) {
      return FieldError("score", "must be a number 0..10");
    }
    in.score = it->get<double>();
  }
  if (auto it = body.find("port"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer()) {
      return FieldError("port", "must be an integer 0..65535");
    }
    in.port = it->get<int64_t>();
  }
  if (auto it = body.find("assets"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) {
      return FieldError("assets", "must be an array of asset names");
    }
    for (const auto& a : *it) {
      if (!a.is_string()) {
        return FieldError("assets", "must be an array of asset names");
      }
      in.assets.push_back(a.get<std::string>());
    }
  }
  if (in.key.empty()) {
    return FieldError("key", "must name the vulnerability");
  }
  return in;
}

bool BoolParam(const Request& r, const char* name) {
  std::string v = r.Param(name);
  return v == "true" || v == "1" || v == "yes";
}

// One page of a listing: `limit` rows from the opaque `cursor` on.
Result<Json> Page(const view::Table& table, const Request& r) {
  size_t limit = kDefaultLimit;
  if (std::string l = r.Param("limit"); !l.empty()) {
    auto [end, ec] = std::from_chars(l.data(), l.data() + l.size(), limit);
    if (ec != std::errc() || end != l.data() + l.size() || limit < 1 || limit > kMaxLimit) {
      return FieldError("limit", "must be 1.." + std::to_string(kMaxLimit));
    }
  }
  size_t offset = 0;
  if (std::string c = r.Param("cursor"); !c.empty()) {
    auto [end, ec] = std::from_chars(c.data() + 1, c.data() + c.size(), offset);
    if (c[0] != 'o' || ec != std::errc() || end != c.data() + c.size() ||
        offset > table.rows.size()) {
      return FieldError("cursor", "is not a cursor of this listing");
    }
  }
  Json items = Json::array();
  size_t stop = std::min(table.rows.size(), offset + limit);
  for (size_t i = offset; i < stop; ++i) {
    items.push_back(view::RowToJson(table, i));
  }
  Json out;
  out["items"] = std::move(items);
  out["total"] = table.rows.size();
  out["next_cursor"] = stop < table.rows.size() ? Json("o" + std::to_string(stop)) : Json();
  return out;
}

Json ToJson(const VerifyReport& report) {
  Json j;
  j["ok"] = report.ok();
  j["events"] = report.events;
  j["checkpoints"] = report.checkpoints;
  j["timestamped"] = report.timestamped;
  j["tables_checked"] = report.tables_checked;
  j["root"] = report.root;
  j["problems"] = report.problems;
  j["notes"] = report.notes;
  return j;
}

Response NotFoundRoute(const Request& r) {
  return Problem(404, "Not Found", "no route " + r.method + " " + r.path);
}

}  // namespace

Response ProblemFor(const Status& status, bool body) {
  int code = 500;
  std::string title = "Internal Server Error";
  switch (status.code()) {
    case ErrorCode::kInvalidInput:
    case ErrorCode::kUsage:
      code = 400;
      title = "Bad Request";
      break;
    case ErrorCode::kNotFound:
      code = 404;
      title = "Not Found";
      break;
    case ErrorCode::kPermissionDenied:
      code = 403;
      title = "Forbidden";
      break;
    case ErrorCode::kFailedPrecondition:
      code = 409;
      title = "Conflict";
      break;
    default:
      break;
  }
  std::string extra;
  if (!status.field().empty()) {
    Json e;
    if (body) {
      e["pointer"] = "/" + status.field();
    } else {
      e["parameter"] = status.field();
    }
    e["detail"] = status.Describe();
    extra = "\"errors\":" +
            Json::array({e}).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return Problem(code, title, status.Describe(), extra);
}

bool Api::Spools(const std::string& method, const std::string& path) {
  return (method == "POST" && (path == "/api/v1/scans" || path == "/api/v1/scans/" ||
                               path.rfind("/api/v1/feeds/", 0) == 0)) ||
         Ui::Spools(method, path);
}

std::string Api::Tick() {
  std::lock_guard<std::mutex> lock(mutex_);
  auto cp = app_.service().ScheduledCheckpoint(std::chrono::hours(24));
  if (!cp.ok()) {
    return "daily checkpoint failed: " + cp.status().message();
  }
  if (!*cp) {
    return "";
  }
  return "daily checkpoint signed: tree size " + std::to_string((*cp)->size);
}

std::string Api::Dispatch(bool queue) {
  // Each step under the store lock, sending without it; a stop ends the run between sends.
  Dispatcher dispatcher(app_, &mutex_);
  auto sent = dispatcher.Run("vigil serve", {.max_sends = 200, .queue = queue, .stopping = [&] {
                                               return stopping_.load();
                                             }});
  if (!sent.ok()) {
    return "notifications failed: " + sent.status().message();
  }
  std::string out;
  for (const auto& line : sent->lines) {
    out += (out.empty() ? "" : "\n") + ("notifications: " + line);
  }
  return out;
}

bool Api::WaitForWork(std::chrono::seconds timeout, bool& woken) {
  std::unique_lock<std::mutex> lock(work_mutex_);
  if (first_wait_) {
    first_wait_ = false;
    woken = false;
    return !stopping_;
  }
  woken = work_ready_.wait_for(lock, timeout, [&] { return work_ || stopping_.load(); });
  work_ = false;
  return !stopping_;
}

void Api::StopWork() {
  std::lock_guard<std::mutex> lock(work_mutex_);
  stopping_ = true;
  work_ready_.notify_all();
}

namespace {

// One call of a route: the request, who made it, the application layer, and the values of
// the pattern's {parameters} in order.
struct Call {
  const Request& r;
  const Identity& who;
  Service service;
  std::vector<std::string> params;
  Api::Shared& shared;
  // Held while the handler runs; SignIn releases it while it hashes.
  std::unique_lock<std::mutex>& store_lock;
  // The session the request came with (cookie), and its id; unset for a token.
  const std::optional<Session>& session;
  const std::string& session_id;
};

Response ListResponse(const Result<view::Table>& table, const Request& r);

// The value of cookie `name` in a Cookie header, or empty.

// 503 for a credential that would need a memory-hard hash while HashSlots are all taken.
Response Busy() {
  Response r = Problem(503, "Service Unavailable",
                       "the server is checking other credentials; try again in a second");
  r.headers.emplace_back("Retry-After", "1");
  return r;
}

Response TooManyFailures(std::chrono::seconds wait, const std::string& what) {
  Response r = Problem(
      429, "Too Many Requests",
      "too many failed " + what + ": try again in " + std::to_string(wait.count()) + " seconds");
  r.headers.emplace_back("Retry-After", std::to_string(wait.count()));
  return r;
}

Json SessionJson(const std::string& user, Role role, const std::string& via,
                 const std::string& csrf) {
  Json j;
  j["user"] = user;
  j["role"] = std::string(ToString(role));
  j["via"] = via;
  j["csrf_token"] = csrf.empty() ? Json() : Json(csrf);
  return j;
}

// POST /api/v1/session: a password login. Throttled per user name and per address; the
// failures are refused alike whether the user exists or not.
Response Login(Call& c) {
  auto body = BodyObject(c.r);
  if (!body.ok()) {
    return ProblemFor(body.status(), true);
  }
  auto user = StringMember(*body, "user");
  auto password = user.ok() ? StringMember(*body, "password") : user;
  if (!password.ok()) {
    return ProblemFor(password.status(), true);
  }
  if (user->empty() || user->size() > 64) {
    return ProblemFor(FieldError("user", "must be a user name"), true);
  }
  auto in = SignIn(c.shared, c.service, c.r, *user, *password, c.store_lock);
  switch (in.kind) {
    case SignInOutcome::Kind::kBusy:
      return Busy();
    case SignInOutcome::Kind::kThrottled:
      return TooManyFailures(in.retry_after, "sign-ins");
    case SignInOutcome::Kind::kRefused:
      return Problem(401, "Unauthorized", in.detail);
    case SignInOutcome::Kind::kNoSession:
      return Problem(503, "Service Unavailable", "no random bytes for a session");
    case SignInOutcome::Kind::kOpened:
      break;
  }
  Response r = JsonResponse(201, SessionJson(*user, in.role, "session", in.session.session.csrf));
  r.headers.emplace_back("Set-Cookie", SessionCookie(in.session.id, SessionStore::kLifetime,
                                                     c.shared.options.secure_cookies));
  return r;
}

// GET /api/v1/session: who the request acts as.
Response WhoAmI(Call& c) {
  auto role = c.service.RoleOf(c.who);
  if (!role.ok()) {
    return ProblemFor(role.status(), false);
  }
  std::string via = c.session ? "session" : c.who.scopes ? "pipeline token" : "token";
  Json j = SessionJson(c.who.user, *role, via, c.session ? c.session->csrf : std::string());
  j["scopes"] = c.who.scopes ? Json(FormatScopes(*c.who.scopes)) : Json();
  return JsonResponse(200, j);
}

// DELETE /api/v1/session: sign out.
Response Logout(Call& c) {
  if (!c.session) {
    return Problem(409, "Conflict",
                   "the request came with a token, not a session: there is "
                   "nothing to sign out of");
  }
  c.shared.sessions.Close(c.session_id);
  Response r{.status = 204, .body = ""};
  r.headers.emplace_back(
      "Set-Cookie", SessionCookie("", std::chrono::seconds(0), c.shared.options.secure_cookies));
  return r;
}

// POST /api/v1/enrolment: set one's password with an enrolment code. No credentials yet, so
// failures are throttled per address.
Response Enrol(Call& c) {
  auto now = std::chrono::steady_clock::now();
  std::string client = ClientAddress(c.r, c.shared.options);
  if (auto wait = c.shared.address_failures.RetryAfter(client, now); wait.count() > 0) {
    return TooManyFailures(wait, "credentials from this address");
  }
  auto body = BodyObject(c.r);
  if (!body.ok()) {
    return ProblemFor(body.status(), true);
  }
  std::string fields[3];
  const char* names[3] = {"user", "code", "password"};
  for (int i = 0; i < 3; ++i) {
    auto v = StringMember(*body, names[i]);
    if (!v.ok()) {
      return ProblemFor(v.status(), true);
    }
    fields[i] = *v;
  }
  auto enrolled =
      EnrolUnlocked(c.shared, c.service, fields[0], fields[1], fields[2], client, c.store_lock);
  if (!enrolled) {
    return Busy();
  }
  const Status& s = *enrolled;
  if (s.code() == ErrorCode::kPermissionDenied) {
    c.shared.address_failures.Fail(client, now);
  }
  if (!s.ok()) {
    return ProblemFor(s, true);
  }
  return Response{.status = 204, .body = ""};
}

// GET /metrics: Prometheus' text format.
Response MetricsText(Call& c) {
  auto overview = CachedRead<Overview>(c.shared.cache, c.service, c.who, "overview",
                                       [&] { return c.service.Summarize(c.who); });
  if (!overview.ok()) {
    return ProblemFor(overview.status(), false);
  }
  return Response{.content_type = "text/plain; version=0.0.4; charset=utf-8",
                  .body = c.shared.metrics.Render(**overview)};
}

// The problem for an error about a spooled body: positions name the body, not the temporary
// file it was written to.
Response ProblemForBody(const Status& status, const std::string& body_file) {
  std::string message = status.message();
  for (size_t at = message.find(body_file); at != std::string::npos; at = message.find(body_file)) {
    message.replace(at, body_file.size(), "body");
  }
  return ProblemFor(Status(status.code(), status.field(), message), false);
}

// POST /api/v1/reviews: a multi-person review of what arrived since the last one.
Response RecordReview(Call& c) {
  auto body = BodyObject(c.r);
  if (!body.ok()) {
    return ProblemFor(body.status(), true);
  }
  std::vector<std::string> participants;
  auto list = body->find("participants");
  if (list == body->end() || !list->is_array()) {
    return ProblemFor(FieldError("participants", "must be an array of user names"), true);
  }
  for (const auto& p : *list) {
    if (!p.is_string()) {
      return ProblemFor(FieldError("participants", "must be an array of user names"), true);
    }
    participants.push_back(p.get<std::string>());
  }
  auto notes = StringMember(*body, "notes");
  if (!notes.ok()) {
    return ProblemFor(notes.status(), true);
  }
  auto review = c.service.RecordReview(c.who, participants, *notes);
  if (!review.ok()) {
    return ProblemFor(review.status(), true);
  }
  Json j;
  j["id"] = review->id;
  j["at"] = FormatIso8601(review->at);
  j["recorded_by"] = review->recorded_by;
  j["participants"] = review->participants;
  j["covered_since"] = review->covered_since ? Json(FormatIso8601(*review->covered_since)) : Json();
  j["vulnerabilities"] = review->vuln_ids.size();
  return JsonResponse(201, j);
}

// PUT /api/v1/scanners/{name}: register a scanner or change its kind, cadence and grace.
Response PutScanner(Call& c) {
  auto body = BodyObject(c.r);
  if (!body.ok()) {
    return ProblemFor(body.status(), true);
  }
  ScannerInput in{.name = c.params[0]};
  for (auto [name, out] : {std::pair{"kind", &in.kind}, std::pair{"cadence", &in.cadence},
                           std::pair{"grace", &in.grace}}) {
    auto v = StringMember(*body, name);
    if (!v.ok()) {
      return ProblemFor(v.status(), true);
    }
    if (!v->empty()) {
      *out = *v;
    }
  }
  auto s = c.service.SetScanner(c.who, in);
  if (!s.ok()) {
    return ProblemFor(s.status(), true);
  }
  Json j;
  j["name"] = s->name;
  j["kind"] = s->kind;
  j["cadence"] = s->cadence ? Json(FormatDuration(*s->cadence)) : Json();
  j["grace"] = FormatDuration(s->grace);
  return JsonResponse(200, j);
}

// POST /api/v1/users: register a user (admins); the token and enrolment code, shown once.
Response AddUser(Call& c) {
  auto body = BodyObject(c.r);
  if (!body.ok()) {
    return ProblemFor(body.status(), true);
  }
  auto name = StringMember(*body, "name");
  auto role = name.ok() ? StringMember(*body, "role") : name;
  if (!role.ok()) {
    return ProblemFor(role.status(), true);
  }
  auto added = c.service.AddUser(c.who, *name, *role);
  if (!added.ok()) {
    return ProblemFor(added.status(), true);
  }
  return JsonResponse(201,
                      Json{{"name", *name},
                           {"role", *role},
                           {"token", added->token},
                           {"enrolment_code", added->enrolment_code},
                           {"enrolment_expires_at", FormatIso8601(added->enrolment_expires_at)}});
}

// PUT /api/v1/users/{name}/role: another role (admins).
Response SetUserRole(Call& c) {
  auto body = BodyObject(c.r);
  if (!body.ok()) {
    return ProblemFor(body.status(), true);
  }
  auto role = StringMember(*body, "role");
  if (!role.ok()) {
    return ProblemFor(role.status(), true);
  }
  auto set = c.service.SetRole(c.who, c.params[0], *role);
  if (!set.ok()) {
    return ProblemFor(set.status(), true);
  }
  return JsonResponse(200, Json{{"name", c.params[0]}, {"role", std::string(ToString(*set))}});
}

// POST /api/v1/users/{name}/enrolment: a new one-time enrolment code (admins).
Response NewEnrolment(Call& c) {
  auto issued = c.service.IssueEnrolment(c.who, c.params[0]);
  if (!issued.ok()) {
    return ProblemFor(issued.status(), false);
  }
  return JsonResponse(201, Json{{"name", c.params[0]},
                                {"enrolment_code", issued->code},
                                {"expires_at", FormatIso8601(issued->expires_at)}});
}

// GET /api/v1/audit/key: the verifier key to give auditors.
Response AuditKey(Call& c) {
  auto key = c.service.AuditVerifierKey(c.who);
  if (!key.ok()) {
    return ProblemFor(key.status(), false);
  }
  return JsonResponse(200,
                      Json{{"verifier_key", key->verifier_key}, {"fingerprint", key->fingerprint}});
}

Result<int64_t> IntParam(const Request& r, const char* name) {
  std::string text = r.Param(name);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size()) {
    return FieldError(name, "must be a tree size (a whole number)");
  }
  return v;
}

// GET /api/v1/audit/consistency?old=N&new=M: that the log of size M extends the one of size N.
Response ConsistencyProof(Call& c) {
  auto old_size = IntParam(c.r, "old");
  auto new_size = old_size.ok() ? IntParam(c.r, "new") : old_size;
  if (!new_size.ok()) {
    return ProblemFor(new_size.status(), false);
  }
  auto proof = c.service.ConsistencyProof(c.who, *old_size, *new_size);
  return proof.ok() ? JsonResponse(200, *proof) : ProblemFor(proof.status(), false);
}

// GET /api/v1/export/vex: the decisions about package vulnerabilities as CycloneDX VEX.
Response ExportVex(Call& c) {
  auto vex = c.service.ExportVex(c.who);
  if (!vex.ok()) {
    return ProblemFor(vex.status(), false);
  }
  return Response{
      .content_type = "application/vnd.cyclonedx+json; version=1.5",
      .body = vex->document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)};
}

// GET /api/v1/config: the configuration in force.
Response ShowConfig(Call& c) {
  auto cfg = c.service.ShowConfig(c.who);
  if (!cfg.ok()) {
    return ProblemFor(cfg.status(), false);
  }
  return JsonResponse(200, Json{{"text", cfg->text}, {"file", cfg->file}, {"sha256", cfg->sha256}});
}

// POST /api/v1/feeds/{feed}: a feed file as the body (kev: CISA's catalog JSON; epss: FIRST's
// CSV, plain or gzip; nvd: an NVD API 2.0 page or feed file).
Response LoadFeed(Call& c) {
  const std::string& feed = c.params[0];
  if (c.r.body_file.empty()) {
    return ProblemFor(InvalidInput("the body is empty: send the feed file as the body"), true);
  }
  Json j;
  if (feed == "kev") {
    auto n = c.service.LoadKev(c.who, c.r.body_file);
    if (!n.ok()) {
      return ProblemForBody(n.status(), c.r.body_file);
    }
    j["entries"] = *n;
  } else if (feed == "epss") {
    auto e = c.service.LoadEpss(c.who, c.r.body_file);
    if (!e.ok()) {
      return ProblemForBody(e.status(), c.r.body_file);
    }
    j["scores"] = e->scores;
    j["model_version"] = e->model_version;
    j["score_date"] = FormatIso8601(e->score_date);
  } else if (feed == "nvd") {
    auto n = c.service.LoadNvd(c.who, {c.r.body_file});
    if (!n.ok()) {
      return ProblemForBody(n.status(), c.r.body_file);
    }
    j["records"] = n->records;
    j["stored"] = n->stored;
    j["older"] = n->older;
    j["reclassified"] = n->reclassified;
  } else {
    return Problem(404, "Not Found", "no feed '" + feed + "': kev, epss or nvd");
  }
  j["feed"] = feed;
  return JsonResponse(200, j);
}

// POST /api/v1/reports: make the evidence pack of a period; GET: the packs made so far;
// GET /api/v1/reports/{id}/pack.tar: one, as an archive.
Response MakeReport(Call& c) {
  auto body = BodyObject(c.r);
  if (!body.ok()) {
    return ProblemFor(body.status(), true);
  }
  auto from = StringMember(*body, "from");
  auto to = from.ok() ? StringMember(*body, "to") : from;
  if (!to.ok()) {
    return ProblemFor(to.status(), true);
  }
  auto made = MakePack(c.service, c.who, c.shared.options.reports_dir, *from, *to);
  if (!made.ok()) {
    return ProblemFor(made.status(), true);
  }
  const EvidencePackSummary& p = made->summary;
  return JsonResponse(201, Json{{"id", made->id},
                                {"scans", p.scans},
                                {"vulnerabilities", p.vulnerabilities},
                                {"decisions", p.decisions},
                                {"clocks", p.clocks},
                                {"events", p.events},
                                {"checkpoint", p.checkpoint},
                                {"download", "/api/v1/reports/" + made->id + "/pack.tar"}});
}

Response ListReports(Call& c) {
  Status allowed = c.service.CanRead(c.who);
  if (!allowed.ok()) {
    return ProblemFor(allowed, false);
  }
  view::Table t;
  t.columns = {{"id", "ID"}, {"bytes", "BYTES"}, {"created_at", "CREATED"}};
  for (const auto& e : ListPacks(c.shared.options.reports_dir)) {
    t.rows.push_back({e.id, static_cast<int64_t>(e.bytes), e.created});
  }
  return ListResponse(t, c.r);
}

Response DownloadReport(Call& c) {
  Status allowed = c.service.CanRead(c.who);
  if (!allowed.ok()) {
    return ProblemFor(allowed, false);
  }
  auto tar = PackArchive(c.shared.options.reports_dir, c.params[0]);
  if (!tar.ok()) {
    return ProblemFor(tar.status(), false);
  }
  Response r{.content_type = "application/x-tar", .body_file = *tar};
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + c.params[0] + ".tar\"");
  return r;
}

Response ListTokens(Call& c) {
  return ListResponse(c.service.ApiTokens(c.who), c.r);
}

Response IssueToken(Call& c) {
  auto body = BodyObject(c.r);
  if (!body.ok()) {
    return ProblemFor(body.status(), true);
  }
  Service::ApiTokenInput in;
  for (auto [name, out] : {std::pair{"user", &in.user}, std::pair{"label", &in.label},
                           std::pair{"expires", &in.expires}}) {
    auto v = StringMember(*body, name);
    if (!v.ok()) {
      return ProblemFor(v.status(), true);
    }
    *out = *v;
  }
  auto scopes = body->find("scopes");
  if (scopes == body->end() || !scopes->is_array() || scopes->empty()) {
    return ProblemFor(FieldError("scopes", "must be an array of scopes: read, import, write"),
                      true);
  }
  for (const auto& scope : *scopes) {
    if (!scope.is_string()) {
      return ProblemFor(FieldError("scopes", "must be an array of scopes: read, import, write"),
                        true);
    }
    in.scopes += (in.scopes.empty() ? "" : ",") + scope.get<std::string>();
  }
  auto issued = c.service.IssueApiToken(c.who, in);
  if (!issued.ok()) {
    return ProblemFor(issued.status(), true);
  }
  const ApiTokenRecord& t = issued->record;
  Json j;
  j["id"] = t.id;
  j["user"] = t.user;
  j["label"] = t.label;
  j["scopes"] = SplitNonEmpty(t.scopes, ",");
  j["expires_at"] = FormatIso8601(t.expires_at);
  j["token"] = issued->token;
  return JsonResponse(201, j);
}

Response RevokeToken(Call& c) {
  const std::string& text = c.params[0];
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Problem(404, "Not Found", "no pipeline token '" + text + "'");
  }
  Status s = c.service.RevokeApiToken(c.who, id);
  return s.ok() ? Response{.status = 204, .body = ""} : ProblemFor(s, false);
}

Response ListResponse(const Result<view::Table>& table, const Request& r) {
  if (!table.ok()) {
    return ProblemFor(table.status(), false);
  }
  auto page = Page(*table, r);
  return page.ok() ? JsonResponse(200, *page) : ProblemFor(page.status(), false);
}

// A page of a listing read through the cache (`key` names the listing), itself kept as the
// text sent: the next request for the same page at the same data version costs no JSON work.
Response CachedPage(Call& c, const std::string& key,
                    const std::function<Result<view::Table>()>& compute) {
  // Only pages that Page accepts are kept, and their limit and cursor hold no '|'.
  std::string page_key = key + "|page|" + c.r.Param("limit") + "|" + c.r.Param("cursor");
  auto text = CachedRead<std::string>(
      c.shared.cache, c.service, c.who, page_key, [&]() -> Result<std::string> {
        ASSIGN_OR_RETURN(auto table,
                         CachedRead<view::Table>(c.shared.cache, c.service, c.who, key, compute));
        ASSIGN_OR_RETURN(Json page, Page(*table, c.r));
        return page.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      });
  if (!text.ok()) {
    return ProblemFor(text.status(), false);
  }
  return Response{.shared_body = *text};
}

Response DecisionResponse(const Result<DecisionRecord>& d, int status) {
  if (!d.ok()) {
    return ProblemFor(d.status(), true);
  }
  Json j;
  j["id"] = d->id;
  j["vulnerability"] = d->vuln_key;
  j["type"] = std::string(ToString(d->type));
  j["state"] = std::string(ToString(d->state));
  j["author"] = d->author;
  j["created_at"] = FormatIso8601(d->created_at);
  j["decided_by"] = d->decided_by.empty() ? Json() : Json(d->decided_by);
  j["decided_at"] = d->decided_at ? Json(FormatIso8601(*d->decided_at)) : Json();
  return JsonResponse(status, j);
}

std::string ParamOr(const Request& r, const char* name, const char* fallback) {
  std::string v = r.Param(name);
  return v.empty() ? fallback : v;
}

Response ListVulnerabilities(Call& c) {
  const Request& r = c.r;
  VulnFilter filter{.class_name = r.Param("class"),
                    .cve = r.Param("cve"),
                    .asset = r.Param("asset"),
                    .scanner = r.Param("scanner"),
                    .kev = BoolParam(r, "kev"),
                    .epss_above = r.Param("epss_above"),
                    .all = BoolParam(r, "all"),
                    .state = r.Param("state"),
                    .zone = r.Param("zone"),
                    .overdue = BoolParam(r, "overdue"),
                    .sort = r.Param("sort")};
  return CachedPage(c, CacheKey(filter), [&] { return c.service.Vulnerabilities(c.who, filter); });
}

Response ShowVulnerability(Call& c) {
  // Kept as the text sent: a vulnerability on thousands of assets is a large document.
  auto body = CachedRead<std::string>(
      c.shared.cache, c.service, c.who, "vuln-body|" + c.params[0], [&]() -> Result<std::string> {
        ASSIGN_OR_RETURN(auto d, c.service.Vulnerability(c.who, c.params[0]));
        return ToJson(d).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      });
  return body.ok() ? Response{.shared_body = *body} : ProblemFor(body.status(), false);
}

Response ListFindings(Call& c) {
  const Request& r = c.r;
  FindingFilter filter{.state = r.Param("state"),
                       .asset = r.Param("asset"),
                       .vuln = r.Param("vuln"),
                       .scanner = r.Param("scanner"),
                       .cve = r.Param("cve"),
                       .absent_unverified = BoolParam(r, "absent_unverified")};
  return CachedPage(c, CacheKey(filter), [&] { return c.service.Findings(c.who, filter); });
}

Response ListAssets(Call& c) {
  const Request& r = c.r;
  return ListResponse(c.service.Assets(c.who, AssetFilter{.state = ParamOr(r, "state", "all"),
                                                          .stale_after = r.Param("stale_after"),
                                                          .zone = r.Param("zone")}),
                      r);
}

Response ListScanners(Call& c) {
  return ListResponse(c.service.Scanners(c.who, ParamOr(c.r, "window", "30d")), c.r);
}

Response ListDecisions(Call& c) {
  return ListResponse(
      c.service.Decisions(
          c.who, DecisionFilter{.state = ParamOr(c.r, "state", "all"), .vuln = c.r.Param("vuln")}),
      c.r);
}

Response ListReviews(Call& c) {
  return ListResponse(c.service.Reviews(c.who), c.r);
}

Response ListUsers(Call& c) {
  return ListResponse(c.service.Users(c.who), c.r);
}

Response Check(Call& c) {
  return ListResponse(
      c.service.Check(c.who, CheckInput{.window = c.r.Param("window"),
                                        .coverage_window = c.r.Param("coverage_window")}),
      c.r);
}

Response ListClocks(Call& c) {
  return ListResponse(c.service.Clocks(c.who, ClockFilter{.status = c.r.Param("status"),
                                                          .rule = c.r.Param("rule"),
                                                          .vuln = c.r.Param("vuln")}),
                      c.r);
}

Response ListCoverage(Call& c) {
  return ListResponse(
      c.service.Coverage(c.who, CoverageFilter{.zone = c.r.Param("zone"),
                                               .missed_only = BoolParam(c.r, "missed")}),
      c.r);
}

// GET /api/v1/trends?days=N: the dashboard's charts as data.
Response ShowTrends(Call& c) {
  std::string text = ParamOr(c.r, "days", "90");
  int days = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), days);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return ProblemFor(FieldError("days", "must be a whole number of days from 1 to 366"), false);
  }
  auto trends = LaggingRead<Trends>(c.shared.cache, c.service, c.who, "trends|" + text, kTrendsLag,
                                    [&] { return c.service.SummarizeTrends(c.who, days); });
  if (!trends.ok()) {
    return ProblemFor(trends.status(), false);
  }
  const Trends& t = **trends;
  auto in_days = [](std::chrono::seconds s) {
    return std::round(static_cast<double>(s.count()) / 864.0) / 100.0;
  };
  Json times = Json::array();
  for (Timestamp at : t.open.times) {
    times.push_back(FormatIso8601(at));
  }
  Json classes = Json::array();
  for (size_t k = 0; k < t.open.classes.size(); ++k) {
    classes.push_back({{"class", t.open.classes[k]}, {"open", t.open.counts[k]}});
  }
  Json buckets = Json::array();
  for (const auto& b : t.remediation.buckets) {
    buckets.push_back(
        {{"label", b.label},
         {"up_to_days", b.up_to == std::chrono::seconds::max() ? Json() : Json(in_days(b.up_to))},
         {"fixed", b.fixed}});
  }
  Json by_class = Json::array();
  for (const auto& k : t.remediation.by_class) {
    by_class.push_back({{"class", k.class_name},
                        {"fixed", k.fixed},
                        {"median_days", in_days(k.median)},
                        {"p90_days", in_days(k.p90)}});
  }
  Json j;
  j["times"] = std::move(times);
  j["open_by_class"] = std::move(classes);
  j["remediation"] = {{"from", FormatIso8601(t.open.times.front())},
                      {"to", FormatIso8601(t.open.times.back())},
                      {"buckets", std::move(buckets)},
                      {"by_class", std::move(by_class)}};
  return JsonResponse(200, j);
}

Response VerifyLog(Call& c) {
  auto report = c.service.VerifyLog(c.who, {});
  return report.ok() ? JsonResponse(200, ToJson(*report)) : ProblemFor(report.status(), false);
}

Response InclusionProof(Call& c) {
  const std::string& text = c.params[0];
  int64_t seq = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seq);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return ProblemFor(FieldError("seq", "must be an event's sequence number"), false);
  }
  auto proof = c.service.InclusionProof(c.who, seq);
  return proof.ok() ? JsonResponse(200, *proof) : ProblemFor(proof.status(), false);
}

Response SignCheckpoint(Call& c) {
  auto cp = c.service.Checkpoint(c.who);
  if (!cp.ok()) {
    return ProblemFor(cp.status(), true);
  }
  return JsonResponse(201, Json{{"size", cp->size}, {"note", cp->note}});
}

Response ImportScan(Call& c) {
  const Request& r = c.r;
  if (r.body_file.empty()) {
    return ProblemFor(InvalidInput("the body is empty: send the scanner's report as the body"),
                      true);
  }
  // A form's upload (multipart/form-data, as `curl -F report=@FILE` sends it): the report is
  // its file part, the scanner a field or the query's.
  std::string report = r.body_file;
  std::string scanner = r.Param("scanner");
  struct Remove {
    std::string path;
    ~Remove() {
      if (!path.empty()) {
        ::unlink(path.c_str());
      }
    }
  } extracted;
  if (auto ctype = r.Header("content-type");
      ctype && AsciiLower(*ctype).rfind("multipart/form-data", 0) == 0) {
    extracted.path = r.body_file + ".report";
    auto form = ParseMultipart(r.body_file, *ctype, extracted.path);
    if (!form.ok()) {
      return ProblemFor(form.status(), true);
    }
    if (!form->has_file) {
      return ProblemFor(InvalidInput("the form holds no file: send the report as a file field"),
                        true);
    }
    if (scanner.empty()) {
      scanner = form->fields["scanner"];
    }
    report = extracted.path;
  }
  auto start = std::chrono::steady_clock::now();
  auto outcomes = c.service.Import(c.who, ImportInput{.files = {report},
                                                      .scanner = scanner,
                                                      .parser = ParamOr(r, "parser", "auto"),
                                                      .asset = r.Param("asset")});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Refusals of who is asking are not imports.
  if (outcomes.ok() || outcomes.status().code() != ErrorCode::kPermissionDenied) {
    c.shared.metrics.ObserveImport(!outcomes.ok()                       ? "rejected"
                                   : outcomes->front().already_imported ? "already_imported"
                                                                        : "imported",
                                   seconds);
  }
  if (!outcomes.ok()) {
    return ProblemForBody(outcomes.status(), report);
  }
  ImportOutcome& o = outcomes->front();
  o.file = "body";
  Json row = view::RowToJson(ImportTable(*outcomes), 0);
  row["warning_messages"] = o.warnings;
  row["alarms"] = o.alarms;
  return JsonResponse(o.already_imported ? 200 : 201, row);
}

Response ProposeDecision(Call& c) {
  auto body = BodyObject(c.r);
  if (!body.ok()) {
    return ProblemFor(body.status(), true);
  }
  auto in = DecideBody(*body);
  if (!in.ok()) {
    return ProblemFor(in.status(), true);
  }
  return DecisionResponse(c.service.Decide(c.who, *in), 201);
}

// Approve or reject: `member` is the body's text (note or basis).
Response SecondEyes(Call& c, bool approve) {
  const std::string& text = c.params[0];
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return Problem(404, "Not Found", "no decision '" + text + "'");
  }
  auto body = BodyObject(c.r);
  if (!body.ok()) {
    return ProblemFor(body.status(), true);
  }
  auto words = StringMember(*body, approve ? "note" : "basis");
  if (!words.ok()) {
    return ProblemFor(words.status(), true);
  }
  return DecisionResponse(
      approve ? c.service.Approve(c.who, id, *words) : c.service.Reject(c.who, id, *words), 200);
}

Response ApproveDecision(Call& c) {
  return SecondEyes(c, true);
}

Response RejectDecision(Call& c) {
  return SecondEyes(c, false);
}

Response DecommissionAsset(Call& c) {
  auto body = BodyObject(c.r);
  if (!body.ok()) {
    return ProblemFor(body.status(), true);
  }
  auto reason = StringMember(*body, "reason");
  if (!reason.ok()) {
    return ProblemFor(reason.status(), true);
  }
  auto out = c.service.Decommission(c.who, c.params[0], *reason);
  if (!out.ok()) {
    return ProblemFor(out.status(), true);
  }
  return JsonResponse(200, Json{{"asset", out->asset.name},
                                {"decommissioned_at", FormatIso8601(out->at)},
                                {"changed", out->changed}});
}

struct RouteEntry {
  ApiRoute route;
  Response (*handler)(Call&);
  bool open = false;  // answered without credentials (login, enrolment)
};

const std::vector<RouteEntry>& Table() {
  static const std::vector<RouteEntry> kTable = {
      {{"GET", "/api/v1/vulnerabilities"}, ListVulnerabilities},
      {{"GET", "/api/v1/vulnerabilities/{key}"}, ShowVulnerability},
      {{"GET", "/api/v1/findings"}, ListFindings},
      {{"GET", "/api/v1/assets"}, ListAssets},
      {{"POST", "/api/v1/assets/{name}/decommission"}, DecommissionAsset},
      {{"GET", "/api/v1/scanners"}, ListScanners},
      {{"GET", "/api/v1/coverage"}, ListCoverage},
      {{"POST", "/api/v1/scans"}, ImportScan},
      {{"GET", "/api/v1/decisions"}, ListDecisions},
      {{"POST", "/api/v1/decisions"}, ProposeDecision},
      {{"POST", "/api/v1/decisions/{id}/approve"}, ApproveDecision},
      {{"POST", "/api/v1/decisions/{id}/reject"}, RejectDecision},
      {{"GET", "/api/v1/reviews"}, ListReviews},
      {{"GET", "/api/v1/users"}, ListUsers},
      {{"GET", "/api/v1/check"}, Check},
      {{"GET", "/api/v1/clocks"}, ListClocks},
      {{"GET", "/api/v1/trends"}, ShowTrends},
      {{"GET", "/api/v1/audit/verify"}, VerifyLog},
      {{"GET", "/api/v1/audit/proofs/{seq}"}, InclusionProof},
      {{"POST", "/api/v1/audit/checkpoints"}, SignCheckpoint},
      {{"POST", "/api/v1/session"}, Login, true},
      {{"GET", "/api/v1/session"}, WhoAmI},
      {{"DELETE", "/api/v1/session"}, Logout},
      {{"POST", "/api/v1/enrolment"}, Enrol, true},
      {{"GET", "/api/v1/tokens"}, ListTokens},
      {{"POST", "/api/v1/tokens"}, IssueToken},
      {{"DELETE", "/api/v1/tokens/{id}"}, RevokeToken},
      {{"GET", "/metrics"}, MetricsText},
      {{"POST", "/api/v1/reviews"}, RecordReview},
      {{"PUT", "/api/v1/scanners/{name}"}, PutScanner},
      {{"POST", "/api/v1/users"}, AddUser},
      {{"PUT", "/api/v1/users/{name}/role"}, SetUserRole},
      {{"POST", "/api/v1/users/{name}/enrolment"}, NewEnrolment},
      {{"GET", "/api/v1/audit/key"}, AuditKey},
      {{"GET", "/api/v1/audit/consistency"}, ConsistencyProof},
      {{"GET", "/api/v1/export/vex"}, ExportVex},
      {{"GET", "/api/v1/config"}, ShowConfig},
      {{"POST", "/api/v1/feeds/{feed}"}, LoadFeed},
      {{"POST", "/api/v1/reports"}, MakeReport},
      {{"GET", "/api/v1/reports"}, ListReports},
      {{"GET", "/api/v1/reports/{id}/pack.tar"}, DownloadReport},
  };
  return kTable;
}

// The route `request` asks for and the values of its {parameters}; none, with the methods the
// path takes in `allowed` (empty: an unknown path).
const RouteEntry* FindRoute(const Request& request, std::vector<std::string>& params,
                            std::string& allowed) {
  std::vector<std::string> path = Segments(request.path);
  for (const auto& e : Table()) {
    auto m = Match(e.route.pattern, path);
    if (!m) {
      continue;
    }
    if (e.route.method == request.method) {
      params = std::move(*m);
      return &e;
    }
    allowed += (allowed.empty() ? "" : ", ") + e.route.method;
  }
  return nullptr;
}

}  // namespace

std::vector<ApiRoute> Api::Routes() {
  std::vector<ApiRoute> out = {{"GET", "/healthz"}, {"GET", "/api/v1/openapi.yaml"}};
  for (const auto& e : Table()) {
    out.push_back(e.route);
  }
  return out;
}

Response Api::Handle(const Request& request) {
  auto start = std::chrono::steady_clock::now();
  std::string route = "other";
  Response r = Route(request, route);
  if (request.method != "GET" && request.method != "HEAD" && r.status < 400) {
    // It may have changed something: what it caused is in the outbox, to be sent now.
    std::lock_guard<std::mutex> lock(work_mutex_);
    work_ = true;
    work_ready_.notify_one();
  }
  metrics_.ObserveRequest(
      route, request.method, r.status,
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return r;
}

// Whether this node can serve: it runs, and its database answers a read. A node whose store
// is busy (an import holds it) is alive and says so rather than wait: a proxy's health check
// must not take a working node out of service for a long import.
Response Api::Health() {
  std::unique_lock<std::mutex> lock(mutex_, std::try_to_lock);
  if (!lock.owns_lock()) {
    return JsonResponse(200, Json{{"status", "ok"}, {"database", "busy"}});
  }
  auto version = app_.service().DataVersion();
  if (!version.ok()) {
    return JsonResponse(503, Json{{"status", "unavailable"},
                                  {"database", "error"},
                                  {"detail", version.status().message()}});
  }
  return JsonResponse(200, Json{{"status", "ok"}, {"database", "ok"}});
}

Response Api::Route(const Request& request, std::string& route) {
  if (request.path.rfind("/api/", 0) != 0 && request.path != "/metrics" &&
      request.path != "/healthz") {
    return ui_.Handle(request, route);
  }
  bool get = request.method == "GET" || request.method == "HEAD";
  if (request.path == "/healthz" && get) {
    route = "/healthz";
    return Health();
  }
  if (request.path == "/api/v1/openapi.yaml" && get) {
    route = "/api/v1/openapi.yaml";
    return Response{.content_type = "application/yaml", .body = std::string(kOpenApiYaml)};
  }
  std::vector<std::string> params;
  std::string allowed;
  const RouteEntry* found = FindRoute(request, params, allowed);
  if (found == nullptr) {
    if (allowed.empty()) {
      return NotFoundRoute(request);
    }
    Response r = Problem(405, "Method Not Allowed", request.path + " takes " + allowed);
    r.headers.emplace_back("Allow", allowed);
    return r;
  }
  route = found->route.pattern;
  Shared& shared = state_;
  static const Identity kNobody;
  static const std::optional<Session> kNoSession;
  static const std::string kNoId;
  if (found->open) {
    std::unique_lock<std::mutex> lock(mutex_);
    Call call{.r = request,
              .who = kNobody,
              .service = app_.service(),
              .params = std::move(params),
              .shared = shared,
              .store_lock = lock,
              .session = kNoSession,
              .session_id = kNoId};
    return found->handler(call);
  }
  auto caller = Identify(request);
  if (auto* refused = std::get_if<Response>(&caller)) {
    return std::move(*refused);
  }
  auto& c = std::get<Caller>(caller);
  std::unique_lock<std::mutex> lock(mutex_);
  if (c.session) {
    // The session ends when the password changed or the user is gone.
    auto resumed = app_.service().ResumeSession(c.session->user, c.session->password_set_at);
    if (!resumed.ok()) {
      sessions_.Close(c.session_id);
      return Problem(401, "Unauthorized", resumed.status().message());
    }
    c.who = resumed->identity;
  }
  Call call{.r = request,
            .who = c.who,
            .service = app_.service(),
            .params = std::move(params),
            .shared = shared,
            .store_lock = lock,
            .session = c.session,
            .session_id = c.session_id};
  Response r = found->handler(call);
  r.user = c.who.user;
  return r;
}

std::variant<Api::Caller, Response> Api::Identify(const Request& request) {
  auto now = std::chrono::steady_clock::now();
  std::string client = ClientAddress(request, options_);
  auto auth = request.Header("authorization");
  if (auth) {
    // An address that keeps failing gets no more memory-hard hashes of unknown tokens; a
    // token the server has verified before keeps working from it.
    if (auto wait = address_failures_.RetryAfter(client, now);
        wait.count() > 0 &&
        !tokens_.Find(Sha256Hex(auth->substr(std::min<size_t>(7, auth->size()))))) {
      return TooManyFailures(wait, "credentials from this address");
    }
    if (auth->rfind("Bearer ", 0) != 0 || auth->size() <= 7) {
      Response r = Problem(401, "Unauthorized",
                           "send Authorization: Bearer TOKEN (vigil user token, vigil token add)");
      r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"vigil\"");
      return r;
    }
    std::unique_lock<std::mutex> lock(mutex_);
    auto check = app_.service().PrepareAuthentication(auth->substr(7), tokens_);
    lock.unlock();
    if (!check.ok()) {
      return ProblemFor(check.status(), false);
    }
    // The memory-hard hash of a token not verified before runs outside the lock, a few at once.
    auto complete = [&] { return Service::CompleteAuthentication(*check, tokens_); };
    auto hashed = check->NeedsHash() ? hash_slots_.Run(lock, complete)
                                     : std::optional<Result<Identity>>(complete());
    if (!hashed) {
      return Busy();
    }
    auto& who = *hashed;
    if (!who.ok()) {
      address_failures_.Fail(client, now);
      Response r = Problem(401, "Unauthorized", who.status().message());
      r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"vigil\", error=\"invalid_token\"");
      return r;
    }
    return Caller{.who = *who};
  }
  std::string id = SessionIdOf(request);
  if (id.empty()) {
    Response r = Problem(401, "Unauthorized",
                         "sign in (POST /api/v1/session) or send Authorization: Bearer TOKEN "
                         "(vigil user token, vigil token add)");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"vigil\"");
    return r;
  }
  auto session = sessions_.Find(id, now);
  if (!session) {
    Response r = Problem(401, "Unauthorized", "the session has ended: sign in again");
    r.headers.emplace_back("Set-Cookie",
                           SessionCookie("", std::chrono::seconds(0), options_.secure_cookies));
    return r;
  }
  bool safe = request.method == "GET" || request.method == "HEAD";
  auto csrf = request.Header("x-csrf-token");
  if (!safe && (!csrf || !SameSecret(*csrf, session->csrf))) {
    return Problem(403, "Forbidden",
                   "a request of a session that changes something must send the session's "
                   "CSRF token in X-CSRF-Token (GET /api/v1/session gives it)");
  }
  return Caller{.who = Identity{.user = session->user}, .session = session, .session_id = id};
}

}  // namespace vigil::web
