#include "core/duration.h"

#include <array>
#include <cstdint>
#include <limits>
#include <utility>

namespace vigil {
namespace {

constexpr std::array<std::pair<char, int64_t>, 5> kUnits = {
    {{'w', 7 * 86400}, {'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}}};

Status Bad(std::string_view text) {
  return InvalidInput("not a duration: '" + std::string(text) +
                      "' (write e.g. 90s, 15m, 24h, 7d, 2w or 1d12h)");
}

}  // namespace

Result<std::chrono::seconds> ParseDuration(std::string_view text) {
  if (text.empty()) {
    return Bad(text);
  }
  int64_t total = 0;
  size_t i = 0;
  while (i < text.size()) {
    int64_t n = 0;
    size_t digits = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (n > std::numeric_limits<int64_t>::max() / 10 / (int64_t{7} * 86400)) {
        return InvalidInput("duration too long: '" + std::string(text) + "'");
      }
      n = n * 10 + (text[i] - '0');
      ++i;
      ++digits;
    }
    if (digits == 0 || i == text.size()) {
      return Bad(text);
    }
    int64_t unit = 0;
    for (const auto& [c, seconds] : kUnits) {
      if (text[i] == c) {
        unit = seconds;
      }
    }
    if (unit == 0) {
      return Bad(text);
    }
    ++i;
    total += n * unit;
  }
  return std::chrono::seconds(total);
}

std::string FormatDuration(std::chrono::seconds d) {
  int64_t left = d.count();
  if (left <= 0) {
    return "0s";
  }
  std::string out;
  for (const auto& [c, seconds] : kUnits) {
    if (c == 'w' && left % seconds != 0) {
      continue;  // "10d" reads better than "1w3d"
    }
    if (left >= seconds) {
      out += std::to_string(left / seconds) + c;
      left %= seconds;
    }
  }
  return out;
}

Result<std::chrono::seconds> ParseDurationField(const std::string& field, std::string_view text) {
  auto d = ParseDuration(text);
  if (!d.ok()) {
    return FieldError(field, d.status().message());
  }
  return *d;
}

}  // namespace vigil
