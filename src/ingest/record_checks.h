// Checks every parser's records on their way to the sink, in one place: a reference of kind
// "cve" must be a CVE id (ids in lower case are upper-cased; anything else, such as
// "CVE-2024-1'; DROP TABLE", is dropped with a diagnostic), and an item without a
// vulnerability key is skipped with one. Parsers stay free to be lenient about layout; what
// reaches the engine is well-formed.
#pragma once

#include "ingest/report.h"

namespace vigil {

class Diagnostics;

class RecordChecks final : public ReportSink {
 public:
  RecordChecks(ReportSink& next, Diagnostics& diagnostics) : next_(next), diag_(diagnostics) {}

  Status OnHeader(const ReportHeader& header) override { return next_.OnHeader(header); }
  Status OnHost(HostObservation& host) override;

 private:
  void CheckCves(const HostObservation& host, ItemObservation& item);

  ReportSink& next_;
  Diagnostics& diag_;
};

}  // namespace vigil
