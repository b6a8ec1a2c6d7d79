// Small text helpers shared by every layer: ASCII case folding, trimming, splitting, joining.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil {

// Removes leading and trailing XML white space (space, tab, CR, LF).
std::string_view TrimSpace(std::string_view s);

// Case folding of ASCII letters only; other bytes (UTF-8) are kept as they are.
std::string AsciiLower(std::string_view s);
std::string AsciiUpper(std::string_view s);

// Splits at any of `separators`, trims each piece and drops the empty ones.
std::vector<std::string> SplitNonEmpty(std::string_view s, std::string_view separators);

std::string Join(const std::vector<std::string>& items, std::string_view separator);

// A whole decimal number (surrounding white space allowed), or nullopt.
std::optional<double> ParseDouble(std::string_view s);

// A decimal integer (an optional '-', digits, nothing else) that fits in 64 bits, or nullopt.
std::optional<int64_t> ParseInt64(std::string_view s);

// A CSV field (RFC 4180): quoted, with quotes doubled, when it holds a comma, quote or line
// break.
std::string CsvField(const std::string& s);

}  // namespace vigil
