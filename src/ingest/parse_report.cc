#include "ingest/parse_report.h"

#include <string>

#include "ingest/nessus_parser.h"

namespace vigil {

Status ParseReport(ReportFormat format, ByteSource& source, ReportSink& sink,
                   Diagnostics& diagnostics) {
  switch (format) {
    case ReportFormat::kNessus:
      return ParseNessus(source, sink, diagnostics);
    case ReportFormat::kNessusCsv:
    case ReportFormat::kOpenVas:
    case ReportFormat::kOpenVasCsv:
    case ReportFormat::kQualys:
    case ReportFormat::kQualysCsv:
    case ReportFormat::kTrivy:
    case ReportFormat::kGrype:
    case ReportFormat::kSarif:
    case ReportFormat::kCycloneDx:
      break;
  }
  return InvalidInput("no parser for " + std::string(ToString(format)) + " reports yet");
}

}  // namespace vigil
