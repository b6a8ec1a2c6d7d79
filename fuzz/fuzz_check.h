// Invariant checks for the fuzz targets (fuzz/README.md). A violation prints what broke and
// aborts, so that libFuzzer reports it like a crash and keeps the input that caused it.
#pragma once

#include <optional>
#include <string_view>

namespace vigil::fuzz {

// Prints "invariant violated: <what>: <detail>" to stderr and aborts.
[[noreturn]] void Fail(std::string_view what, std::string_view detail = {});

inline void Check(bool holds, std::string_view what, std::string_view detail = {}) {
  if (!holds) {
    Fail(what, detail);
  }
}

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF. Written
// here rather than taken from the product, so that the oracle is independent of the code it
// checks.
bool IsValidUtf8(std::string_view s);

// Text a parser emitted: valid UTF-8.
void CheckText(std::string_view text, std::string_view what);
// A key (vulnerability key, host identity, CVE id): valid UTF-8 and not empty.
void CheckKey(std::string_view key, std::string_view what);
// A number a parser emitted: finite and within [low, high].
void CheckRange(double value, double low, double high, std::string_view what);
// The same, when there is a value.
template <typename T>
void CheckRange(const std::optional<T>& value, double low, double high, std::string_view what) {
  if (value) {
    CheckRange(static_cast<double>(*value), low, high, what);
  }
}

}  // namespace vigil::fuzz
