// The body of every scan-parser fuzz target: parses the input twice, once as one string and
// once handed out in small reads of varying size (as a pipe or a slow disk would), checks
// every record (CheckingSink), and checks that both parses agree: what a parser emits must
// not depend on where its reads happen to end.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ingest/format_detect.h"

namespace vigil::fuzz {

// Aborts (invariant violated) or returns 0, as LLVMFuzzerTestOneInput does.
int FuzzReport(ReportFormat format, const uint8_t* data, size_t size);

}  // namespace vigil::fuzz
