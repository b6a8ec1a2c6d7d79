// CVE identifiers: "CVE-", a four-digit year, "-", and four or more digits (the syntax since
// 2014: CVE-2021-44228, CVE-2026-103096). An id is checked before vigil uses it (as a key, in
// a lookup, in a link): a scanner's or a feed's text that is not one is not a CVE.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vigil {

// Longest id accepted: the prefix, the year and 19 digits of sequence number.
inline constexpr size_t kMaxCveIdLength = 28;

// Exactly the syntax, in upper case.
bool IsCveId(std::string_view text);

// `text` with its "cve-" prefix in upper case when the rest is the syntax; nullopt otherwise.
std::optional<std::string> NormalizeCveId(std::string_view text);

}  // namespace vigil
