// The installation's configuration as plain data: what the TOML file (docs/config.md) says,
// after validation. The loader is src/config; the engine reads these types and never the file.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/cidr.h"
#include "core/class_scale.h"
#include "core/policy.h"

namespace vigil {

// A scanner declared in the file; applied to the registry like `vigil scanner set`.
struct ScannerConfig {
  std::string name;
  std::string kind;
  std::optional<std::chrono::seconds> cadence;
  std::chrono::seconds grace{0};
};

// Labels scanned assets: an asset matches when one of the networks holds its IP or one of
// the name patterns matches its name, FQDN or host name. The first matching rule gives each
// label it sets; the expected inventory's own labels come before every rule.
struct AssetRule {
  std::vector<Cidr> networks;
  std::vector<std::string> name_patterns;
  std::string zone;
  std::string site;
  std::string owner;
  int line = 0;  // where the rule is in the file, for messages
};

// A scan-cadence requirement: every active asset of the zone scanned at least every `every`
// (by one of `scanners`, or by a scanner of one of `kinds`; both empty: by any scanner).
struct ZoneScanRule {
  std::string zone;
  std::chrono::seconds every{0};
  std::vector<std::string> scanners;
  std::vector<std::string> kinds;
  std::string requirement;  // the clause it serves, e.g. "NCSSR 1.7 4.c"
};

// Windows of `vigil check`; its command-line options override them.
struct CheckConfig {
  std::chrono::seconds stale_after = std::chrono::hours(24 * 30);
  std::chrono::seconds coverage_window = std::chrono::hours(24 * 90);
};

// How reports are imported.
struct ImportConfig {
  // Greenbone results whose quality of detection is below this are kept but flagged
  // ("low-qod"), as Greenbone's own default filter hides them.
  int min_qod = 70;
};

// How vulnerabilities are classified: the scale and the order of rating sources, best first.
// Sources: nvd-v4, nvd-v3.1, nvd-v3.0, nvd-v2, scanner-cvss-v4, scanner-cvss-v3,
// scanner-cvss-v2, scanner-severity.
struct ClassificationConfig {
  ClassScale scale = ClassScale::Default();
  std::vector<std::string> order = {"nvd-v4",          "nvd-v3.1",        "nvd-v3.0",
                                    "scanner-cvss-v3", "scanner-cvss-v4", "scanner-cvss-v2",
                                    "scanner-severity"};
};

// True for a rating source name the classification order accepts.
bool IsRatingSource(const std::string& name);

// The audit log's signing key file and origin (docs/audit.md).
struct AuditConfig {
  std::string key_file;  // default: the database file's path + ".key"
  std::string origin;    // default: "vigil/" + the database file's name; fixed at vigil init
  // RFC 3161: every checkpoint is time-stamped by this TSA (http or https URL), and tokens
  // are checked against the PEM certificates in `tsa_certificate` (its CA, or itself).
  std::string tsa_url;
  std::string tsa_certificate;
};

// Notifications (docs/notifications.md). Secrets are never in the file, which is recorded
// in the audit log: each is read from the file a `*_file` key names.
struct SmtpConfig {
  std::string url;  // smtp://HOST[:PORT] or smtps://HOST[:PORT]
  std::string from;
  std::string username;
  std::string password_file;
  std::string starttls =
      "opportunistic";  // required (the default with a username) | opportunistic | off
  std::string ca_file;  // PEM CAs trusted instead of the system's
  std::chrono::seconds timeout{30};
};

// How a webhook's body is shaped: vigil's own JSON, a Slack incoming webhook's, or a
// Microsoft Teams incoming webhook's (MessageCard).
enum class WebhookFormat { kJson, kSlack, kTeams };

struct WebhookTarget {
  std::string url;  // http:// or https://
  WebhookFormat format = WebhookFormat::kJson;
};

// Which vulnerabilities, scanners and assets a rule is about (empty: all).
struct NotifyFilter {
  std::string min_class;              // at or above this class of the scale
  std::vector<std::string> classes;   // exactly these classes
  bool kev = false;                   // min_class or classes, or on the KEV list
  std::vector<std::string> zones;     // assets of these zones
  std::vector<std::string> scanners;  // reported by, or about, these scanners
};

// The daily report: `vigil check` at `at` local time in `time_zone`, every day.
struct DigestRule {
  std::string name;
  int minute_of_day = 7 * 60;
  std::string time_zone = "UTC";  // an IANA name, e.g. "Europe/Budapest"
  std::vector<std::string> to;
  std::optional<WebhookTarget> webhook;
  int line = 0;
};

// Immediate alerts: one when a condition starts (and one when it ends, with `on_end`).
struct AlertRule {
  std::string name;
  // new-vulnerability | scanner-stale | agent-silent | asset-reappeared | approval-waiting |
  // clock-due | clock-missed | coverage-gap
  std::vector<std::string> on;
  std::vector<std::string> to;
  std::optional<WebhookTarget> webhook;
  NotifyFilter filter;
  std::chrono::seconds approval_after = std::chrono::hours(24);  // approval-waiting
  std::chrono::seconds due_within = std::chrono::hours(24);      // clock-due
  bool on_end = false;
  int line = 0;
};

// One Jira issue per distinct vulnerability that meets `filter`.
struct JiraConfig {
  std::string url;  // the site, e.g. https://example-ca.atlassian.net
  int api_version = 3;
  std::string user;
  std::string token_file;
  std::string project;
  std::string issue_type = "Bug";
  std::vector<std::string> labels;
  std::string done_transition = "Done";     // when its fix is verified by a rescan
  std::string reopen_transition = "To Do";  // when it comes back
  std::string ca_file;
  NotifyFilter filter;
};

struct NotifyConfig {
  std::optional<SmtpConfig> smtp;
  std::string webhook_secret_file;  // [notify.webhook] secret_file: signs every webhook
  std::chrono::seconds webhook_timeout{10};
  std::string link_base;  // where vigil serve is reached, for links back (e.g. https://vigil.ca)
  std::vector<DigestRule> digests;
  std::vector<AlertRule> alerts;
  std::optional<JiraConfig> jira;
  bool Empty() const { return digests.empty() && alerts.empty() && !jira; }
};

struct Config {
  std::string path;    // empty when no file was given
  std::string sha256;  // of the file's bytes
  std::vector<ScannerConfig> scanners;
  std::vector<AssetRule> asset_rules;
  std::vector<ZoneScanRule> zone_rules;
  CheckConfig check;
  ImportConfig import;
  ClassificationConfig classification;
  Policy policy;
  AuditConfig audit;
  NotifyConfig notify;
};

}  // namespace vigil
