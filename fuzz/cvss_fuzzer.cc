// Fuzz target: CVSS vectors (cvss/cvss_vector.h, cvss/cvss.h). A vector that parses must
// score; scores are one-decimal numbers within 0..10 rated on their version's scale; the
// normalized vector parses again to itself and scores the same.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cvss/cvss.h"
#include "cvss/cvss_vector.h"
#include "fuzz/fuzz_check.h"

namespace vigil::fuzz {
namespace {

void CheckScore(const std::optional<double>& score, std::string_view what) {
  if (!score) {
    return;
  }
  CheckRange(*score, 0, 10, what);
  double tenths = *score * 10;
  Check(std::abs(tenths - std::round(tenths)) < 1e-9,
        std::string(what) + " has more than one decimal", std::to_string(*score));
}

void CheckScores(const cvss::CvssScores& s) {
  CheckScore(s.base, "base score");
  CheckScore(s.temporal, "temporal score");
  CheckScore(s.environmental, "environmental score");
  CheckScore(s.overall, "overall score");
  Check(s.severity == cvss::SeverityOf(s.overall, s.version), "severity does not match the score");
}

void CheckVector(std::string_view text) {
  auto parsed = cvss::ParseVector(text);
  auto scored = cvss::ScoreVector(text);
  if (!parsed.ok()) {
    Check(parsed.status().code() == ErrorCode::kInvalidInput,
          "a vector error that is not InvalidInput", parsed.status().message());
    Check(!scored.ok(), "a vector that does not parse scores");
    return;
  }
  Check(scored.ok(), "a vector that parses does not score", scored.status().message());
  CheckScores(*scored);
  std::string normalized = cvss::NormalizeVector(*parsed);
  Check(normalized == scored->vector, "ScoreVector and NormalizeVector disagree", normalized);
  auto again = cvss::ParseVector(normalized);
  Check(again.ok(), "the normalized vector does not parse", normalized);
  Check(again->version == parsed->version, "normalizing changes the version", normalized);
  Check(cvss::NormalizeVector(*again) == normalized, "normalizing is not idempotent", normalized);
  auto rescored = cvss::ScoreVector(normalized);
  Check(rescored.ok() && rescored->overall == scored->overall && rescored->base == scored->base,
        "the normalized vector scores differently", normalized);
}

}  // namespace
}  // namespace vigil::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  vigil::fuzz::CheckVector(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
