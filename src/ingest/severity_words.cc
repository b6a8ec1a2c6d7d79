#include "ingest/severity_words.h"

#include <cmath>
#include <string>

#include "core/text.h"

namespace vigil {

std::optional<SeverityLevel> SeverityFromWord(std::string_view word) {
  std::string w = AsciiLower(TrimSpace(word));
  if (w == "critical") {
    return SeverityLevel{"Critical", 4};
  }
  if (w == "high") {
    return SeverityLevel{"High", 3};
  }
  if (w == "medium" || w == "moderate") {
    return SeverityLevel{"Medium", 2};
  }
  if (w == "low") {
    return SeverityLevel{"Low", 1};
  }
  if (w == "info" || w == "informational" || w == "none") {
    return SeverityLevel{"None", 0};
  }
  return std::nullopt;
}

std::optional<SeverityLevel> SeverityFromScore(double score) {
  if (!(score >= 0.0 && score <= 10.0)) {
    return std::nullopt;
  }
  long tenths = std::lround(score * 10.0);
  if (tenths >= 90) {
    return SeverityLevel{"Critical", 4};
  }
  if (tenths >= 70) {
    return SeverityLevel{"High", 3};
  }
  if (tenths >= 40) {
    return SeverityLevel{"Medium", 2};
  }
  if (tenths >= 1) {
    return SeverityLevel{"Low", 1};
  }
  return SeverityLevel{"None", 0};
}

}  // namespace vigil
