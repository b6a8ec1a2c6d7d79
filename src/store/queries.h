// Read-side queries and the views they return, for listings and reports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/decision.h"
#include "core/finding.h"
#include "core/time.h"

namespace vigil {

struct VulnQuery {
  std::optional<std::string> class_name;  // exact class, or "unclassified"
  std::optional<std::string> cve;
  std::optional<std::string> key;      // exactly this vulnerability
  std::optional<std::string> asset;    // asset name, FQDN or IP
  std::optional<std::string> scanner;  // scanner name
  bool include_closed = false;         // also vulnerabilities with no open finding
  bool kev_only = false;               // only those with a CVE in the KEV catalog
  std::optional<double> epss_above;    // only those with a CVE whose EPSS score is above
  bool with_scanners = true;           // false: leave `scanners` empty, for bulk evaluation
  // false: leave the counts and first/last seen empty, when they select nothing (with
  // include_closed and neither asset nor scanner); then no finding is read.
  bool with_counts = true;
};

struct VulnSummary {
  int64_t id = 0;
  std::string key;
  std::string title;
  std::string class_name;
  std::string class_source;
  std::string auto_class;
  std::string auto_source;
  std::optional<double> rating_score;
  std::optional<Timestamp> patch_published;
  std::optional<int> scanner_severity;
  std::optional<double> cvss3_score;
  int64_t open_findings = 0;
  int64_t affected_assets = 0;
  std::optional<Timestamp> first_seen;
  std::optional<Timestamp> last_seen;
  std::vector<std::string> cves;
  std::optional<Timestamp> kev_due;   // the earliest KEV due date of its CVEs
  std::optional<double> epss;         // the highest EPSS score of its CVEs
  std::vector<std::string> scanners;  // every scanner that reported it
};

struct DecisionQuery {
  std::optional<std::string> vuln_key;
  std::vector<DecisionState> states;  // empty: every state
};

struct FindingQuery {
  std::vector<FindingState> states;  // empty: every state
  std::optional<std::string> asset;
  std::optional<std::string> vuln_key;
  std::optional<std::string> scanner;
  std::optional<std::string> cve;  // vulnerabilities that name this CVE (key or reference)
  bool absent_unverified_only = false;
  bool with_scanners = true;  // false: leave `scanners` empty, for bulk evaluation
};

struct FindingView {
  std::string vuln_key;
  std::string title;
  std::string class_name;
  std::string asset;
  int port = 0;
  std::string protocol;
  std::string location;  // package or source file, empty for network findings
  std::string service;
  FindingState state = FindingState::kOpen;
  Timestamp first_seen{};
  Timestamp last_seen{};
  std::optional<Timestamp> fixed_at;
  int times_reopened = 0;
  bool absent_unverified = false;
  std::vector<std::string> scanners;
  std::string installed_version;  // package findings
  std::string fixed_version;
  std::optional<int> qod;  // Greenbone findings
};

// A finding as bulk evaluation (the compliance clocks) sees it: ids instead of names and
// texts, so that a million of them take tens of megabytes and one pass to read.
struct FindingFact {
  int64_t vuln_id = 0;
  int64_t asset_id = 0;
  int port = 0;
  FindingState state = FindingState::kOpen;
  Timestamp first_seen{};
  std::optional<Timestamp> fixed_at;
};

struct FindingFactQuery {
  std::vector<FindingState> states;  // empty: every state
  std::optional<int64_t> vuln_id;    // only this vulnerability's findings
};

struct AssetQuery {
  std::optional<AssetState> state;
};

struct AssetView {
  int64_t id = 0;
  std::string name;
  std::string ip;
  std::string fqdn;
  std::string agent_id;
  std::string os;
  AssetState state = AssetState::kActive;
  Timestamp first_seen{};
  Timestamp last_seen{};
  int64_t open_findings = 0;
  std::optional<Timestamp> decommissioned_at;
  std::string decommissioned_by;
  std::string decommission_reason;
  std::optional<Timestamp> reappeared_at;
};

struct ScannerView {
  std::string name;
  std::string kind;
  std::optional<std::chrono::seconds> cadence;
  std::chrono::seconds grace{0};
  Timestamp created_at{};
  int64_t scans = 0;
  int64_t assets = 0;
  std::optional<Timestamp> last_import;  // when the last report was imported
  std::optional<Timestamp> last_scan;    // when the last imported scan ended
};

struct NotificationQuery {
  std::vector<std::string> states;  // empty: every state
  std::optional<Timestamp> due_by;  // next_attempt_at <= this
  std::string rule;                 // empty: every rule
  std::string kind;                 // empty: every kind
  std::string channel;              // empty: every channel
  std::string subject;              // empty: every subject
  bool newest_first = false;        // else oldest first
  int64_t limit = 0;                // 0: no limit
};

}  // namespace vigil
