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
};

}  // namespace vigil
