// CVSS v4.0 scores (specification §8): the MacroVector's score from the specification's
// table, adjusted within the MacroVector by the interpolation of the FIRST reference
// calculator (cvss-v4-calculator, cvss_score.js), rounded half up to one decimal.
//
// The interpolation is done in exact rational arithmetic (scores in tenths, distances as
// integer levels), so a result that is exactly x.x5 rounds up. This is the result of the
// maintained reference implementations (RedHatProductSecurity/cvss-v4-calculator since
// 2024-11 and the Python `cvss` library, which add 1e-6 before rounding); the August 2024
// FIRST calculator snapshot rounds the binary value, e.g. 8.6 − 7.15 = 1.4499999999999993,
// and scores such vectors 0.1 lower. See docs/cvss.md.
#pragma once

#include <string_view>

#include "core/status.h"
#include "cvss/cvss_vector.h"
#include "cvss/macro_vector.h"

namespace vigil::cvss {

// Supplemental metrics (§4): reported, never part of the score. "X" when not given.
struct Cvss4Supplemental {
  std::string_view safety = "X";           // S: X N P
  std::string_view automatable = "X";      // AU: X N Y
  std::string_view recovery = "X";         // R: X A U I
  std::string_view value_density = "X";    // V: X D C
  std::string_view response_effort = "X";  // RE: X L M H
  std::string_view urgency = "X";          // U: X Clear Green Amber Red
};

struct Cvss4Score {
  // The single v4.0 score, counting whichever threat and environmental metrics are given.
  double score = 0.0;
  // "CVSS-B", "CVSS-BT", "CVSS-BE" or "CVSS-BTE": the groups the score counts (§1.3).
  std::string_view nomenclature = "CVSS-B";
  MacroVector macro_vector;
  Cvss4Supplemental supplemental;
};

// Precondition: parsed.version == Version::kV40.
Cvss4Score ScoreCvss4(const ParsedVector& parsed);

// Parses and scores; a vector of another version is refused.
Result<Cvss4Score> ScoreCvss4(std::string_view vector);

enum class Cvss4Groups { kBase, kBaseThreat, kBaseThreatEnvironmental };

// The score counting only `groups`: metrics of the other groups are taken as Not Defined.
// kBase gives the CVSS-B score of a vector that also has threat or environmental metrics.
double ScoreCvss4Groups(const ParsedVector& parsed, Cvss4Groups groups);

}  // namespace vigil::cvss
