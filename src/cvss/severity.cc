#include "cvss/severity.h"

#include <cmath>

namespace vigil::cvss {

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kNone:
      return "None";
    case Severity::kLow:
      return "Low";
    case Severity::kMedium:
      return "Medium";
    case Severity::kHigh:
      return "High";
    case Severity::kCritical:
      return "Critical";
  }
  return "?";
}

Severity SeverityOf(double score, Version version) {
  // Compared in tenths so that 3.9 and 4.0 never fall between the bands.
  long tenths = std::lround(score * 10);
  if (version == Version::kV2) {
    return tenths >= 70 ? Severity::kHigh : tenths >= 40 ? Severity::kMedium : Severity::kLow;
  }
  if (tenths >= 90) {
    return Severity::kCritical;
  }
  if (tenths >= 70) {
    return Severity::kHigh;
  }
  if (tenths >= 40) {
    return Severity::kMedium;
  }
  return tenths >= 1 ? Severity::kLow : Severity::kNone;
}

}  // namespace vigil::cvss
