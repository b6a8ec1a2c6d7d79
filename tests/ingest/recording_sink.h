// A ReportSink that keeps everything it receives as JSON, for golden tests.
#pragma once

#include <nlohmann/json.hpp>

#include "ingest/report.h"

namespace vigil::testing {

class RecordingSink final : public ReportSink {
 public:
  Status OnHeader(const ReportHeader& header) override;
  Status OnHost(HostObservation& host) override;

  nlohmann::ordered_json json;
  int headers = 0;
  int hosts = 0;
};

}  // namespace vigil::testing
