// Fuzz target: FIRST's EPSS CSV (ingest/epss_csv.h). Every score has a CVE id, and its
// probability and percentile are within 0..1.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "ingest/epss_csv.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto file = ParseEpssCsv(text, "epss.csv");
  if (!file.ok()) {
    fuzz::Check(file.status().code() == ErrorCode::kInvalidInput,
                "an EPSS error that is not InvalidInput", file.status().message());
    return 0;
  }
  fuzz::CheckText(file->model_version, "the model version");
  for (const EpssScore& s : file->scores) {
    fuzz::CheckKey(s.cve, "an EPSS CVE id");
    fuzz::CheckRange(s.score, 0, 1, "the EPSS score of " + s.cve);
    fuzz::CheckRange(s.percentile, 0, 1, "the EPSS percentile of " + s.cve);
  }
  return 0;
}
