// CVSS v2 scores (base, temporal, environmental) as defined by the FIRST CVSS v2 guide §3.2.
//
// Computed in exact decimal arithmetic, so that round_to_1_decimal (round half up) sees the
// true value: 3.0 × 0.95 = 2.85 rounds to 2.9, where binary floating point gives
// 2.8499999999999996 and 2.8, as naive implementations do.
// Negative results (only -0.0, for C:N/I:N/A:N) are reported as 0.0.
#pragma once

#include <optional>
#include <string_view>

#include "core/status.h"
#include "cvss/cvss_vector.h"

namespace vigil::cvss {

struct Cvss2Scores {
  double base = 0.0;
  // Set when the vector gives E, RL or RC with a value other than ND.
  std::optional<double> temporal;
  // Set when the vector gives CDP, TD, CR, IR or AR with a value other than ND.
  std::optional<double> environmental;
};

// Precondition: parsed.version == Version::kV2.
Cvss2Scores ScoreCvss2(const ParsedVector& parsed);

// Parses and scores; a vector of another version is refused.
Result<Cvss2Scores> ScoreCvss2(std::string_view vector);

}  // namespace vigil::cvss
