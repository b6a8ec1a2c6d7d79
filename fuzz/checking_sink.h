// A ReportSink for the fuzz targets: checks every record a parser emits against what the
// engine relies on, and keeps them (as the golden tests' RecordingSink does) so that two
// parses of the same bytes can be compared.
//
// Checked: one header, before any host; every text valid UTF-8; every item has a
// vulnerability key; every host has an identity (agent id, FQDN, IP or the report's name);
// CVSS and VPR scores within 0..10, EPSS within 0..1, severities 0..4, QoD 0..100, ports
// 0..65535; references have a kind and a value; no item marked shared_definition comes
// before the first item of its key (ingest/report.h).
#pragma once

#include <string>

#include "ingest/recording_sink.h"
#include "ingest/report.h"

namespace vigil::fuzz {

class CheckingSink final : public ReportSink {
 public:
  // `format` is what the header must name (ToString(ReportFormat)).
  explicit CheckingSink(std::string format) : format_(std::move(format)) {}

  Status OnHeader(const ReportHeader& header) override;
  Status OnHost(HostObservation& host) override;

  // Everything received, as JSON.
  const nlohmann::ordered_json& records() const { return recording_.json; }

 private:
  std::string format_;
  testing::RecordingSink recording_;
};

}  // namespace vigil::fuzz
