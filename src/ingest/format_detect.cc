#include "ingest/format_detect.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"

namespace vigil {
namespace {

std::string_view SkipSpaceAndBom(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") {
    s.remove_prefix(3);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  return s;
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
         c == ':' || (static_cast<unsigned char>(c) & 0x80);
}

}  // namespace

namespace {

struct FormatName {
  ReportFormat format;
  std::string_view name;
};

constexpr FormatName kFormats[] = {
    {ReportFormat::kNessus, "nessus"},   {ReportFormat::kNessusCsv, "nessus-csv"},
    {ReportFormat::kOpenVas, "openvas"}, {ReportFormat::kOpenVasCsv, "openvas-csv"},
    {ReportFormat::kQualys, "qualys"},   {ReportFormat::kQualysCsv, "qualys-csv"},
    {ReportFormat::kTrivy, "trivy"},     {ReportFormat::kGrype, "grype"},
    {ReportFormat::kSarif, "sarif"},     {ReportFormat::kCycloneDx, "cyclonedx"},
};

}  // namespace

std::string_view ToString(ReportFormat format) {
  for (const FormatName& f : kFormats) {
    if (f.format == format) {
      return f.name;
    }
  }
  return "?";
}

bool IsJsonFormat(ReportFormat format) {
  return format == ReportFormat::kTrivy || format == ReportFormat::kGrype ||
         format == ReportFormat::kSarif || format == ReportFormat::kCycloneDx;
}

std::string KnownFormatNames() {
  std::string out;
  for (const FormatName& f : kFormats) {
    out += out.empty() ? "" : ", ";
    out += f.name;
  }
  return out;
}

Result<ReportFormat> ParseReportFormat(std::string_view name) {
  for (const FormatName& f : kFormats) {
    if (f.name == name) {
      return f.format;
    }
  }
  return UsageError("unknown parser '" + std::string(name) + "' (known: auto, " +
                    KnownFormatNames() + ")");
}

std::string XmlRootName(std::string_view head) {
  size_t offset = XmlRootOffset(head);
  if (offset == std::string_view::npos) {
    return "";
  }
  size_t n = offset + 1;
  while (n < head.size() && IsNameChar(head[n])) {
    ++n;
  }
  return std::string(head.substr(offset + 1, n - offset - 1));
}

size_t XmlRootOffset(std::string_view head) {
  std::string_view s = SkipSpaceAndBom(head);
  auto offset = [&] { return static_cast<size_t>(s.data() - head.data()) - 1; };
  constexpr size_t kNone = std::string_view::npos;
  while (!s.empty()) {
    size_t lt = s.find('<');
    if (lt == std::string_view::npos || lt + 1 >= s.size()) {
      return kNone;
    }
    s.remove_prefix(lt + 1);
    if (s.front() == '?') {
      size_t end = s.find("?>");
      if (end == std::string_view::npos) {
        return kNone;
      }
      s.remove_prefix(end + 2);
    } else if (s.substr(0, 3) == "!--") {
      size_t end = s.find("-->");
      if (end == std::string_view::npos) {
        return kNone;
      }
      s.remove_prefix(end + 3);
    } else if (s.front() == '!') {
      // DOCTYPE, possibly with an internal subset in brackets.
      size_t bracket = s.find('[');
      size_t gt = s.find('>');
      if (bracket != std::string_view::npos && bracket < gt) {
        gt = s.find("]>", bracket);
        if (gt == std::string_view::npos) {
          return kNone;
        }
        ++gt;
      }
      if (gt == std::string_view::npos) {
        return kNone;
      }
      s.remove_prefix(gt + 1);
    } else {
      return offset();
    }
  }
  return kNone;
}

namespace {

// "LINE:COLUMN: " of a byte offset in head.
std::string At(std::string_view head, size_t offset) {
  offset = std::min(offset, head.size());
  std::string_view before = head.substr(0, offset);
  size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
  size_t nl = before.rfind('\n');
  size_t column = nl == std::string_view::npos ? offset + 1 : offset - nl;
  return std::to_string(line) + ":" + std::to_string(column) + ": ";
}

}  // namespace

bool JsonHead::Has(std::string_view key) const {
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

JsonHead ScanJsonHead(std::string_view head) {
  JsonHead out;
  std::string_view s = SkipSpaceAndBom(head);
  if (s.empty() || (s.front() != '{' && s.front() != '[')) {
    return out;
  }
  out.is_object = s.front() == '{';
  out.is_array = !out.is_object;
  int target = out.is_object ? 1 : 2;
  int depth = 0;
  bool seen_target = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') {
      size_t j = i + 1;
      std::string text;
      while (j < s.size() && s[j] != '"') {
        if (s[j] == '\\' && j + 1 < s.size()) {
          ++j;
        }
        text.push_back(s[j]);
        ++j;
      }
      if (j >= s.size()) {
        break;
      }
      size_t k = j + 1;
      while (k < s.size() && std::isspace(static_cast<unsigned char>(s[k]))) {
        ++k;
      }
      if (depth == target && k < s.size() && s[k] == ':') {
        out.keys.push_back(std::move(text));
      }
      i = j;
    } else if (c == '{' || c == '[') {
      ++depth;
      if (depth == target) {
        if (c != '{' && target == 2) {
          break;  // an array of arrays: no keys to show
        }
        seen_target = true;
      }
    } else if (c == '}' || c == ']') {
      --depth;
      if (seen_target && depth < target) {
        break;
      }
    }
  }
  return out;
}

namespace {

std::string FirstLine(std::string_view s) {
  size_t nl = s.find_first_of("\r\n");
  return std::string(s.substr(0, nl));
}

// The header names of a CSV line, unquoted and lower-cased, split at `separator`.
std::vector<std::string> CsvHeaderNames(std::string_view line, char separator) {
  std::vector<std::string> names;
  std::string cur;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == separator && !quoted) {
      names.push_back(AsciiLower(TrimSpace(cur)));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  names.push_back(AsciiLower(TrimSpace(cur)));
  return names;
}

bool HasName(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

constexpr std::string_view kKnown =
    " (known: Nessus v2 XML, Tenable CSV, Greenbone XML or CSV, Qualys XML or CSV, Trivy, Grype, "
    "SARIF and CycloneDX JSON)";

Result<ReportFormat> DetectXml(std::string_view head, size_t first) {
  size_t root_at = XmlRootOffset(head);
  std::string root = XmlRootName(head);
  if (root == "NessusClientData_v2") {
    return ReportFormat::kNessus;
  }
  if (root == "report" || root == "get_reports_response") {
    return ReportFormat::kOpenVas;
  }
  if (root == "ASSET_DATA_REPORT" || root == "SCAN" || root == "HOST_LIST_VM_DETECTION_OUTPUT") {
    return ReportFormat::kQualys;
  }
  if (root.empty()) {
    return InvalidInput(At(head, first) + "not a recognised report: no XML root element in " +
                        "the first " + std::to_string(head.size()) + " bytes");
  }
  if (root == "NessusClientData") {
    return InvalidInput(At(head, root_at) +
                        "Nessus v1 reports (<NessusClientData>) are not supported; export the "
                        "scan as .nessus v2");
  }
  if (root == "bom") {
    return InvalidInput(At(head, root_at) +
                        "a CycloneDX XML document; vigil reads CycloneDX JSON (convert it with "
                        "`cyclonedx convert --output-format json`)");
  }
  if (root == "nmaprun") {
    return InvalidInput(At(head, root_at) +
                        "an Nmap report: it lists ports and services, not vulnerabilities");
  }
  return InvalidInput(At(head, root_at) + "not a recognised report: XML with root element <" +
                      root + ">" + std::string(kKnown));
}

Result<ReportFormat> DetectJson(std::string_view head, size_t first) {
  std::string_view s = head.substr(first);
  if (s.substr(0, 4) == "null") {
    return InvalidInput(At(head, first) +
                        "the JSON document is null and holds no scan (Trivy's legacy format "
                        "writes this when it finds nothing; import it with --parser trivy to "
                        "record an empty scan)");
  }
  JsonHead json = ScanJsonHead(head);
  if (json.is_array) {
    if (json.Has("Target")) {
      return ReportFormat::kTrivy;
    }
    if (json.keys.empty()) {
      return InvalidInput(At(head, first) +
                          "not a recognised report: a JSON array whose first element is not "
                          "an object" +
                          std::string(kKnown));
    }
    return InvalidInput(At(head, first) + "not a recognised report: a JSON array of objects " +
                        "with keys " + Join(json.keys, ", ") + std::string(kKnown));
  }
  if (!json.is_object) {
    return InvalidInput(At(head, first) + "not a recognised report: not a JSON object");
  }
  if (json.Has("SchemaVersion") || json.Has("ArtifactName") ||
      (json.Has("Results") && json.Has("ArtifactType"))) {
    return ReportFormat::kTrivy;
  }
  if (json.Has("matches") && (json.keys.front() == "matches" || json.Has("descriptor") ||
                              json.Has("source") || json.Has("distro"))) {
    return ReportFormat::kGrype;
  }
  if (json.Has("bomFormat") || json.Has("specVersion")) {
    return ReportFormat::kCycloneDx;
  }
  if (json.Has("runs") || (json.Has("$schema") && head.find("sarif") != std::string_view::npos)) {
    return ReportFormat::kSarif;
  }
  if (json.Has("resultsPerPage") || (json.Has("format") && json.Has("vulnerabilities") &&
                                     head.find("NVD_CVE") != std::string_view::npos)) {
    return InvalidInput(At(head, first) +
                        "an NVD CVE API response, not a scan: load it with `vigil nvd import`");
  }
  if (json.Has("sourceIdentifier") && json.Has("id")) {
    return InvalidInput(At(head, first) +
                        "an NVD CVE record, not a scan: load it with `vigil nvd import`");
  }
  if (json.Has("catalogVersion")) {
    return InvalidInput(At(head, first) +
                        "the CISA KEV catalog, not a scan: load it with `vigil kev import`");
  }
  return InvalidInput(At(head, first) + "not a recognised report: a JSON object with keys " +
                      Join(json.keys, ", ") + std::string(kKnown));
}

Result<ReportFormat> DetectText(std::string_view head, size_t first) {
  std::string line = FirstLine(head.substr(first));
  char separator =
      std::count(line.begin(), line.end(), ';') > std::count(line.begin(), line.end(), ',') ? ';'
                                                                                            : ',';
  std::vector<std::string> names = CsvHeaderNames(line, separator);
  if ((HasName(names, "plugin id") || HasName(names, "plugin")) &&
      (HasName(names, "host") || HasName(names, "ip address") || HasName(names, "dns name"))) {
    return ReportFormat::kNessusCsv;
  }
  if (HasName(names, "nvt oid") && HasName(names, "ip")) {
    return ReportFormat::kOpenVasCsv;
  }
  if (HasName(names, "qid") && HasName(names, "ip")) {
    return ReportFormat::kQualysCsv;
  }
  if (HasName(names, "cveid") && HasName(names, "vendorproject")) {
    return InvalidInput(At(head, first) +
                        "the CISA KEV catalog in CSV, not a scan: `vigil kev import` reads its "
                        "JSON form");
  }
  if (line.substr(0, 14) == "#model_version" || (HasName(names, "cve") && HasName(names, "epss"))) {
    return InvalidInput(At(head, first) +
                        "FIRST EPSS scores, not a scan: load them with `vigil epss import`");
  }
  // Qualys CSV reports start with a preamble of report facts before the header line.
  if (head.find("\"QID\"") != std::string_view::npos &&
      head.find("\"IP\"") != std::string_view::npos) {
    return ReportFormat::kQualysCsv;
  }
  return InvalidInput(At(head, first) + "not a recognised report: the content is neither XML, " +
                      "JSON nor a known CSV header" + std::string(kKnown));
}

}  // namespace

Result<ReportFormat> DetectFormat(std::string_view head) {
  if (head.substr(0, 2) == "\xFE\xFF" || head.substr(0, 2) == "\xFF\xFE") {
    return InvalidInput(At(head, 0) +
                        "a UTF-16 document; vigil reads UTF-8 (convert the report first)");
  }
  if (head.substr(0, 2) == "\x1f\x8b") {
    return InvalidInput(At(head, 0) + "a gzip-compressed file; decompress the report first");
  }
  std::string_view s = SkipSpaceAndBom(head);
  size_t first = static_cast<size_t>(s.data() - head.data());
  if (s.empty()) {
    return InvalidInput(At(head, first) +
                        (head.empty() ? "empty file" : "the file holds only white space"));
  }
  if (s.front() == '<') {
    return DetectXml(head, first);
  }
  if (s.front() == '{' || s.front() == '[' || s.substr(0, 4) == "null") {
    return DetectJson(head, first);
  }
  return DetectText(head, first);
}

}  // namespace vigil
