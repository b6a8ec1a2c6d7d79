// Tells a report's format from its content (never from its file name).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vigil {

// Every report format vigil imports (docs/formats.md).
enum class ReportFormat {
  kNessus,      // Tenable Nessus v2 XML (.nessus)
  kNessusCsv,   // Tenable/Nessus CSV export, comma or semicolon separated
  kOpenVas,     // Greenbone/OpenVAS XML report (get_reports response or bare <report>)
  kOpenVasCsv,  // Greenbone/OpenVAS CSV results export
  kQualys,      // Qualys XML (asset data report, scan report)
  kQualysCsv,   // Qualys CSV scan/vulnerability export
  kTrivy,       // Trivy JSON (SchemaVersion 2 and the legacy list)
  kGrype,       // Grype JSON
  kSarif,       // SARIF 2.1.0
  kCycloneDx,   // CycloneDX 1.4-1.6 JSON with vulnerabilities (and VEX analysis)
};

// Trivy, Grype, SARIF and CycloneDX: JSON reports, whose parsers hold a host's findings.
bool IsJsonFormat(ReportFormat format);

// Every format, for listing ("known: ...").
std::string KnownFormatNames();

std::string_view ToString(ReportFormat format);
// Parses a --parser value ("nessus", "trivy", ...); "auto" is handled by the caller.
Result<ReportFormat> ParseReportFormat(std::string_view name);

// Detects the format from the first bytes of a file (64 KiB are enough; more are fine).
// Errors start with the line and column of what was found ("1:1: empty file",
// "2:1: ... XML with root element <foo>"), and name what the file is when it is a known
// document that is not a scan (an NVD or KEV feed, an SBOM without vulnerabilities).
Result<ReportFormat> DetectFormat(std::string_view head);

// The name of the first element of an XML document, skipping the declaration, comments,
// processing instructions and DOCTYPE. Empty when the head holds no element start.
std::string XmlRootName(std::string_view head);
// Where the first element starts in `head`, or npos.
size_t XmlRootOffset(std::string_view head);

// The keys of the top-level JSON object that appear in `head` (in order; a key whose value
// runs past the head still counts), or, for a top-level array, the keys of its first
// element. `is_array` tells which. Empty when head is not a JSON object or array.
struct JsonHead {
  bool is_object = false;
  bool is_array = false;
  std::vector<std::string> keys;
  bool Has(std::string_view key) const;
};
JsonHead ScanJsonHead(std::string_view head);

}  // namespace vigil
