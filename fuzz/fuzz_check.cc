#include "fuzz/fuzz_check.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace vigil::fuzz {
namespace {

// The first bytes of the text, with bytes that are not printable ASCII escaped.
std::string Quote(std::string_view text) {
  constexpr size_t kShown = 120;
  std::string out = "\"";
  for (size_t i = 0; i < text.size() && i < kShown; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    }
  }
  out += text.size() > kShown ? "\"..." : "\"";
  return out;
}

// The length of the valid sequence at s[i], or 0.
size_t SequenceLength(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) {
    return 1;
  }
  size_t n = 0;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;  // the bounds of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    low = c == 0xE0 ? 0xA0 : 0x80;   // no overlong forms
    high = c == 0xED ? 0x9F : 0xBF;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    low = c == 0xF0 ? 0x90 : 0x80;
    high = c == 0xF4 ? 0x8F : 0xBF;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + n > s.size() || byte(i + 1) < low || byte(i + 1) > high) {
    return 0;
  }
  for (size_t k = i + 2; k < i + n; ++k) {
    if (byte(k) < 0x80 || byte(k) > 0xBF) {
      return 0;
    }
  }
  return n;
}

}  // namespace

void Fail(std::string_view what, std::string_view detail) {
  std::fprintf(stderr, "invariant violated: %.*s%s%.*s\n", static_cast<int>(what.size()),
               what.data(), detail.empty() ? "" : ": ", static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    size_t n = SequenceLength(s, i);
    if (n == 0) {
      return false;
    }
    i += n;
  }
  return true;
}

void CheckText(std::string_view text, std::string_view what) {
  if (!IsValidUtf8(text)) {
    Fail(std::string(what) + " is not valid UTF-8", Quote(text));
  }
}

void CheckKey(std::string_view key, std::string_view what) {
  Check(!key.empty(), std::string(what) + " is empty");
  CheckText(key, what);
}

void CheckRange(double value, double low, double high, std::string_view what) {
  if (!std::isfinite(value) || value < low || value > high) {
    Fail(std::string(what) + " is out of range", std::to_string(value) + " not in [" +
                                                     std::to_string(low) + ", " +
                                                     std::to_string(high) + "]");
  }
}

}  // namespace vigil::fuzz
