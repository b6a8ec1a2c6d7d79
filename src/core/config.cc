#include "core/config.h"

#include <array>
#include <string_view>

namespace vigil {

bool IsRatingSource(const std::string& name) {
  static constexpr std::array<std::string_view, 8> kSources = {
      "nvd-v4",          "nvd-v3.1",        "nvd-v3.0",        "nvd-v2",
      "scanner-cvss-v4", "scanner-cvss-v3", "scanner-cvss-v2", "scanner-severity"};
  for (std::string_view s : kSources) {
    if (s == name) {
      return true;
    }
  }
  return false;
}

}  // namespace vigil
