#include "config/toml_guard.h"

#include <cstdint>

namespace vigil {
namespace {

// The code point of the UTF-8 sequence at text[i] and its length, or {0, 1} for a byte that
// does not start one (toml++ reports invalid UTF-8 itself).
struct CodePoint {
  uint32_t value;
  size_t length;
};

CodePoint DecodeAt(std::string_view text, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = b(i);
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  if (n == 1 || i + n > text.size()) {
    return {c < 0x80 ? c : 0u, 1};
  }
  uint32_t value = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) {
      return {0, 1};
    }
    value = (value << 6) | (b(i + k) & 0x3F);
  }
  return {value, n};
}

bool Unclassifiable(uint32_t cp) {
  return (cp >= 0xA1 && cp <= 0x499) || (cp >= 0xFB06 && cp <= 0xFEFE);
}

class Scanner {
 public:
  Scanner(std::string_view text, const std::string& path) : text_(text), path_(path) {}

  Status Run() {
    while (i_ < text_.size()) {
      char c = text_[i_];
      bool quote = (c == '"' || c == '\'') && StringMayOpen();
      if (c == '#') {
        Skip("\n");
        prev_ = '\n';
      } else if (quote && Opens("\"\"\"")) {
        RETURN_IF_ERROR(MultiLineBasic());
      } else if (quote && Opens("'''")) {
        SkipMultiLine("'''");
      } else if (quote) {
        SkipString(c);
      } else {
        if (c != ' ' && c != '\t') {
          prev_ = c == '\r' ? '\n' : c;
        }
        RETURN_IF_ERROR(Check());
        continue;
      }
      prev_ = '"';  // after a string: a quote that follows opens none
    }
    return Status::Ok();
  }

 private:
  bool Opens(std::string_view quotes) const { return text_.substr(i_, 3) == quotes; }

  // Whether a quote here starts a string where toml++ reads one: a key at the start of a line
  // or after '.', '[' or '{', a value after '=', ',' or '['. Elsewhere ("= 1\"...") toml++
  // reads on through the characters as a bare value, so they must be checked as such.
  bool StringMayOpen() const {
    return prev_ == '\n' || prev_ == '=' || prev_ == '[' || prev_ == ',' || prev_ == '{' ||
           prev_ == '.';
  }

  // Refuses the code point at i_ if toml++ cannot classify it; steps over it.
  Status Check() {
    CodePoint cp = DecodeAt(text_, i_);
    if (Unclassifiable(cp.value)) {
      return InvalidInput(path_ + ":" + Position() + ": the character U+" + Hex(cp.value) +
                          " outside a string or comment (the TOML reader cannot take it "
                          "there)");
    }
    Advance(cp.length);
    return Status::Ok();
  }

  void SkipString(char quote) {
    Advance(1);
    while (i_ < text_.size() && text_[i_] != quote && text_[i_] != '\n') {
      Advance(quote == '"' && text_[i_] == '\\' && i_ + 1 < text_.size() ? 2 : 1);
    }
    Advance(i_ < text_.size() && text_[i_] == quote ? 1 : 0);
  }

  void SkipMultiLine(std::string_view quotes) {
    Advance(3);
    Skip(quotes);
  }

  Status MultiLineBasic() {
    Advance(3);
    while (i_ < text_.size() && !Opens("\"\"\"")) {
      if (text_[i_] != '\\') {
        Advance(1);
        continue;
      }
      size_t k = i_ + 1;
      while (k < text_.size() && (text_[k] == ' ' || text_[k] == '\t')) {
        ++k;
      }
      if (k >= text_.size() || (text_[k] != '\n' && text_[k] != '\r')) {
        Advance(2);  // an escape
        continue;
      }
      // A line-ending backslash: toml++ trims the whitespace that follows it.
      Advance(k - i_);
      while (i_ < text_.size() &&
             (text_[i_] == ' ' || text_[i_] == '\t' || text_[i_] == '\n' || text_[i_] == '\r')) {
        Advance(1);
      }
      if (i_ < text_.size()) {
        RETURN_IF_ERROR(Check());
      }
    }
    Skip("\"\"\"");
    return Status::Ok();
  }

  // Steps to just after the next `end`, or to the end of the text.
  void Skip(std::string_view end) {
    size_t at = text_.find(end, i_);
    Advance(at == std::string_view::npos ? text_.size() - i_ : at - i_ + end.size());
    while (end.size() == 3 && i_ < text_.size() && text_[i_] == end[0]) {
      Advance(1);  // up to two quotes of the string's own end it closes with ("""")
    }
  }

  void Advance(size_t n) {
    for (size_t k = 0; k < n && i_ < text_.size(); ++k, ++i_) {
      if (text_[i_] == '\n') {
        ++line_;
        line_start_ = i_ + 1;
      }
    }
  }

  std::string Position() const {
    return std::to_string(line_) + ":" + std::to_string(i_ - line_start_ + 1);
  }

  static std::string Hex(uint32_t v) {
    static const char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (int shift = 12; shift >= 0; shift -= 4) {
      out.push_back(kDigits[(v >> shift) & 0xF]);
    }
    return out;
  }

  std::string_view text_;
  const std::string& path_;
  size_t i_ = 0;
  size_t line_ = 1;
  size_t line_start_ = 0;
  char prev_ = '\n';  // the last character outside strings and comments, spaces aside
};

}  // namespace

Status CheckTomlppCanParse(std::string_view text, const std::string& path) {
  return Scanner(text, path).Run();
}

}  // namespace vigil
