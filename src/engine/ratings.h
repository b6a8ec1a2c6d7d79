// Every rating of a vulnerability side by side: what its scanner said (CVSS v2, v3, v4 and
// its own severity), every NVD metric of each of its CVEs with its source and type, the EPSS
// score and the KEV entry. For `vigil vulns show` and the evidence of a recast ("NVD says 9.8
// from nvd@nist.gov, the CNA says 7.5").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/cve_record.h"
#include "core/status.h"
#include "core/vulnerability.h"
#include "store/records.h"

namespace vigil {

class Store;

struct Rating {
  std::string origin;   // "scanner tenable", "NVD CVE-2024-3400"
  std::string source;   // "nvd@nist.gov", a CNA, or the scanner's name
  std::string type;     // "Primary" | "Secondary" | "scanner"
  std::string version;  // CVSS version, or "severity"
  std::string vector;
  std::optional<double> score;
  std::string severity;
};

struct CveFacts {
  std::string cve;
  std::optional<CveRecord> nvd;
  std::optional<EpssScore> epss;
  std::optional<KevEntry> kev;
};

struct VulnerabilityRatings {
  std::vector<Rating> ratings;
  std::vector<CveFacts> cves;
};

Result<VulnerabilityRatings> RatingsOf(Store& store, const VulnerabilityDef& def);

}  // namespace vigil
