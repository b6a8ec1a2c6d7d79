#include "ingest/xml_reader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/text.h"
#include "ingest/attribute_names.h"
#include "ingest/byte_source.h"

namespace vigil {
namespace {

constexpr size_t kChunk = 1 << 20;
constexpr size_t kMaxMarkup = 4 << 20;  // comments, PIs, DOCTYPE, end tags, tag heads

// Byte classes for the text scanner. Everything not listed is plain ASCII text.
enum Class : uint8_t { kPlain, kNewline, kLess, kAmp, kCr, kBad, kHigh, kBracket };

constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 0x20; ++c) {
    t[c] = kBad;
  }
  t['\t'] = kPlain;
  t['\n'] = kNewline;
  t['\r'] = kCr;
  t['<'] = kLess;
  t['&'] = kAmp;
  t[']'] = kBracket;
  for (int c = 0x80; c < 0x100; ++c) {
    t[c] = kHigh;
  }
  return t;
}
constexpr std::array<uint8_t, 256> kClasses = MakeClasses();

// True when none of the 8 bytes needs a look: all ASCII, none below 0x20, no '<' or '&'.
// (SWAR: a byte-wise "has zero" test on the word and on its XOR with each special byte.)
inline bool PlainWord(uint64_t x) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  auto has_zero = [](uint64_t v) { return ((v - kOnes) & ~v & kHigh) != 0; };
  return (x & kHigh) == 0 && ((x - kOnes * 0x20) & ~x & kHigh) == 0 &&
         !has_zero(x ^ (kOnes * '<')) && !has_zero(x ^ (kOnes * '&'));
}

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Element and attribute names are ASCII in every scanner format; refusing other names keeps
// the reader from ever accepting a name expat would refuse.
bool IsNameStart(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}

bool IsNameChar(unsigned char c) {
  return IsNameStart(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

bool IsXmlChar(uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
         (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

void AppendUtf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Length of the UTF-8 sequence at p (at most `avail` bytes there): >0 valid, 0 incomplete
// (more bytes needed), -1 invalid. Refuses overlong forms, surrogates and non-characters
// U+FFFE/U+FFFF, as XML does.
int Utf8Length(const unsigned char* p, size_t avail) {
  unsigned char c = p[0];
  int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : -1;
  if (len < 0 || c > 0xF4 || c == 0xC0 || c == 0xC1) {
    return -1;
  }
  size_t have = std::min<size_t>(avail, static_cast<size_t>(len));
  for (size_t i = 1; i < have; ++i) {
    if ((p[i] & 0xC0) != 0x80) {
      return -1;
    }
  }
  if (have >= 2) {
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0) || (c == 0xF0 && p[1] < 0x90) ||
        (c == 0xF4 && p[1] >= 0x90)) {
      return -1;
    }
  }
  if (have < static_cast<size_t>(len)) {
    return 0;
  }
  if (c == 0xEF && p[1] == 0xBF && (p[2] == 0xBE || p[2] == 0xBF)) {
    return -1;
  }
  return len;
}

// Checks the pseudo-attributes of an XML declaration (the text between "<?xml" and "?>"):
// version="1.x", then optionally encoding="NAME" and standalone="yes|no", in that order.
bool ValidDeclaration(std::string_view d) {
  size_t i = 0;
  auto spaces = [&] {
    size_t start = i;
    while (i < d.size() && IsSpace(d[i])) {
      ++i;
    }
    return i > start;
  };
  auto pseudo = [&](std::string_view name, std::string& value) {
    size_t save = i;
    if (!spaces() || d.substr(i, name.size()) != name) {
      i = save;
      return false;
    }
    i += name.size();
    spaces();
    if (i >= d.size() || d[i] != '=') {
      return false;
    }
    ++i;
    spaces();
    if (i >= d.size() || (d[i] != '"' && d[i] != '\'')) {
      return false;
    }
    size_t close = d.find(d[i], i + 1);
    if (close == std::string_view::npos) {
      return false;
    }
    value = std::string(d.substr(i + 1, close - i - 1));
    i = close + 1;
    return true;
  };
  std::string version, encoding, standalone;
  if (!pseudo("version", version) || version.size() < 3 || version.substr(0, 2) != "1." ||
      version.find_first_not_of("0123456789", 2) != std::string::npos) {
    return false;
  }
  if (pseudo("encoding", encoding) &&
      (encoding.empty() || !std::isalpha(static_cast<unsigned char>(encoding[0])) ||
       encoding.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                  "0123456789._-") != std::string::npos)) {
    return false;
  }
  if (pseudo("standalone", standalone) && standalone != "yes" && standalone != "no") {
    return false;
  }
  spaces();
  return i == d.size();
}

}  // namespace

class XmlReader::Impl {
 public:
  Impl(ByteSource& source, XmlHandler& handler, const XmlLimits& limits)
      : source_(source), handler_(handler), limits_(limits) {}

  Status Run();
  XmlPosition event() const { return event_; }

 private:
  enum class Step { kDone, kNeedMore };

  // Buffer.
  size_t avail() const { return end_ - pos_; }
  const char* at(size_t i) const { return data_.get() + i; }
  Result<bool> Fill();
  Status Prolog();

  // Positions.
  XmlPosition PositionOf(size_t index) const { return {line_, base_ + index - line_start_ + 1}; }
  void CountLines(size_t from, size_t to);
  Status Error(size_t index, std::string message) const;
  // A handler's error, located at the current event.
  Status Located(Status st) const;

  // Content.
  Result<Step> Text(bool cdata);
  // Skips plain text (as PlainWord) from `i` towards `limit` 16 bytes at a time, counting the
  // line feeds it passes; returns where the first byte that needs a look is, or where fewer
  // than 16 bytes are left.
  size_t SkipPlain(size_t i, size_t limit);
  Status Emit(size_t from, size_t to);
  Result<Step> Entity(std::string& out, size_t& i, size_t limit);
  Result<Step> Markup();
  Result<Step> StartTag();
  Result<Step> EndTag();
  Result<Step> Skip(std::string_view close, const char* what);
  // Refuses control characters and invalid UTF-8 in [from, to).
  Status CheckChars(size_t from, size_t to) const;
  Result<Step> Doctype();
  Status Finish();

  ByteSource& source_;
  XmlHandler& handler_;
  const XmlLimits& limits_;

  std::unique_ptr<char[]> data_;
  size_t capacity_ = 0;
  size_t pos_ = 0;
  size_t end_ = 0;
  uint64_t base_ = 0;  // stream offset of data_[0]
  bool eof_ = false;
  bool latin1_ = false;
  uint64_t total_ = 0;
  uint64_t doc_start_ = 0;  // after a byte order mark: where an XML declaration may stand

  uint64_t line_ = 1;
  uint64_t line_start_ = 0;  // stream offset where the current line starts
  XmlPosition event_;

  std::string names_;                // open element names, back to back
  std::vector<size_t> name_starts_;  // where each open name starts in names_
  bool root_seen_ = false;
  bool root_closed_ = false;
  bool in_cdata_ = false;
  size_t text_bytes_ = 0;

  std::string scratch_;  // attribute names and values, null-separated
  std::vector<size_t> attr_offsets_;
  std::vector<const char*> attr_ptrs_;
  AttributeNames attr_names_;  // views into data_, valid while one tag is read
  std::string decoded_;        // text pieces that needed decoding
};

Result<bool> XmlReader::Impl::Fill() {
  if (eof_) {
    return false;
  }
  if (pos_ > 0) {
    std::memmove(data_.get(), data_.get() + pos_, end_ - pos_);
    base_ += pos_;
    end_ -= pos_;
    pos_ = 0;
  }
  size_t need = end_ + kChunk * (latin1_ ? 2 : 1);
  if (need > capacity_) {
    size_t cap = std::max(need, capacity_ * 2);
    auto bigger = std::make_unique<char[]>(cap);
    if (end_ > 0) {
      std::memcpy(bigger.get(), data_.get(), end_);
    }
    data_ = std::move(bigger);
    capacity_ = cap;
  }
  char* dst = data_.get() + end_;
  auto n = source_.Read(dst, kChunk);
  if (!n.ok()) {
    return n.status();
  }
  total_ += *n;
  if (*n == 0) {
    eof_ = true;
    return false;
  }
  if (latin1_) {
    // Every byte of ISO-8859-1 is the code point of the same number; widen in place from
    // the back so the source bytes are read before they are overwritten.
    size_t wide = *n + static_cast<size_t>(
                           std::count_if(dst, dst + *n, [](char c) { return (c & 0x80) != 0; }));
    size_t w = wide;
    for (size_t r = *n; r-- > 0;) {
      auto c = static_cast<unsigned char>(dst[r]);
      if (c < 0x80) {
        dst[--w] = static_cast<char>(c);
      } else {
        dst[--w] = static_cast<char>(0x80 | (c & 0x3F));
        dst[--w] = static_cast<char>(0xC0 | (c >> 6));
      }
    }
    end_ += wide;
  } else {
    end_ += *n;
  }
  return true;
}

void XmlReader::Impl::CountLines(size_t from, size_t to) {
  const char* p = at(from);
  const char* stop = at(to);
  while (p < stop) {
    const void* nl = std::memchr(p, '\n', static_cast<size_t>(stop - p));
    if (nl == nullptr) {
      break;
    }
    p = static_cast<const char*>(nl) + 1;
    ++line_;
    line_start_ = base_ + static_cast<size_t>(p - data_.get());
  }
}

Status XmlReader::Impl::Error(size_t index, std::string message) const {
  XmlPosition p = PositionOf(index);
  return InvalidInput(source_.name() + ":" + std::to_string(p.line) + ":" +
                      std::to_string(p.column) + ": " + std::move(message));
}

Status XmlReader::Impl::Located(Status st) const {
  if (st.ok()) {
    return st;
  }
  return Status(st.code(), source_.name() + ":" + std::to_string(event_.line) + ":" +
                               std::to_string(event_.column) + ": " + st.message());
}

Status XmlReader::Impl::Prolog() {
  // The declaration is looked for in exactly the first kPrologBytes bytes, however many the
  // source's reads happened to return, so that the outcome never depends on them.
  constexpr size_t kPrologBytes = 1024;
  while (avail() < kPrologBytes) {
    ASSIGN_OR_RETURN(bool more, Fill());
    if (!more) {
      break;
    }
  }
  std::string_view head(at(pos_), std::min(avail(), kPrologBytes));
  if (head.substr(0, 3) == "\xEF\xBB\xBF") {
    pos_ += 3;
    line_start_ = 3;
    doc_start_ = 3;
    head.remove_prefix(3);
  } else if (head.substr(0, 2) == "\xFE\xFF" || head.substr(0, 2) == "\xFF\xFE") {
    return Error(pos_, "UTF-16 documents are not supported; convert the report to UTF-8");
  }
  if (head.substr(0, 5) != "<?xml") {
    return Status::Ok();
  }
  // The declaration ends at its first '>', which must close "?>"; anything else is reported
  // as a malformed declaration by Markup().
  size_t close = head.find('>');
  if (close == std::string_view::npos || head[close - 1] != '?') {
    return Status::Ok();
  }
  --close;
  std::string decl(head.substr(0, close));
  size_t enc = decl.find("encoding");
  if (enc == std::string::npos) {
    return Status::Ok();
  }
  size_t q = decl.find_first_of("\"'", enc);
  size_t q2 = q == std::string::npos ? q : decl.find(decl[q], q + 1);
  if (q2 == std::string::npos) {
    return Error(pos_, "malformed encoding in the XML declaration");
  }
  std::string name = AsciiLower(std::string_view(decl).substr(q + 1, q2 - q - 1));
  if (name == "utf-8" || name == "utf8" || name == "us-ascii" || name == "ascii") {
    return Status::Ok();
  }
  if (name == "iso-8859-1" || name == "latin1" || name == "iso_8859-1" || name == "l1") {
    // Widen what is already buffered (the declaration itself is ASCII), then every chunk.
    std::string rest(at(pos_), avail());
    std::string wide;
    wide.reserve(rest.size() * 2);
    for (unsigned char c : rest) {
      AppendUtf8(wide, c);
    }
    if (pos_ + wide.size() > capacity_) {
      auto bigger = std::make_unique<char[]>(pos_ + wide.size() + kChunk * 2);
      if (pos_ > 0) {
        std::memcpy(bigger.get(), data_.get(), pos_);
      }
      data_ = std::move(bigger);
      capacity_ = pos_ + wide.size() + kChunk * 2;
    }
    std::memcpy(data_.get() + pos_, wide.data(), wide.size());
    end_ = pos_ + wide.size();
    latin1_ = true;
    return Status::Ok();
  }
  return Error(pos_, "unsupported encoding '" + name + "' (UTF-8 and ISO-8859-1 are read)");
}

Status XmlReader::Impl::Run() {
  RETURN_IF_ERROR(Prolog());
  while (true) {
    if (pos_ == end_ || (in_cdata_ && avail() < 3 && !eof_)) {
      ASSIGN_OR_RETURN(bool more, Fill());
      if (!more && pos_ == end_) {
        break;
      }
    }
    Step step = Step::kDone;
    if (in_cdata_) {
      ASSIGN_OR_RETURN(step, Text(true));
    } else if (*at(pos_) == '<') {
      ASSIGN_OR_RETURN(step, Markup());
    } else {
      ASSIGN_OR_RETURN(step, Text(false));
    }
    if (step == Step::kNeedMore) {
      bool was_eof = eof_;
      ASSIGN_OR_RETURN(bool more, Fill());
      if (!more && was_eof) {
        return Error(end_, "the file ends before the document is complete (truncated?)");
      }
      // Having just learnt that the input ended, the step runs once more knowing it.
    }
  }
  return Finish();
}

Status XmlReader::Impl::Finish() {
  if (in_cdata_ || !name_starts_.empty()) {
    std::string open =
        name_starts_.empty() ? "CDATA section" : "<" + names_.substr(name_starts_.back()) + ">";
    return Error(end_, "the file ends before the document is complete (truncated?): " + open +
                           " is not closed");
  }
  if (!root_seen_) {
    return Error(end_, total_ == 0 ? "empty file: no XML document" : "no element found");
  }
  return Status::Ok();
}

Status XmlReader::Impl::Emit(size_t from, size_t to) {
  if (from == to) {
    return Status::Ok();
  }
  text_bytes_ += to - from;
  if (text_bytes_ > limits_.max_text_bytes) {
    return Error(from,
                 "element text longer than " + std::to_string(limits_.max_text_bytes) + " bytes");
  }
  return Located(handler_.OnText(std::string_view(at(from), to - from)));
}

// Reads "&...;" at `i` into `out`; advances i past it.
Result<XmlReader::Impl::Step> XmlReader::Impl::Entity(std::string& out, size_t& i, size_t limit) {
  constexpr size_t kLongest = 12;  // "&#x10FFFF;" and friends
  size_t semi = i + 1;
  while (semi < limit && semi - i <= kLongest && *at(semi) != ';') {
    ++semi;
  }
  if (semi >= limit) {
    if (!eof_ && limit - i <= kLongest) {
      return Step::kNeedMore;
    }
    return Error(i, "malformed entity reference (missing ';')");
  }
  if (*at(semi) != ';') {
    return Error(i, "malformed entity reference (missing ';')");
  }
  std::string_view name(at(i + 1), semi - i - 1);
  if (name == "lt") {
    out += '<';
  } else if (name == "gt") {
    out += '>';
  } else if (name == "amp") {
    out += '&';
  } else if (name == "quot") {
    out += '"';
  } else if (name == "apos") {
    out += '\'';
  } else if (name.size() > 1 && name[0] == '#') {
    bool hex = name[1] == 'x';
    std::string_view digits = name.substr(hex ? 2 : 1);
    uint32_t cp = 0;
    bool ok = !digits.empty() && digits.size() <= 8;
    for (char c : digits) {
      int d = (c >= '0' && c <= '9')          ? c - '0'
              : hex && (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : hex && (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                              : -1;
      ok = ok && d >= 0;
      cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(std::max(d, 0));
    }
    if (!ok || !IsXmlChar(cp)) {
      return Error(i, "reference to an invalid character '&" + std::string(name) + ";'");
    }
    AppendUtf8(out, cp);
  } else {
    return Error(i, "undefined entity '&" + std::string(name) +
                        ";' (only the five XML entities and character references are read)");
  }
  i = semi + 1;
  return Step::kDone;
}

size_t XmlReader::Impl::SkipPlain(size_t i, size_t limit) {
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20);
  const __m128i lf = _mm_set1_epi8('\n');
  const __m128i less = _mm_set1_epi8('<');
  const __m128i amp = _mm_set1_epi8('&');
  while (i + 16 <= limit) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(at(i)));
    __m128i is_lf = _mm_cmpeq_epi8(v, lf);
    // Compared as signed bytes, those from 0x80 on are below 0x20 as well: UTF-8 is looked at.
    __m128i control = _mm_andnot_si128(is_lf, _mm_cmplt_epi8(v, space));
    __m128i stop =
        _mm_or_si128(control, _mm_or_si128(_mm_cmpeq_epi8(v, less), _mm_cmpeq_epi8(v, amp)));
    auto stops = static_cast<unsigned>(_mm_movemask_epi8(stop));
    auto feeds = static_cast<unsigned>(_mm_movemask_epi8(is_lf));
    if (stops != 0) {
      feeds &= (1U << __builtin_ctz(stops)) - 1;  // only those before the stop
    }
    if (feeds != 0) {
      line_ += static_cast<uint64_t>(__builtin_popcount(feeds));
      line_start_ = base_ + i + static_cast<size_t>(32 - __builtin_clz(feeds));
    }
    if (stops != 0) {
      return i + static_cast<size_t>(__builtin_ctz(stops));
    }
    i += 16;
  }
#else
  (void)limit;
#endif
  return i;
}

// NOLINTNEXTLINE(readability-function-size): the reader's inner loop over text, entities and CDATA
Result<XmlReader::Impl::Step> XmlReader::Impl::Text(bool cdata) {
  size_t limit = end_;
  if (cdata) {
    std::string_view rest(at(pos_), avail());
    size_t close = rest.find("]]>");
    if (close != std::string_view::npos) {
      limit = pos_ + close;
    } else if (!eof_) {
      limit = end_ - std::min<size_t>(2, avail());  // "]]" may be cut at the chunk's end
    }
  }
  bool outside = name_starts_.empty();
  size_t run = pos_;
  size_t i = pos_;
  while (i < limit) {
    if (!outside) {
      i = SkipPlain(i, limit);
      uint64_t word;
      while (i + 8 <= limit && (std::memcpy(&word, at(i), 8), PlainWord(word))) {
        i += 8;
      }
      if (i >= limit) {
        break;
      }
    }
    auto c = static_cast<unsigned char>(*at(i));
    switch (kClasses[c]) {
      case kPlain:
      case kBracket:
        if (outside && c != ' ' && c != '\t') {
          return Error(i, root_closed_ ? "junk after the document element"
                                       : "not well-formed: syntax error (is this an XML "
                                         "document?)");
        }
        ++i;
        continue;
      case kNewline:
        ++i;
        ++line_;
        line_start_ = base_ + i;
        continue;
      case kLess:
        if (cdata) {
          ++i;
          continue;
        }
        limit = i;  // markup follows
        break;
      case kAmp: {
        if (cdata) {
          ++i;
          continue;
        }
        if (outside) {
          return Error(i, "text outside the root element");
        }
        RETURN_IF_ERROR(Emit(run, i));
        decoded_.clear();
        size_t start = i;
        ASSIGN_OR_RETURN(Step s, Entity(decoded_, i, limit));
        if (s == Step::kNeedMore) {
          pos_ = start;
          return s;
        }
        text_bytes_ += decoded_.size();
        RETURN_IF_ERROR(Located(handler_.OnText(decoded_)));
        run = i;
        continue;
      }
      case kCr:
        // Line ends are normalized to "\n", as XML requires.
        RETURN_IF_ERROR(Emit(run, i));
        if (i + 1 >= end_ && !eof_) {
          pos_ = i;
          return Step::kNeedMore;
        }
        if (!outside) {
          RETURN_IF_ERROR(Located(handler_.OnText("\n")));
        }
        i += (i + 1 < end_ && *at(i + 1) == '\n') ? 2 : 1;
        ++line_;
        line_start_ = base_ + i;
        run = i;
        continue;
      case kBad: {
        char hex[8];
        std::snprintf(hex, sizeof hex, "%02X", c);
        return Error(i, std::string("not well-formed: invalid character U+00") + hex +
                            " (control characters are not allowed in XML)");
      }
      case kHigh: {
        if (outside) {
          return Error(i, "not well-formed: text outside the root element");
        }
        int len = Utf8Length(reinterpret_cast<const unsigned char*>(at(i)), end_ - i);
        if (len < 0) {
          return Error(i,
                       "not well-formed: invalid UTF-8 byte sequence (invalid UTF-8 is "
                       "refused)");
        }
        if (len == 0 || i + static_cast<size_t>(len) > limit) {
          if (eof_) {
            return Error(i, "the file ends inside a UTF-8 character (truncated?)");
          }
          RETURN_IF_ERROR(outside ? Status::Ok() : Emit(run, i));
          pos_ = i;
          return Step::kNeedMore;
        }
        i += static_cast<size_t>(len);
        continue;
      }
    }
    break;
  }
  if (!outside) {
    RETURN_IF_ERROR(Emit(run, i));
  }
  pos_ = i;
  if (cdata && limit < end_ &&
      std::string_view(at(limit), std::min<size_t>(3, end_ - limit)) == "]]>") {
    pos_ = limit + 3;
    in_cdata_ = false;
    return Step::kDone;
  }
  if (cdata && pos_ == limit && !eof_) {
    return Step::kNeedMore;
  }
  return Step::kDone;
}

Result<XmlReader::Impl::Step> XmlReader::Impl::Skip(std::string_view close, const char* what) {
  std::string_view rest(at(pos_), avail());
  size_t end = rest.find(close, 2);
  if (end == std::string_view::npos) {
    if (avail() > kMaxMarkup) {
      return Error(pos_,
                   std::string(what) + " longer than " + std::to_string(kMaxMarkup) + " bytes");
    }
    return Step::kNeedMore;
  }
  size_t stop = pos_ + end + close.size();
  RETURN_IF_ERROR(CheckChars(pos_, stop));
  CountLines(pos_, stop);
  pos_ = stop;
  return Step::kDone;
}

Status XmlReader::Impl::CheckChars(size_t from, size_t to) const {
  for (size_t i = from; i < to; ++i) {
    auto c = static_cast<unsigned char>(*at(i));
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      return Error(i, "not well-formed: control character in markup");
    }
    if (c >= 0x80) {
      int len = Utf8Length(reinterpret_cast<const unsigned char*>(at(i)), to - i);
      if (len <= 0) {
        return Error(i, "not well-formed: invalid UTF-8 byte sequence (invalid UTF-8 is refused)");
      }
      i += static_cast<size_t>(len) - 1;
    }
  }
  return Status::Ok();
}

Result<XmlReader::Impl::Step> XmlReader::Impl::Markup() {
  if (avail() < 9 && !eof_) {
    return Step::kNeedMore;
  }
  std::string_view rest(at(pos_), avail());
  event_ = PositionOf(pos_);
  if (rest.size() < 2) {
    return Step::kNeedMore;
  }
  if (rest[1] == '/') {
    return EndTag();
  }
  if (rest[1] == '?') {
    bool decl = rest.size() >= 6 && AsciiLower(rest.substr(2, 3)) == "xml" &&
                (IsSpace(rest[5]) || rest[5] == '?');
    if (decl && base_ + pos_ != doc_start_) {
      return Error(pos_, "XML declaration not at the start of the document");
    }
    size_t target = 2;
    while (target < rest.size() && IsNameChar(static_cast<unsigned char>(rest[target]))) {
      ++target;
    }
    if (target < rest.size() && (target == 2 || !IsNameStart(static_cast<unsigned char>(rest[2])) ||
                                 (!IsSpace(rest[target]) && rest.substr(target, 2) != "?>" &&
                                  !(target + 1 == rest.size() && rest[target] == '?')))) {
      return Error(pos_, "not well-formed: a processing instruction needs a target name");
    }
    if (decl) {
      size_t close = rest.find("?>");
      if (close != std::string_view::npos &&
          (rest.substr(2, 3) != "xml" || !ValidDeclaration(rest.substr(5, close - 5)))) {
        return Error(pos_, "XML declaration not well-formed");
      }
    }
    return Skip("?>", "processing instruction");
  }
  if (rest.substr(0, 4) == "<!--") {
    return Skip("-->", "comment");
  }
  if (rest.substr(0, 9) == "<![CDATA[") {
    if (name_starts_.empty()) {
      return Error(pos_, "CDATA section outside the root element");
    }
    pos_ += 9;
    in_cdata_ = true;
    return Step::kDone;
  }
  if (rest.substr(0, 9) == "<!DOCTYPE") {
    return Doctype();
  }
  if (rest.size() < 9 && rest.substr(0, 2) == "<!") {
    return Step::kNeedMore;
  }
  if (!IsNameStart(static_cast<unsigned char>(rest[1]))) {
    return Error(pos_, "not well-formed: '<' not followed by a name");
  }
  return StartTag();
}

Result<XmlReader::Impl::Step> XmlReader::Impl::Doctype() {
  if (root_seen_) {
    return Error(pos_, "DOCTYPE after the root element");
  }
  // Find the end: '>' outside quotes and outside the [internal subset].
  size_t i = pos_ + 9;
  int depth = 0;
  char quote = 0;
  for (; i < end_; ++i) {
    char c = *at(i);
    if (quote != 0) {
      quote = c == quote ? '\0' : quote;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '[') {
      ++depth;
    } else if (c == ']') {
      --depth;
    } else if (c == '>' && depth <= 0) {
      break;
    } else if (c == '<' && std::string_view(at(i), std::min<size_t>(8, end_ - i)) == "<!ENTITY") {
      size_t name = i + 8;
      while (name < end_ && IsSpace(*at(name))) {
        ++name;
      }
      if (name < end_ && *at(name) == '%') {
        ++name;
        while (name < end_ && IsSpace(*at(name))) {
          ++name;
        }
      }
      size_t name_end = name;
      while (name_end < end_ && IsNameChar(static_cast<unsigned char>(*at(name_end)))) {
        ++name_end;
      }
      std::string_view decl(at(i), std::min<size_t>(end_ - i, 4096));
      decl = decl.substr(0, decl.find('>'));
      bool external = decl.find("SYSTEM") != std::string_view::npos ||
                      decl.find("PUBLIC") != std::string_view::npos;
      CountLines(pos_, i);
      return Error(i, std::string("the document declares ") +
                          (external ? "external entity" : "entity") + " '" +
                          std::string(at(name), name_end - name) +
                          "'; DTD entity declarations are refused (entity expansion and "
                          "external entities are not allowed in scanner reports)");
    }
  }
  if (i >= end_) {
    if (avail() > kMaxMarkup) {
      return Error(pos_, "DOCTYPE longer than " + std::to_string(kMaxMarkup) + " bytes");
    }
    return Step::kNeedMore;
  }
  RETURN_IF_ERROR(CheckChars(pos_, i + 1));
  CountLines(pos_, i + 1);
  pos_ = i + 1;
  return Step::kDone;
}

Result<XmlReader::Impl::Step> XmlReader::Impl::EndTag() {
  std::string_view rest(at(pos_), avail());
  size_t gt = rest.find('>');
  if (gt == std::string_view::npos) {
    if (avail() > kMaxMarkup) {
      return Error(pos_, "end tag longer than " + std::to_string(kMaxMarkup) + " bytes");
    }
    return Step::kNeedMore;
  }
  size_t n = 2;
  while (n < gt && IsNameChar(static_cast<unsigned char>(rest[n]))) {
    ++n;
  }
  std::string_view name = rest.substr(2, n - 2);
  for (size_t k = n; k < gt; ++k) {
    if (!IsSpace(rest[k])) {
      return Error(pos_ + k, "not well-formed: unexpected character in end tag");
    }
  }
  if (name_starts_.empty()) {
    return Error(pos_, "end tag </" + std::string(name) + "> without a start tag");
  }
  std::string_view open = std::string_view(names_).substr(name_starts_.back());
  if (name != open) {
    return Error(pos_, "mismatched tag: expected </" + std::string(open) + ">, found </" +
                           std::string(name) + ">");
  }
  text_bytes_ = 0;
  RETURN_IF_ERROR(Located(handler_.OnEnd(name)));
  names_.resize(name_starts_.back());
  name_starts_.pop_back();
  root_closed_ = name_starts_.empty();
  CountLines(pos_, pos_ + gt + 1);
  pos_ += gt + 1;
  return Step::kDone;
}

// NOLINTNEXTLINE(readability-function-size): one pass over a start tag, its attributes and limits
Result<XmlReader::Impl::Step> XmlReader::Impl::StartTag() {
  // Find the tag's end, '>' outside quotes, bounding each attribute value on the way.
  size_t i = pos_ + 1;
  char quote = 0;
  size_t quote_start = 0;
  for (; i < end_; ++i) {
    char c = *at(i);
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      } else if (i - quote_start > limits_.max_attribute_bytes) {
        size_t name_end = quote_start;
        while (name_end > pos_ && (IsSpace(*at(name_end - 1)) || *at(name_end - 1) == '=')) {
          --name_end;
        }
        size_t name_start = name_end;
        while (name_start > pos_ && IsNameChar(static_cast<unsigned char>(*at(name_start - 1)))) {
          --name_start;
        }
        size_t tag_end = pos_ + 1;
        while (IsNameChar(static_cast<unsigned char>(*at(tag_end)))) {
          ++tag_end;
        }
        return Error(quote_start,
                     "attribute '" + std::string(at(name_start), name_end - name_start) + "' of <" +
                         std::string(at(pos_ + 1), tag_end - pos_ - 1) + "> is longer than " +
                         std::to_string(limits_.max_attribute_bytes) + " bytes (the limit)");
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
      quote_start = i;
    } else if ((c & 0x80) != 0) {
      int len = Utf8Length(reinterpret_cast<const unsigned char*>(at(i)), end_ - i);
      if (len < 0) {
        return Error(i,
                     "not well-formed: invalid UTF-8 byte sequence in a tag (invalid UTF-8 "
                     "is refused)");
      }
      if (len == 0) {
        return Step::kNeedMore;
      }
      i += static_cast<size_t>(len) - 1;
    } else if (c == '>') {
      break;
    } else if (c == '<') {
      return Error(i, "not well-formed: '<' inside a tag");
    }
    if (i - pos_ > kMaxMarkup) {
      return Error(pos_, "tag longer than " + std::to_string(kMaxMarkup) + " bytes");
    }
  }
  if (i >= end_) {
    return Step::kNeedMore;
  }
  size_t gt = i;
  bool empty = *at(gt - 1) == '/';
  size_t tag_end = empty ? gt - 1 : gt;
  if (root_closed_) {
    return Error(pos_, "junk after the document element: a second root element");
  }
  if (name_starts_.size() >= limits_.max_depth) {
    return Error(pos_, "elements nested deeper than " + std::to_string(limits_.max_depth));
  }
  size_t n = pos_ + 1;
  while (n < tag_end && IsNameChar(static_cast<unsigned char>(*at(n)))) {
    ++n;
  }
  std::string_view name(at(pos_ + 1), n - pos_ - 1);
  scratch_.clear();
  attr_offsets_.clear();
  attr_names_.Clear();
  while (n < tag_end) {
    size_t ws = n;
    while (n < tag_end && IsSpace(*at(n))) {
      ++n;
    }
    if (n == tag_end) {
      break;
    }
    if (n == ws || !IsNameStart(static_cast<unsigned char>(*at(n)))) {
      return Error(n, "not well-formed: expected an attribute name in <" + std::string(name) + ">");
    }
    size_t a = n;
    while (n < tag_end && IsNameChar(static_cast<unsigned char>(*at(n)))) {
      ++n;
    }
    std::string_view attr(at(a), n - a);
    while (n < tag_end && IsSpace(*at(n))) {
      ++n;
    }
    if (n >= tag_end || *at(n) != '=') {
      return Error(n, "not well-formed: attribute '" + std::string(attr) + "' has no value");
    }
    ++n;
    while (n < tag_end && IsSpace(*at(n))) {
      ++n;
    }
    if (n >= tag_end || (*at(n) != '"' && *at(n) != '\'')) {
      return Error(n, "not well-formed: attribute value must be quoted");
    }
    char q = *at(n++);
    if (!attr_names_.Insert(attr)) {
      return Error(a, "duplicate attribute '" + std::string(attr) + "'");
    }
    attr_offsets_.push_back(scratch_.size());
    scratch_.append(attr);
    scratch_ += '\0';
    attr_offsets_.push_back(scratch_.size());
    while (*at(n) != q) {
      auto c = static_cast<unsigned char>(*at(n));
      if (c == '&') {
        // The whole tag is buffered: a reference without its ';' here is malformed, not cut.
        ASSIGN_OR_RETURN(Step s, Entity(scratch_, n, tag_end));
        if (s == Step::kNeedMore) {
          return Error(n, "malformed entity reference (missing ';')");
        }
      } else if (c == '<') {
        return Error(n, "not well-formed: '<' in an attribute value");
      } else if (c == '\r' || c == '\n' || c == '\t') {
        // Attribute-value normalization: each white-space character becomes a space.
        scratch_ += ' ';
        n += (c == '\r' && *at(n + 1) == '\n') ? 2 : 1;
      } else if (c < 0x20) {
        return Error(n, "not well-formed: control character in an attribute value");
      } else if (c >= 0x80) {
        int len = Utf8Length(reinterpret_cast<const unsigned char*>(at(n)), tag_end - n);
        if (len <= 0) {
          return Error(n,
                       "not well-formed: invalid UTF-8 byte sequence (invalid UTF-8 is "
                       "refused)");
        }
        scratch_.append(at(n), static_cast<size_t>(len));
        n += static_cast<size_t>(len);
      } else {
        scratch_ += static_cast<char>(c);
        ++n;
      }
    }
    scratch_ += '\0';
    ++n;
    if (n < tag_end && !IsSpace(*at(n))) {
      return Error(n, "not well-formed: attributes must be separated by white space");
    }
  }
  attr_ptrs_.clear();
  for (size_t off : attr_offsets_) {
    attr_ptrs_.push_back(scratch_.c_str() + off);
  }
  attr_ptrs_.push_back(nullptr);
  root_seen_ = true;
  name_starts_.push_back(names_.size());
  names_.append(name);
  text_bytes_ = 0;
  RETURN_IF_ERROR(Located(handler_.OnStart(name, attr_ptrs_.data())));
  if (empty) {
    RETURN_IF_ERROR(Located(handler_.OnEnd(name)));
    names_.resize(name_starts_.back());
    name_starts_.pop_back();
    root_closed_ = name_starts_.empty();
  }
  CountLines(pos_, gt + 1);
  pos_ = gt + 1;
  return Step::kDone;
}

XmlReader::XmlReader(XmlLimits limits) : limits_(limits) {}

XmlPosition XmlReader::position() const {
  return impl_ != nullptr ? impl_->event() : XmlPosition{};
}

const char* XmlReader::Attr(const char** attrs, std::string_view name) {
  for (size_t i = 0; attrs[i] != nullptr; i += 2) {
    if (name == attrs[i]) {
      return attrs[i + 1];
    }
  }
  return nullptr;
}

Status XmlReader::Parse(ByteSource& source, XmlHandler& handler) {
  Impl impl(source, handler, limits_);
  impl_ = &impl;
  Status st = impl.Run();
  impl_ = nullptr;
  return st;
}

}  // namespace vigil
