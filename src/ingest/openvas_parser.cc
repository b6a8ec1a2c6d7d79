#include "ingest/openvas_parser.h"

#include <algorithm>
#include <charconv>

#include "core/text.h"
#include "ingest/byte_source.h"
#include "ingest/diagnostics.h"
#include "ingest/references.h"
#include "ingest/xml_reader.h"

namespace vigil {
namespace {

std::optional<double> ParseNumber(std::string_view s) {
  s = TrimSpace(s);
  double d = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
    return std::nullopt;
  }
  return d;
}

// QoD types of checks that read the target's own files or registry: they need a login.
bool IsLocalQodType(std::string_view type) {
  constexpr std::string_view kLocal[] = {"package", "registry", "executable_version",
                                         "package_unreliable", "executable_version_unreliable"};
  return std::find(std::begin(kLocal), std::end(kLocal), type) != std::end(kLocal);
}

// "summary=...|insight=...|solution_type=VendorFix": a value runs to the next '|' that starts
// another "key=".
std::unordered_map<std::string, std::string> ParseTags(std::string_view tags) {
  std::unordered_map<std::string, std::string> out;
  std::string* last = nullptr;
  size_t start = 0;
  while (start <= tags.size()) {
    size_t bar = tags.find('|', start);
    std::string_view piece = tags.substr(start, bar == std::string_view::npos ? bar : bar - start);
    size_t eq = piece.find('=');
    std::string_view key = eq == std::string_view::npos ? piece : piece.substr(0, eq);
    bool is_key = eq != std::string_view::npos && !key.empty() &&
                  std::all_of(key.begin(), key.end(), [](char c) {
                    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
                  });
    if (is_key) {
      last = &out[std::string(key)];
      *last = std::string(piece.substr(eq + 1));
    } else if (last != nullptr) {
      *last += "|" + std::string(piece);
    }
    if (bar == std::string_view::npos) {
      break;
    }
    start = bar + 1;
  }
  return out;
}

struct Severity {
  std::string type, score, value;
};

// One <result> while it is read.
struct ResultData {
  uint64_t line = 0, column = 0;
  std::string id, name, host, hostname, port, threat, severity, original_threat, original_severity,
      qod, qod_type, description, delta;
  std::string oid, nvt_name, family, cvss_base, tags, solution, cve, bid, xref;
  std::vector<std::pair<std::string, std::string>> refs;  // type, id
  std::vector<Severity> severities;
  std::string epss_max_severity, epss_max;
};

struct ReportHostData {
  uint64_t line = 0;
  std::string ip, start, end, detail_name, detail_value;
  std::vector<std::pair<std::string, std::string>> details;
};

class OpenVasHandler final : public XmlHandler {
 public:
  OpenVasHandler(XmlReader& reader, ReportSink& sink, Diagnostics& diagnostics)
      : reader_(reader), sink_(sink), diag_(diagnostics) {}

  Status OnStart(std::string_view name, const char** attrs) override;
  Status OnEnd(std::string_view name) override;
  Status OnText(std::string_view text) override {
    if (!sinks_.empty() && sinks_.back() != nullptr) {
      sinks_.back()->append(text);
    }
    return Status::Ok();
  }
  Status Finish();

 private:
  size_t depth() const { return stack_.size(); }
  const std::string& parent() const { return stack_[stack_.size() - 2]; }
  void Capture(std::string* target) { sinks_.back() = target; }
  Status StartRoot(std::string_view name, const char** attrs);
  void StartInReport(std::string_view name);
  void StartInResult(std::string_view name, const char** attrs);
  void StartInHost(std::string_view name);
  void EndInReport(std::string_view name);
  void FinishResult();
  bool ResultRatings(VulnerabilityDef& v);
  void NvtTexts(const std::string& oid, VulnerabilityDef& v);
  void NvtScores(VulnerabilityDef& v);
  void NvtRefs(VulnerabilityDef& v);
  void FinishHost();
  void Warn(uint64_t line, uint64_t column, std::string record, std::string field,
            std::string message);
  void WarnResult(std::string field, std::string message);
  void CheckFilter();

  XmlReader& reader_;
  ReportSink& sink_;
  Diagnostics& diag_;
  std::vector<std::string> stack_;
  std::vector<std::string*> sinks_;
  std::vector<bool> report_level_;  // parallel to stack_: a <report> (or the root)
  size_t results_depth_ = 0, result_depth_ = 0, host_depth_ = 0, task_depth_ = 0, gmp_depth_ = 0,
         filters_depth_ = 0;

  ResultData result_;
  ReportHostData host_;
  openvas::HostCollector hosts_;
  std::string text_;              // a report-level element's text
  std::string cvss_base_vector_;  // the result's tag, for NvtScores
  std::string report_name_, task_name_, gmp_version_, scan_start_, scan_end_, filter_term_;
  XmlPosition filter_at_;
};

void OpenVasHandler::Warn(uint64_t line, uint64_t column, std::string record, std::string field,
                          std::string message) {
  diag_.Add(Diagnostic{.line = line,
                       .column = column,
                       .record = std::move(record),
                       .field = std::move(field),
                       .message = std::move(message)});
}

void OpenVasHandler::WarnResult(std::string field, std::string message) {
  std::string record = "result " + std::string(TrimSpace(result_.id));
  if (!TrimSpace(result_.host).empty()) {
    record += " (host " + std::string(TrimSpace(result_.host)) + " / NVT " +
              std::string(TrimSpace(result_.oid)) + ")";
  }
  Warn(result_.line, result_.column, std::move(record), std::move(field), std::move(message));
}

Status OpenVasHandler::OnStart(std::string_view name, const char** attrs) {
  stack_.emplace_back(name);
  sinks_.push_back(nullptr);
  report_level_.push_back(false);
  if (depth() == 1) {
    return StartRoot(name, attrs);
  }
  if (result_depth_ > 0) {
    StartInResult(name, attrs);
  } else if (host_depth_ > 0) {
    StartInHost(name);
  } else if (report_level_[depth() - 2]) {
    StartInReport(name);
  } else if (results_depth_ > 0 && depth() == results_depth_ + 1 && name == "result") {
    result_depth_ = depth();
    result_ = ResultData{};
    XmlPosition at = reader_.position();
    result_.line = at.line;
    result_.column = at.column;
    const char* id = XmlReader::Attr(attrs, "id");
    result_.id = id != nullptr ? id : "";
  } else if (task_depth_ > 0 && depth() == task_depth_ + 1 && name == "name") {
    text_.clear();
    Capture(&text_);
  } else if (gmp_depth_ > 0 && depth() == gmp_depth_ + 1 && name == "version") {
    Capture(&gmp_version_);
  } else if (filters_depth_ > 0 && depth() == filters_depth_ + 1 && name == "term") {
    filter_at_ = reader_.position();
    Capture(&filter_term_);
  }
  return Status::Ok();
}

Status OpenVasHandler::StartRoot(std::string_view name, const char** attrs) {
  report_level_.back() = true;
  if (name != "report" && name != "get_reports_response") {
    return InvalidInput(
        "expected root element <report> or <get_reports_response> (a Greenbone "
        "report), found <" +
        std::string(name) + ">");
  }
  const char* status = XmlReader::Attr(attrs, "status");
  if (name == "get_reports_response" && status != nullptr && status[0] != '2') {
    const char* text = XmlReader::Attr(attrs, "status_text");
    return InvalidInput("the GMP response reports failure, status " + std::string(status) +
                        (text != nullptr ? std::string(": ") + text : std::string()) +
                        "; it holds no report");
  }
  return Status::Ok();
}

void OpenVasHandler::StartInReport(std::string_view name) {
  if (name == "report") {
    report_level_.back() = true;
  } else if (name == "results") {
    results_depth_ = depth();
  } else if (name == "host") {
    host_depth_ = depth();
    host_ = ReportHostData{};
    host_.line = reader_.position().line;
  } else if (name == "task") {
    task_depth_ = depth();
  } else if (name == "gmp") {
    gmp_depth_ = depth();
  } else if (name == "filters") {
    filters_depth_ = depth();
  } else if (name == "scan_start" || name == "scan_end" || name == "name") {
    text_.clear();
    Capture(&text_);
  }
}

void OpenVasHandler::StartInResult(std::string_view name, const char** attrs) {
  size_t rel = depth() - result_depth_;
  const std::string& up = parent();
  ResultData& r = result_;
  auto attr = [&](std::string_view n) {
    const char* v = XmlReader::Attr(attrs, n);
    return v != nullptr ? std::string(v) : std::string();
  };
  if (rel == 1) {
    std::string* targets[] = {
        &r.host,        &r.port, &r.threat, &r.severity, &r.original_threat, &r.original_severity,
        &r.description, &r.name, &r.delta};
    constexpr std::string_view kNames[] = {
        "host",        "port", "threat", "severity", "original_threat", "original_severity",
        "description", "name", "delta"};
    for (size_t i = 0; i < std::size(kNames); ++i) {
      if (name == kNames[i]) {
        Capture(targets[i]);
      }
    }
    if (name == "nvt") {
      r.oid = attr("oid");
    }
  } else if (rel == 2 && up == "host" && name == "hostname") {
    Capture(&r.hostname);
  } else if (rel == 2 && up == "qod") {
    Capture(name == "value" ? &r.qod : name == "type" ? &r.qod_type : nullptr);
  } else if (rel == 2 && up == "nvt") {
    std::string* targets[] = {&r.nvt_name, &r.family, &r.cvss_base, &r.tags,
                              &r.solution, &r.cve,    &r.bid,       &r.xref};
    constexpr std::string_view kNames[] = {"name",     "family", "cvss_base", "tags",
                                           "solution", "cve",    "bid",       "xref"};
    for (size_t i = 0; i < std::size(kNames); ++i) {
      if (name == kNames[i]) {
        Capture(targets[i]);
      }
    }
  } else if (rel == 3 &&
             ((up == "refs" && name == "ref") || (up == "cert" && name == "cert_ref"))) {
    r.refs.emplace_back(attr("type"), attr("id"));
  } else if (rel == 3 && up == "severities" && name == "severity") {
    r.severities.push_back(Severity{.type = attr("type")});
  } else if (rel == 4 && up == "severity" && !r.severities.empty()) {
    Capture(name == "score"   ? &r.severities.back().score
            : name == "value" ? &r.severities.back().value
                              : nullptr);
  } else if (rel == 4 && name == "score" && (up == "max_severity" || up == "max_epss")) {
    Capture(up == "max_epss" ? &r.epss_max : &r.epss_max_severity);
  }
}

void OpenVasHandler::StartInHost(std::string_view name) {
  size_t rel = depth() - host_depth_;
  if (rel == 1 && (name == "ip" || name == "start" || name == "end")) {
    Capture(name == "ip" ? &host_.ip : name == "start" ? &host_.start : &host_.end);
  } else if (rel == 1 && name == "detail") {
    host_.detail_name.clear();
    host_.detail_value.clear();
  } else if (rel == 2 && parent() == "detail") {
    Capture(name == "name" ? &host_.detail_name : name == "value" ? &host_.detail_value : nullptr);
  }
}

Status OpenVasHandler::OnEnd(std::string_view name) {
  size_t d = depth();
  if (result_depth_ > 0) {
    if (d == result_depth_) {
      result_depth_ = 0;
      FinishResult();
    }
  } else if (host_depth_ > 0) {
    if (d == host_depth_) {
      host_depth_ = 0;
      FinishHost();
    } else if (d == host_depth_ + 1 && name == "detail") {
      host_.details.emplace_back(std::string(TrimSpace(host_.detail_name)),
                                 std::string(TrimSpace(host_.detail_value)));
    }
  } else if (d >= 2 && report_level_[d - 2]) {
    EndInReport(name);
  } else if (task_depth_ > 0 && d == task_depth_ + 1 && name == "name" && task_name_.empty()) {
    task_name_ = std::string(TrimSpace(text_));
  }
  stack_.pop_back();
  sinks_.pop_back();
  report_level_.pop_back();
  return Status::Ok();
}

void OpenVasHandler::EndInReport(std::string_view name) {
  std::string value(TrimSpace(text_));
  if (name == "results") {
    results_depth_ = 0;
  } else if (name == "task") {
    task_depth_ = 0;
  } else if (name == "gmp") {
    gmp_depth_ = 0;
  } else if (name == "filters") {
    filters_depth_ = 0;
  } else if (name == "scan_start" && scan_start_.empty()) {
    scan_start_ = value;
  } else if (name == "scan_end" && scan_end_.empty()) {
    scan_end_ = value;
  } else if (name == "name" && report_name_.empty()) {
    report_name_ = value;
  }
}

bool OpenVasHandler::ResultRatings(VulnerabilityDef& v) {
  const ResultData& r = result_;
  bool has_original = !TrimSpace(r.original_severity).empty();
  std::string_view threat = TrimSpace(
      has_original && !TrimSpace(r.original_threat).empty() ? r.original_threat : r.threat);
  std::string_view raw = TrimSpace(has_original ? r.original_severity : r.severity);
  std::optional<double> severity = ParseNumber(raw);
  if (threat == "Error" || (severity && *severity <= -2.5 && *severity >= -3.5)) {
    WarnResult("severity", "an error message from the scanner, not a finding; result skipped");
    return false;
  }
  v.risk_factor = openvas::RiskWord(threat);
  if (severity && *severity >= 0 && *severity <= 10) {
    v.scanner_severity = openvas::SeverityLevel(*severity);
  } else if (!raw.empty() && !(severity && *severity < 0)) {
    WarnResult(has_original ? "original_severity" : "severity",
               "'" + std::string(raw) + "' is not a severity in 0..10; ignored");
  }
  if (!v.scanner_severity && openvas::ThreatLevel(threat) >= 0) {
    v.scanner_severity = openvas::ThreatLevel(threat);
  }
  return true;
}

void OpenVasHandler::FinishResult() {
  ResultData& r = result_;
  if (TrimSpace(r.delta) == "gone") {
    return;  // a delta report's result that the newer report no longer has
  }
  std::string ip(TrimSpace(r.host));
  std::string oid(TrimSpace(r.oid));
  if (ip.empty()) {
    WarnResult("host", "missing; result skipped");
    return;
  }
  if (oid.empty()) {
    WarnResult("nvt", "no oid; result skipped");
    return;
  }
  openvas::Finding f{.line = r.line};
  if (!openvas::ParsePort(r.port, f.port, f.protocol, f.service)) {
    WarnResult("port", "'" + std::string(TrimSpace(r.port)) + "' is not a port; result skipped");
    return;
  }
  VulnerabilityDef v;
  if (!ResultRatings(v)) {
    return;
  }
  std::string_view qod = TrimSpace(r.qod);
  if (std::optional<double> q = ParseNumber(qod);
      q && *q >= 0 && *q <= 100 && *q == static_cast<int>(*q)) {
    f.qod = static_cast<int>(*q);
  } else if (!qod.empty()) {
    WarnResult("qod", "'" + std::string(qod) + "' is not a QoD in 0..100; ignored");
  }
  f.output = std::move(r.description);
  if (!hosts_.HasNvt(oid)) {
    NvtTexts(oid, v);
    NvtScores(v);
    NvtRefs(v);
    hosts_.AddNvt(std::move(v));
  }
  HostObservation& host = hosts_.Host(ip, r.line);
  openvas::SetHostName(host, TrimSpace(r.hostname));
  hosts_.Add(ip, oid, std::move(f));
}

void OpenVasHandler::NvtTexts(const std::string& oid, VulnerabilityDef& v) {
  const ResultData& r = result_;
  v.key = "openvas:" + oid;
  v.source = "openvas";
  v.source_id = oid;
  v.title = std::string(TrimSpace(!TrimSpace(r.nvt_name).empty() ? r.nvt_name : r.name));
  v.family = std::string(TrimSpace(r.family));
  auto tags = ParseTags(r.tags);
  auto tag = [&](const char* k) { return std::string(TrimSpace(tags[k])); };
  v.synopsis = tag("summary");
  v.description = openvas::Description(tag("insight"), tag("affected"), tag("impact"));
  v.solution = std::string(TrimSpace(r.solution));
  if (v.solution.empty() && tag("solution") != "N/A") {
    v.solution = tag("solution");
  }
  std::string qod_type(TrimSpace(r.qod_type));
  if (qod_type.empty()) {
    qod_type = tag("qod_type").empty() ? tag("qodType") : tag("qod_type");
  }
  if (!qod_type.empty()) {
    v.check_type = IsLocalQodType(qod_type) ? "local" : "remote";
  }
  cvss_base_vector_ = tag("cvss_base_vector");
}

void OpenVasHandler::NvtScores(VulnerabilityDef& v) {
  const ResultData& r = result_;
  auto score = [&](std::string_view text, std::optional<double>& out, double max,
                   const char* field) {
    text = TrimSpace(text);
    if (text.empty()) {
      return;
    }
    std::optional<double> d = ParseNumber(text);
    if (d && *d >= 0 && *d <= max) {
      out = d;
    } else {
      WarnResult(field, "'" + std::string(text) + "' is not a score in 0.." +
                            (max == 1.0 ? "1" : "10") + "; ignored");
    }
  };
  for (const Severity& s : r.severities) {
    std::string_view type = TrimSpace(s.type);
    std::string vector(TrimSpace(s.value));
    if (type == "cvss_base_v3") {
      score(s.score, v.cvss3_score, 10, "severities/severity/score");
      v.cvss3_vector = vector;
    } else if (type == "cvss_base_v2") {
      score(s.score, v.cvss2_score, 10, "severities/severity/score");
      v.cvss2_vector = vector;
    } else if (type == "cvss_base_v4") {
      score(s.score, v.cvss4_score, 10, "severities/severity/score");
      v.cvss4_vector = vector;
    }
  }
  if (!v.cvss2_score && !v.cvss3_score && !v.cvss4_score) {
    // Before GMP 20.08 (and in tags since): nvt/cvss_base and the tag cvss_base_vector,
    // whose prefix tells the version; no prefix is CVSS v2.
    const std::string& vector = cvss_base_vector_;
    bool v3 = vector.rfind("CVSS:3", 0) == 0, v4 = vector.rfind("CVSS:4", 0) == 0;
    score(r.cvss_base, v4 ? v.cvss4_score : v3 ? v.cvss3_score : v.cvss2_score, 10, "cvss_base");
    (v4 ? v.cvss4_vector : v3 ? v.cvss3_vector : v.cvss2_vector) = vector;
  }
  score(!TrimSpace(r.epss_max).empty() ? r.epss_max : r.epss_max_severity, v.epss_score, 1, "epss");
}

void OpenVasHandler::NvtRefs(VulnerabilityDef& v) {
  const ResultData& r = result_;
  for (const auto& [type, id] : r.refs) {
    std::string t = AsciiLower(TrimSpace(type));
    if (t == "cve" || t == "cwe" || t == "bid") {
      openvas::AddRef(v, t, TrimSpace(id));
    } else if (t == "url") {
      openvas::AddRef(v, "see_also", TrimSpace(id));
    } else {
      openvas::AddCert(v, TrimSpace(id), t);
    }
  }
  // GMP 8/9 reports: comma-separated lists inside nvt, with NOCVE/NOBID/NOXREF for none.
  for (const auto& cve : SplitNonEmpty(r.cve, ", ")) {
    if (cve != "NOCVE") {
      openvas::AddRef(v, "cve", cve);
    }
  }
  for (const auto& bid : SplitNonEmpty(r.bid, ", ")) {
    if (bid != "NOBID") {
      openvas::AddRef(v, "bid", bid);
    }
  }
  for (const auto& xref : SplitNonEmpty(r.xref, ", ")) {
    if (xref.rfind("URL:", 0) == 0) {
      openvas::AddRef(v, "see_also", xref.substr(4));
    } else if (xref != "NOXREF") {
      openvas::AddRef(v, "xref", xref);
    }
  }
}

void OpenVasHandler::FinishHost() {
  std::string ip(TrimSpace(host_.ip));
  if (ip.empty()) {
    return;
  }
  HostObservation& host = hosts_.Host(ip, host_.line);
  auto time_of = [&](const std::string& text, const char* field, std::optional<Timestamp>& out) {
    std::string_view t = TrimSpace(text);
    if (t.empty()) {
      return;
    }
    auto parsed = ParseIso8601(t);
    if (parsed.ok()) {
      out = *parsed;
    } else {
      Warn(host_.line, 1, "host " + ip, field, parsed.status().message() + "; ignored");
    }
  };
  time_of(host_.start, "start", host.start);
  time_of(host_.end, "end", host.end);
  std::string os_txt, os_cpe;
  bool success = false, failure = false;
  for (const auto& [name, value] : host_.details) {
    if (name == "hostname") {
      openvas::SetHostName(host, value);
    } else if (name == "best_os_txt") {
      os_txt = value;
    } else if (name == "best_os_cpe") {
      os_cpe = value;
    } else if (name.rfind("Auth-", 0) == 0) {
      success = success || name.find("-Success") != std::string::npos;
      failure = failure || name.find("-Failure") != std::string::npos;
    }
  }
  if (host.os.empty()) {
    host.os = !os_txt.empty() ? os_txt : os_cpe;
  }
  // As gvmd verifies ticket fixes: any failed login spoils the pass, else one success is a
  // credentialed pass.
  if (failure) {
    host.credentialed = false;
  } else if (success) {
    host.credentialed = true;
  }
}

void OpenVasHandler::CheckFilter() {
  constexpr std::string_view kLevels = "chmlg";  // critical, high, medium, low, log
  std::vector<std::string> hidden;
  for (const auto& token : SplitNonEmpty(filter_term_, " \t\n")) {
    size_t eq = token.find('=');
    if (eq == std::string::npos) {
      continue;
    }
    std::string key = token.substr(0, eq), value = token.substr(eq + 1);
    std::optional<double> n = ParseNumber(value);
    if (key == "min_qod" && n && *n > 0) {
      hidden.push_back("results with a QoD below " + value);
    } else if (key == "levels" && !std::all_of(kLevels.begin(), kLevels.end(), [&](char c) {
                 return value.find(c) != std::string::npos;
               })) {
      hidden.push_back("results of levels other than '" + value + "'");
    } else if (key == "rows" && n && *n > 0) {
      hidden.push_back("results past the first " + value);
    } else if (key == "first" && n && *n > 1) {
      hidden.push_back("the first " + std::to_string(static_cast<long>(*n) - 1) + " results");
    }
  }
  if (!hidden.empty()) {
    Warn(filter_at_.line, filter_at_.column, "report", "filters/term",
         "the report was exported with the filter '" + std::string(TrimSpace(filter_term_)) +
             "', which leaves out " + Join(hidden, " and ") +
             ": vigil cannot see them, and findings they held may look fixed (export with "
             "'apply_overrides=0 min_qod=0 levels=chmlg rows=-1 first=1')");
  }
}

Status OpenVasHandler::Finish() {
  ReportHeader header{.format = "openvas",
                      .report_name = !task_name_.empty() ? task_name_ : report_name_};
  std::string version(TrimSpace(gmp_version_));
  if (!version.empty()) {
    header.tool = "Greenbone GMP " + version;
  }
  CheckFilter();
  RETURN_IF_ERROR(sink_.OnHeader(header));
  std::optional<Timestamp> start, end;
  for (auto [text, out] : {std::pair{&scan_start_, &start}, std::pair{&scan_end_, &end}}) {
    if (!text->empty()) {
      auto t = ParseIso8601(*text);
      if (t.ok()) {
        *out = *t;
      } else {
        Warn(1, 1, "report", text == &scan_start_ ? "scan_start" : "scan_end",
             t.status().message() + "; ignored");
      }
    }
  }
  return hosts_.Emit(sink_, start, end);
}

}  // namespace

Status ParseOpenVas(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics) {
  XmlReader reader;
  OpenVasHandler handler(reader, sink, diagnostics);
  RETURN_IF_ERROR(reader.Parse(source, handler));
  return handler.Finish();
}

namespace openvas {

bool ParsePort(std::string_view text, int& port, std::string& protocol, std::string& service) {
  text = TrimSpace(text);
  port = 0;
  protocol.clear();
  service.clear();
  // The legacy form "https (443/tcp)".
  size_t paren = text.find(" (");
  if (paren != std::string_view::npos && text.back() == ')') {
    service = std::string(TrimSpace(text.substr(0, paren)));
    text = text.substr(paren + 2, text.size() - paren - 3);
  }
  size_t slash = text.find('/');
  std::string_view number = text.substr(0, slash);
  if (text.empty() || number == "general" || text == "package") {
    if (service.empty()) {
      service = std::string(text);
    }
    return true;
  }
  auto [ptr, ec] = std::from_chars(number.data(), number.data() + number.size(), port);
  if (ec != std::errc() || ptr != number.data() + number.size() || port < 0 || port > 65535) {
    port = 0;
    return false;
  }
  protocol = slash == std::string_view::npos ? "" : AsciiLower(TrimSpace(text.substr(slash + 1)));
  return true;
}

int SeverityLevel(double severity) {
  return severity >= 9.0 ? 4 : severity >= 7.0 ? 3 : severity >= 4.0 ? 2 : severity >= 0.1 ? 1 : 0;
}

std::string RiskWord(std::string_view threat) {
  threat = TrimSpace(threat);
  if (threat == "Log" || threat == "Debug") {
    return "None";
  }
  return std::string(threat);
}

int ThreatLevel(std::string_view threat) {
  std::string t = AsciiLower(TrimSpace(threat));
  return t == "critical" || t == "alarm" ? 4
         : t == "high"                   ? 3
         : t == "medium"                 ? 2
         : t == "low"                    ? 1
         : t == "log" || t == "debug"    ? 0
                                         : -1;
}

std::string Description(std::string_view insight, std::string_view affected,
                        std::string_view impact) {
  std::vector<std::string> parts;
  auto add = [&](std::string_view label, std::string_view text) {
    text = TrimSpace(text);
    if (!text.empty() && text != "N/A") {
      parts.push_back(std::string(label) + std::string(text));
    }
  };
  add("", insight);
  add("Affected: ", affected);
  add("Impact: ", impact);
  return Join(parts, "\n\n");
}

void AddRef(VulnerabilityDef& v, std::string_view kind, std::string_view value) {
  if (!value.empty()) {
    AppendReference(v.refs, Reference{std::string(kind), std::string(value)});
  }
}

void AddCert(VulnerabilityDef& v, std::string_view id, std::string_view type) {
  id = TrimSpace(id);
  std::string kind = AsciiUpper(type);
  if (kind.empty() || kind == "CERT") {
    kind = id.rfind("DFN-CERT", 0) == 0 ? "DFN-CERT" : "CERT-BUND";
  }
  if (!id.empty()) {
    AddRef(v, "xref", kind + ":" + std::string(id));
  }
}

void SetHostName(HostObservation& host, std::string_view name) {
  name = TrimSpace(name);
  if (name.empty() || name == host.ip) {
    return;
  }
  bool numeric = std::all_of(name.begin(), name.end(),
                             [](char c) { return (c >= '0' && c <= '9') || c == '.' || c == ':'; });
  if (name.find('.') != std::string_view::npos && !numeric) {
    if (host.fqdn.empty()) {
      host.fqdn = AsciiLower(name);
    }
  } else if (host.hostname.empty() && !numeric) {
    host.hostname = std::string(name);
  }
}

HostObservation& HostCollector::Host(const std::string& ip, uint64_t line) {
  auto [it, inserted] = by_ip_.emplace(ip, hosts_.size());
  if (inserted) {
    hosts_.emplace_back();
    hosts_.back().host.report_name = ip;
    hosts_.back().host.ip = ip;
    hosts_.back().host.line = line;
  }
  return hosts_[it->second].host;
}

void HostCollector::AddNvt(VulnerabilityDef def) {
  by_oid_.emplace(def.source_id, nvts_.size());
  nvts_.push_back(std::move(def));
}

void HostCollector::Add(const std::string& ip, const std::string& oid, Finding finding) {
  Entry& e = hosts_[by_ip_.at(ip)];
  size_t nvt = by_oid_.at(oid);
  std::string key =
      std::to_string(nvt) + '\x1f' + std::to_string(finding.port) + '\x1f' + finding.protocol;
  auto [it, inserted] = e.index.emplace(std::move(key), e.findings.size());
  if (inserted) {
    e.findings.emplace_back(nvt, std::move(finding));
    return;
  }
  Finding& into = e.findings[it->second].second;
  e.outputs.try_emplace(it->second, OutputMerge::Unit::kWhole, "\n\n")
      .first->second.Append(into.output, finding.output);
  if (!into.qod || (finding.qod && *finding.qod > *into.qod)) {
    into.qod = finding.qod;
  }
}

Status HostCollector::Emit(ReportSink& sink, std::optional<Timestamp> start,
                           std::optional<Timestamp> end) {
  for (Entry& e : hosts_) {
    HostObservation& host = e.host;
    if (!host.start && !host.end) {
      host.start = start;
      host.end = end;
    }
    host.items.reserve(e.findings.size());
    for (auto& [nvt, f] : e.findings) {
      host.items.push_back(ItemObservation{.port = f.port,
                                           .protocol = std::move(f.protocol),
                                           .service = std::move(f.service),
                                           .qod = f.qod,
                                           .output = std::move(f.output),
                                           .line = f.line});
      shared_.Attach(nvts_[nvt], host.items.back());
    }
    e.findings = {};
    e.index = {};
    e.outputs = {};
    RETURN_IF_ERROR(sink.OnHost(host));
    host = HostObservation{};
  }
  return Status::Ok();
}

}  // namespace openvas
}  // namespace vigil
