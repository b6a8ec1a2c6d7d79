// Fuzz target: the parser of Qualys XML (asset data report, scan, host detection)
// (fuzz/report_target.h).
#include <cstddef>
#include <cstdint>

#include "fuzz/report_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return vigil::fuzz::FuzzReport(vigil::ReportFormat::kQualys, data, size);
}
