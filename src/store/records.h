// The rows the store keeps and the views it answers queries with. Plain data: the store
// fills and persists them; the engine decides what they mean.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "core/decision.h"
#include "core/finding.h"
#include "core/role.h"
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
  std::string tool;  // the tool and version that wrote the report, when it says
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

// A vulnerability's classes: the effective one (`class_name`, from the ratings or a person's
// decision) and the one its ratings give (`auto_class`), with the score behind it.
struct VulnClass {
  std::string class_name;
  std::string class_source;  // auto:<source> | manual | none
  std::string auto_class;
  std::string auto_source;
  std::optional<double> rating_score;  // the score the auto class came from, if any
};

// What the engine needs to know about a stored vulnerability definition.
struct VulnStamp {
  int64_t id = 0;
  int64_t content_hash = 0;
  Timestamp defined_at{};  // scan time of the report the stored definition came from
  VulnClass cls;
};

struct UserRecord {
  std::string name;
  Role role = Role::kAuditor;
  Timestamp created_at{};
  std::string created_by;
  std::string token_hash;       // core/credential.h
  std::string token_issued_by;  // who issued the current token (its holder, or an admin)
  std::string role_granted_by;  // who gave the current role
  // The password the person set themselves (core/credential.h HashPassword); empty: none yet.
  std::string password_hash;
  std::optional<Timestamp> password_set_at;
  // The one-time enrolment code an admin issued (its hash) and when it stops working; empty
  // once used.
  std::string enrolment_hash;
  std::optional<Timestamp> enrolment_expires_at;
};

// A pipeline token: acts as `user`, within `scopes` (read, import, write), until
// `expires_at` or its revocation.
struct ApiTokenRecord {
  int64_t id = 0;
  std::string user;
  std::string label;
  std::string scopes;  // comma-separated, in the order read,import,write
  std::string token_hash;
  Timestamp created_at{};
  std::string created_by;
  Timestamp expires_at{};
  std::optional<Timestamp> revoked_at;
  std::string revoked_by;
};

struct DecisionRecord {
  int64_t id = 0;
  int64_t vuln_id = 0;
  std::string vuln_key;  // filled when read back
  DecisionType type = DecisionType::kRecast;
  ReasonCategory reason = ReasonCategory::kOther;
  std::string basis;
  std::string new_class;  // recast, classify
  std::optional<double> new_score;
  std::vector<std::string> assets;  // scope: asset names; empty = every asset
  std::optional<int> port;          // scope: only this port
  std::optional<Timestamp> expires_at;
  std::optional<Timestamp> target_at;  // a mitigation plan's target date
  std::string author;
  Timestamp created_at{};
  DecisionState state = DecisionState::kPending;
  std::string decided_by;  // who approved or rejected
  std::optional<Timestamp> decided_at;
  std::string decided_basis;
  std::optional<Timestamp> effective_at;  // approval, or creation when none is needed
  std::optional<Timestamp> ended_at;      // lapsed, superseded
  int64_t superseded_by = 0;
};

// One step in a decision's history: created, approved, rejected, lapsed, superseded.
struct DecisionEvent {
  int64_t decision_id = 0;
  Timestamp at{};
  std::string actor;
  std::string action;
  std::string note;
};

// One change of a vulnerability's effective class.
struct ClassChange {
  int64_t vuln_id = 0;
  Timestamp at{};
  std::string actor;
  std::string from_class;  // empty: the first class
  std::string to_class;
  std::string source;
  int64_t decision_id = 0;  // 0: not from a decision
  std::string note;
};

struct ReviewRecord {
  int64_t id = 0;
  Timestamp at{};
  std::string recorded_by;
  std::vector<std::string> participants;
  std::string notes;
  std::optional<Timestamp> covered_since;  // the previous review; unset for the first
  std::vector<int64_t> vuln_ids;           // vulnerabilities first seen since then
};

// An event of the audit log as stored: the event, its leaf hash and the tree root after it
// (hex).
struct EventRecord {
  int64_t seq = 0;
  Timestamp at{};
  std::string actor;
  std::string type;
  std::string subject;
  std::string payload;
  std::string leaf_hash;
  std::string root_hash;
};

// One value of a row as the database holds it: how verification compares tables with the
// values the log gives, whatever the backend.
struct Cell {
  enum class Kind { kNull, kInt, kReal, kText };
  Kind kind = Kind::kNull;
  int64_t i = 0;
  double r = 0;
  std::string text;
  bool operator==(const Cell&) const = default;
  static Cell Null() { return {}; }
  static Cell Int(int64_t v) { return {.kind = Kind::kInt, .i = v}; }
  static Cell Real(double v) { return {.kind = Kind::kReal, .r = v}; }
  static Cell Text(std::string v) { return {.kind = Kind::kText, .text = std::move(v)}; }
};

// Conditions on columns, all of which must hold: the column equals an integer or a text, or is
// one of a list of integers (none: no row).
using RowFilter =
    std::vector<std::pair<std::string, std::variant<int64_t, std::string, std::vector<int64_t>>>>;

// A signed checkpoint of the audit log.
struct CheckpointRecord {
  int64_t id = 0;
  int64_t size = 0;
  std::string root_hash;  // hex
  Timestamp at{};
  std::string note;  // the signed note, as issued
  // RFC 3161: the TSA's DER TimeStampResp over the note, and the time it names; empty when
  // no TSA is configured.
  std::string tsa_response;
  std::optional<Timestamp> tsa_time;
};

// An entry of CISA's Known Exploited Vulnerabilities catalog.
struct KevEntry {
  std::string cve;
  std::string name;
  Timestamp date_added{};
  Timestamp due_date{};
  std::string ransomware;  // Known | Unknown
};

// The package a finding is in, as its scanners last reported it (empty for network findings).
struct FindingPackage {
  std::string name;
  std::string version;
  std::string purl;
  std::string path;
  std::string fixed_version;
  bool operator==(const FindingPackage&) const = default;
};

struct FindingRecord {
  int64_t id = 0;
  int64_t vuln_id = 0;
  int64_t asset_id = 0;
  int port = 0;
  std::string protocol;
  std::string location;  // package or source file; part of the identity; empty for network
  std::string service;
  FindingPackage package;
  std::optional<int> qod;  // Greenbone quality of detection, as last reported
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

// A finding reported for the first time, with the attribution of the scanner that reported it
// (whose output becomes the finding's first evidence).
struct NewFinding {
  FindingRecord finding;
  AttributionRecord attribution;
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

// A notification in the outbox (docs/notifications.md): rendered once when it is queued, so
// that every attempt sends the same thing; `key` makes it unique per cause and channel.
struct NotificationRecord {
  int64_t id = 0;
  std::string rule;     // the rule's name ("jira" for tickets)
  std::string channel;  // email | webhook | jira
  std::string kind;     // digest | alert | alert-end | ticket
  std::string key;      // idempotency key: one notification per key, ever
  std::string subject;  // what it is about: a digest's local date, a condition, a vulnerability
  std::string title;    // one line (a mail's subject)
  std::string content;  // JSON: what is sent
  Timestamp created_at{};
  std::string state = "pending";  // pending | sending | sent | failed
  int attempts = 0;
  Timestamp next_attempt_at{};
  std::string last_error;
  std::optional<Timestamp> sent_at;
  std::string result;  // what the receiver answered: a Message-ID, an HTTP status, a Jira key
};

// One delivery attempt and its outcome.
struct NotificationAttempt {
  int64_t notification_id = 0;
  Timestamp at{};
  std::string outcome;  // sent | retry | failed | in-doubt
  std::string detail;
};

// A condition an alert rule watches, from when it started (and ended).
struct AlertConditionRecord {
  std::string rule;
  std::string condition;  // "<kind>:<subject>", e.g. "scanner-stale:agents"
  std::string detail;
  Timestamp started_at{};
  std::optional<Timestamp> ended_at;
};

// The Jira issue of a vulnerability, and the class and state it last showed.
struct JiraLinkRecord {
  std::string vuln_key;
  std::string issue_key;  // empty until the issue is created
  std::string synced_class;
  std::string synced_state;  // open | fixed
  Timestamp updated_at{};
};

}  // namespace vigil
