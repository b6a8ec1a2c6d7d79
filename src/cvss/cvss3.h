// CVSS v3.0 and v3.1 scores (base, temporal, environmental) and their Roundup.
//
// Formulas: v3.1 specification §7.1-7.4 (v3.0 §8.1-8.4 is the same except for the
// environmental Modified Impact when Modified Scope is Changed, where v3.1 uses
// 7.52 × (MISS − 0.029) − 3.25 × (MISS × 0.9731 − 0.02)^13 and v3.0 (MISS − 0.02)^15).
//
// Roundup is v3.1 Appendix A's: round x × 100,000 to the nearest integer, then round up to
// a tenth in integer arithmetic. v3.0 defines Roundup as the smallest one-decimal number
// >= x; applied to the mathematically exact x, it equals Appendix A's result for every
// v3.0 base, temporal and environmental input (verified by enumerating them all in exact
// rational arithmetic), while a plain ceil(x × 10) / 10 in binary floating point does not
// (10.0 × 0.92 = 9.200000000000001 would give 9.3). So both versions use Appendix A.
#pragma once

#include <string_view>

#include "core/status.h"
#include "cvss/cvss_vector.h"

namespace vigil::cvss {

// Unspecified temporal and environmental metrics count as X, so a base-only vector has
// temporal == base and an environmental score computed with every modified metric equal to
// its base metric (which differs from base in v3.1 for some S:C vectors).
struct Cvss3Scores {
  double base = 0.0;
  double temporal = 0.0;
  double environmental = 0.0;
};

// Precondition: parsed.version is Version::kV30 or Version::kV31.
Cvss3Scores ScoreCvss3(const ParsedVector& parsed);

// Parses and scores; a vector of another version is refused.
Result<Cvss3Scores> ScoreCvss3(std::string_view vector);

// v3.1 Appendix A Roundup of x >= 0, in tenths (Roundup(4.02) = 41, Roundup(4.0) = 40).
int RoundupTenths(double x);

}  // namespace vigil::cvss
