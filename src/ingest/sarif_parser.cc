#include "ingest/sarif_parser.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "core/time.h"
#include "ingest/byte_source.h"
#include "ingest/diagnostics.h"
#include "ingest/json_stream.h"
#include "ingest/json_value.h"
#include "ingest/output_merge.h"
#include "ingest/references.h"
#include "ingest/report.h"
#include "ingest/sarif_uri.h"
#include "ingest/severity_words.h"
#include "ingest/shared_definitions.h"

namespace vigil {
namespace {

using json = nlohmann::json;

constexpr std::string_view kVersion = "2.1.0";

// The text of a multiformatMessageString or message object at obj[key].
std::string TextAt(const json& obj, const char* key) {
  const json* v = JsonGet(obj, key);
  return v != nullptr ? JsonStringAt(*v, "text") : "";
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

// Every "CVE-YYYY-NNNN..." in `text`, upper-cased.
std::vector<std::string> CvesIn(std::string_view text) {
  std::vector<std::string> out;
  std::string upper = AsciiUpper(text);
  for (size_t at = upper.find("CVE-"); at != std::string::npos; at = upper.find("CVE-", at + 4)) {
    size_t i = at + 4;
    size_t year = 0;
    for (; i < upper.size() && IsDigit(upper[i]); ++i) {
      ++year;
    }
    if (year != 4 || i >= upper.size() || upper[i] != '-') {
      continue;
    }
    size_t digits = 0;
    for (++i; i < upper.size() && IsDigit(upper[i]); ++i) {
      ++digits;
    }
    if (digits >= 4) {
      out.push_back(upper.substr(at, i - at));
    }
  }
  return out;
}

// "CWE-79" from a tag such as "external/cwe/cwe-079", "CWE-79" or "cwe:79"; empty otherwise.
std::string CweOf(std::string_view tag) {
  std::string t = AsciiLower(TrimSpace(tag));
  for (std::string_view prefix : {"external/cwe/cwe-", "cwe-", "cwe:"}) {
    if (t.compare(0, prefix.size(), prefix) != 0) {
      continue;
    }
    std::string_view digits = std::string_view(t).substr(prefix.size());
    if (digits.empty() || !std::all_of(digits.begin(), digits.end(), IsDigit)) {
      return "";
    }
    size_t nonzero = std::min(digits.find_first_not_of('0'), digits.size() - 1);
    return "CWE-" + std::string(digits.substr(nonzero));
  }
  return "";
}

void AddRef(std::vector<Reference>& refs, std::string kind, std::string value) {
  if (value.empty()) {
    return;
  }
  AppendReference(refs, Reference{std::move(kind), std::move(value)});
}

// ---- Rules and results ---------------------------------------------------------------------

struct Rule {
  std::string id;
  std::string title;
  std::string description;
  std::string default_level;
  const json* security_severity = nullptr;
  std::vector<Reference> refs;
  const json* messages = nullptr;  // messageStrings
};

// One tool component's (driver's or extension's) rules.
struct Component {
  std::vector<Rule> rules;
  std::unordered_map<std::string, size_t> by_id;
  const json* global_messages = nullptr;

  const Rule* Lookup(const std::string& id, int64_t index) const {
    if (index >= 0 && static_cast<size_t>(index) < rules.size()) {
      return &rules[static_cast<size_t>(index)];
    }
    auto it = by_id.find(id);
    if (it == by_id.end() && id.find('/') != std::string::npos) {
      it = by_id.find(id.substr(0, id.find('/')));  // a hierarchical id "C2001/sub"
    }
    return it == by_id.end() ? nullptr : &rules[it->second];
  }
};

Rule ReadRule(const json& r) {
  Rule rule;
  rule.id = JsonStringAt(r, "id");
  rule.title = TextAt(r, "shortDescription");
  if (rule.title.empty()) {
    rule.title = JsonStringAt(r, "name");
  }
  rule.description = TextAt(r, "fullDescription");
  if (rule.description.empty()) {
    rule.description = TextAt(r, "help");
  }
  if (const json* config = JsonGet(r, "defaultConfiguration")) {
    rule.default_level = JsonStringAt(*config, "level");
  }
  rule.messages = JsonGet(r, "messageStrings");
  std::vector<std::string> cve_text = {rule.id, JsonStringAt(r, "name")};
  if (const json* props = JsonGet(r, "properties")) {
    rule.security_severity = JsonGet(*props, "security-severity");
    for (const char* list : {"tags", "cwe"}) {
      for (const json& tag : JsonArrayAt(*props, list)) {
        if (tag.is_string()) {
          AddRef(rule.refs, "cwe", CweOf(tag.get<std::string>()));
          cve_text.push_back(tag.get<std::string>());
        }
      }
    }
  }
  if (const json* relations = JsonGet(r, "relationships"); relations && relations->is_array()) {
    for (const json& rel : *relations) {
      if (const json* target = JsonGet(rel, "target")) {
        AddRef(rule.refs, "cwe", CweOf(JsonStringAt(*target, "id")));
      }
    }
  }
  for (const std::string& text : cve_text) {
    for (std::string& cve : CvesIn(text)) {
      AddRef(rule.refs, "cve", std::move(cve));
    }
  }
  AddRef(rule.refs, "see_also", std::string(TrimSpace(JsonStringAt(r, "helpUri"))));
  return rule;
}

Component ReadComponent(const json& tool_component) {
  Component c;
  c.global_messages = JsonGet(tool_component, "globalMessageStrings");
  for (const json& r : JsonArrayAt(tool_component, "rules")) {
    c.rules.push_back(ReadRule(r));
    if (!c.rules.back().id.empty()) {
      c.by_id.emplace(c.rules.back().id, c.rules.size() - 1);
    }
  }
  return c;
}

// A result as read from the file, kept until its run ends.
struct PendingResult {
  std::string rule_id;
  int64_t rule_index = -1;
  int64_t component = -1;  // rule.toolComponent.index: -1 = the driver
  std::string level;
  std::string message;
  std::string message_id;
  std::vector<std::string> arguments;
  std::optional<std::string> security_severity;
  std::string uri;
  std::string uri_base_id;
  int64_t artifact_index = -1;
  std::string fingerprint;
  int64_t start_line = 0;
  std::optional<VexAnalysis> vex;
  JsonPosition at;
  std::string record;
};

// The primaryLocationLineHash, else the value of the lexicographically first key.
std::string FingerprintOf(const json& result) {
  const json* prints = JsonGet(result, "partialFingerprints");
  if (prints == nullptr || !prints->is_object() || prints->empty()) {
    return "";
  }
  if (std::string v = JsonStringAt(*prints, "primaryLocationLineHash"); !v.empty()) {
    return v;
  }
  std::map<std::string, std::string> sorted;
  for (const auto& [k, v] : prints->items()) {
    if (v.is_string() && !v.get<std::string>().empty()) {
      sorted.emplace(k, v.get<std::string>());
    }
  }
  return sorted.empty() ? "" : sorted.begin()->second;
}

// The artifact, start line and fingerprint of a result's first location.
void ReadLocation(const json& result, PendingResult& p) {
  const json& locations = JsonArrayAt(result, "locations");
  const json* physical = locations.empty() ? nullptr : JsonGet(locations[0], "physicalLocation");
  if (physical == nullptr) {
    return;
  }
  if (const json* artifact = JsonGet(*physical, "artifactLocation")) {
    p.uri = JsonStringAt(*artifact, "uri");
    p.uri_base_id = JsonStringAt(*artifact, "uriBaseId");
    p.artifact_index = JsonIntAt(*artifact, "index").value_or(-1);
  }
  if (const json* region = JsonGet(*physical, "region")) {
    p.start_line = JsonIntAt(*region, "startLine").value_or(0);
  }
  p.fingerprint = FingerprintOf(result);
}

// A suppression accepted (or without a status) proposes a false positive; one under review
// puts the finding in triage; rejected ones are no statement.
std::optional<VexAnalysis> VexOf(const json& result) {
  const json* list = JsonGet(result, "suppressions");
  if (list == nullptr || !list->is_array()) {
    return std::nullopt;
  }
  std::optional<VexAnalysis> triage;
  for (const json& s : *list) {
    std::string status = JsonStringAt(s, "status");
    if (status.empty()) {
      status = JsonStringAt(s, "state");  // the name in pre-release 2.1.0 logs
    }
    VexAnalysis vex{.justification = JsonStringAt(s, "kind"),
                    .detail = std::string(TrimSpace(JsonStringAt(s, "justification")))};
    if (status.empty() || status == "accepted") {
      vex.state = "false_positive";
      return vex;
    }
    if (status == "underReview" && !triage) {
      vex.state = "in_triage";
      triage = vex;
    }
  }
  return triage;
}

// How far a statement is from closing a finding: the lowest wins when results merge, so one
// unsuppressed result keeps the finding open.
int VexRank(const std::optional<VexAnalysis>& vex) {
  if (!vex) {
    return 0;
  }
  return vex->state == "in_triage" ? 1 : 2;
}

// A messageStrings pattern with "{0}", "{1}", ... replaced by the arguments; a placeholder
// without an argument stays as written.
std::string FormatMessage(const std::string& pattern, const std::vector<std::string>& args) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    size_t close = pattern.find('}', i);
    size_t n = 0;
    if (pattern[i] == '{' && close != std::string::npos && close > i + 1) {
      auto [ptr, ec] = std::from_chars(pattern.data() + i + 1, pattern.data() + close, n);
      if (ec == std::errc() && ptr == pattern.data() + close && n < args.size()) {
        out += args[n];
        i = close;
        continue;
      }
    }
    out.push_back(pattern[i]);
  }
  return out;
}

// "CodeQL" → "codeql", "Shell Script Analysis" → "shell-script-analysis".
std::string ToolKey(std::string_view name) {
  std::string out = AsciiLower(TrimSpace(name));
  for (char& c : out) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      c = '-';
    }
  }
  return out;
}

std::optional<SeverityLevel> LevelSeverity(std::string_view level) {
  if (level == "error") {
    return SeverityLevel{"High", 3};
  }
  if (level == "warning") {
    return SeverityLevel{"Medium", 2};
  }
  if (level == "note") {
    return SeverityLevel{"Low", 1};
  }
  if (level == "none") {
    return SeverityLevel{"None", 0};
  }
  return std::nullopt;
}

// ---- The parser ----------------------------------------------------------------------------

class SarifParser {
 public:
  SarifParser(ReportSink& sink, Diagnostics& diagnostics) : sink_(sink), diag_(diagnostics) {}

  Status Parse(ByteSource& source) {
    auto bind = [this](auto method) {
      return [this, method](json& v, const std::vector<std::string>& where, JsonPosition at) {
        return (this->*method)(v, where, at);
      };
    };
    RETURN_IF_ERROR(StreamJson(
        source, {{.steps = {"version"}, .on_value = bind(&SarifParser::OnVersion)},
                 {.steps = {"runs"}, .on_value = bind(&SarifParser::OnRuns)},
                 {.steps = {"runs", "*"}, .on_value = bind(&SarifParser::OnRun)},
                 {.steps = {"runs", "*", "results", "*"}, .on_value = bind(&SarifParser::OnResult)},
                 {.steps = {}, .on_value = bind(&SarifParser::OnRoot)}}));
    return Emit();
  }

 private:
  struct Host {
    HostObservation obs;
    std::unordered_map<std::string, size_t> items;    // key + '\x1f' + location → index
    std::unordered_map<size_t, OutputMerge> outputs;  // of the items merged into
  };
  struct Run {
    std::string tool;                   // ToolKey of the driver's name
    std::vector<Component> components;  // [0] the driver, then the extensions
    std::optional<UriResolver> uris;
    const json* artifacts = nullptr;  // the run's artifacts array (possibly empty)
    size_t host = 0;
  };

  // Problems are held until their run ends and then reported in file order (some are only
  // found when the run's rules are known).
  void Warn(JsonPosition at, const std::string& record, std::string field, std::string message) {
    warnings_.push_back(Diagnostic{.line = at.line,
                                   .column = at.column,
                                   .record = record,
                                   .field = std::move(field),
                                   .message = std::move(message)});
  }

  Status OnVersion(json& v, const std::vector<std::string>&, JsonPosition at) {
    if (!v.is_string() || v.get<std::string>() != kVersion) {
      return InvalidInput(JsonAt(at) + "SARIF version " + JsonTextOf(v) +
                          " is not supported; vigil reads SARIF 2.1.0");
    }
    saw_version_ = true;
    return Status::Ok();
  }

  Status OnRuns(json& v, const std::vector<std::string>&, JsonPosition at) {
    if (!v.is_array()) {
      return InvalidInput(JsonAt(at) + "not a SARIF log: 'runs' is " + JsonKind(v) +
                          ", not an array");
    }
    saw_runs_ = true;
    return Status::Ok();
  }

  Status OnRoot(json& v, const std::vector<std::string>&, JsonPosition at) {
    if (!v.is_object()) {
      return InvalidInput(JsonAt(at) + "not a SARIF log: the document is " + JsonKind(v) +
                          ", not an object");
    }
    if (!saw_runs_) {
      return InvalidInput(JsonAt(at) + "not a SARIF log: no 'runs' array");
    }
    if (!saw_version_) {
      Warn(at, "sarifLog", "version", "missing; read as SARIF 2.1.0");
    }
    return Status::Ok();
  }

  Status OnResult(json& v, const std::vector<std::string>& where, JsonPosition at);
  Status OnRun(json& v, const std::vector<std::string>& where, JsonPosition at);
  void ReadTool(const json& run, Run& out, JsonPosition at, const std::string& record);
  std::string ReadTarget(const json& run, Run& out);
  void ReadTimes(const json& run, HostObservation& host, JsonPosition at,
                 const std::string& record);
  void AddResult(Run& run, PendingResult& p);
  static std::string MessageOf(const PendingResult& p, const Rule* rule,
                               const Component& component);
  static std::string LocationOf(const Run& run, const PendingResult& p);
  // Sets the item's risk factor and scanner severity; returns "security-severity N" when that
  // gave them, for the finding's output.
  std::string SetSeverity(const PendingResult& p, const Rule* rule, ItemObservation& item);
  void FlushWarnings();
  Status Emit();

  ReportSink& sink_;
  Diagnostics& diag_;
  bool saw_version_ = false;
  bool saw_runs_ = false;
  std::vector<PendingResult> pending_;  // the current run's results
  std::vector<Diagnostic> warnings_;    // the current run's problems
  std::vector<std::string> tools_;      // "name version" of each distinct tool
  std::vector<Host> hosts_;
  std::unordered_map<std::string, size_t> host_index_;
  std::unordered_map<std::string, VulnerabilityDef> texts_;  // per key: title, description, refs
};

Status SarifParser::OnResult(json& r, const std::vector<std::string>& where, JsonPosition at) {
  PendingResult p{.at = at, .record = "runs[" + where[1] + "].results[" + where[3] + "]"};
  if (!r.is_object()) {
    Warn(at, p.record, "", "not an object; result skipped");
    return Status::Ok();
  }
  std::string kind = JsonStringAt(r, "kind");
  if (kind == "pass" || kind == "informational" || kind == "notApplicable") {
    return Status::Ok();  // not a finding
  }
  const json* rule_id = JsonGet(r, "ruleId");
  const json* rule_index = JsonGet(r, "ruleIndex");
  const json* rule = JsonGet(r, "rule");
  if ((rule_id != nullptr && !rule_id->is_string()) ||
      (rule_index != nullptr && !rule_index->is_number_integer()) ||
      (rule != nullptr && !rule->is_object())) {
    Warn(at, p.record,
         rule_id != nullptr && !rule_id->is_string() ? "ruleId"
         : rule != nullptr && !rule->is_object()     ? "rule"
                                                     : "ruleIndex",
         "wrong type; result skipped");
    return Status::Ok();
  }
  p.rule_id = rule_id != nullptr ? rule_id->get<std::string>() : "";
  p.rule_index = rule_index != nullptr ? rule_index->get<int64_t>() : -1;
  if (rule != nullptr) {
    if (p.rule_id.empty()) {
      p.rule_id = JsonStringAt(*rule, "id");
    }
    if (p.rule_index < 0) {
      p.rule_index = JsonIntAt(*rule, "index").value_or(-1);
    }
    if (const json* component = JsonGet(*rule, "toolComponent")) {
      p.component = JsonIntAt(*component, "index").value_or(-1);
    }
  }
  p.record += p.rule_id.empty() ? "" : " " + p.rule_id;
  p.level = JsonStringAt(r, "level");
  if (!p.level.empty() && !LevelSeverity(p.level)) {
    Warn(at, p.record, "level", "'" + p.level + "' is not none, note, warning or error; ignored");
    p.level.clear();
  }
  if (const json* message = JsonGet(r, "message")) {
    p.message = JsonStringAt(*message, "text");
    p.message_id = JsonStringAt(*message, "id");
    if (const json* args = JsonGet(*message, "arguments"); args != nullptr && args->is_array()) {
      for (const json& a : *args) {
        p.arguments.push_back(JsonTextOf(a));
      }
    }
  }
  if (const json* props = JsonGet(r, "properties")) {
    if (const json* s = JsonGet(*props, "security-severity")) {
      p.security_severity = JsonTextOf(*s);
    }
  }
  ReadLocation(r, p);
  p.vex = VexOf(r);
  pending_.push_back(std::move(p));
  return Status::Ok();
}

void SarifParser::ReadTool(const json& run, Run& out, JsonPosition at, const std::string& record) {
  const json* tool = JsonGet(run, "tool");
  const json* driver = tool != nullptr ? JsonGet(*tool, "driver") : nullptr;
  static const json kNone = json::object();
  const json& d = driver != nullptr ? *driver : kNone;
  std::string name(TrimSpace(JsonStringAt(d, "name")));
  if (name.empty()) {
    Warn(at, record, "tool.driver.name", "missing; the tool is called 'unknown'");
    name = "unknown";
  }
  out.tool = ToolKey(name);
  std::string version = JsonStringAt(d, "version");
  if (version.empty()) {
    version = JsonStringAt(d, "semanticVersion");
  }
  std::string shown = version.empty() ? name : name + " " + version;
  if (std::find(tools_.begin(), tools_.end(), shown) == tools_.end()) {
    tools_.push_back(shown);
  }
  out.components.push_back(ReadComponent(d));
  if (tool != nullptr) {
    for (const json& e : JsonArrayAt(*tool, "extensions")) {
      out.components.push_back(ReadComponent(e));
    }
  }
}

// The run's target (the repository, else the source root, else "code:<tool>"), and the
// resolver that makes artifact paths relative to the source root.
std::string SarifParser::ReadTarget(const json& run, Run& out) {
  const json* bases = JsonGet(run, "originalUriBaseIds");
  const json& vcp = JsonArrayAt(run, "versionControlProvenance");
  const json* repo = vcp.empty() ? nullptr : &vcp[0];
  std::string root_id;
  if (const json* mapped = repo != nullptr ? JsonGet(*repo, "mappedTo") : nullptr) {
    root_id = JsonStringAt(*mapped, "uriBaseId");
  }
  UriResolver probe(bases, "");
  std::string source_root;
  for (const char* id : {"SRCROOT", "%SRCROOT%"}) {
    if (source_root.empty() && probe.Has(id)) {
      source_root = id;
    }
  }
  out.uris.emplace(bases, root_id.empty() ? source_root : root_id);
  if (repo != nullptr) {
    if (std::string asset = NormalizeRepositoryUri(JsonStringAt(*repo, "repositoryUri"));
        !asset.empty()) {
      return asset;
    }
  }
  if (!source_root.empty()) {
    std::string asset(TrimSpace(probe.Resolve("", source_root).value_or("")));
    while (asset.size() > 1 && asset.back() == '/') {
      asset.pop_back();
    }
    if (!asset.empty()) {
      return asset;
    }
  }
  return "code:" + out.tool;
}

// The first invocation's start and end: the earliest start and latest end of a host's runs.
void SarifParser::ReadTimes(const json& run, HostObservation& host, JsonPosition at,
                            const std::string& record) {
  const json& invocations = JsonArrayAt(run, "invocations");
  if (invocations.empty()) {
    return;
  }
  auto time = [&](const char* field, std::optional<Timestamp>& into, bool earliest) {
    std::string text = JsonStringAt(invocations[0], field);
    if (text.empty()) {
      return;
    }
    auto t = ParseIso8601(text);
    if (!t.ok()) {
      Warn(at, record, std::string("invocations[0].") + field, t.status().message() + "; ignored");
    } else if (!into || (earliest ? *t < *into : *t > *into)) {
      into = *t;
    }
  };
  time("startTimeUtc", host.start, true);
  time("endTimeUtc", host.end, false);
}

Status SarifParser::OnRun(json& run, const std::vector<std::string>& where, JsonPosition at) {
  if (!run.is_object()) {
    return InvalidInput(JsonAt(at) + "runs[" + where[1] + "] is " + JsonKind(run) +
                        ", not a run object");
  }
  if (const json* results = JsonGet(run, "results"); results != nullptr && !results->is_array()) {
    return InvalidInput(JsonAt(at) + "runs[" + where[1] + "].results is " + JsonKind(*results) +
                        ", not an array");
  }
  std::string record = "runs[" + where[1] + "]";
  Run r;
  ReadTool(run, r, at, record);
  r.artifacts = &JsonArrayAt(run, "artifacts");
  std::string asset = ReadTarget(run, r);
  auto [it, added] = host_index_.emplace(asset, hosts_.size());
  if (added) {
    hosts_.push_back(Host{.obs = HostObservation{.report_name = asset, .line = at.line}});
  }
  r.host = it->second;
  ReadTimes(run, hosts_[r.host].obs, at, record);
  for (PendingResult& p : pending_) {
    AddResult(r, p);
  }
  pending_.clear();
  FlushWarnings();
  return Status::Ok();
}

void SarifParser::FlushWarnings() {
  std::stable_sort(warnings_.begin(), warnings_.end(),
                   [](const Diagnostic& a, const Diagnostic& b) {
                     return std::pair(a.line, a.column) < std::pair(b.line, b.column);
                   });
  for (Diagnostic& d : warnings_) {
    diag_.Add(std::move(d));
  }
  warnings_.clear();
}

std::string SarifParser::SetSeverity(const PendingResult& p, const Rule* rule,
                                     ItemObservation& item) {
  std::optional<std::string> text = p.security_severity;
  if (!text && rule != nullptr && rule->security_severity != nullptr) {
    text = JsonTextOf(*rule->security_severity);
  }
  if (text) {
    std::optional<double> score = JsonNumberOf(json(*text));
    if (score && *score > 0.0 && *score <= 10.0) {
      SeverityLevel band = *SeverityFromScore(*score);
      item.vuln.risk_factor = std::string(band.risk_factor);
      item.vuln.scanner_severity = band.severity;
      return "security-severity " + *text;
    }
    if (!score || *score != 0.0) {
      Warn(p.at, p.record, "security-severity",
           "'" + *text + "' is not a number in 0.1..10; the level is used instead");
    }
  }
  std::string level = p.level;
  if (level.empty() && rule != nullptr && LevelSeverity(rule->default_level)) {
    level = rule->default_level;
  }
  SeverityLevel band = LevelSeverity(level).value_or(SeverityLevel{"Medium", 2});
  item.vuln.risk_factor = std::string(band.risk_factor);
  item.vuln.scanner_severity = band.severity;
  return "";
}

void SarifParser::AddResult(Run& run, PendingResult& p) {
  const Component* component =
      p.component >= 0 && static_cast<size_t>(p.component) + 1 < run.components.size()
          ? &run.components[static_cast<size_t>(p.component) + 1]
          : &run.components[0];
  const Rule* rule = component->Lookup(p.rule_id, p.rule_index);
  std::string rule_id = !p.rule_id.empty() ? p.rule_id : rule != nullptr ? rule->id : "";
  if (rule_id.empty()) {
    Warn(p.at, p.record, "ruleId",
         "no ruleId, rule.id or ruleIndex naming a rule of the run; result skipped");
    return;
  }
  ItemObservation item;
  item.line = p.at.line;
  VulnerabilityDef& v = item.vuln;
  v.source = "sarif:" + run.tool;
  v.source_id = rule_id;
  v.key = v.source + ":" + rule_id;
  std::string message = MessageOf(p, rule, *component);
  // The rule's texts are kept once per key and given to the first item emitted (Emit): a
  // copy in every result let a long description times many results fill the memory.
  if (texts_.find(v.key) == texts_.end()) {
    VulnerabilityDef& texts = texts_[v.key];
    if (rule != nullptr) {
      texts.title = rule->title;
      texts.description = rule->description;
      texts.refs = rule->refs;
    }
    for (std::string& cve : CvesIn(rule_id)) {
      AddRef(texts.refs, "cve", std::move(cve));
    }
  }
  if (rule == nullptr || rule->title.empty()) {
    v.title = message;
  }
  std::string evidence =
      (p.start_line > 0 ? "line " + std::to_string(p.start_line) + ": " : "") + message;
  std::string severity = SetSeverity(p, rule, item);
  item.output =
      severity.empty() || evidence.empty() ? severity + evidence : severity + "\n" + evidence;

  item.location = LocationOf(run, p);
  item.vex = std::move(p.vex);
  Host& host = hosts_[run.host];
  auto [it, added] = host.items.emplace(v.key + '\x1f' + item.location, host.obs.items.size());
  if (added) {
    host.obs.items.push_back(std::move(item));
    return;
  }
  ItemObservation& into = host.obs.items[it->second];
  // Each distinct result line once.
  host.outputs.try_emplace(it->second, OutputMerge::Unit::kLine, "\n")
      .first->second.Append(into.output, evidence);
  if (VexRank(item.vex) < VexRank(into.vex)) {
    into.vex = std::move(item.vex);
  }
}

// The result's message text, or its messageStrings pattern (the rule's, else the tool's)
// filled with its arguments.
std::string SarifParser::MessageOf(const PendingResult& p, const Rule* rule,
                                   const Component& component) {
  if (!p.message.empty() || p.message_id.empty()) {
    return p.message;
  }
  for (const json* strings :
       {rule != nullptr ? rule->messages : nullptr, component.global_messages}) {
    const json* m = strings != nullptr ? JsonGet(*strings, p.message_id.c_str()) : nullptr;
    if (m != nullptr) {
      return FormatMessage(JsonStringAt(*m, "text"), p.arguments);
    }
  }
  return "";
}

// The artifact's path relative to the source root (its uri, or that of artifacts[index]),
// "#" and the partial fingerprint; "" for a result without an artifact.
std::string SarifParser::LocationOf(const Run& run, const PendingResult& p) {
  std::string uri = p.uri;
  std::string base = p.uri_base_id;
  const json& artifacts = *run.artifacts;
  if (uri.empty() && p.artifact_index >= 0 &&
      static_cast<size_t>(p.artifact_index) < artifacts.size()) {
    if (const json* loc = JsonGet(artifacts[static_cast<size_t>(p.artifact_index)], "location")) {
      uri = JsonStringAt(*loc, "uri");
      base = JsonStringAt(*loc, "uriBaseId");
    }
  }
  if (uri.empty()) {
    return "";
  }
  std::string location = run.uris->Location(uri, base);
  if (!location.empty() && !p.fingerprint.empty()) {
    location += "#" + p.fingerprint;
  }
  return location;
}

Status SarifParser::Emit() {
  FlushWarnings();
  ReportHeader header{.format = "sarif", .tool = Join(tools_, ", ")};
  RETURN_IF_ERROR(sink_.OnHeader(header));
  SharedDefinitions shared;
  for (Host& h : hosts_) {
    for (ItemObservation& item : h.obs.items) {
      if (!shared.FirstUse(item.vuln.key)) {
        item.vuln = ThinDefinition(item.vuln);
        item.shared_definition = true;
        continue;
      }
      VulnerabilityDef& texts = texts_[item.vuln.key];
      if (!texts.title.empty()) {
        item.vuln.title = std::move(texts.title);
      }
      item.vuln.description = std::move(texts.description);
      item.vuln.refs = std::move(texts.refs);
    }
    RETURN_IF_ERROR(sink_.OnHost(h.obs));
    h.obs = HostObservation{};
  }
  return Status::Ok();
}

}  // namespace

Status ParseSarif(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics) {
  SarifParser parser(sink, diagnostics);
  return parser.Parse(source);
}

}  // namespace vigil
