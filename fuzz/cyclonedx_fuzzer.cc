// Fuzz target: the parser of CycloneDX JSON with vulnerabilities (fuzz/report_target.h).
#include <cstddef>
#include <cstdint>

#include "fuzz/report_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return vigil::fuzz::FuzzReport(vigil::ReportFormat::kCycloneDx, data, size);
}
