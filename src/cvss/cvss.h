// One entry point for any CVSS vector: detects the version, scores it, rates it.
//
//   ASSIGN_OR_RETURN(CvssScores s,
//   cvss::ScoreVector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")); s.overall == 9.8,
//   s.severity == Severity::kCritical
//
// Scores are one-decimal numbers held as the double nearest to them (tenths / 10.0), so they
// compare equal to the same number parsed from text. Cheap enough to call for every metric
// of every NVD record: one parse into a fixed array and one string for the normalized vector.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "cvss/metrics.h"
#include "cvss/severity.h"

namespace vigil::cvss {

struct CvssScores {
  Version version = Version::kV31;
  // v2, v3: the base score. v4: the CVSS-B score (threat and environmental metrics ignored).
  double base = 0.0;
  // v2, v3: the temporal score; v4: CVSS-BT. Set only when the vector gives a temporal
  // (threat) metric with a value other than Not Defined.
  std::optional<double> temporal;
  // v2, v3: the environmental score; v4: CVSS-BE or CVSS-BTE. Set only when the vector gives
  // an environmental metric with a value other than Not Defined.
  std::optional<double> environmental;
  // The score to use: v4's single score (counting every group given), else the base score.
  double overall = 0.0;
  // The rating of `overall` (for v2 on NVD's Low/Medium/High scale).
  Severity severity = Severity::kNone;
  // Canonical order, Not Defined metrics dropped (see NormalizeVector).
  std::string vector;
};

Result<CvssScores> ScoreVector(std::string_view vector);

}  // namespace vigil::cvss
