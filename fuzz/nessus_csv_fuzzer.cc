// Fuzz target: the parser of Tenable/Nessus CSV exports (fuzz/report_target.h).
#include <cstddef>
#include <cstdint>

#include "fuzz/report_target.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return vigil::fuzz::FuzzReport(vigil::ReportFormat::kNessusCsv, data, size);
}
