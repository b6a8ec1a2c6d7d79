#include "ingest/parse_report.h"

#include "ingest/nessus_parser.h"

namespace vigil {

Status ParseReport(ReportFormat format, ByteSource& source, ReportSink& sink,
                   Diagnostics& diagnostics) {
  switch (format) {
    case ReportFormat::kNessus:
      return ParseNessus(source, sink, diagnostics);
  }
  return Internal("no parser for this format");
}

}  // namespace vigil
