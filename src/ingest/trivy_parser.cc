#include "ingest/trivy_parser.h"

#include <string>
#include <vector>

#include "core/text.h"
#include "ingest/byte_source.h"
#include "ingest/diagnostics.h"
#include "ingest/field_reader.h"
#include "ingest/finding_book.h"
#include "ingest/json_stream.h"
#include "ingest/location.h"
#include "ingest/package_advisory.h"
#include "ingest/report.h"
#include "ingest/severity_words.h"

namespace vigil {
namespace {

using json = nlohmann::json;
using Where = std::vector<std::string>;

std::string At(JsonPosition p) {
  return std::to_string(p.line) + ":" + std::to_string(p.column) + ": ";
}

// "img (alpine 3.10.2)" -> "img": Trivy names an OS packages result after the target and
// the distribution it found.
std::string WithoutDistro(std::string_view target) {
  target = TrimSpace(target);
  size_t open = target.rfind(" (");
  if (!target.empty() && target.back() == ')' && open != std::string_view::npos && open > 0) {
    return std::string(TrimSpace(target.substr(0, open)));
  }
  return std::string(target);
}

bool HasDistro(std::string_view target) {
  return WithoutDistro(target) != TrimSpace(target);
}

// A file path as a finding location: leading "/" and "./" removed, as PackageLocation does.
std::string FileLocation(std::string_view path) {
  path = TrimSpace(path);
  while (true) {
    if (path.substr(0, 2) == "./") {
      path.remove_prefix(2);
    } else if (!path.empty() && path.front() == '/') {
      path.remove_prefix(1);
    } else {
      return std::string(path);
    }
  }
}

// Trivy's Severity word: UNKNOWN gives no rating (the class then comes from CVSS, or the
// vulnerability stays unclassified).
void ApplySeverity(FieldReader& f, VulnerabilityDef& def) {
  std::string word = f.String("Severity");
  if (word.empty() || AsciiLower(word) == "unknown") {
    return;
  }
  auto level = SeverityFromWord(word);
  if (!level) {
    f.Warn("Severity", "'" + word + "' is not a Trivy severity; ignored");
    return;
  }
  def.risk_factor = std::string(level->risk_factor);
  def.scanner_severity = level->severity;
}

// CVSS from the CVSS map: per version, the entry of SeveritySource first, then "nvd", then
// the others by name.
void ApplyCvss(FieldReader& f, VulnerabilityDef& def, const std::string& severity_source) {
  FieldReader cvss = f.Object("CVSS");
  std::vector<std::string> order;
  for (const std::string& s : {severity_source, std::string("nvd")}) {
    if (!s.empty() && cvss.Has(s) && (order.empty() || order.front() != s)) {
      order.push_back(s);
    }
  }
  for (const auto& [name, value] : cvss.json().items()) {
    if (name != severity_source && name != "nvd") {
      order.push_back(name);
    }
  }
  for (const std::string& name : order) {
    FieldReader entry = cvss.Object(name);
    OfferCvss(def, 2, entry.String("V2Vector"), entry.Score("V2Score"));
    OfferCvss(def, 3, entry.String("V3Vector"), entry.Score("V3Score"));
    OfferCvss(def, 4, entry.String("V40Vector"), entry.Score("V40Score"));
  }
}

void AddUrls(FieldReader& f, VulnerabilityDef& def) {
  AddRef(def, "see_also", f.String("PrimaryURL"));
  for (const std::string& url : f.Strings("References")) {
    AddRef(def, "see_also", url);
  }
}

// "24" or "19-22" from StartLine/EndLine, empty when absent.
std::string LineRange(const json& object) {
  auto number = [&](const char* key) -> std::string {
    auto it = object.find(key);
    return it != object.end() && it->is_number_integer() ? it->dump() : "";
  };
  std::string start = number("StartLine");
  std::string end = number("EndLine");
  if (start.empty() || end.empty() || start == end) {
    return start.empty() ? end : start;
  }
  return start + "-" + end;
}

void AddLine(std::string& out, std::string_view label, std::string_view value) {
  if (!value.empty()) {
    out += "\n";
    out += label;
    out += ": ";
    out += value;
  }
}

// A finding read from a result, waiting for the result's Target, Class and Type.
struct Pending {
  enum class Kind { kPackage, kFile };
  Kind kind = Kind::kPackage;
  ItemObservation item;
  std::string details;  // output lines after "Target: …"
};

class TrivyReader {
 public:
  TrivyReader(ReportSink& sink, Diagnostics& diagnostics) : sink_(sink), diag_(diagnostics) {}

  std::vector<JsonStreamPath> Paths();

 private:
  using Handler = Status (TrivyReader::*)(json&, const Where&, JsonPosition);

  Status OnSchemaVersion(json& v, const Where& where, JsonPosition at);
  Status OnResults(json& v, const Where& where, JsonPosition at);
  Status OnList(json& v, const Where& where, JsonPosition at);
  Status OnVulnerability(json& v, const Where& where, JsonPosition at);
  Status OnMisconfiguration(json& v, const Where& where, JsonPosition at);
  Status OnSecret(json& v, const Where& where, JsonPosition at);
  Status OnResult(json& v, const Where& where, JsonPosition at);
  Status OnRoot(json& v, const Where& where, JsonPosition at);
  Status Drop(json&, const Where&, JsonPosition) { return Status::Ok(); }

  // False (with a diagnostic) when a list element is not an object.
  bool IsObject(const json& v, const Where& where, JsonPosition at);
  void FinishItem(Pending& p, const std::string& target, const std::string& cls,
                  const std::string& type);
  Status Emit(FieldReader& root, const std::string& target, JsonPosition at);

  ReportSink& sink_;
  Diagnostics& diag_;
  bool schema_seen_ = false;
  bool results_seen_ = false;
  std::string first_target_;
  std::vector<Pending> pending_;          // findings of the result being read
  std::vector<Diagnostic> pending_diag_;  // their problems, recorded without the result
  FindingBook book_;
};

std::vector<JsonStreamPath> TrivyReader::Paths() {
  std::vector<JsonStreamPath> paths;
  auto add = [&](std::vector<std::string> steps, Handler h) {
    paths.push_back({.steps = std::move(steps),
                     .on_value = [this, h](json& v, const Where& w, JsonPosition at) {
                       return (this->*h)(v, w, at);
                     }});
  };
  // SchemaVersion 2 puts the results under "Results"; the legacy document is their list.
  for (const std::vector<std::string>& result :
       {std::vector<std::string>{"Results", "*"}, std::vector<std::string>{"*"}}) {
    auto at = [&](std::vector<std::string> tail) {
      std::vector<std::string> steps = result;
      steps.insert(steps.end(), tail.begin(), tail.end());
      return steps;
    };
    add(at({"Vulnerabilities", "*"}), &TrivyReader::OnVulnerability);
    add(at({"Misconfigurations", "*"}), &TrivyReader::OnMisconfiguration);
    add(at({"Secrets", "*"}), &TrivyReader::OnSecret);
    for (const char* list : {"Vulnerabilities", "Misconfigurations", "Secrets"}) {
      add(at({list}), &TrivyReader::OnList);
    }
    for (const char* dropped :
         {"Packages", "Licenses", "ExperimentalModifiedFindings", "CustomResources"}) {
      add(at({dropped, "*"}), &TrivyReader::Drop);
    }
    add(result, &TrivyReader::OnResult);
  }
  add({"SchemaVersion"}, &TrivyReader::OnSchemaVersion);
  add({"Results"}, &TrivyReader::OnResults);
  add({}, &TrivyReader::OnRoot);
  return paths;
}

Status TrivyReader::OnSchemaVersion(json& v, const Where&, JsonPosition at) {
  if (!v.is_number_integer() || v.get<int64_t>() != 2) {
    return InvalidInput(At(at) + "unsupported Trivy SchemaVersion " + v.dump() +
                        "; vigil reads SchemaVersion 2 and the legacy list of results");
  }
  schema_seen_ = true;
  return Status::Ok();
}

Status TrivyReader::OnResults(json& v, const Where&, JsonPosition at) {
  if (!v.is_array() && !v.is_null()) {
    return InvalidInput(At(at) + "not a Trivy report: Results is " + JsonTypeWord(v) +
                        ", not an array");
  }
  results_seen_ = true;
  return Status::Ok();
}

Status TrivyReader::OnList(json& v, const Where& where, JsonPosition at) {
  if (!v.is_array() && !v.is_null()) {
    pending_diag_.push_back(
        Diagnostic{.line = at.line,
                   .column = at.column,
                   .field = where.back(),
                   .message = "is " + JsonTypeWord(v) + ", not an array; ignored"});
  }
  return Status::Ok();
}

bool TrivyReader::IsObject(const json& v, const Where& where, JsonPosition at) {
  if (v.is_object()) {
    return true;
  }
  pending_diag_.push_back(
      Diagnostic{.line = at.line,
                 .column = at.column,
                 .record = where[where.size() - 2] + "[" + where.back() + "]",
                 .message = "is " + JsonTypeWord(v) + ", not an object; skipped"});
  return false;
}

// The record of a finding in diagnostics: its id when it has one, else its list position.
std::string Record(const json& v, const char* id_key, const Where& where) {
  auto id = v.find(id_key);
  if (id != v.end() && id->is_string() && !TrimSpace(id->get_ref<const std::string&>()).empty()) {
    std::string record(TrimSpace(id->get_ref<const std::string&>()));
    auto pkg = v.find("PkgName");
    if (pkg != v.end() && pkg->is_string()) {
      record += " (" + pkg->get<std::string>() + ")";
    }
    return record;
  }
  return where[where.size() - 2] + "[" + where.back() + "]";
}

Status TrivyReader::OnVulnerability(json& v, const Where& where, JsonPosition at) {
  if (!IsObject(v, where, at)) {
    return Status::Ok();
  }
  FieldReader f(v, at, Record(v, "VulnerabilityID", where), pending_diag_);
  std::string id = f.Required("VulnerabilityID", "vulnerability");
  if (id.empty()) {
    return Status::Ok();
  }
  Pending p{.item = {.vuln = {.key = id, .source = AdvisorySource(id, "trivy"), .source_id = id}}};
  ItemObservation& item = p.item;
  VulnerabilityDef& def = item.vuln;
  item.line = at.line;
  def.title = f.String("Title");
  def.description = f.String("Description");
  ApplySeverity(f, def);
  ApplyCvss(f, def, f.String("SeveritySource"));
  if (IsCveIdAnyCase(id)) {
    AddRef(def, "cve", id);
  }
  for (const std::string& other : f.Strings("VendorIDs")) {
    AddAdvisoryId(def, other);
  }
  for (const std::string& cwe : f.Strings("CweIDs")) {
    AddRef(def, "cwe", cwe);
  }
  AddUrls(f, def);
  def.published = f.Time("PublishedDate");
  def.modified = f.Time("LastModifiedDate");

  PackageRef& pkg = item.package;
  pkg.name = f.String("PkgName");
  pkg.version = f.String("InstalledVersion");
  pkg.purl = f.Object("PkgIdentifier").String("PURL");
  pkg.path = f.String("PkgPath");
  pkg.fixed_version = f.String("FixedVersion");
  if (pkg.empty()) {
    f.Warn("PkgName", "missing, and no PkgIdentifier.PURL; vulnerability skipped");
    return Status::Ok();
  }
  std::string status = f.String("Status");
  if (status == "not_affected") {
    std::string data_source = f.Object("DataSource").String("Name");
    item.vex = VexAnalysis{.state = "not_affected",
                           .detail = "Trivy status not_affected" +
                                     (data_source.empty() ? "" : " (" + data_source + ")")};
  }
  AddLine(p.details, "Package", TrimSpace(pkg.name + " " + pkg.version));
  AddLine(p.details, "Path", pkg.path);
  AddLine(p.details, "Fixed version", pkg.fixed_version);
  AddLine(p.details, "Status", status);
  pending_.push_back(std::move(p));
  return Status::Ok();
}

Status TrivyReader::OnMisconfiguration(json& v, const Where& where, JsonPosition at) {
  if (!IsObject(v, where, at)) {
    return Status::Ok();
  }
  FieldReader f(v, at, Record(v, "ID", where), pending_diag_);
  if (AsciiUpper(f.String("Status")) != "FAIL") {
    return Status::Ok();  // PASS and EXCEPTION are not findings
  }
  std::string id = f.Required("ID", "misconfiguration");
  if (id.empty()) {
    return Status::Ok();
  }
  Pending p{.kind = Pending::Kind::kFile,
            .item = {.vuln = {.key = "trivy:" + id, .source = "trivy", .source_id = id}}};
  VulnerabilityDef& def = p.item.vuln;
  p.item.line = at.line;
  def.title = f.String("Title");
  def.family = f.String("Type");
  def.description = f.String("Description");
  def.solution = f.String("Resolution");
  ApplySeverity(f, def);
  AddUrls(f, def);
  AddLine(p.details, "Message", f.String("Message"));
  FieldReader cause = f.Object("CauseMetadata");
  AddLine(p.details, "Resource", cause.String("Resource"));
  AddLine(p.details, "Lines", LineRange(cause.json()));
  pending_.push_back(std::move(p));
  return Status::Ok();
}

Status TrivyReader::OnSecret(json& v, const Where& where, JsonPosition at) {
  if (!IsObject(v, where, at)) {
    return Status::Ok();
  }
  FieldReader f(v, at, Record(v, "RuleID", where), pending_diag_);
  std::string rule = f.Required("RuleID", "secret");
  if (rule.empty()) {
    return Status::Ok();
  }
  Pending p{
      .kind = Pending::Kind::kFile,
      .item = {
          .vuln = {.key = "trivy-secret:" + rule, .source = "trivy-secret", .source_id = rule}}};
  VulnerabilityDef& def = p.item.vuln;
  p.item.line = at.line;
  def.title = f.String("Title");
  def.family = f.String("Category");
  ApplySeverity(f, def);
  AddLine(p.details, "Lines", LineRange(v));
  AddLine(p.details, "Match", f.String("Match"));
  pending_.push_back(std::move(p));
  return Status::Ok();
}

void TrivyReader::FinishItem(Pending& p, const std::string& target, const std::string& cls,
                             const std::string& type) {
  ItemObservation& item = p.item;
  if (p.kind == Pending::Kind::kFile) {
    item.location = FileLocation(target);
  } else {
    item.package.type = type;
    // A language package's file is the result's Target (a lockfile) when Trivy gives no
    // PkgPath; the legacy list has no Class, where OS results carry " (distro version)".
    bool language = cls == "lang-pkgs" || (cls.empty() && !HasDistro(target));
    if (item.package.path.empty() && language) {
      item.package.path = target;
    }
    item.location = PackageLocation(item.package);
  }
  item.output = "Target: " + target + p.details;
  book_.Add(std::move(item));
}

Status TrivyReader::OnResult(json& v, const Where& where, JsonPosition at) {
  std::string record = "Results[" + where.back() + "]";
  std::vector<Diagnostic> own;
  FieldReader f(v, at, record, own);
  if (!v.is_object()) {
    f.Warn("", "is " + JsonTypeWord(v) + ", not an object; skipped");
  }
  std::string target = f.String("Target");
  std::string cls = f.String("Class");
  std::string type = f.String("Type");
  if (first_target_.empty()) {
    first_target_ = target;
  }
  for (Pending& p : pending_) {
    FinishItem(p, target, cls, type);
  }
  pending_.clear();
  if (!target.empty()) {
    record += " " + target;
  }
  for (Diagnostic& d : pending_diag_) {
    d.record = d.record.empty() ? record : record + " / " + d.record;
    own.push_back(std::move(d));
  }
  pending_diag_.clear();
  for (Diagnostic& d : own) {
    diag_.Add(std::move(d));
  }
  return Status::Ok();
}

Status TrivyReader::OnRoot(json& v, const Where&, JsonPosition at) {
  std::vector<Diagnostic> own;
  FieldReader root(v, at, "", own);
  std::string target;
  if (v.is_object()) {
    if (!schema_seen_ && !root.Has("ArtifactName") && !results_seen_) {
      std::vector<std::string> keys;
      for (const auto& [k, value] : v.items()) {
        keys.push_back(k);
      }
      return InvalidInput(At(at) + "not a Trivy report: a JSON object without SchemaVersion, " +
                          "ArtifactName or Results (keys: " + Join(keys, ", ") + ")");
    }
    target = root.String("ArtifactName");
  } else if (!v.is_array() && !v.is_null()) {
    return InvalidInput(At(at) + "not a Trivy report: the document is " + JsonTypeWord(v));
  }
  if (target.empty()) {
    target = WithoutDistro(first_target_);
  }
  Status st = Emit(root, target, at);
  for (Diagnostic& d : own) {
    diag_.Add(std::move(d));
  }
  return st;
}

Status TrivyReader::Emit(FieldReader& root, const std::string& target, JsonPosition at) {
  ReportHeader header{.format = "trivy", .report_name = target};
  std::string version = root.Object("Trivy").String("Version");
  header.tool = version.empty() ? "" : "Trivy " + version;
  RETURN_IF_ERROR(sink_.OnHeader(header));
  if (target.empty()) {
    if (!book_.empty()) {
      return InvalidInput(At(at) + "the Trivy report names no scanned target (no ArtifactName, " +
                          "no result Target), so its findings belong to no asset");
    }
    return Status::Ok();  // nothing scanned, nothing found: a report without hosts
  }
  HostObservation host{.report_name = target, .hostname = target};
  FieldReader os = root.Object("Metadata").Object("OS");
  host.os = std::string(TrimSpace(os.String("Family") + " " + os.String("Name")));
  host.start = root.Time("CreatedAt");
  host.line = at.line;
  host.items = book_.Take();
  return sink_.OnHost(host);
}

}  // namespace

Status ParseTrivy(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics) {
  TrivyReader reader(sink, diagnostics);
  return StreamJson(source, reader.Paths());
}

}  // namespace vigil
