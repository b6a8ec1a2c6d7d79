#include "fuzz/report_target.h"

#include <algorithm>
#include <string>

#include "fuzz/checking_sink.h"
#include "fuzz/fuzz_check.h"
#include "ingest/byte_source.h"
#include "ingest/diagnostics.h"
#include "ingest/parse_report.h"

namespace vigil::fuzz {
namespace {

// Hands out its text in reads of 1 to 61 bytes, the sizes following a fixed sequence.
class ChunkedSource final : public ByteSource {
 public:
  explicit ChunkedSource(std::string_view text) : text_(text) {}

  Result<size_t> Read(char* buffer, size_t size) override {
    step_ = step_ * 1103515245u + 12345u;
    size_t n = std::min({size, text_.size() - pos_, size_t{1} + (step_ >> 16) % 61});
    std::copy_n(text_.data() + pos_, n, buffer);
    pos_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }
  uint64_t bytes_read() const override { return pos_; }
  uint64_t total_bytes() const override { return text_.size(); }

 private:
  std::string_view text_;
  std::string name_ = "<string>";
  size_t pos_ = 0;
  uint32_t step_ = 1;
};

struct Outcome {
  Status status;
  nlohmann::ordered_json records;
  size_t diagnostics = 0;
};

Outcome Parse(ReportFormat format, ByteSource& source) {
  CheckingSink sink{std::string(ToString(format))};
  Diagnostics diagnostics;
  Status status = ParseReport(format, source, sink, diagnostics);
  if (!status.ok()) {
    // Bad input is the user's problem to fix (exit 2), never an internal error.
    Check(status.code() == ErrorCode::kInvalidInput, "a parse error that is not InvalidInput",
          status.message());
  }
  return Outcome{.status = status, .records = sink.records(), .diagnostics = diagnostics.count()};
}

}  // namespace

int FuzzReport(ReportFormat format, const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  StringSource whole(text);
  Outcome a = Parse(format, whole);
  ChunkedSource chunked(text);
  Outcome b = Parse(format, chunked);
  Check(a.status.ok() == b.status.ok() && a.status.message() == b.status.message(),
        "the outcome depends on the read sizes",
        "'" + a.status.message() + "' vs '" + b.status.message() + "'");
  if (a.status.ok()) {
    // After an error the engine drops what was emitted, so only a complete parse must agree.
    Check(a.records == b.records, "the records depend on the read sizes");
    Check(a.diagnostics == b.diagnostics, "the diagnostics depend on the read sizes");
  }
  return 0;
}

}  // namespace vigil::fuzz
