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
  std::string format;       // "nessus", "trivy", ... (ToString(ReportFormat))
  std::string tool;         // the tool and version that wrote the report, when it says
  std::string report_name;  // the scan's name in the report
  std::string policy_name;
  // The checks the scan's policy ran, as source ids (Nessus plugin_set), sorted. When the
  // report does not say, has_check_set is false and every check counts as run.
  bool has_check_set = false;
  std::vector<std::string> check_set;
};

// A software package a finding is in (container, dependency and SBOM scanners).
struct PackageRef {
  std::string name;
  std::string version;        // the installed version
  std::string purl;           // as the scanner gave it, qualifiers included
  std::string type;           // "apk", "deb", "npm", "pypi", ...
  std::string path;           // the file the package was found in, when the scanner says
  std::string fixed_version;  // the first version with the fix, when known
  bool empty() const { return name.empty() && purl.empty(); }
};

// A VEX analysis as a document states it (CycloneDX vulnerabilities[].analysis). It becomes
// a proposed decision, never an approved one.
struct VexAnalysis {
  std::string state;                  // "not_affected", "false_positive", "exploitable", ...
  std::string justification;          // "code_not_reachable", ...
  std::vector<std::string> response;  // "will_not_fix", "update", ...
  std::string detail;
};

struct ItemObservation {
  // The vulnerability. Within one report, its definition is read from the first item of its
  // key; a later item whose shared_definition is set carries only a thin copy (its key,
  // source, source_id, check_type and scores; no texts or references), and an item so marked
  // is never the first of its key (shared_definitions.h).
  VulnerabilityDef vuln;
  bool shared_definition = false;
  int port = 0;
  std::string protocol;  // "tcp", "udp", "icmp", ...; empty for package and code findings
  std::string service;   // Nessus svc_name
  // Where on the asset, beyond port and protocol: a package (ingest/location.h) or a source
  // file. Part of the finding's identity; empty for network findings.
  std::string location;
  PackageRef package;
  std::optional<int> qod;          // Greenbone quality of detection, 0..100
  std::optional<VexAnalysis> vex;  // a VEX statement that came with the finding
  std::string output;              // plugin_output: evidence from this host
  uint64_t line = 0;               // where the item starts in the file
};

struct HostObservation {
  // ReportHost/@name; for container, code and SBOM scans the scanned target ("alpine:3.19",
  // a repository URL).
  std::string report_name;
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
