// Strict parsing of CVSS vector strings (v2.0, v3.0, v3.1, v4.0) into a fixed array of
// metric values, and their normalized form.
//
// Accepted forms:
//   v2    "AV:N/AC:L/Au:N/C:P/I:P/A:P[/E:../RL:../...]", no prefix, as in the v2 guide, the
//         NVD API and the NVD/FIRST JSON schema. Neither "CVSS:2.0/", nor the parentheses
//         of NVD's old web pages, nor scanner wrappers such as Nessus' "CVSS2#" are
//         accepted: callers strip what their format adds.
//   v3.x  "CVSS:3.0/..." or "CVSS:3.1/...", metrics in any order (v3.1 §6: readers must
//         accept any order).
//   v4.0  "CVSS:4.0/...", metrics in the order of the specification's Table 23, which v4.0
//         §7 makes mandatory.
// In all versions: every base metric is mandatory, no metric may appear twice, values are
// case-sensitive, and "X" (v2: "ND", Not Defined) is accepted for every optional metric.
//
// Errors are InvalidInput with the 1-based character position of the offending component:
//   "CVSS:3.1/AV:N/AC:Q/...: position 15: AC:Q: unknown value 'Q' for AC (Attack
//    Complexity), expected L or H"
// Parsing does not allocate unless it fails.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "cvss/metrics.h"

namespace vigil::cvss {

struct ParsedVector {
  Version version = Version::kV31;
  // Per metric index of MetricsOf(version): the index of its value in MetricDef::values.
  // 0 for an absent metric, which for optional metrics is the Not Defined value.
  std::array<uint8_t, kMaxMetrics> value{};
  // Bit m is set when metric m appears in the vector, even as X/ND.
  uint32_t present = 0;

  bool Has(int metric) const { return ((present >> metric) & 1u) != 0; }
  // True when metric m appears with a value other than Not Defined (X/ND).
  bool Defined(int metric) const;
  // True when any metric in [first, last] is Defined.
  bool AnyDefined(int first, int last) const;
  // The value's abbreviation as written in the specification ("N", "POC", "Clear", "X").
  std::string_view Text(int metric) const;
};

// Parses any supported version, recognized by its prefix (none for v2).
Result<ParsedVector> ParseVector(std::string_view vector);

// The vector in canonical metric order with its prefix and without Not Defined metrics,
// e.g. "CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X" becomes
// "CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N/E:F".
std::string NormalizeVector(const ParsedVector& parsed);

}  // namespace vigil::cvss
