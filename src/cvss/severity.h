// Qualitative severity ratings of CVSS scores.
//
// v3.0, v3.1 and v4.0 share one scale (v3.1 §5, v4.0 Table 22): None 0.0, Low 0.1-3.9,
// Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0. CVSS v2 defines no scale; NVD's
// convention is Low 0.0-3.9, Medium 4.0-6.9, High 7.0-10.0.
#pragma once

#include <string_view>

#include "cvss/metrics.h"

namespace vigil::cvss {

enum class Severity { kNone, kLow, kMedium, kHigh, kCritical };

// "None", "Low", "Medium", "High", "Critical".
std::string_view SeverityName(Severity severity);

// The rating of a score in [0, 10] with one decimal, on `version`'s scale (NVD's for v2).
Severity SeverityOf(double score, Version version);

}  // namespace vigil::cvss
