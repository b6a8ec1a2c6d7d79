#include "ingest/grype_parser.h"

#include <algorithm>
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

// Grype's severity word: Negligible is rated None (informative), Unknown gives no rating.
void ApplySeverity(FieldReader& f, VulnerabilityDef& def) {
  std::string word = f.String("severity");
  std::string lower = AsciiLower(word);
  if (word.empty() || lower == "unknown") {
    return;
  }
  auto level = lower == "negligible" ? SeverityFromWord("none") : SeverityFromWord(word);
  if (!level) {
    f.Warn("severity", "'" + word + "' is not a Grype severity; ignored");
    return;
  }
  def.risk_factor = std::string(level->risk_factor);
  def.scanner_severity = level->severity;
}

// 0 for a Primary rating, 1 for one from NVD, 2 for the others: the order ratings are taken.
int CvssRank(const json& entry) {
  auto text = [&](const char* key) {
    auto it = entry.find(key);
    return it != entry.end() && it->is_string() ? AsciiLower(it->get<std::string>()) : "";
  };
  if (!entry.is_object()) {
    return 3;
  }
  if (text("type") == "primary") {
    return 0;
  }
  return text("source").find("nvd") != std::string::npos ? 1 : 2;
}

// Offers the ratings of a cvss[] list, best first, and the cvssV2/cvssV3 objects of Grype
// before 0.8.
void OfferCvssList(FieldReader& f, VulnerabilityDef& def) {
  if (const json* list = f.Array("cvss")) {
    std::vector<const json*> entries;
    for (const json& e : *list) {
      entries.push_back(&e);
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const json* a, const json* b) { return CvssRank(*a) < CvssRank(*b); });
    for (const json* e : entries) {
      FieldReader entry = f.Element(*e, "cvss");
      std::string vector = entry.String("vector");
      int major = CvssMajor(entry.String("version"), vector);
      OfferCvss(def, major, vector, entry.Object("metrics").Score("baseScore"));
    }
  }
  for (auto [key, major] : {std::pair<const char*, int>{"cvssV2", 2}, {"cvssV3", 3}}) {
    FieldReader old = f.Object(key);
    OfferCvss(def, major, old.String("vector"), old.Score("baseScore"));
  }
}

// The EPSS probability of an epss[] list: the entry for `cve`, else the first.
std::optional<double> Epss(FieldReader& f, const std::string& cve) {
  const json* list = f.Array("epss");
  if (list == nullptr || list->empty()) {
    return std::nullopt;
  }
  const json* pick = &list->front();
  for (const json& e : *list) {
    if (e.is_object() && e.value("cve", std::string()) == cve) {
      pick = &e;
      break;
    }
  }
  return f.Element(*pick, "epss").Score("epss", 1.0);
}

void AddCwes(FieldReader& f, VulnerabilityDef& def) {
  const json* list = f.Array("cwes");
  if (list == nullptr) {
    return;
  }
  for (const json& e : *list) {
    if (e.is_string()) {
      AddRef(def, "cwe", e.get<std::string>());
    } else {
      AddRef(def, "cwe", f.Element(e, "cwes").String("cwe"));
    }
  }
}

void AddLine(std::string& out, std::string_view label, std::string_view value) {
  if (value.empty()) {
    return;
  }
  if (!out.empty()) {
    out += "\n";
  }
  out += label;
  out += ": ";
  out += value;
}

// The matchers that found a match, in order, each once ("dpkg-matcher, cpe-matcher").
std::string Matchers(const json& match) {
  auto details = match.find("matchDetails");
  if (details == match.end()) {
    return "";
  }
  std::vector<std::string> names;
  auto take = [&](const json& d) {
    if (d.is_object() && d.contains("matcher") && d["matcher"].is_string()) {
      std::string m = d["matcher"].get<std::string>();
      if (!m.empty() && std::find(names.begin(), names.end(), m) == names.end()) {
        names.push_back(m);
      }
    }
  };
  if (details->is_array()) {
    for (const json& d : *details) {
      take(d);
    }
  } else {
    take(*details);  // Grype before 0.8: one object
  }
  return Join(names, ", ");
}

class GrypeReader {
 public:
  GrypeReader(ReportSink& sink, Diagnostics& diagnostics) : sink_(sink), diag_(diagnostics) {}

  std::vector<JsonStreamPath> Paths();

 private:
  using Handler = Status (GrypeReader::*)(json&, const Where&, JsonPosition);

  Status OnMatches(json& v, const Where& where, JsonPosition at);
  Status OnMatch(json& v, const Where& where, JsonPosition at);
  Status OnRoot(json& v, const Where& where, JsonPosition at);
  Status Drop(json&, const Where&, JsonPosition) { return Status::Ok(); }

  void ReadMatch(FieldReader& m, const std::string& id);
  void ReadVulnerability(FieldReader& m, FieldReader& vuln, VulnerabilityDef& def);
  std::string Target(FieldReader& root);

  ReportSink& sink_;
  Diagnostics& diag_;
  bool matches_seen_ = false;
  FindingBook book_;
};

std::vector<JsonStreamPath> GrypeReader::Paths() {
  std::vector<JsonStreamPath> paths;
  auto add = [&](std::vector<std::string> steps, Handler h) {
    paths.push_back({.steps = std::move(steps),
                     .on_value = [this, h](json& v, const Where& w, JsonPosition at) {
                       return (this->*h)(v, w, at);
                     }});
  };
  add({"matches", "*"}, &GrypeReader::OnMatch);
  add({"matches"}, &GrypeReader::OnMatches);
  add({"ignoredMatches", "*"}, &GrypeReader::Drop);
  // An image's layer list, manifest and config are large and say nothing vigil keeps.
  for (const char* bulky : {"layers", "manifest", "config"}) {
    add({"source", "target", bulky}, &GrypeReader::Drop);
  }
  add({}, &GrypeReader::OnRoot);
  return paths;
}

Status GrypeReader::OnMatches(json& v, const Where&, JsonPosition at) {
  if (!v.is_array() && !v.is_null()) {
    return InvalidInput(At(at) + "not a Grype report: matches is " + JsonTypeWord(v) +
                        ", not an array");
  }
  matches_seen_ = true;
  return Status::Ok();
}

Status GrypeReader::OnMatch(json& v, const Where& where, JsonPosition at) {
  std::string record = "matches[" + where.back() + "]";
  std::vector<Diagnostic> problems;
  FieldReader m(v, at, record, problems);
  if (!v.is_object()) {
    m.Warn("", "is " + JsonTypeWord(v) + ", not an object; match skipped");
  } else {
    auto vuln = v.find("vulnerability");
    if (vuln != v.end() && vuln->is_object()) {
      auto id = vuln->find("id");
      if (id != vuln->end() && id->is_string()) {
        record += " " + id->get<std::string>();
      }
    }
    FieldReader named(v, at, record, problems);
    std::string id = named.Object("vulnerability").Required("id", "match");
    if (!id.empty()) {
      ReadMatch(named, id);
    }
  }
  for (Diagnostic& d : problems) {
    diag_.Add(std::move(d));
  }
  return Status::Ok();
}

void GrypeReader::ReadMatch(FieldReader& m, const std::string& id) {
  if (!m.Has("artifact")) {
    m.Warn("artifact", "missing; match skipped");
    return;
  }
  FieldReader vuln = m.Object("vulnerability");
  FieldReader artifact = m.Object("artifact");
  ItemObservation item{.vuln = {.key = id, .source = AdvisorySource(id, "grype"), .source_id = id}};
  item.line = vuln.at().line;
  ReadVulnerability(m, vuln, item.vuln);

  PackageRef& pkg = item.package;
  pkg.name = artifact.String("name");
  pkg.version = artifact.String("version");
  pkg.type = artifact.String("type");
  pkg.purl = artifact.String("purl");
  if (const json* locations = artifact.Array("locations"); locations && !locations->empty()) {
    pkg.path = artifact.Element(locations->front(), "locations").String("path");
  }
  FieldReader fix = vuln.Object("fix");
  pkg.fixed_version = Join(fix.Strings("versions"), ", ");
  if (pkg.fixed_version.empty()) {
    pkg.fixed_version = vuln.String("fixedInVersion");  // Grype before 0.8
  }
  if (pkg.empty()) {
    artifact.Warn("name", "missing, and no purl; match skipped");
    return;
  }
  item.location = PackageLocation(pkg);
  AddLine(item.output, "Package", TrimSpace(pkg.name + " " + pkg.version));
  AddLine(item.output, "Type", pkg.type);
  AddLine(item.output, "Path", pkg.path);
  AddLine(item.output, "Fixed version", pkg.fixed_version);
  AddLine(item.output, "Fix state", fix.String("state"));
  AddLine(item.output, "Matched by", Matchers(m.json()));
  book_.Add(std::move(item));
}

void GrypeReader::ReadVulnerability(FieldReader& m, FieldReader& vuln, VulnerabilityDef& def) {
  def.description = vuln.String("description");
  ApplySeverity(vuln, def);
  if (IsCveIdAnyCase(def.key)) {
    AddRef(def, "cve", def.key);
  }
  OfferCvssList(vuln, def);
  def.epss_score = Epss(vuln, def.key);
  if (const json* kev = vuln.Array("knownExploited"); kev && !kev->empty()) {
    def.exploit_available = true;
  }
  AddCwes(vuln, def);
  for (const std::string& url : vuln.Strings("urls")) {
    AddRef(def, "see_also", url);
  }
  for (const std::string& url : vuln.Strings("links")) {  // Grype before 0.8
    AddRef(def, "see_also", url);
  }
  if (const json* advisories = vuln.Array("advisories")) {
    for (const json& a : *advisories) {
      FieldReader advisory = vuln.Element(a, "advisories");
      AddAdvisoryId(def, advisory.String("id"));
      AddRef(def, "see_also", advisory.String("link"));
    }
  }
  const json* related = m.Array("relatedVulnerabilities");
  if (related == nullptr) {
    return;
  }
  for (const json& r : *related) {
    FieldReader other = m.Element(r, "relatedVulnerabilities");
    AddAdvisoryId(def, other.String("id"));
    OfferCvssList(other, def);
    if (!def.epss_score) {
      def.epss_score = Epss(other, def.key);
    }
    AddCwes(other, def);
  }
}

// What was scanned: an image's userInput (else its first tag), or the target text of a
// directory, file or SBOM scan; empty when the report does not say ("unknown").
std::string GrypeReader::Target(FieldReader& root) {
  FieldReader source = root.Object("source");
  auto it = source.json().find("target");
  if (it == source.json().end()) {
    return "";
  }
  std::string target;
  if (it->is_string()) {
    target = std::string(TrimSpace(it->get_ref<const std::string&>()));
  } else {
    FieldReader image = source.Object("target");
    target = image.String("userInput");
    std::vector<std::string> tags = image.Strings("tags");
    if (target.empty() && !tags.empty()) {
      target = tags.front();
    }
  }
  if (AsciiLower(source.String("type")) == "unknown" && target == "unknown") {
    return "";
  }
  return target;
}

Status GrypeReader::OnRoot(json& v, const Where&, JsonPosition at) {
  if (!v.is_object()) {
    return InvalidInput(At(at) + "not a Grype report: the document is " + JsonTypeWord(v));
  }
  if (!matches_seen_) {
    std::vector<std::string> keys;
    for (const auto& [k, value] : v.items()) {
      keys.push_back(k);
    }
    return InvalidInput(At(at) + "not a Grype report: no matches array (keys: " + Join(keys, ", ") +
                        ")");
  }
  std::vector<Diagnostic> problems;
  FieldReader root(v, at, "", problems);
  std::string target = Target(root);
  FieldReader descriptor = root.Object("descriptor");
  std::string version = descriptor.String("version");
  ReportHeader header{.format = "grype", .report_name = target};
  if (!version.empty() && version != "[not provided]") {
    header.tool = "grype " + version;
  }
  HostObservation host{.report_name = target, .hostname = target};
  FieldReader distro = root.Object("distro");
  host.os = std::string(TrimSpace(distro.String("name") + " " + distro.String("version")));
  host.start = descriptor.Time("timestamp");
  host.line = at.line;
  for (Diagnostic& d : problems) {
    diag_.Add(std::move(d));
  }
  RETURN_IF_ERROR(sink_.OnHeader(header));
  if (target.empty()) {
    if (!book_.empty()) {
      return InvalidInput(At(at) + "the Grype report does not say what was scanned (no " +
                          "source.target, or source type \"unknown\"), so its findings (" +
                          std::to_string(book_.size()) + ") belong to no asset");
    }
    return Status::Ok();  // nothing named, nothing found: a report without hosts
  }
  host.items = book_.Take();
  return sink_.OnHost(host);
}

}  // namespace

Status ParseGrype(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics) {
  GrypeReader reader(sink, diagnostics);
  return StreamJson(source, reader.Paths());
}

}  // namespace vigil
