// The rows the store keeps and the views it answers queries with. Plain data: the store
// fills and persists them; the engine decides what they mean.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/finding.h"
#include "core/time.h"

namespace vigil {

struct ScannerRecord {
  int64_t id = 0;
  std::string name;
  std::string kind;  // agent | network | external | container | code | unknown
  Timestamp created_at{};
  std::optional<std::chrono::seconds> cadence;  // how often scans are expected; unset = unknown
  std::chrono::seconds grace{0};                // tolerance before a late scanner is stale
};

// When one scanner last scanned one asset.
struct AssetLastScan {
  std::string asset;
  AssetState state = AssetState::kActive;
  Timestamp last_scanned{};
};

// What one import did, as reported by `vigil import`.
struct ImportCounts {
  int64_t hosts = 0;
  int64_t findings = 0;         // distinct findings in the report
  int64_t vulnerabilities = 0;  // distinct vulnerabilities in the report
  int64_t new_findings = 0;
  int64_t fixed = 0;
  int64_t reopened = 0;
  int64_t unchanged = 0;
  int64_t absent_unverified = 0;
  int64_t stale_hosts = 0;  // hosts older than what a newer scan already established
  int64_t reappeared = 0;   // decommissioned assets that showed up again
  int64_t warnings = 0;
};

struct ScanRecord {
  int64_t id = 0;
  int64_t scanner_id = 0;
  std::string scanner_name;  // filled when read back
  std::string digest;        // SHA-256 of the file
  std::string quick_digest;  // SHA-256 of its size, head and tail
  int64_t size = 0;
  std::string file_name;
  std::string format;
  std::string report_name;
  std::string policy_name;
  std::optional<Timestamp> started_at;
  std::optional<Timestamp> ended_at;
  Timestamp imported_at{};
  std::string imported_by;
  bool has_check_set = false;
  std::string check_set;  // ';'-joined sorted source ids
  ImportCounts counts;
};

struct AssetRecord {
  int64_t id = 0;
  std::string name;
  std::string agent_id;
  std::string fqdn;
  std::string ip;
  std::string hostname;
  std::string netbios_name;
  std::string mac;
  std::string os;
  AssetState state = AssetState::kActive;
  Timestamp first_seen{};
  Timestamp last_seen{};
  // Set by decommissioning; kept when the asset reappears.
  std::optional<Timestamp> decommissioned_at;
  std::string decommissioned_by;
  std::string decommission_reason;
  std::optional<Timestamp> reappeared_at;  // a decommissioned asset showed up in a scan
};

// One scanner's pass over one asset in one scan.
struct HostScanRecord {
  int64_t scan_id = 0;
  int64_t asset_id = 0;
  int64_t scanner_id = 0;
  Timestamp observed_at{};
  std::optional<bool> credentialed;
};

// What the engine needs to know about a stored vulnerability definition.
struct VulnStamp {
  int64_t id = 0;
  int64_t content_hash = 0;
  Timestamp defined_at{};  // scan time of the report the stored definition came from
  std::string class_source;
  std::string class_name;
};

struct FindingRecord {
  int64_t id = 0;
  int64_t vuln_id = 0;
  int64_t asset_id = 0;
  int port = 0;
  std::string protocol;
  std::string service;
  FindingState state = FindingState::kOpen;
  Timestamp first_seen{};
  Timestamp last_seen{};
  std::optional<Timestamp> fixed_at;
  int64_t fixed_scan_id = 0;  // the scan that verified the fix, 0 when not fixed
  int times_reopened = 0;
  bool absent_unverified = false;
};

// One scanner's attribution of a finding.
struct AttributionRecord {
  int64_t finding_id = 0;
  int64_t scanner_id = 0;
  Presence presence = Presence::kPresent;
  Timestamp first_seen{};
  Timestamp last_seen{};
  std::optional<Timestamp> absent_since;
  int64_t last_scan_id = 0;
  std::string output;  // the latest evidence (plugin output) from this scanner
  int64_t output_hash = 0;
};

// A finding on an asset as loaded for applying a scan by one scanner.
struct FindingOnAsset {
  FindingRecord finding;
  std::string vuln_key;
  std::string vuln_source_id;
  std::string check_type;
  std::optional<AttributionRecord> mine;  // the applying scanner's attribution
  int others_unresolved = 0;              // other scanners' attributions not verified absent
};

}  // namespace vigil
