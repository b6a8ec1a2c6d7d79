// Streaming parser for Greenbone / OpenVAS XML reports (docs/formats.md, "Greenbone"): the
// GMP get_reports response (<get_reports_response><report><report>...) and a bare <report>
// (possibly <report><report>...).
//
// Keys are "openvas:<nvt oid>"; a finding is host IP + NVT + port + protocol. result/@id is
// new in every report and never used. Greenbone lists results in severity order, not by host,
// and the <host> elements (times, host details) come after them, so results are collected per
// host and every host is emitted at the end of the file: each NVT's texts are kept once, each
// result keeps only its port, QoD and output. Memory is therefore bounded by the number of
// results and the size of their outputs, not by the NVTs' descriptions (documented).
// Results on one host with the same NVT, port and protocol are one item.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "core/vulnerability.h"
#include "ingest/output_merge.h"
#include "ingest/report.h"
#include "ingest/shared_definitions.h"

namespace vigil {

class ByteSource;
class Diagnostics;

Status ParseOpenVas(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics);

// What the Greenbone XML and CSV parsers share, so that both exports of one report give the
// same records.
namespace openvas {

// "443/tcp" -> 443 "tcp"; "https (443/tcp)" -> 443 "tcp"; "general/tcp", "package" and ""
// -> 0 "" (the CSV export drops both there, so neither export keeps them; the text goes to
// `service`). False when the text holds no port number in 0..65535.
bool ParsePort(std::string_view text, int& port, std::string& protocol, std::string& service);

// vigil's 0..4 for a Greenbone severity (gvmd 24.2 bands: 9.0 critical, 7.0 high, 4.0
// medium, 0.1 low, 0.0 log).
int SeverityLevel(double severity);
// A threat word as vigil's risk word: "Log" and "Debug" are "None"; others as written.
std::string RiskWord(std::string_view threat);
// The level of a threat word, -1 when it has none.
int ThreatLevel(std::string_view threat);

// The description vigil stores: the insight, then "Affected:" and "Impact:" paragraphs
// (values "N/A" and empty ones left out).
std::string Description(std::string_view insight, std::string_view affected,
                        std::string_view impact);
// A CERT advisory id ("DFN-CERT-2025-2181", "WID-SEC-2025-1850", "CB-K18/0296") as an xref.
void AddCert(VulnerabilityDef& v, std::string_view id, std::string_view type = "");
// Adds a reference once.
void AddRef(VulnerabilityDef& v, std::string_view kind, std::string_view value);
// A host name: an FQDN (with a dot) into host.fqdn, lower-cased, else into host.hostname.
void SetHostName(HostObservation& host, std::string_view name);

// One result without its NVT's texts.
struct Finding {
  int port = 0;
  std::string protocol;
  std::string service;
  std::optional<int> qod;
  std::string output;
  uint64_t line = 0;
};

// Results collected per host, emitted at the end in order of each host's first appearance.
class HostCollector {
 public:
  // The host with this IP, created on first use.
  HostObservation& Host(const std::string& ip, uint64_t line);
  bool HasNvt(const std::string& oid) const { return by_oid_.count(oid) > 0; }
  void AddNvt(VulnerabilityDef def);
  // Adds a result of an NVT added before; a result already there with the same NVT, port and
  // protocol absorbs it (outputs kept once each, the highest QoD).
  void Add(const std::string& ip, const std::string& oid, Finding finding);
  // Emits every host, giving `start`/`end` to those without times of their own.
  Status Emit(ReportSink& sink, std::optional<Timestamp> start, std::optional<Timestamp> end);

 private:
  struct Entry {
    HostObservation host;
    std::vector<std::pair<size_t, Finding>> findings;  // NVT index, result
    std::unordered_map<std::string, size_t> index;     // finding key -> findings
    std::unordered_map<size_t, OutputMerge> outputs;   // of the findings merged into
  };
  std::vector<Entry> hosts_;
  std::unordered_map<std::string, size_t> by_ip_;
  std::vector<VulnerabilityDef> nvts_;
  SharedDefinitions shared_;  // each NVT's definition sent once
  std::unordered_map<std::string, size_t> by_oid_;
};

}  // namespace openvas
}  // namespace vigil
