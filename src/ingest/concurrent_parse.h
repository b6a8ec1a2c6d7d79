// Parsing on a second core: the parser runs on a worker thread and hands its records to the
// sink on the calling thread through a small bounded queue, so parsing a report and applying
// it overlap. Memory stays bounded by the queue (a few hosts), never the file.
#pragma once

#include <cstddef>

#include "core/status.h"
#include "ingest/format_detect.h"

namespace vigil {

class ByteSource;
class Diagnostics;
class ReportSink;

// Like ParseReport, but `sink` is called on the calling thread while `source` and
// `diagnostics` are used by the worker until this returns. Returns the first error of either
// side; when the sink fails, the parser is stopped.
Status ParseReportConcurrently(ReportFormat format, ByteSource& source, ReportSink& sink,
                               Diagnostics& diagnostics, size_t queue_hosts = 8);

}  // namespace vigil
