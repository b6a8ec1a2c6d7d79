#include "core/scanner_kind.h"

#include <array>
#include <string_view>

namespace vigil {

bool IsScannerKind(const std::string& kind) {
  static constexpr std::array<std::string_view, 5> kKinds = {"agent", "network", "external",
                                                             "container", "code"};
  for (std::string_view k : kKinds) {
    if (k == kind) {
      return true;
    }
  }
  return false;
}

}  // namespace vigil
