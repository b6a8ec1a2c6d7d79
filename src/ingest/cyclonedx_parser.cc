#include "ingest/cyclonedx_parser.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "core/time.h"
#include "ingest/byte_source.h"
#include "ingest/diagnostics.h"
#include "ingest/input_policy.h"
#include "ingest/json_stream.h"
#include "ingest/json_value.h"
#include "ingest/location.h"
#include "ingest/memory_guard.h"
#include "ingest/output_merge.h"
#include "ingest/package_advisory.h"
#include "ingest/report.h"
#include "ingest/severity_words.h"
#include "ingest/shared_definitions.h"

namespace vigil {
namespace {

using json = nlohmann::json;
using Where = std::vector<std::string>;

constexpr std::string_view kUnknownAsset = "cyclonedx:unknown";
constexpr std::string_view kBomLink = "urn:cdx:";

constexpr std::string_view kStates[] = {"resolved",  "resolved_with_pedigree", "exploitable",
                                        "in_triage", "false_positive",         "not_affected"};

// How far a statement is from closing a finding: when one document makes several statements
// about the same finding (per version range), the lowest rank is kept, so a "not_affected"
// for some versions never hides an "exploitable" for others.
int VexRank(const std::optional<VexAnalysis>& vex) {
  if (!vex) {
    return 1;
  }
  constexpr std::string_view kOrder[] = {
      "exploitable", "", "in_triage", "resolved", "resolved_with_pedigree", "false_positive",
      "not_affected"};
  auto it = std::find(std::begin(kOrder), std::end(kOrder), vex->state);
  return static_cast<int>(it - std::begin(kOrder));
}

bool IsUuid(std::string_view s) {
  if (s.size() != 36) {
    return false;
  }
  for (size_t i = 0; i < s.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) {
      return false;
    }
  }
  return true;
}

// "cve" for CVE-…, "ghsa" for GHSA-…; a bare UUID (OSS Index) is named after the
// vulnerability's source ("oss-index"), else "cyclonedx".
std::string SourceOf(const std::string& id, const json& v) {
  std::string source_name;
  if (const json* source = JsonGet(v, "source")) {
    source_name = AsciiLower(TrimSpace(JsonStringAt(*source, "name")));
    std::replace(source_name.begin(), source_name.end(), ' ', '-');
  }
  std::string fallback = source_name.empty() ? "cyclonedx" : source_name;
  return IsUuid(id) ? fallback : AdvisorySource(id, fallback);
}

std::string PurlType(std::string_view purl) {
  if (purl.substr(0, 4) != "pkg:") {
    return "";
  }
  purl.remove_prefix(4);
  while (!purl.empty() && purl.front() == '/') {
    purl.remove_prefix(1);
  }
  return AsciiLower(purl.substr(0, purl.find('/')));
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  c = static_cast<char>(c | 0x20);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// "group/name", or the name alone.
std::string ComponentName(const json& c) {
  std::string name(TrimSpace(JsonStringAt(c, "name")));
  std::string group(TrimSpace(JsonStringAt(c, "group")));
  return group.empty() || name.empty() ? name : group + "/" + name;
}

// Properties scanners use for the file a package was found in.
constexpr const char* kPathProperties[] = {"aquasecurity:trivy:FilePath", "syft:location:0:path"};

PackageRef PackageOf(const json& c) {
  PackageRef p{.name = ComponentName(c),
               .version = JsonStringAt(c, "version"),
               .purl = std::string(TrimSpace(JsonStringAt(c, "purl")))};
  p.type = PurlType(p.purl);
  for (const json& prop : JsonArrayAt(c, "properties")) {
    std::string name = JsonStringAt(prop, "name");
    if (p.path.empty() && std::find(std::begin(kPathProperties), std::end(kPathProperties), name) !=
                              std::end(kPathProperties)) {
      p.path = JsonStringAt(prop, "value");
    }
  }
  return p;
}

// The highest CVSS score of a definition, else its scanner severity: which of two
// descriptions of one id rates it higher.
std::pair<double, int> RatingOf(const VulnerabilityDef& d) {
  double score = -1;
  for (const auto& s : {d.cvss2_score, d.cvss3_score, d.cvss4_score}) {
    score = std::max(score, s.value_or(-1));
  }
  return {score, d.scanner_severity.value_or(-1)};
}

struct Affect {
  std::string ref;
  std::string versions;  // "2.4 (affected), vers:generic/>=2.9|<=4.1 (affected)"
};

// A vulnerability as read, kept until the components are known.
struct PendingVuln {
  VulnerabilityDef def;
  std::vector<Affect> affects;
  std::optional<VexAnalysis> vex;
  uint64_t line = 0;
};

// Where an affects ref points.
struct Target {
  std::string asset;
  std::string location;
  PackageRef package;
};

class CycloneDxParser {
 public:
  CycloneDxParser(ReportSink& sink, Diagnostics& diagnostics) : sink_(sink), diag_(diagnostics) {}

  Status Parse(ByteSource& source);

 private:
  using Handler = Status (CycloneDxParser::*)(json&, const Where&, JsonPosition);
  struct Host {
    HostObservation obs;
    std::unordered_map<std::string, size_t> items;    // key '\x1f' location → index
    std::unordered_map<size_t, OutputMerge> outputs;  // of the items merged into
  };

  void Warn(JsonPosition at, std::string record, std::string field, std::string message) {
    diag_.Add(Diagnostic{.line = at.line,
                         .column = at.column,
                         .record = std::move(record),
                         .field = std::move(field),
                         .message = std::move(message)});
  }

  Status OnBomFormat(json& v, const Where&, JsonPosition at);
  Status OnSpecVersion(json& v, const Where&, JsonPosition at);
  Status OnMetadata(json& v, const Where&, JsonPosition at);
  Status OnComponent(json& v, const Where& where, JsonPosition at);
  Status OnVulnerabilities(json& v, const Where&, JsonPosition at);
  Status OnVulnerability(json& v, const Where& where, JsonPosition at);
  Status OnRoot(json& v, const Where&, JsonPosition at);

  void AddComponents(const json& top, JsonPosition at, const std::string& record);
  void ReadRatings(const json& v, JsonPosition at, const std::string& record, VulnerabilityDef& d);
  std::optional<VexAnalysis> ReadAnalysis(const json& v, JsonPosition at,
                                          const std::string& record);
  std::vector<Affect> ReadAffects(const json& v, JsonPosition at, const std::string& record);
  Target Resolve(const std::string& ref) const;
  size_t HostFor(const std::string& asset);
  void AddItem(const PendingVuln& p, const Target& target, const std::string& output);
  Status Emit();

  ReportSink& sink_;
  Diagnostics& diag_;
  std::string name_;  // the file, for the memory limit
  ReportHeader header_{.format = "cyclonedx"};
  bool saw_format_ = false;
  std::string spec_;
  bool saw_vulnerabilities_ = false;
  std::string asset_;   // metadata.component's name, or ""
  std::string serial_;  // serialNumber without "urn:uuid:"
  std::optional<Timestamp> timestamp_;
  uint64_t metadata_line_ = 1;
  size_t components_ = 0;
  std::unordered_map<std::string, PackageRef> packages_;  // bom-ref → package
  std::vector<PendingVuln> vulns_;
  std::vector<Host> hosts_;
  std::unordered_map<std::string, size_t> host_index_;
};

Status CycloneDxParser::Parse(ByteSource& source) {
  name_ = source.name();
  std::vector<JsonStreamPath> paths;
  auto add = [&](std::vector<std::string> steps, Handler h) {
    paths.push_back({.steps = std::move(steps),
                     .on_value = [this, h](json& v, const Where& w, JsonPosition at) {
                       return (this->*h)(v, w, at);
                     }});
  };
  add({"bomFormat"}, &CycloneDxParser::OnBomFormat);
  add({"specVersion"}, &CycloneDxParser::OnSpecVersion);
  add({"metadata"}, &CycloneDxParser::OnMetadata);
  add({"components", "*"}, &CycloneDxParser::OnComponent);
  add({"services", "*"}, &CycloneDxParser::OnComponent);
  add({"vulnerabilities"}, &CycloneDxParser::OnVulnerabilities);
  add({"vulnerabilities", "*"}, &CycloneDxParser::OnVulnerability);
  add({}, &CycloneDxParser::OnRoot);
  RETURN_IF_ERROR(StreamJson(source, std::move(paths)));
  return Emit();
}

Status CycloneDxParser::OnBomFormat(json& v, const Where&, JsonPosition at) {
  if (!v.is_string() || v.get<std::string>() != "CycloneDX") {
    return InvalidInput(JsonAt(at) + "not a CycloneDX document: bomFormat is " + JsonTextOf(v) +
                        ", not \"CycloneDX\"");
  }
  saw_format_ = true;
  return Status::Ok();
}

Status CycloneDxParser::OnSpecVersion(json& v, const Where&, JsonPosition at) {
  if (!v.is_string()) {
    // The schema's type; a number 1.5 is not the string "1.5" (issue 13).
    return InvalidInput(
        JsonAt(at) + "CycloneDX specVersion must be a string such as \"1.5\", not " + JsonKind(v));
  }
  spec_ = v.get<std::string>();
  if (spec_ != "1.4" && spec_ != "1.5" && spec_ != "1.6") {
    return InvalidInput(JsonAt(at) + "CycloneDX specVersion " + spec_ +
                        " is not supported; vigil reads CycloneDX JSON 1.4, 1.5 and 1.6");
  }
  return Status::Ok();
}

Status CycloneDxParser::OnMetadata(json& v, const Where&, JsonPosition at) {
  metadata_line_ = at.line;
  if (!v.is_object()) {
    Warn(at, "metadata", "", "not an object; ignored");
    return Status::Ok();
  }
  if (const json* c = JsonGet(v, "component"); c != nullptr && c->is_object()) {
    asset_ = ComponentName(*c);
    AddComponents(*c, at, "metadata.component");
  }
  if (std::string t = JsonStringAt(v, "timestamp"); !t.empty()) {
    auto parsed = ParseIso8601(t);
    if (parsed.ok()) {
      timestamp_ = *parsed;
    } else {
      Warn(at, "metadata", "timestamp", parsed.status().message() + "; ignored");
    }
  }
  // 1.4: an array of tools; 1.5 and later: {"components": [...], "services": [...]}.
  const json* tools = JsonGet(v, "tools");
  std::vector<const json*> list;
  if (tools != nullptr && tools->is_array()) {
    for (const json& t : *tools) {
      list.push_back(&t);
    }
  } else if (tools != nullptr) {
    for (const char* kind : {"components", "services"}) {
      for (const json& t : JsonArrayAt(*tools, kind)) {
        list.push_back(&t);
      }
    }
  }
  std::vector<std::string> names;
  for (const json* t : list) {
    std::string name(TrimSpace(JsonStringAt(*t, "name") + " " + JsonStringAt(*t, "version")));
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  header_.tool = Join(names, ", ");
  return Status::Ok();
}

// Adds a component (or service) and every component nested in it to the map of bom-refs.
void CycloneDxParser::AddComponents(const json& top, JsonPosition at, const std::string& record) {
  std::vector<const json*> todo = {&top};
  while (!todo.empty()) {
    const json& c = *todo.back();
    todo.pop_back();
    if (!c.is_object()) {
      Warn(at, record, "", "a nested component is not an object; ignored");
      continue;
    }
    ++components_;
    if (std::string ref = JsonStringAt(c, "bom-ref"); !ref.empty()) {
      packages_.emplace(ref, PackageOf(c));
    }
    for (const char* nested : {"components", "services"}) {
      const json& list = JsonArrayAt(c, nested);
      for (auto it = list.rbegin(); it != list.rend(); ++it) {
        todo.push_back(&*it);
      }
    }
  }
}

Status CycloneDxParser::OnComponent(json& v, const Where& where, JsonPosition at) {
  AddComponents(v, at, where[0] + "[" + where[1] + "]");
  return Status::Ok();
}

Status CycloneDxParser::OnVulnerabilities(json& v, const Where&, JsonPosition at) {
  if (!v.is_array()) {
    return InvalidInput(JsonAt(at) + "'vulnerabilities' is " + JsonKind(v) + ", not an array");
  }
  saw_vulnerabilities_ = true;
  return Status::Ok();
}

void CycloneDxParser::ReadRatings(const json& v, JsonPosition at, const std::string& record,
                                  VulnerabilityDef& d) {
  struct Rating {
    int major = 0;
    int rank = 0;  // NVD first, then CVSSv31 before CVSSv3, then file order
    std::string vector;
    std::optional<double> score;
    std::optional<SeverityLevel> level;
  };
  std::vector<Rating> ratings;
  for (const json& r : JsonArrayAt(v, "ratings")) {
    Rating rating;
    std::string method = JsonStringAt(r, "method");
    rating.major = method == "CVSSv2"                          ? 2
                   : method == "CVSSv3" || method == "CVSSv31" ? 3
                   : method == "CVSSv4"                        ? 4
                                                               : 0;
    const json* source = JsonGet(r, "source");
    bool nvd = source != nullptr && AsciiLower(TrimSpace(JsonStringAt(*source, "name"))) == "nvd";
    rating.rank = (nvd ? 0 : 2) + (method == "CVSSv31" ? 0 : 1);
    rating.vector = std::string(TrimSpace(JsonStringAt(r, "vector")));
    if (const json* score = JsonGet(r, "score")) {
      if (score->is_number() && score->get<double>() >= 0 && score->get<double>() <= 10) {
        rating.score = score->get<double>();
      } else {
        Warn(at, record, "ratings[].score",
             "'" + JsonTextOf(*score) + "' is not a number in 0..10; ignored");
      }
    }
    std::string word = JsonStringAt(r, "severity");
    rating.level = SeverityFromWord(word);
    if (!rating.level && !word.empty() && AsciiLower(word) != "unknown") {
      Warn(at, record, "ratings[].severity", "'" + word + "' is not a CycloneDX severity; ignored");
    }
    ratings.push_back(std::move(rating));
  }
  std::stable_sort(ratings.begin(), ratings.end(),
                   [](const Rating& a, const Rating& b) { return a.rank < b.rank; });
  // The severity word of the rating that gave the v3 score, else v4, else v2; without one,
  // the highest word of any rating.
  std::optional<SeverityLevel> by_version[5];
  for (const Rating& r : ratings) {
    if (r.major > 0 && OfferCvss(d, r.major, r.vector, r.score)) {
      by_version[r.major] = r.level;
    }
  }
  std::optional<SeverityLevel> level = by_version[3]   ? by_version[3]
                                       : by_version[4] ? by_version[4]
                                                       : by_version[2];
  if (!level) {
    for (const Rating& r : ratings) {
      if (r.level && (!level || r.level->severity > level->severity)) {
        level = r.level;
      }
    }
  }
  if (level) {
    d.risk_factor = std::string(level->risk_factor);
    d.scanner_severity = level->severity;
  }
}

std::optional<VexAnalysis> CycloneDxParser::ReadAnalysis(const json& v, JsonPosition at,
                                                         const std::string& record) {
  const json* a = JsonGet(v, "analysis");
  if (a == nullptr) {
    return std::nullopt;
  }
  if (!a->is_object()) {
    Warn(at, record, "analysis", "not an object; ignored");
    return std::nullopt;
  }
  VexAnalysis vex{.state = JsonStringAt(*a, "state"),
                  .justification = JsonStringAt(*a, "justification"),
                  .detail = JsonStringAt(*a, "detail")};
  if (vex.state.empty()) {
    Warn(at, record, "analysis.state", "missing; the analysis is ignored");
    return std::nullopt;
  }
  if (std::find(std::begin(kStates), std::end(kStates), vex.state) == std::end(kStates)) {
    Warn(at, record, "analysis.state",
         "'" + vex.state + "' is not a CycloneDX analysis state; the analysis is ignored");
    return std::nullopt;
  }
  for (const json& r : JsonArrayAt(*a, "response")) {
    if (r.is_string()) {
      vex.response.push_back(r.get<std::string>());
    }
  }
  return vex;
}

std::vector<Affect> CycloneDxParser::ReadAffects(const json& v, JsonPosition at,
                                                 const std::string& record) {
  std::vector<Affect> out;
  const json* affects = JsonGet(v, "affects");
  if (affects != nullptr && !affects->is_array()) {
    Warn(at, record, "affects", "not an array; read as no affects");
    return out;
  }
  for (const json& a : JsonArrayAt(v, "affects")) {
    Affect affect{.ref = std::string(TrimSpace(JsonStringAt(a, "ref")))};
    if (affect.ref.empty()) {
      Warn(at, record, "affects[].ref", "missing or not a string; that entry ignored");
      continue;
    }
    std::vector<std::string> versions;
    for (const json& ver : JsonArrayAt(a, "versions")) {
      std::string which = JsonStringAt(ver, "version");
      if (which.empty()) {
        which = JsonStringAt(ver, "range");
      }
      std::string status = JsonStringAt(ver, "status");
      if (!which.empty()) {
        versions.push_back(status.empty() ? which : which + " (" + status + ")");
      }
    }
    affect.versions = Join(versions, ", ");
    out.push_back(std::move(affect));
  }
  return out;
}

Status CycloneDxParser::OnVulnerability(json& v, const Where& where, JsonPosition at) {
  std::string record = "vulnerabilities[" + where[1] + "]";
  if (!v.is_object()) {
    Warn(at, record, "", "not an object; vulnerability skipped");
    return Status::Ok();
  }
  const json* id_value = JsonGet(v, "id");
  std::string id = id_value != nullptr && id_value->is_string()
                       ? std::string(TrimSpace(id_value->get<std::string>()))
                       : "";
  if (id.empty()) {
    Warn(at, record, "id",
         id_value == nullptr ? "missing; vulnerability skipped"
                             : "not a non-empty string; vulnerability skipped");
    return Status::Ok();
  }
  record += " " + id;
  PendingVuln p{.line = at.line};
  VulnerabilityDef& d = p.def;
  d.key = id;
  d.source = SourceOf(id, v);
  d.source_id = id;
  d.description = std::string(TrimSpace(JsonStringAt(v, "description")));
  d.title = d.description.substr(0, d.description.find('\n'));
  if (std::string detail(TrimSpace(JsonStringAt(v, "detail"))); !detail.empty()) {
    d.description += (d.description.empty() ? "" : "\n\n") + detail;
  }
  d.solution = std::string(TrimSpace(JsonStringAt(v, "recommendation")));
  if (std::string workaround(TrimSpace(JsonStringAt(v, "workaround"))); !workaround.empty()) {
    d.solution += (d.solution.empty() ? "" : "\n\n") + ("Workaround: " + workaround);
  }
  ReadRatings(v, at, record, d);
  AddAdvisoryId(d, id);
  for (const json& r : JsonArrayAt(v, "references")) {
    AddAdvisoryId(d, JsonStringAt(r, "id"));
  }
  for (const json& cwe : JsonArrayAt(v, "cwes")) {
    if (cwe.is_number_integer() && cwe.get<int64_t>() > 0) {
      AddRef(d, "cwe", "CWE-" + std::to_string(cwe.get<int64_t>()));
    } else {
      Warn(at, record, "cwes", "'" + JsonTextOf(cwe) + "' is not a CWE number; ignored");
    }
  }
  for (const json& a : JsonArrayAt(v, "advisories")) {
    AddRef(d, "see_also", JsonStringAt(a, "url"));
  }
  for (auto [field, into] : {std::pair{"published", &d.published}, {"updated", &d.modified}}) {
    if (std::string t = JsonStringAt(v, field); !t.empty()) {
      auto parsed = ParseIso8601(t);
      if (parsed.ok()) {
        *into = *parsed;
      } else {
        Warn(at, record, field, parsed.status().message() + "; ignored");
      }
    }
  }
  p.vex = ReadAnalysis(v, at, record);
  p.affects = ReadAffects(v, at, record);
  vulns_.push_back(std::move(p));
  return Status::Ok();
}

Status CycloneDxParser::OnRoot(json& v, const Where&, JsonPosition at) {
  if (!v.is_object()) {
    return InvalidInput(JsonAt(at) + "not a CycloneDX document: the document is " + JsonKind(v) +
                        ", not an object");
  }
  if (!saw_format_) {
    return InvalidInput(JsonAt(at) + "not a CycloneDX document: no bomFormat \"CycloneDX\"");
  }
  if (spec_.empty()) {
    return InvalidInput(JsonAt(at) + "the CycloneDX document has no specVersion");
  }
  std::string serial(TrimSpace(JsonStringAt(v, "serialNumber")));
  header_.report_name = serial;
  serial_ = serial.substr(0, 9) == "urn:uuid:" ? serial.substr(9) : serial;
  if (!saw_vulnerabilities_) {
    return InvalidInput(JsonAt(at) + "an SBOM without vulnerabilities: this CycloneDX " + spec_ +
                        " document lists " + std::to_string(components_) +
                        (components_ == 1 ? " component" : " components") +
                        " and has no 'vulnerabilities' array, so it is an inventory, "
                        "not a scan; import the scanner's findings (a BOM with vulnerabilities, "
                        "or a VEX)");
  }
  return Status::Ok();
}

Target CycloneDxParser::Resolve(const std::string& ref) const {
  std::string local = ref;
  if (ref.compare(0, kBomLink.size(), kBomLink) == 0) {
    // A BOM-link: urn:cdx:<serial>/<version>[#<bom-ref>], the bom-ref percent-encoded.
    std::string rest = ref.substr(kBomLink.size());
    size_t hash = rest.find('#');
    std::string serial = rest.substr(0, std::min(rest.find('/'), hash));
    std::string fragment = hash == std::string::npos ? "" : PercentDecode(rest.substr(hash + 1));
    if (serial_.empty() || serial != serial_) {
      // Another BOM: its bom-refs are not known here; the BOM's version is left out so that
      // a revised BOM keeps the finding.
      Target t{.asset = asset_.empty() ? std::string(kBomLink) + serial : asset_};
      t.location = PurlIdentity(fragment);
      if (t.location.empty()) {
        t.location = fragment;
      } else {
        t.package = PackageRef{.purl = fragment, .type = PurlType(fragment)};
      }
      return t;
    }
    local = fragment;
  }
  Target t{.asset = asset_.empty() ? std::string(kUnknownAsset) : asset_};
  if (local.empty()) {
    return t;
  }
  if (auto it = packages_.find(local); it != packages_.end()) {
    t.package = it->second;
    t.location = PackageLocation(t.package);
  } else if (std::string purl = PurlIdentity(local); !purl.empty()) {
    t.package = PackageRef{.purl = local, .type = PurlType(local)};
    t.location = purl;
  } else {
    t.location = local;
  }
  return t;
}

size_t CycloneDxParser::HostFor(const std::string& asset) {
  auto [it, added] = host_index_.emplace(asset, hosts_.size());
  if (added) {
    hosts_.push_back(Host{
        .obs = HostObservation{.report_name = asset, .start = timestamp_, .line = metadata_line_}});
  }
  return it->second;
}

void CycloneDxParser::AddItem(const PendingVuln& p, const Target& target,
                              const std::string& output) {
  Host& host = hosts_[HostFor(target.asset)];
  ItemObservation item{.vuln = VulnerabilityDef{.key = p.def.key},
                       .location = target.location,
                       .package = target.package,
                       .vex = p.vex,
                       .output = output,
                       .line = p.line};
  auto [it, added] =
      host.items.emplace(p.def.key + '\x1f' + target.location, host.obs.items.size());
  if (added) {
    host.obs.items.push_back(std::move(item));
    return;
  }
  ItemObservation& into = host.obs.items[it->second];
  host.outputs.try_emplace(it->second, OutputMerge::Unit::kLine, "\n")
      .first->second.Append(into.output, output);
  if (VexRank(item.vex) < VexRank(into.vex)) {
    into.vex = std::move(item.vex);
  }
}

Status CycloneDxParser::Emit() {
  if (!asset_.empty()) {
    HostFor(asset_);  // a known subject is a host even when nothing was found on it
  }
  // One definition per id: the one rated highest, so that a per-product 0.0 in a VEX never
  // lowers the class of the same vulnerability elsewhere; references are pooled.
  std::unordered_map<std::string, VulnerabilityDef> defs;
  for (PendingVuln& p : vulns_) {
    auto [it, added] = defs.try_emplace(p.def.key);
    if (added) {
      // Moved, not copied: a document of many vulnerabilities would hold each twice. The key
      // stays for the items below.
      it->second = std::move(p.def);
      p.def = VulnerabilityDef{.key = it->first};
    } else {
      VulnerabilityDef& kept = it->second;
      std::vector<Reference> refs = kept.refs;
      if (RatingOf(p.def) > RatingOf(kept)) {
        kept = p.def;
      }
      for (const Reference& r : refs) {
        AddRef(kept, r.kind, r.value);
      }
      for (const Reference& r : p.def.refs) {
        AddRef(kept, r.kind, r.value);
      }
    }
  }
  for (size_t i = 0; i < vulns_.size(); ++i) {
    PendingVuln& p = vulns_[i];
    if (i % 4096 == 4095) {
      RETURN_IF_ERROR(CheckImportMemory(name_, kMaxImportResidentBytes));
    }
    if (p.affects.empty()) {
      AddItem(p, Target{.asset = asset_.empty() ? std::string(kUnknownAsset) : asset_}, "");
    }
    for (const Affect& a : p.affects) {
      AddItem(p, Resolve(a.ref),
              "affects " + a.ref + (a.versions.empty() ? "" : ": " + a.versions));
    }
    p = PendingVuln{};  // its items hold what it said
  }
  vulns_ = {};
  packages_ = {};
  RETURN_IF_ERROR(sink_.OnHeader(header_));
  SharedDefinitions shared;
  for (Host& h : hosts_) {
    for (ItemObservation& item : h.obs.items) {
      shared.Attach(defs[item.vuln.key], item);
    }
    RETURN_IF_ERROR(sink_.OnHost(h.obs));
  }
  return Status::Ok();
}

}  // namespace

Status ParseCycloneDx(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics) {
  CycloneDxParser parser(sink, diagnostics);
  return parser.Parse(source);
}

}  // namespace vigil
