#include "fuzz/report_target.h"

#include <string>

#include "fuzz/checking_sink.h"
#include "fuzz/chunked_source.h"
#include "fuzz/fuzz_check.h"
#include "ingest/byte_source.h"
#include "ingest/diagnostics.h"
#include "ingest/parse_report.h"

namespace vigil::fuzz {
namespace {

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
