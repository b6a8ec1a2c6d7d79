// Automatic classification: the class a vulnerability gets from the best rating available.
//
// Order (until NVD enrichment arrives): the scanner's CVSS v3 base score, then its CVSS v4
// base score, then its CVSS v2 base score, then the scanner's own severity. The source is
// recorded ("auto:scanner-cvss-v3", ..., "auto:scanner-severity"). With no rating at all
// the vulnerability is "unclassified".
#pragma once

#include <string>

#include "core/class_scale.h"
#include "core/vulnerability.h"

namespace vigil {

struct Classification {
  std::string class_name;
  std::string source;
};

Classification Classify(const VulnerabilityDef& def, const ClassScale& scale);

// True for class sources set by a person, which automatic classification never overrides.
bool IsManualClassification(const std::string& source);

}  // namespace vigil
