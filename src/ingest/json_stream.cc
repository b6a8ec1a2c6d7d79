#include "ingest/json_stream.h"

#include <cstring>
#include <streambuf>

#include "ingest/byte_source.h"

namespace vigil {
namespace {

using json = nlohmann::json;

// A streambuf reading from a ByteSource, which can tell the line and column of its read
// position (counting newlines incrementally, so asking often stays cheap).
class SourceBuf final : public std::streambuf {
 public:
  explicit SourceBuf(ByteSource& source) : source_(source), buffer_(1 << 16) {}

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
    auto n = source_.Read(buffer_.data(), buffer_.size());
    if (!n.ok()) {
      error_ = n.status();
      return traits_type::eof();
    }
    if (*n == 0) {
      return traits_type::eof();
    }
    setg(buffer_.data(), buffer_.data(), buffer_.data() + *n);
    counted_ = buffer_.data();
    return traits_type::to_int_type(*gptr());
  }

 private:
  ByteSource& source_;
  std::vector<char> buffer_;
  Status error_;
  uint64_t consumed_ = 0;  // bytes of the buffers before the current one
  uint64_t line_ = 1;
  uint64_t line_start_ = 0;  // offset of the current line's first byte
  const char* counted_ = nullptr;
};

class Handler final : public nlohmann::json_sax<json> {
 public:
  Handler(std::vector<JsonStreamPath>& paths, SourceBuf& buf) : paths_(paths), buf_(buf) {}

  bool null() override { return Scalar(nullptr); }
  bool boolean(bool v) override { return Scalar(v); }
  bool number_integer(number_integer_t v) override { return Scalar(v); }
  bool number_unsigned(number_unsigned_t v) override { return Scalar(v); }
  bool number_float(number_float_t v, const string_t&) override { return Scalar(v); }
  bool string(string_t& v) override { return Scalar(std::move(v)); }
  bool binary(binary_t& v) override { return Scalar(json::binary(std::move(v))); }

  bool start_object(std::size_t) override { return Open(json::object()); }
  bool start_array(std::size_t) override { return Open(json::array()); }
  bool key(string_t& k) override {
    frames_.back().key = std::move(k);
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
  };

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
    int path = MatchNext();
    frames_.push_back(Frame{.value = std::move(value),
                            .path = path,
                            .start = path >= 0 ? buf_.Position() : JsonPosition{}});
    return true;
  }

  bool Close() {
    Frame done = std::move(frames_.back());
    frames_.pop_back();
    return Deliver(std::move(done.value), done.path, done.start);
  }

  bool Scalar(json value) {
    int path = MatchNext();
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
  std::vector<Frame> frames_;
  Status error_;
  bool root_done_ = false;
};

}  // namespace

Status StreamJson(ByteSource& source, std::vector<JsonStreamPath> paths) {
  SourceBuf buf(source);
  std::istream in(&buf);
  Handler handler(paths, buf);
  bool ok = false;
  try {
    ok = json::sax_parse(in, &handler, json::input_format_t::json, true);
  } catch (const std::exception& e) {
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
