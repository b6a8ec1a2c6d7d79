// The normalized records every parser emits, and the sink that receives them.
//
// A parser turns one report file into: one ReportHeader, then one HostObservation per
// scanned host (with every item reported on it), in file order. Parsers know nothing of the
// store or the clock; the engine decides what the records mean.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "core/vulnerability.h"

namespace vigil {

struct ReportHeader {
  std::string format;       // "nessus"
  std::string report_name;  // the scan's name in the report
  std::string policy_name;
  // The checks the scan's policy ran, as source ids (Nessus plugin_set), sorted. When the
  // report does not say, has_check_set is false and every check counts as run.
  bool has_check_set = false;
  std::vector<std::string> check_set;
};

struct ItemObservation {
  VulnerabilityDef vuln;
  int port = 0;
  std::string protocol;  // "tcp", "udp", "icmp", ...
  std::string service;   // Nessus svc_name
  std::string output;    // plugin_output: evidence from this host
  uint64_t line = 0;     // where the item starts in the file
};

struct HostObservation {
  std::string report_name;  // ReportHost/@name
  std::string ip;
  std::string fqdn;
  std::string hostname;
  std::string netbios_name;
  std::string mac;
  std::string os;
  std::string agent_id;
  std::optional<Timestamp> start;
  std::optional<Timestamp> end;
  std::optional<bool> credentialed;  // the scan logged in to the host
  std::vector<ItemObservation> items;
  uint64_t line = 0;
};

class ReportSink {
 public:
  virtual ~ReportSink() = default;
  // Called once, before the first host.
  virtual Status OnHeader(const ReportHeader& header) = 0;
  // Called once per host; the sink may move from `host`.
  virtual Status OnHost(HostObservation& host) = 0;
};

}  // namespace vigil
