#include "core/cve_id.h"

namespace vigil {
namespace {

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return !s.empty();
}

bool IsPrefix(std::string_view s, bool any_case) {
  if (s.size() < 4 || s[3] != '-') {
    return false;
  }
  if (!any_case) {
    return s.substr(0, 3) == "CVE";
  }
  auto up = [](char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 32) : c; };
  return up(s[0]) == 'C' && up(s[1]) == 'V' && up(s[2]) == 'E';
}

bool Syntax(std::string_view s, bool any_case) {
  return s.size() >= 13 && s.size() <= kMaxCveIdLength && IsPrefix(s, any_case) &&
         AllDigits(s.substr(4, 4)) && s[8] == '-' && AllDigits(s.substr(9));
}

}  // namespace

bool IsCveId(std::string_view text) {
  return Syntax(text, false);
}

std::optional<std::string> NormalizeCveId(std::string_view text) {
  if (!Syntax(text, true)) {
    return std::nullopt;
  }
  return "CVE-" + std::string(text.substr(4));
}

}  // namespace vigil
