#include "cvss/cvss.h"

#include "cvss/cvss2.h"
#include "cvss/cvss3.h"
#include "cvss/cvss4.h"
#include "cvss/cvss_vector.h"

namespace vigil::cvss {
namespace {

void ScoreV2(const ParsedVector& p, CvssScores& out) {
  Cvss2Scores s = ScoreCvss2(p);
  out.base = s.base;
  out.temporal = s.temporal;
  out.environmental = s.environmental;
  out.overall = s.base;
}

void ScoreV3(const ParsedVector& p, CvssScores& out) {
  Cvss3Scores s = ScoreCvss3(p);
  out.base = s.base;
  if (p.AnyDefined(v3::kE, v3::kRC)) {
    out.temporal = s.temporal;
  }
  if (p.AnyDefined(v3::kCR, v3::kMA)) {
    out.environmental = s.environmental;
  }
  out.overall = s.base;
}

void ScoreV4(const ParsedVector& p, CvssScores& out) {
  bool threat = p.Defined(v4::kE);
  bool environmental = p.AnyDefined(v4::kCR, v4::kMSA);
  out.overall = ScoreCvss4(p).score;
  out.base = threat || environmental ? ScoreCvss4Groups(p, Cvss4Groups::kBase) : out.overall;
  if (threat) {
    out.temporal = environmental ? ScoreCvss4Groups(p, Cvss4Groups::kBaseThreat) : out.overall;
  }
  if (environmental) {
    out.environmental = out.overall;
  }
}

}  // namespace

Result<CvssScores> ScoreVector(std::string_view vector) {
  ASSIGN_OR_RETURN(ParsedVector parsed, ParseVector(vector));
  CvssScores out;
  out.version = parsed.version;
  switch (parsed.version) {
    case Version::kV2:
      ScoreV2(parsed, out);
      break;
    case Version::kV30:
    case Version::kV31:
      ScoreV3(parsed, out);
      break;
    case Version::kV40:
      ScoreV4(parsed, out);
      break;
  }
  out.severity = SeverityOf(out.overall, parsed.version);
  out.vector = NormalizeVector(parsed);
  return out;
}

}  // namespace vigil::cvss
