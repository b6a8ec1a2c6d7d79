#include "core/terminal_text.h"

#include <cstdint>

namespace vigil {
namespace {

// The length of the well-formed UTF-8 sequence at text[i] (RFC 3629), or 0.
size_t SequenceLength(std::string_view text, size_t i) {
  auto at = [&](size_t k) { return static_cast<uint8_t>(text[i + k]); };
  auto cont = [&](size_t k) { return i + k < text.size() && (at(k) & 0xC0) == 0x80; };
  uint8_t b = at(0);
  if (b < 0x80) {
    return 1;
  }
  if (b >= 0xC2 && b <= 0xDF) {
    return cont(1) ? 2 : 0;
  }
  if (b >= 0xE0 && b <= 0xEF) {
    bool ok = cont(1) && cont(2) && !(b == 0xE0 && at(1) < 0xA0) && !(b == 0xED && at(1) > 0x9F);
    return ok ? 3 : 0;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    bool ok = cont(1) && cont(2) && cont(3) && !(b == 0xF0 && at(1) < 0x90) &&
              !(b == 0xF4 && at(1) > 0x8F);
    return ok ? 4 : 0;
  }
  return 0;
}

void AppendHex(std::string& out, uint8_t b) {
  constexpr char kDigits[] = "0123456789abcdef";
  out += "\\x";
  out += kDigits[b >> 4];
  out += kDigits[b & 0xF];
}

}  // namespace

std::string ForTerminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    size_t n = SequenceLength(text, i);
    auto b = static_cast<uint8_t>(text[i]);
    bool control =
        b < 0x20 || b == 0x7F || (n == 2 && b == 0xC2 && static_cast<uint8_t>(text[i + 1]) < 0xA0);
    if (n == 0 || control) {
      for (size_t k = 0; k < (n == 0 ? 1 : n); ++k) {
        AppendHex(out, static_cast<uint8_t>(text[i + k]));
      }
      i += n == 0 ? 1 : n;
      continue;
    }
    out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

}  // namespace vigil
