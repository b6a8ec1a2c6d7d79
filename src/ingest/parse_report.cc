#include "ingest/parse_report.h"

#include <string>

#include "ingest/cyclonedx_parser.h"
#include "ingest/grype_parser.h"
#include "ingest/nessus_csv_parser.h"
#include "ingest/nessus_parser.h"
#include "ingest/openvas_csv_parser.h"
#include "ingest/openvas_parser.h"
#include "ingest/qualys_csv_parser.h"
#include "ingest/qualys_parser.h"
#include "ingest/record_checks.h"
#include "ingest/sarif_parser.h"
#include "ingest/trivy_parser.h"

namespace vigil {

namespace {

Status Dispatch(ReportFormat format, ByteSource& source, ReportSink& sink,
                Diagnostics& diagnostics) {
  switch (format) {
    case ReportFormat::kNessus:
      return ParseNessus(source, sink, diagnostics);
    case ReportFormat::kTrivy:
      return ParseTrivy(source, sink, diagnostics);
    case ReportFormat::kGrype:
      return ParseGrype(source, sink, diagnostics);
    case ReportFormat::kSarif:
      return ParseSarif(source, sink, diagnostics);
    case ReportFormat::kCycloneDx:
      return ParseCycloneDx(source, sink, diagnostics);
    case ReportFormat::kNessusCsv:
      return ParseNessusCsv(source, sink, diagnostics);
    case ReportFormat::kOpenVas:
      return ParseOpenVas(source, sink, diagnostics);
    case ReportFormat::kOpenVasCsv:
      return ParseOpenVasCsv(source, sink, diagnostics);
    case ReportFormat::kQualys:
      return ParseQualys(source, sink, diagnostics);
    case ReportFormat::kQualysCsv:
      return ParseQualysCsv(source, sink, diagnostics);
  }
  return InvalidInput("no parser for " + std::string(ToString(format)) + " reports yet");
}

}  // namespace

Status ParseReport(ReportFormat format, ByteSource& source, ReportSink& sink,
                   Diagnostics& diagnostics) {
  RecordChecks checked(sink, diagnostics);
  return Dispatch(format, source, checked, diagnostics);
}

}  // namespace vigil
