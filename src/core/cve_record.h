// What vigil knows of a CVE from the feeds: NVD's record with every CVSS metric, and the
// EPSS score. Filled by `vigil nvd import` and `vigil epss import`; read by classification
// and shown beside the scanners' own ratings.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace vigil {

// One CVSS metric as NVD publishes it: NVD's own (type Primary) or a CNA's (Secondary).
struct CvssMetric {
  std::string version;  // "2.0", "3.0", "3.1", "4.0"
  std::string source;   // "nvd@nist.gov", a CNA's address or UUID
  std::string type;     // "Primary" | "Secondary"
  std::string vector;
  double score = 0;
  std::string severity;  // baseSeverity as published
  bool operator==(const CvssMetric&) const = default;
};

struct CveRecord {
  std::string cve;
  std::string source_identifier;
  std::optional<Timestamp> published;
  Timestamp last_modified{};
  std::string status;             // vulnStatus: "Analyzed", "Modified", "Rejected", ...
  std::string description;        // English
  std::vector<std::string> cwes;  // "CWE-79", "NVD-CWE-noinfo", ...
  std::vector<CvssMetric> metrics;
};

struct EpssScore {
  std::string cve;
  double score = 0;       // probability of exploitation activity in the next 30 days, 0..1
  double percentile = 0;  // 0..1
  std::string model_version;
  Timestamp score_date{};
};

// The NVD scores classification may use for a vulnerability, per CVSS version: the highest
// over its CVEs of NVD's primary score, or of a CNA's secondary one where NVD has none.
struct NvdScores {
  std::optional<double> v40, v31, v30, v2;
};

}  // namespace vigil
