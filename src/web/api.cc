#include "web/api.h"

#include <charconv>

#include <nlohmann/json.hpp>

#include "core/time.h"

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

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) {
      end = path.size();
    }
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  if (!out.empty() && out.back().empty()) {
    out.pop_back();  // a trailing slash
  }
  return out;
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
  return method == "POST" && (path == "/api/v1/scans" || path == "/api/v1/scans/");
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

Response Api::Handle(const Request& request) {
  if (request.path == "/healthz") {
    if (request.method != "GET" && request.method != "HEAD") {
      return Problem(405, "Method Not Allowed", "/healthz takes GET");
    }
    return JsonResponse(200, Json{{"status", "ok"}});
  }
  if (request.path.rfind("/api/v1/", 0) != 0) {
    return NotFoundRoute(request);
  }
  auto auth = request.Header("authorization");
  if (!auth || auth->rfind("Bearer ", 0) != 0 || auth->size() <= 7) {
    Response r = Problem(401, "Unauthorized",
                         "send Authorization: Bearer TOKEN (vigil user add / vigil user token)");
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"vigil\"");
    return r;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  auto who = app_.service().Authenticate(auth->substr(7), tokens_);
  if (!who.ok()) {
    Response r = Problem(401, "Unauthorized", who.status().message());
    r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"vigil\", error=\"invalid_token\"");
    return r;
  }
  Response r = Route(request, *who);
  r.user = who->user;
  return r;
}

// NOLINTNEXTLINE(readability-function-size): the route table, one branch per route
Response Api::Route(const Request& r, const Identity& who) {
  Service service = app_.service();
  std::vector<std::string> seg = Segments(r.path);  // "api", "v1", ...
  const std::string& m = r.method;
  auto resource = seg.size() > 2 ? seg[2] : "";
  auto list = [&](const Result<view::Table>& table) -> Response {
    if (!table.ok()) {
      return ProblemFor(table.status(), false);
    }
    auto page = Page(*table, r);
    return page.ok() ? JsonResponse(200, *page) : ProblemFor(page.status(), false);
  };
  if (m == "GET" && seg.size() == 3) {
    if (resource == "vulnerabilities") {
      return list(service.Vulnerabilities(who, VulnFilter{.class_name = r.Param("class"),
                                                          .cve = r.Param("cve"),
                                                          .asset = r.Param("asset"),
                                                          .scanner = r.Param("scanner"),
                                                          .kev = BoolParam(r, "kev"),
                                                          .epss_above = r.Param("epss_above"),
                                                          .all = BoolParam(r, "all")}));
    }
    if (resource == "findings") {
      return list(service.Findings(
          who, FindingFilter{.state = r.Param("state"),
                             .asset = r.Param("asset"),
                             .vuln = r.Param("vuln"),
                             .scanner = r.Param("scanner"),
                             .cve = r.Param("cve"),
                             .absent_unverified = BoolParam(r, "absent_unverified")}));
    }
    if (resource == "assets") {
      std::string state = r.Param("state");
      return list(service.Assets(who, AssetFilter{.state = state.empty() ? "all" : state,
                                                  .stale_after = r.Param("stale_after"),
                                                  .zone = r.Param("zone")}));
    }
    if (resource == "scanners") {
      std::string window = r.Param("window");
      return list(service.Scanners(who, window.empty() ? "30d" : window));
    }
    if (resource == "decisions") {
      std::string state = r.Param("state");
      return list(service.Decisions(
          who, DecisionFilter{.state = state.empty() ? "all" : state, .vuln = r.Param("vuln")}));
    }
    if (resource == "reviews") {
      return list(service.Reviews(who));
    }
    if (resource == "users") {
      return list(service.Users(who));
    }
    if (resource == "check") {
      return list(service.Check(who, CheckInput{.window = r.Param("window"),
                                                .coverage_window = r.Param("coverage_window")}));
    }
    if (resource == "clocks") {
      return list(service.Clocks(
          who, ClockFilter{
                   .status = r.Param("status"), .rule = r.Param("rule"), .vuln = r.Param("vuln")}));
    }
    if (resource == "coverage") {
      return list(service.Coverage(
          who, CoverageFilter{.zone = r.Param("zone"), .missed_only = BoolParam(r, "missed")}));
    }
  }
  if (m == "GET" && seg.size() == 4 && resource == "vulnerabilities") {
    auto detail = service.Vulnerability(who, seg[3]);
    return detail.ok() ? JsonResponse(200, ToJson(*detail)) : ProblemFor(detail.status(), false);
  }
  if (m == "GET" && seg.size() == 4 && resource == "audit" && seg[3] == "verify") {
    auto report = service.VerifyLog(who, {});
    return report.ok() ? JsonResponse(200, ToJson(*report)) : ProblemFor(report.status(), false);
  }
  if (m == "GET" && seg.size() == 5 && resource == "audit" && seg[3] == "proofs") {
    int64_t seq = 0;
    auto [end, ec] = std::from_chars(seg[4].data(), seg[4].data() + seg[4].size(), seq);
    if (ec != std::errc() || end != seg[4].data() + seg[4].size()) {
      return ProblemFor(FieldError("seq", "must be an event's sequence number"), false);
    }
    auto proof = service.InclusionProof(who, seq);
    return proof.ok() ? JsonResponse(200, *proof) : ProblemFor(proof.status(), false);
  }
  if (m == "POST" && seg.size() == 4 && resource == "audit" && seg[3] == "checkpoints") {
    auto cp = service.Checkpoint(who);
    if (!cp.ok()) {
      return ProblemFor(cp.status(), true);
    }
    return JsonResponse(201, Json{{"size", cp->size}, {"note", cp->note}});
  }
  if (m == "POST" && seg.size() == 3 && resource == "scans") {
    if (r.body_file.empty()) {
      return ProblemFor(InvalidInput("the body is empty: send the scanner's report as the body"),
                        true);
    }
    auto outcomes = service.Import(
        who, ImportInput{.files = {r.body_file},
                         .scanner = r.Param("scanner"),
                         .parser = r.Param("parser").empty() ? "auto" : r.Param("parser"),
                         .asset = r.Param("asset")});
    if (!outcomes.ok()) {
      std::string message = outcomes.status().message();
      for (size_t at = message.find(r.body_file); at != std::string::npos;
           at = message.find(r.body_file)) {
        message.replace(at, r.body_file.size(), "body");
      }
      return ProblemFor(Status(outcomes.status().code(), outcomes.status().field(), message),
                        false);
    }
    outcomes->front().file = "body";
    Json row = view::RowToJson(ImportTable(*outcomes), 0);
    Json warnings = outcomes->front().warnings;
    row["warning_messages"] = std::move(warnings);
    row["alarms"] = outcomes->front().alarms;
    return JsonResponse(outcomes->front().already_imported ? 200 : 201, row);
  }
  if (m == "POST") {
    auto body = BodyObject(r);
    if (!body.ok()) {
      return ProblemFor(body.status(), true);
    }
    auto decision_json = [](const Result<DecisionRecord>& d, int status) -> Response {
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
    };
    if (seg.size() == 3 && resource == "decisions") {
      auto in = DecideBody(*body);
      if (!in.ok()) {
        return ProblemFor(in.status(), true);
      }
      return decision_json(service.Decide(who, *in), 201);
    }
    if (seg.size() == 5 && resource == "decisions" && (seg[4] == "approve" || seg[4] == "reject")) {
      int64_t id = 0;
      auto [end, ec] = std::from_chars(seg[3].data(), seg[3].data() + seg[3].size(), id);
      if (ec != std::errc() || end != seg[3].data() + seg[3].size()) {
        return Problem(404, "Not Found", "no decision '" + seg[3] + "'");
      }
      if (seg[4] == "approve") {
        auto note = StringMember(*body, "note");
        return note.ok() ? decision_json(service.Approve(who, id, *note), 200)
                         : ProblemFor(note.status(), true);
      }
      auto basis = StringMember(*body, "basis");
      return basis.ok() ? decision_json(service.Reject(who, id, *basis), 200)
                        : ProblemFor(basis.status(), true);
    }
    if (seg.size() == 5 && resource == "assets" && seg[4] == "decommission") {
      auto reason = StringMember(*body, "reason");
      if (!reason.ok()) {
        return ProblemFor(reason.status(), true);
      }
      auto out = service.Decommission(who, seg[3], *reason);
      if (!out.ok()) {
        return ProblemFor(out.status(), true);
      }
      return JsonResponse(200, Json{{"asset", out->asset.name},
                                    {"decommissioned_at", FormatIso8601(out->at)},
                                    {"changed", out->changed}});
    }
  }
  return NotFoundRoute(r);
}

}  // namespace vigil::web
