#include "ingest/json_stream.h"

#include <algorithm>
#include <cstring>
#include <streambuf>

#include "ingest/byte_source.h"
#include "ingest/input_policy.h"

namespace vigil {
namespace {

using json = nlohmann::json;

std::string At(uint64_t line, uint64_t column) {
  return std::to_string(line) + ":" + std::to_string(column) + ": ";
}

// Watches the bytes before the parser sees them and stops a string longer than the limit
// while it is read: nlohmann's lexer would hold all of it before handing it over.
class StringGuard {
 public:
  explicit StringGuard(size_t max) : max_(max) {}

  Status Scan(const char* p, size_t n) {
    for (const char* end = p + n; p < end; ++p) {
      char c = *p;
      if (c == '\n') {
        ++line_;
        column_ = 0;
      } else {
        ++column_;
      }
      if (!in_string_) {
        if (c == '"') {
          in_string_ = true;
          length_ = 0;
          start_line_ = line_;
          start_column_ = column_;
        }
        continue;
      }
      if (escape_) {
        escape_ = false;
      } else if (c == '\\') {
        escape_ = true;
      } else if (c == '"') {
        in_string_ = false;
        continue;
      }
      if (++length_ > max_) {
        return InvalidInput(At(start_line_, start_column_) + "a JSON string longer than " +
                            FormatBytes(max_) + " (the limit, docs/security.md)");
      }
    }
    return Status::Ok();
  }

 private:
  size_t max_;
  bool in_string_ = false;
  bool escape_ = false;
  uint64_t length_ = 0;
  uint64_t line_ = 1;
  uint64_t column_ = 0;
  uint64_t start_line_ = 0;
  uint64_t start_column_ = 0;
};

// A streambuf reading from a ByteSource, which can tell the line and column of its read
// position (counting newlines incrementally, so asking often stays cheap).
class SourceBuf final : public std::streambuf {
 public:
  SourceBuf(ByteSource& source, size_t max_string)
      : source_(source), buffer_(1 << 16), guard_(max_string) {}

  const Status& error() const { return error_; }

  JsonPosition Position() {
    const char* now = gptr();
    const char* from = counted_ != nullptr ? counted_ : eback();
    for (const char* p = from; p < now; ++p) {
      if (*p == '\n') {
        ++line_;
        line_start_ = consumed_ + static_cast<uint64_t>(p - eback()) + 1;
      }
    }
    counted_ = now;
    uint64_t offset = consumed_ + static_cast<uint64_t>(now - eback());
    // The lexer has read one character past the token; report the position before it.
    uint64_t column = offset >= line_start_ ? offset - line_start_ : 0;
    return JsonPosition{.line = line_, .column = column == 0 ? 1 : column};
  }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) {
      return traits_type::to_int_type(*gptr());
    }
    Position();  // count what is left of this buffer before it is replaced
    consumed_ += static_cast<uint64_t>(egptr() - eback());
    // Nothing is unread until the next read returns: at the end of the input, positions are
    // consumed_ itself, not consumed_ plus the last buffer once more.
    setg(buffer_.data(), buffer_.data(), buffer_.data());
    counted_ = buffer_.data();
    auto n = source_.Read(buffer_.data(), buffer_.size());
    if (!n.ok()) {
      error_ = n.status();
      return traits_type::eof();
    }
    if (*n == 0) {
      return traits_type::eof();
    }
    if (Status st = guard_.Scan(buffer_.data(), *n); !st.ok()) {
      error_ = st;
      return traits_type::eof();
    }
    setg(buffer_.data(), buffer_.data(), buffer_.data() + *n);
    return traits_type::to_int_type(*gptr());
  }

 private:
  ByteSource& source_;
  std::vector<char> buffer_;
  StringGuard guard_;
  Status error_;
  uint64_t consumed_ = 0;  // bytes of the buffers before the current one
  uint64_t line_ = 1;
  uint64_t line_start_ = 0;  // offset of the current line's first byte
  const char* counted_ = nullptr;
};

class Handler final : public nlohmann::json_sax<json> {
 public:
  Handler(std::vector<JsonStreamPath>& paths, SourceBuf& buf, const JsonStreamLimits& limits)
      : paths_(paths), buf_(buf), limits_(limits) {}

  bool null() override { return Scalar(nullptr); }
  bool boolean(bool v) override { return Scalar(v); }
  bool number_integer(number_integer_t v) override { return Scalar(v); }
  bool number_unsigned(number_unsigned_t v) override { return Scalar(v); }
  bool number_float(number_float_t v, const string_t&) override { return Scalar(v); }
  bool string(string_t& v) override {
    ReplaceNul(v);
    return Scalar(std::move(v));
  }
  bool binary(binary_t& v) override { return Scalar(json::binary(std::move(v))); }

  bool start_object(std::size_t) override { return Open(json::object()); }
  bool start_array(std::size_t) override { return Open(json::array()); }
  // A key given twice would let the document say two things (which one a reader takes
  // differs between parsers): refused. The keys of values handed over are no longer in the
  // object, so they are remembered apart.
  bool key(string_t& k) override {
    Frame& top = frames_.back();
    ReplaceNul(k);
    if (top.value.contains(k) ||
        std::find(top.streamed.begin(), top.streamed.end(), k) != top.streamed.end()) {
      return Fail("the key \"" + k.substr(0, 64) + "\" appears twice in one object");
    }
    top.key = std::move(k);
    return true;
  }
  bool end_object() override { return Close(); }
  bool end_array() override { return Close(); }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) override {
    std::string what = e.what();
    // nlohmann's text: "[json.exception.parse_error.101] parse error at line 3, column 5: ..."
    size_t colon = what.find(": ", what.find("column"));
    JsonPosition at = buf_.Position();
    error_ = InvalidInput(
        std::to_string(at.line) + ":" + std::to_string(at.column) +
        ": malformed JSON: " + (colon == std::string::npos ? what : what.substr(colon + 2)));
    return false;
  }

  Status Finish() {
    if (!error_.ok()) {
      return error_;
    }
    if (!root_done_) {
      JsonPosition at = buf_.Position();
      return InvalidInput(std::to_string(at.line) + ":" + std::to_string(at.column) +
                          ": malformed JSON: the document ends early");
    }
    return Status::Ok();
  }
  const Status& error() const { return error_; }

 private:
  struct Frame {
    json value;
    std::string key;   // the pending key, for objects
    size_t index = 0;  // the next element's index, for arrays
    int path = -1;     // the chosen path this value is at, or -1
    JsonPosition start;
    uint64_t cost = 0;                  // estimated memory of the value so far
    std::vector<std::string> streamed;  // keys of members handed over, for objects
  };

  // "\u0000" is valid JSON and Grype writes it (in CPEs of Java packages), but no text vigil
  // keeps holds a NUL: it is read as U+FFFD.
  static void ReplaceNul(std::string& s) {
    for (size_t at = s.find('\0'); at != std::string::npos; at = s.find('\0', at + 3)) {
      s.replace(at, 1, "\xEF\xBF\xBD");
    }
  }

  // Estimated memory, in bytes, of what nlohmann allocates: a container, a slot in an array
  // or an object (a map node and its key), a string's own allocation.
  static constexpr uint64_t kContainerCost = 48;
  static constexpr uint64_t kElementCost = 32;
  static constexpr uint64_t kMemberCost = 96;
  static constexpr uint64_t kStringCost = 48;

  uint64_t SlotCost() const {
    const Frame& parent = frames_.back();
    return parent.value.is_object() ? kMemberCost + parent.key.size() : kElementCost;
  }

  // Counts `bytes` more held in memory; false (with an error) past the limit.
  bool Hold(uint64_t bytes) {
    tree_bytes_ += bytes;
    if (tree_bytes_ <= limits_.max_tree_bytes) {
      return true;
    }
    return Fail("more than " + FormatBytes(limits_.max_tree_bytes) +
                " of JSON held in memory at once (the limit, docs/security.md): a value vigil "
                "reads whole is too large");
  }

  bool Fail(const std::string& message) {
    JsonPosition at = buf_.Position();
    error_ = InvalidInput(At(at.line, at.column) + message);
    return false;
  }

  // The step that leads from the innermost open value to the next one.
  std::string NextStep() const {
    const Frame& top = frames_.back();
    return top.value.is_object() ? top.key : std::to_string(top.index);
  }

  // Which chosen path the value about to start is at, or -1.
  int MatchNext() const {
    size_t depth = frames_.size();  // steps from the root to the new value
    for (size_t p = 0; p < paths_.size(); ++p) {
      const auto& steps = paths_[p].steps;
      if (steps.size() != depth) {
        continue;
      }
      bool ok = true;
      for (size_t i = 0; i < depth && ok; ++i) {
        const Frame& parent = frames_[i];
        const std::string& step = steps[i];
        if (parent.value.is_array()) {
          ok = step == "*" || step == std::to_string(parent.index);
        } else {
          ok = step == parent.key;
        }
      }
      if (ok) {
        return static_cast<int>(p);
      }
    }
    return -1;
  }

  std::vector<std::string> Where() const {
    std::vector<std::string> where;
    where.reserve(frames_.size());
    for (const Frame& f : frames_) {
      where.push_back(f.value.is_object() ? f.key : std::to_string(f.index));
    }
    return where;
  }

  bool Open(json value) {
    if (frames_.size() >= limits_.max_depth) {
      return Fail("JSON nested deeper than " + std::to_string(limits_.max_depth) +
                  " levels (the limit, docs/security.md)");
    }
    int path = MatchNext();
    frames_.push_back(Frame{.value = std::move(value),
                            .path = path,
                            .start = path >= 0 ? buf_.Position() : JsonPosition{},
                            .cost = kContainerCost});
    return Hold(kContainerCost);
  }

  bool Close() {
    Frame done = std::move(frames_.back());
    frames_.pop_back();
    if (done.path >= 0) {
      tree_bytes_ -= done.cost;  // handed over and dropped
    } else if (!frames_.empty()) {
      uint64_t slot = SlotCost();
      frames_.back().cost += done.cost + slot;
      if (!Hold(slot)) {
        return false;
      }
    }
    return Deliver(std::move(done.value), done.path, done.start);
  }

  bool Scalar(json value) {
    int path = MatchNext();
    if (path < 0 && !frames_.empty()) {
      uint64_t cost =
          SlotCost() +
          (value.is_string() ? kStringCost + value.get_ref<const std::string&>().size() : 0);
      frames_.back().cost += cost;
      if (!Hold(cost)) {
        return false;
      }
    }
    return Deliver(std::move(value), path, path >= 0 ? buf_.Position() : JsonPosition{});
  }

  // Hands a complete value to its path's callback, or keeps it in its parent.
  bool Deliver(json value, int path, JsonPosition start) {
    if (path >= 0) {
      std::vector<std::string> where = Where();
      Status st = paths_[static_cast<size_t>(path)].on_value(value, where, start);
      if (!st.ok()) {
        error_ = st;
        return false;
      }
      if (frames_.empty()) {
        root_done_ = true;
      } else {
        if (frames_.back().value.is_object()) {
          frames_.back().streamed.push_back(frames_.back().key);
        }
        Advance();
      }
      return true;
    }
    if (frames_.empty()) {
      root_done_ = true;
      return true;
    }
    Frame& parent = frames_.back();
    if (parent.value.is_object()) {
      parent.value[parent.key] = std::move(value);
    } else {
      parent.value.push_back(std::move(value));
    }
    Advance();
    return true;
  }

  void Advance() {
    Frame& parent = frames_.back();
    if (parent.value.is_array()) {
      ++parent.index;
    }
  }

  std::vector<JsonStreamPath>& paths_;
  SourceBuf& buf_;
  const JsonStreamLimits& limits_;
  std::vector<Frame> frames_;
  uint64_t tree_bytes_ = 0;
  Status error_;
  bool root_done_ = false;
};

}  // namespace

JsonStreamLimits DefaultJsonStreamLimits() {
  return {.max_depth = kMaxJsonDepth,
          .max_string_bytes = kMaxTextBytes,
          .max_tree_bytes = kMaxJsonTreeBytes};
}

Status StreamJson(ByteSource& source, std::vector<JsonStreamPath> paths) {
  return StreamJson(source, std::move(paths), DefaultJsonStreamLimits());
}

Status StreamJson(ByteSource& source, std::vector<JsonStreamPath> paths,
                  const JsonStreamLimits& limits) {
  SourceBuf buf(source, limits.max_string_bytes);
  std::istream in(&buf);
  Handler handler(paths, buf, limits);
  bool ok = false;
  try {
    ok = json::sax_parse(in, &handler, json::input_format_t::json, true);
  } catch (const json::exception& e) {
    // Only the parser's own errors are the input's fault; std::bad_alloc and the like are
    // vigil's and reach the command's catch-all (exit 3).
    return InvalidInput(std::string("malformed JSON: ") + e.what());
  }
  if (!buf.error().ok()) {
    return buf.error();
  }
  if (!ok && !handler.error().ok()) {
    return handler.error();
  }
  return handler.Finish();
}

}  // namespace vigil
