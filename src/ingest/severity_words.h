// Severity words of scanner reports and CVSS score bands, mapped to vigil's scale: the
// scanner_severity number (0 = info .. 4 = critical) and the risk_factor word (Critical, High,
// Medium, Low, None) of a VulnerabilityDef. Shared by the JSON parsers.
#pragma once

#include <optional>
#include <string_view>

namespace vigil {

struct SeverityLevel {
  std::string_view risk_factor;  // "Critical", "High", "Medium", "Low", "None"
  int severity = 0;              // 4, 3, 2, 1, 0
};

// "critical", "high", "medium" (also "moderate"), "low", "info" / "informational" / "none",
// in any case and with surrounding white space. Empty for "unknown", "" and any other word.
std::optional<SeverityLevel> SeverityFromWord(std::string_view word);

// The CVSS v3 qualitative band of a score, computed on integer tenths: 9.0-10.0 Critical,
// 7.0-8.9 High, 4.0-6.9 Medium, 0.1-3.9 Low, 0.0 None. Empty outside 0..10 (and for NaN).
std::optional<SeverityLevel> SeverityFromScore(double score);

}  // namespace vigil
