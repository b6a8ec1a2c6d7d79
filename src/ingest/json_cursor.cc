#include "ingest/json_cursor.h"

#include <charconv>
#include <cstring>

#include "core/text.h"

namespace vigil {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// The length of the well-formed UTF-8 sequence at p (RFC 3629: no overlong forms, no
// surrogates, nothing past U+10FFFF), or 0.
size_t Utf8Sequence(const char* p, const char* end) {
  auto at = [&](size_t k) { return static_cast<unsigned char>(p[k]); };
  auto cont = [&](size_t k) { return p + k < end && (at(k) & 0xC0) == 0x80; };
  unsigned char b = at(0);
  if (b >= 0xC2 && b <= 0xDF) {
    return cont(1) ? 2 : 0;
  }
  if (b >= 0xE0 && b <= 0xEF) {
    if (!cont(1) || !cont(2) || (b == 0xE0 && at(1) < 0xA0) || (b == 0xED && at(1) > 0x9F)) {
      return 0;
    }
    return 3;
  }
  if (b >= 0xF0 && b <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3) || (b == 0xF0 && at(1) < 0x90) ||
        (b == 0xF4 && at(1) > 0x8F)) {
      return 0;
    }
    return 4;
  }
  return 0;
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

}  // namespace

std::string JsonCursor::WhereAt(uint64_t offset) const {
  size_t end = std::min(static_cast<size_t>(offset), text_.size());
  uint64_t line = 1;
  size_t line_start = 0;
  const char* p = text_.data();
  const char* stop = p + end;
  while (true) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(stop - p));
    if (nl == nullptr) {
      break;
    }
    ++line;
    p = static_cast<const char*>(nl) + 1;
    line_start = static_cast<size_t>(p - text_.data());
  }
  return std::to_string(line) + ":" + std::to_string(end - line_start + 1);
}

bool JsonCursor::Fail(const std::string& message) {
  if (error_.ok()) {
    error_ = InvalidInput(Where() + ": " + message);
  }
  pos_ = text_.size();
  return false;
}

void JsonCursor::SkipSpace() {
  while (pos_ < text_.size() && IsSpace(text_[pos_])) {
    ++pos_;
  }
}

JsonCursor::Kind JsonCursor::Peek() {
  SkipSpace();
  if (!error_.ok() || pos_ >= text_.size()) {
    return Kind::kEnd;
  }
  switch (text_[pos_]) {
    case '{':
      return Kind::kObject;
    case '[':
      return Kind::kArray;
    case '"':
      return Kind::kString;
    case 't':
    case 'f':
      return Kind::kBool;
    case 'n':
      return Kind::kNull;
    default:
      return Kind::kNumber;
  }
}

bool JsonCursor::Expect(char c, const char* what) {
  SkipSpace();
  if (pos_ >= text_.size()) {
    return Fail(std::string("the document ends where ") + what + " was expected");
  }
  if (text_[pos_] != c) {
    return Fail(std::string("expected ") + what + ", found '" + text_[pos_] + "'");
  }
  ++pos_;
  return true;
}

bool JsonCursor::EnterObject() {
  if (!Expect('{', "an object")) {
    return false;
  }
  if (++depth_ > kMaxDepth) {
    return Fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  first_bits_ |= uint64_t{1} << depth_;
  ForgetKeys();
  return true;
}

void JsonCursor::ForgetKeys() {
  auto& keys = keys_[static_cast<size_t>(depth_)];
  if (keys.bucket_count() > 64) {
    keys = {};  // clear() would touch every bucket of an earlier large object again
  } else {
    keys.clear();
  }
}

bool JsonCursor::EnterArray() {
  if (!Expect('[', "an array")) {
    return false;
  }
  if (++depth_ > kMaxDepth) {
    return Fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
  }
  first_bits_ |= uint64_t{1} << depth_;
  return true;
}

bool JsonCursor::AfterValue() {
  uint64_t bit = uint64_t{1} << depth_;
  if (first_bits_ & bit) {
    first_bits_ &= ~bit;
    return true;
  }
  SkipSpace();
  if (pos_ < text_.size() && text_[pos_] == ',') {
    ++pos_;
    return true;
  }
  return Fail(pos_ >= text_.size() ? "the document ends inside a container"
                                   : std::string("expected ',' , found '") + text_[pos_] + "'");
}

bool JsonCursor::NextKey(std::string_view& key) {
  if (!error_.ok()) {
    return false;
  }
  SkipSpace();
  if (pos_ < text_.size() && text_[pos_] == '}') {
    ++pos_;
    --depth_;
    return false;
  }
  if (!AfterValue()) {
    return false;
  }
  SkipSpace();
  if (pos_ >= text_.size() || text_[pos_] != '"') {
    return Fail(pos_ >= text_.size() ? "the document ends inside an object"
                                     : std::string("expected a key, found '") + text_[pos_] + "'");
  }
  size_t start = pos_;
  std::string_view raw;
  bool escaped = false;
  if (!ScanString(raw, escaped)) {
    return false;
  }
  if (escaped) {
    scratch_.clear();
    if (!Decode(raw, scratch_)) {
      return false;
    }
    key = owned_keys_.emplace_back(scratch_);
  } else {
    key = raw;
  }
  if (!keys_[static_cast<size_t>(depth_)].insert(key).second) {
    pos_ = start;
    return Fail("the key \"" + std::string(key.substr(0, 64)) + "\" appears twice in one object");
  }
  return Expect(':', "':' after a key");
}

bool JsonCursor::NextElement() {
  if (!error_.ok()) {
    return false;
  }
  SkipSpace();
  if (pos_ < text_.size() && text_[pos_] == ']') {
    ++pos_;
    --depth_;
    return false;
  }
  return AfterValue();
}

bool JsonCursor::ScanString(std::string_view& raw, bool& escaped) {
  ++pos_;  // the opening quote
  size_t start = pos_;
  escaped = false;
  while (true) {
    const char* p = text_.data() + pos_;
    size_t left = text_.size() - pos_;
    // Find the next quote or backslash quickly.
    const char* q = static_cast<const char*>(std::memchr(p, '"', left));
    if (q == nullptr) {
      return Fail("a string is not closed");
    }
    const char* b = static_cast<const char*>(std::memchr(p, '\\', static_cast<size_t>(q - p)));
    if (b == nullptr) {
      for (const char* c = p; c < q; ++c) {
        if (static_cast<unsigned char>(*c) < 0x20) {
          pos_ = static_cast<size_t>(c - text_.data());
          return Fail("a control character inside a string");
        }
        if (static_cast<unsigned char>(*c) >= 0x80) {
          size_t n = Utf8Sequence(c, q);
          if (n == 0) {
            pos_ = static_cast<size_t>(c - text_.data());
            return Fail("invalid UTF-8 inside a string");
          }
          c += n - 1;
        }
      }
      pos_ = static_cast<size_t>(q - text_.data()) + 1;
      raw = text_.substr(start, pos_ - 1 - start);
      if (escaped && !CheckEscapes(raw, start)) {
        return false;
      }
      return true;
    }
    escaped = true;
    pos_ = static_cast<size_t>(b - text_.data()) + 2;  // skip the escaped character
    if (pos_ > text_.size()) {
      return Fail("a string is not closed");
    }
  }
}

bool JsonCursor::CheckEscapes(std::string_view raw, size_t start) {
  for (size_t i = 0; i < raw.size(); ++i) {
    if (static_cast<unsigned char>(raw[i]) < 0x20) {
      pos_ = start + i;
      return Fail("a control character inside a string");
    }
    if (static_cast<unsigned char>(raw[i]) >= 0x80) {
      size_t n = Utf8Sequence(raw.data() + i, raw.data() + raw.size());
      if (n == 0) {
        pos_ = start + i;
        return Fail("invalid UTF-8 inside a string");
      }
      i += n - 1;
      continue;
    }
    if (raw[i] != '\\') {
      continue;
    }
    char e = i + 1 < raw.size() ? raw[i + 1] : '\0';
    if (e == 'u') {
      for (size_t k = i + 2; k < i + 6; ++k) {
        if (k >= raw.size() || HexDigitValue(raw[k]) < 0) {
          pos_ = start + i;
          return Fail("a \\u escape needs four hex digits");
        }
      }
      i += 5;
    } else if (std::strchr("\"\\/bfnrt", e) != nullptr && e != '\0') {
      ++i;
    } else {
      pos_ = start + i;
      return Fail(std::string("an unknown escape \\") + e);
    }
  }
  return true;
}

namespace {

// The character a one-letter escape (\n, \") stands for; 0 for a letter that is none.
char SimpleEscape(char letter) {
  switch (letter) {
    case '"':
    case '\\':
    case '/':
      return letter;
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    default:
      return 0;
  }
}

// The four hex digits at raw[at], or false.
bool Hex4(std::string_view raw, size_t at, uint32_t& v) {
  if (at + 4 > raw.size()) {
    return false;
  }
  v = 0;
  for (size_t k = 0; k < 4; ++k) {
    int h = HexDigitValue(raw[at + k]);
    if (h < 0) {
      return false;
    }
    v = v * 16 + static_cast<uint32_t>(h);
  }
  return true;
}

}  // namespace

bool JsonCursor::DecodeUnicode(std::string_view raw, size_t& i, std::string& out) {
  uint32_t cp = 0;
  if (!Hex4(raw, i + 1, cp)) {
    return Fail("a \\u escape needs four hex digits");
  }
  i += 4;
  if (cp >= 0xD800 && cp <= 0xDBFF) {
    uint32_t low = 0;
    if (i + 2 < raw.size() && raw[i + 1] == '\\' && raw[i + 2] == 'u' && Hex4(raw, i + 3, low) &&
        low >= 0xDC00 && low <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
      i += 6;
    } else {
      cp = 0xFFFD;  // a lone surrogate
    }
  } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
    cp = 0xFFFD;
  }
  if (cp == 0) {
    cp = 0xFFFD;  // valid JSON, but no text vigil keeps holds a NUL
  }
  AppendUtf8(cp, out);
  return true;
}

bool JsonCursor::Decode(std::string_view raw, std::string& out) {
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (static_cast<unsigned char>(c) < 0x20) {
      return Fail("a control character inside a string");
    }
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i >= raw.size()) {
      return Fail("a string ends in a backslash");
    }
    if (raw[i] == 'u') {
      if (!DecodeUnicode(raw, i, out)) {
        return false;
      }
    } else if (char simple = SimpleEscape(raw[i]); simple != 0) {
      out.push_back(simple);
    } else {
      return Fail(std::string("an unknown escape \\") + raw[i]);
    }
  }
  return true;
}

bool JsonCursor::String(std::string& out) {
  SkipSpace();
  if (pos_ >= text_.size() || text_[pos_] != '"') {
    return Fail(pos_ >= text_.size()
                    ? "the document ends where a string was expected"
                    : std::string("expected a string, found '") + text_[pos_] + "'");
  }
  std::string_view raw;
  bool escaped = false;
  if (!ScanString(raw, escaped)) {
    return false;
  }
  out.clear();
  if (!escaped) {
    out.assign(raw);
    return true;
  }
  return Decode(raw, out);
}

bool JsonCursor::OptString(std::string& out) {
  if (Peek() == Kind::kNull) {
    out.clear();
    return Skip();
  }
  return String(out);
}

bool JsonCursor::ScanNumber(std::string_view& raw) {
  SkipSpace();
  size_t start = pos_;
  size_t i = pos_;
  auto digit = [&](size_t at) { return at < text_.size() && text_[at] >= '0' && text_[at] <= '9'; };
  if (i < text_.size() && text_[i] == '-') {
    ++i;
  }
  if (!digit(i)) {
    return Fail(i >= text_.size() ? "the document ends where a value was expected"
                                  : std::string("expected a value, found '") + text_[i] + "'");
  }
  if (text_[i] == '0') {
    ++i;
  } else {
    while (digit(i)) {
      ++i;
    }
  }
  if (i < text_.size() && text_[i] == '.') {
    ++i;
    if (!digit(i)) {
      pos_ = i;
      return Fail("a number needs digits after its decimal point");
    }
    while (digit(i)) {
      ++i;
    }
  }
  if (i < text_.size() && (text_[i] == 'e' || text_[i] == 'E')) {
    ++i;
    if (i < text_.size() && (text_[i] == '+' || text_[i] == '-')) {
      ++i;
    }
    if (!digit(i)) {
      pos_ = i;
      return Fail("a number needs digits in its exponent");
    }
    while (digit(i)) {
      ++i;
    }
  }
  raw = text_.substr(start, i - start);
  pos_ = i;
  return true;
}

bool JsonCursor::Number(double& out) {
  if (Peek() == Kind::kString || Peek() == Kind::kObject || Peek() == Kind::kArray) {
    return Fail("expected a number");
  }
  std::string_view raw;
  if (!ScanNumber(raw)) {
    return false;
  }
  auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), out);
  if (ec != std::errc() || ptr != raw.data() + raw.size()) {
    return Fail("a number out of range: " + std::string(raw));
  }
  return true;
}

bool JsonCursor::Integer(int64_t& out) {
  if (Peek() != Kind::kNumber) {
    return Fail("expected an integer");
  }
  std::string_view raw;
  if (!ScanNumber(raw)) {
    return false;
  }
  auto [ptr, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), out);
  if (ec != std::errc() || ptr != raw.data() + raw.size()) {
    return Fail("expected an integer, found " + std::string(raw));
  }
  return true;
}

bool JsonCursor::Bool(bool& out) {
  SkipSpace();
  if (text_.substr(pos_, 4) == "true") {
    pos_ += 4;
    out = true;
    return true;
  }
  if (text_.substr(pos_, 5) == "false") {
    pos_ += 5;
    out = false;
    return true;
  }
  return Fail("expected true or false");
}

bool JsonCursor::Skip() {
  switch (Peek()) {
    case Kind::kEnd:
      return Fail("the document ends where a value was expected");
    case Kind::kString: {
      std::string_view raw;
      bool escaped = false;
      return ScanString(raw, escaped);
    }
    case Kind::kBool: {
      bool b = false;
      return Bool(b);
    }
    case Kind::kNull:
      if (text_.substr(pos_, 4) != "null") {
        return Fail("expected a value");
      }
      pos_ += 4;
      return true;
    case Kind::kNumber: {
      std::string_view raw;
      return ScanNumber(raw);
    }
    case Kind::kObject: {
      if (!EnterObject()) {
        return false;
      }
      std::string_view key;
      while (NextKey(key)) {
        if (!Skip()) {
          return false;
        }
      }
      return ok();
    }
    case Kind::kArray: {
      if (!EnterArray()) {
        return false;
      }
      while (NextElement()) {
        if (!Skip()) {
          return false;
        }
      }
      return ok();
    }
  }
  return false;
}

bool JsonCursor::End() {
  SkipSpace();
  if (!error_.ok()) {
    return false;
  }
  if (pos_ < text_.size()) {
    return Fail(std::string("unexpected '") + text_[pos_] + "' after the document");
  }
  return true;
}

}  // namespace vigil
