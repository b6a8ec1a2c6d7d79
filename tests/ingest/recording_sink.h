// A ReportSink that keeps everything it receives as JSON, for golden tests.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "ingest/report.h"

namespace vigil::testing {

class RecordingSink final : public ReportSink {
 public:
  Status OnHeader(const ReportHeader& header) override;
  Status OnHost(HostObservation& host) override;

  nlohmann::ordered_json json;
  int headers = 0;
  int hosts = 0;
  // Items marked shared_definition before any item of their key carried the definition: a
  // parser bug (ingest/report.h).
  int shared_before_first = 0;

 private:
  VulnerabilityDef Effective(const ItemObservation& item);
  std::map<std::string, VulnerabilityDef> first_;
};

}  // namespace vigil::testing
