// Automatic classification: the class a vulnerability gets from the best rating available,
// in the configured order of rating sources (docs/policy.md#classification). Default: NVD's
// CVSS v4, v3.1, v3.0 for the vulnerability's CVEs (from `vigil nvd import`: NVD's primary
// score, or a CNA's where NVD has none; the highest over its CVEs), then the scanner's CVSS
// v3, v4, v2, then the scanner's own severity. The source is recorded ("auto:scanner-cvss-v3",
// ..., "auto:scanner-severity"). With no rating at all the vulnerability is "unclassified"
// (source "none").
#pragma once

#include <optional>
#include <string>

#include "core/config.h"
#include "core/cve_record.h"
#include "core/vulnerability.h"
#include "store/records.h"

namespace vigil {

struct Classification {
  std::string class_name;
  std::string source;
  std::optional<double> score;  // the CVSS score the class came from, if any
};

Classification Classify(const VulnerabilityDef& def, const NvdScores& nvd,
                        const ClassificationConfig& config);
// Without NVD scores.
inline Classification Classify(const VulnerabilityDef& def, const ClassificationConfig& config) {
  return Classify(def, NvdScores{}, config);
}

// True for class sources set by a person, which automatic classification never overrides.
bool IsManualClassification(const std::string& source);

// The classes of a vulnerability whose ratings give `derived`: the effective class stays a
// person's when `stored` holds one.
VulnClass MergeClass(const Classification& derived, const std::optional<VulnClass>& stored);

// A fingerprint of the classification settings, to notice when they change.
std::string ClassificationFingerprint(const ClassificationConfig& config);

}  // namespace vigil
