#include "core/host_name.h"

namespace vigil {
namespace {

bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

bool IsLabel(std::string_view label) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
    return false;
  }
  for (char c : label) {
    if (!IsLabelChar(c)) {
      return false;
    }
  }
  return true;
}

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

}  // namespace

bool IsHostName(std::string_view text) {
  if (!text.empty() && text.back() == '.') {
    text.remove_suffix(1);  // a fully qualified name's root
  }
  if (text.empty() || text.size() > 253) {
    return false;
  }
  std::string_view last;
  while (true) {
    size_t dot = text.find('.');
    last = text.substr(0, dot);
    if (!IsLabel(last)) {
      return false;
    }
    if (dot == std::string_view::npos) {
      break;
    }
    text.remove_prefix(dot + 1);
  }
  return !AllDigits(last);
}

}  // namespace vigil
