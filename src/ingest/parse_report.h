// Dispatch to the parser of a report format.
#pragma once

#include "core/status.h"
#include "ingest/format_detect.h"

namespace vigil {

class ByteSource;
class Diagnostics;
class ReportSink;

// The parser's records pass RecordChecks (record_checks.h) on their way to `sink`.
Status ParseReport(ReportFormat format, ByteSource& source, ReportSink& sink,
                   Diagnostics& diagnostics);

}  // namespace vigil
