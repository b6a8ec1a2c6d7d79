#include "store/sqlite/sqlite_schema.h"

namespace vigil::sqlite {
namespace {

// Times are UTC seconds since the epoch. States are stored by name so the database reads
// plainly in any SQL shell.
constexpr std::string_view kV1 = R"sql(
CREATE TABLE scanners (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE scans (
  id INTEGER PRIMARY KEY,
  scanner_id INTEGER NOT NULL REFERENCES scanners(id),
  digest TEXT NOT NULL UNIQUE,
  quick_digest TEXT NOT NULL,
  size INTEGER NOT NULL,
  file_name TEXT NOT NULL,
  format TEXT NOT NULL,
  report_name TEXT,
  policy_name TEXT,
  started_at INTEGER,
  ended_at INTEGER,
  imported_at INTEGER NOT NULL,
  imported_by TEXT NOT NULL,
  has_check_set INTEGER NOT NULL,
  check_set TEXT,
  hosts INTEGER NOT NULL DEFAULT 0,
  findings INTEGER NOT NULL DEFAULT 0,
  vulnerabilities INTEGER NOT NULL DEFAULT 0,
  new_findings INTEGER NOT NULL DEFAULT 0,
  fixed INTEGER NOT NULL DEFAULT 0,
  reopened INTEGER NOT NULL DEFAULT 0,
  unchanged INTEGER NOT NULL DEFAULT 0,
  absent_unverified INTEGER NOT NULL DEFAULT 0,
  stale_hosts INTEGER NOT NULL DEFAULT 0,
  warnings INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX scans_scanner ON scans(scanner_id, ended_at);
CREATE INDEX scans_quick_digest ON scans(quick_digest);
CREATE TABLE assets (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  agent_id TEXT,
  fqdn TEXT,
  ip TEXT,
  hostname TEXT,
  netbios_name TEXT,
  mac TEXT,
  os TEXT,
  state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'decommissioned')),
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL
);
CREATE INDEX assets_agent ON assets(agent_id);
CREATE INDEX assets_fqdn ON assets(fqdn);
CREATE INDEX assets_ip ON assets(ip);
CREATE INDEX assets_name ON assets(name);
CREATE TABLE host_scans (
  scan_id INTEGER NOT NULL REFERENCES scans(id),
  asset_id INTEGER NOT NULL REFERENCES assets(id),
  scanner_id INTEGER NOT NULL REFERENCES scanners(id),
  observed_at INTEGER NOT NULL,
  credentialed INTEGER,
  PRIMARY KEY (scan_id, asset_id)
);
CREATE INDEX host_scans_asset ON host_scans(asset_id, scanner_id, observed_at);
CREATE TABLE vulnerabilities (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  source_id TEXT NOT NULL,
  title TEXT NOT NULL,
  family TEXT,
  synopsis TEXT,
  description TEXT,
  solution TEXT,
  risk_factor TEXT,
  scanner_severity INTEGER,
  cvss2_vector TEXT,
  cvss2_score REAL,
  cvss3_vector TEXT,
  cvss3_score REAL,
  cvss4_vector TEXT,
  cvss4_score REAL,
  vpr_score REAL,
  epss_score REAL,
  exploit_available INTEGER,
  check_type TEXT,
  published INTEGER,
  modified INTEGER,
  patch_published INTEGER,
  vuln_published INTEGER,
  class TEXT NOT NULL,
  class_source TEXT NOT NULL,
  content_hash INTEGER NOT NULL,
  defined_at INTEGER NOT NULL
);
CREATE INDEX vulnerabilities_class ON vulnerabilities(class);
CREATE TABLE vulnerability_refs (
  vuln_id INTEGER NOT NULL REFERENCES vulnerabilities(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (vuln_id, kind, value)
) WITHOUT ROWID;
CREATE INDEX vulnerability_refs_value ON vulnerability_refs(value, kind);
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  vuln_id INTEGER NOT NULL REFERENCES vulnerabilities(id),
  asset_id INTEGER NOT NULL REFERENCES assets(id),
  port INTEGER NOT NULL,
  protocol TEXT NOT NULL,
  service TEXT,
  state TEXT NOT NULL CHECK (state IN ('open', 'fixed', 'reopened', 'inactive')),
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  fixed_at INTEGER,
  fixed_scan_id INTEGER REFERENCES scans(id),
  times_reopened INTEGER NOT NULL DEFAULT 0,
  absent_unverified INTEGER NOT NULL DEFAULT 0,
  UNIQUE (asset_id, vuln_id, port, protocol)
);
CREATE INDEX findings_vuln ON findings(vuln_id, state);
CREATE TABLE finding_sources (
  id INTEGER PRIMARY KEY,
  finding_id INTEGER NOT NULL REFERENCES findings(id),
  scanner_id INTEGER NOT NULL REFERENCES scanners(id),
  presence TEXT NOT NULL CHECK (presence IN ('present', 'absent-unverified', 'absent-verified')),
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  absent_since INTEGER,
  last_scan_id INTEGER NOT NULL REFERENCES scans(id),
  evidence_id INTEGER REFERENCES evidence(id),
  output_hash INTEGER NOT NULL DEFAULT 0,
  UNIQUE (finding_id, scanner_id)
);
-- The plugin output of a finding as a scanner reported it, one row each time it changed: the
-- evidence. Kept apart from finding_sources so that the rows a rescan touches stay small.
CREATE TABLE evidence (
  id INTEGER PRIMARY KEY,
  finding_id INTEGER NOT NULL REFERENCES findings(id),
  scanner_id INTEGER NOT NULL REFERENCES scanners(id),
  scan_id INTEGER NOT NULL REFERENCES scans(id),
  output TEXT NOT NULL
);
)sql";

// Version 2: each scanner's expected cadence and the grace before it counts as stale.
constexpr std::string_view kV2 = R"sql(
ALTER TABLE scanners ADD COLUMN cadence_seconds INTEGER CHECK (cadence_seconds > 0);
ALTER TABLE scanners ADD COLUMN grace_seconds INTEGER NOT NULL DEFAULT 0
  CHECK (grace_seconds >= 0);
)sql";

// Version 3: decommissioning (who, when, why) and reappearance of assets.
constexpr std::string_view kV3 = R"sql(
ALTER TABLE assets ADD COLUMN decommissioned_at INTEGER;
ALTER TABLE assets ADD COLUMN decommissioned_by TEXT;
ALTER TABLE assets ADD COLUMN decommission_reason TEXT;
ALTER TABLE assets ADD COLUMN reappeared_at INTEGER;
ALTER TABLE scans ADD COLUMN reappeared INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 4: the expected inventory (vigil assets import), replaced whole on each load.
constexpr std::string_view kV4 = R"sql(
CREATE TABLE inventory (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  addresses TEXT NOT NULL,
  zone TEXT,
  site TEXT,
  owner TEXT,
  scanners TEXT NOT NULL,
  loaded_at INTEGER NOT NULL
);
)sql";

// Version 5: users and roles, decisions with their history, class history, reviews, the KEV
// catalog, and the derived class kept beside the effective one.
constexpr std::string_view kV5 = R"sql(
ALTER TABLE vulnerabilities ADD COLUMN auto_class TEXT;
ALTER TABLE vulnerabilities ADD COLUMN auto_class_source TEXT;
ALTER TABLE vulnerabilities ADD COLUMN rating_score REAL;
UPDATE vulnerabilities SET auto_class = class, auto_class_source = class_source;
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'approver', 'analyst', 'auditor')),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  token_hash TEXT NOT NULL
);
CREATE TABLE decisions (
  id INTEGER PRIMARY KEY,
  vuln_id INTEGER NOT NULL REFERENCES vulnerabilities(id),
  type TEXT NOT NULL CHECK (type IN ('recast', 'false-positive', 'accept-risk',
                                     'mitigation-plan', 'classify')),
  reason TEXT NOT NULL CHECK (reason IN ('disagree-with-nvd', 'false-positive',
                                         'compensating-controls', 'absence-of-threat', 'other')),
  basis TEXT NOT NULL,
  new_class TEXT,
  new_score REAL,
  assets TEXT NOT NULL,
  port INTEGER,
  expires_at INTEGER,
  target_at INTEGER,
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'lapsed',
                                       'superseded')),
  decided_by TEXT,
  decided_at INTEGER,
  decided_basis TEXT,
  effective_at INTEGER,
  ended_at INTEGER,
  superseded_by INTEGER REFERENCES decisions(id)
);
CREATE INDEX decisions_vuln ON decisions(vuln_id, state);
CREATE TABLE decision_events (
  id INTEGER PRIMARY KEY,
  decision_id INTEGER NOT NULL REFERENCES decisions(id),
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX decision_events_decision ON decision_events(decision_id);
CREATE TABLE class_changes (
  id INTEGER PRIMARY KEY,
  vuln_id INTEGER NOT NULL REFERENCES vulnerabilities(id),
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  from_class TEXT,
  to_class TEXT NOT NULL,
  source TEXT NOT NULL,
  decision_id INTEGER REFERENCES decisions(id),
  note TEXT NOT NULL
);
CREATE INDEX class_changes_vuln ON class_changes(vuln_id, at);
CREATE TABLE reviews (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  recorded_by TEXT NOT NULL,
  participants TEXT NOT NULL,
  notes TEXT NOT NULL,
  covered_since INTEGER
);
CREATE TABLE review_items (
  review_id INTEGER NOT NULL REFERENCES reviews(id),
  vuln_id INTEGER NOT NULL REFERENCES vulnerabilities(id),
  PRIMARY KEY (review_id, vuln_id)
) WITHOUT ROWID;
CREATE TABLE kev (
  cve TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  date_added INTEGER NOT NULL,
  due_date INTEGER NOT NULL,
  ransomware TEXT NOT NULL,
  loaded_at INTEGER NOT NULL
) WITHOUT ROWID;
-- The audit log (docs/audit.md): one row per event, with its leaf hash and the tree root after
-- it; and the signed checkpoints.
CREATE TABLE events (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  type TEXT NOT NULL,
  subject TEXT NOT NULL,
  payload TEXT NOT NULL,
  leaf_hash TEXT NOT NULL,
  root_hash TEXT NOT NULL
);
CREATE TABLE checkpoints (
  id INTEGER PRIMARY KEY,
  size INTEGER NOT NULL,
  root_hash TEXT NOT NULL,
  at INTEGER NOT NULL,
  note TEXT NOT NULL
);
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
)sql";

// Version 6: package, code and SBOM findings. A finding's identity gains its location (a
// package or a source file), so the findings table is rebuilt with the wider unique key
// (foreign keys are checked at commit, when the new table carries the old ids); the package
// and Greenbone's quality of detection are kept per finding; NVD records with every CVSS
// metric, and EPSS scores, enrich vulnerabilities by CVE.
constexpr std::string_view kV6 = R"sql(
PRAGMA defer_foreign_keys = ON;
ALTER TABLE scans ADD COLUMN tool TEXT;
ALTER TABLE checkpoints ADD COLUMN tsa_response TEXT;
ALTER TABLE checkpoints ADD COLUMN tsa_time INTEGER;
CREATE TABLE findings_v6 (
  id INTEGER PRIMARY KEY,
  vuln_id INTEGER NOT NULL REFERENCES vulnerabilities(id),
  asset_id INTEGER NOT NULL REFERENCES assets(id),
  port INTEGER NOT NULL,
  protocol TEXT NOT NULL,
  location TEXT NOT NULL DEFAULT '',
  service TEXT,
  state TEXT NOT NULL CHECK (state IN ('open', 'fixed', 'reopened', 'inactive')),
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  fixed_at INTEGER,
  fixed_scan_id INTEGER REFERENCES scans(id),
  times_reopened INTEGER NOT NULL DEFAULT 0,
  absent_unverified INTEGER NOT NULL DEFAULT 0,
  package_name TEXT,
  package_version TEXT,
  package_purl TEXT,
  package_path TEXT,
  fixed_version TEXT,
  qod INTEGER,
  UNIQUE (asset_id, vuln_id, port, protocol, location)
);
INSERT INTO findings_v6 (id, vuln_id, asset_id, port, protocol, service, state, first_seen,
                         last_seen, fixed_at, fixed_scan_id, times_reopened, absent_unverified)
  SELECT id, vuln_id, asset_id, port, protocol, service, state, first_seen, last_seen, fixed_at,
         fixed_scan_id, times_reopened, absent_unverified FROM findings;
DROP TABLE findings;
ALTER TABLE findings_v6 RENAME TO findings;
CREATE INDEX findings_vuln ON findings(vuln_id, state);
CREATE TABLE nvd_cves (
  cve TEXT PRIMARY KEY,
  source_identifier TEXT NOT NULL,
  published INTEGER,
  last_modified INTEGER NOT NULL,
  status TEXT NOT NULL,
  description TEXT NOT NULL,
  cwes TEXT NOT NULL,
  loaded_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE nvd_metrics (
  cve TEXT NOT NULL REFERENCES nvd_cves(cve) ON DELETE CASCADE,
  version TEXT NOT NULL,
  source TEXT NOT NULL,
  type TEXT NOT NULL,
  vector TEXT NOT NULL,
  score REAL NOT NULL,
  severity TEXT NOT NULL,
  PRIMARY KEY (cve, version, source, type, vector)
) WITHOUT ROWID;
CREATE TABLE epss (
  cve TEXT PRIMARY KEY,
  score REAL NOT NULL,
  percentile REAL NOT NULL,
  model_version TEXT NOT NULL,
  score_date INTEGER NOT NULL
) WITHOUT ROWID;
)sql";

// Version 7: four eyes between people, and the reason category patch-harm.
// - Who issued each user's token (an approval needs one the approver issued themselves) and
//   who gave the user their role. Tokens and roles of older databases count as issued by
//   whoever created the user: such an approver renews their own token before approving.
// - patch-harm (NCSSR v1.7 1.l: the patch would do more harm than good). SQLite cannot widen a
//   CHECK in place, so the decisions table is rebuilt with the same columns and ids
//   (references from decision events, class changes and successors stay valid, checked at
//   commit).
constexpr std::string_view kV7 = R"sql(
ALTER TABLE users ADD COLUMN token_issued_by TEXT;
ALTER TABLE users ADD COLUMN role_granted_by TEXT;
UPDATE users SET token_issued_by = created_by, role_granted_by = created_by;
PRAGMA defer_foreign_keys = ON;
CREATE TABLE decisions_v7 (
  id INTEGER PRIMARY KEY,
  vuln_id INTEGER NOT NULL REFERENCES vulnerabilities(id),
  type TEXT NOT NULL CHECK (type IN ('recast', 'false-positive', 'accept-risk',
                                     'mitigation-plan', 'classify')),
  reason TEXT NOT NULL CHECK (reason IN ('disagree-with-nvd', 'false-positive',
                                         'compensating-controls', 'absence-of-threat', 'other',
                                         'patch-harm')),
  basis TEXT NOT NULL,
  new_class TEXT,
  new_score REAL,
  assets TEXT NOT NULL,
  port INTEGER,
  expires_at INTEGER,
  target_at INTEGER,
  author TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'lapsed',
                                       'superseded')),
  decided_by TEXT,
  decided_at INTEGER,
  decided_basis TEXT,
  effective_at INTEGER,
  ended_at INTEGER,
  superseded_by INTEGER REFERENCES decisions(id)
);
INSERT INTO decisions_v7 (id, vuln_id, type, reason, basis, new_class, new_score, assets, port,
                          expires_at, target_at, author, created_at, state, decided_by,
                          decided_at, decided_basis, effective_at, ended_at, superseded_by)
  SELECT id, vuln_id, type, reason, basis, new_class, new_score, assets, port, expires_at,
         target_at, author, created_at, state, decided_by, decided_at, decided_basis,
         effective_at, ended_at, superseded_by FROM decisions;
DROP TABLE decisions;
ALTER TABLE decisions_v7 RENAME TO decisions;
CREATE INDEX decisions_vuln ON decisions(vuln_id, state);
)sql";

// Version 8: passwords people set themselves through a one-time enrolment code, and pipeline
// tokens with scopes and an expiry.
constexpr std::string_view kV8 = R"sql(
ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE users ADD COLUMN password_set_at INTEGER;
ALTER TABLE users ADD COLUMN enrolment_hash TEXT;
ALTER TABLE users ADD COLUMN enrolment_expires_at INTEGER;
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  user TEXT NOT NULL REFERENCES users(name),
  label TEXT NOT NULL,
  scopes TEXT NOT NULL,
  token_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER,
  revoked_by TEXT
);
)sql";

// Version 9: notifications (docs/notifications.md): the outbox with each delivery attempt,
// the conditions alert rules watch, and each vulnerability's Jira issue.
constexpr std::string_view kV9 = R"sql(
CREATE TABLE notifications (
  id INTEGER PRIMARY KEY,
  rule TEXT NOT NULL,
  channel TEXT NOT NULL,
  kind TEXT NOT NULL,
  key TEXT NOT NULL UNIQUE,
  subject TEXT NOT NULL,
  title TEXT NOT NULL,
  content TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  sent_at INTEGER,
  result TEXT NOT NULL
);
CREATE INDEX notifications_due ON notifications(state, next_attempt_at);
CREATE INDEX notifications_rule ON notifications(rule, kind, id);
CREATE TABLE notification_attempts (
  id INTEGER PRIMARY KEY,
  notification_id INTEGER NOT NULL REFERENCES notifications(id),
  at INTEGER NOT NULL,
  outcome TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX notification_attempts_of ON notification_attempts(notification_id);
CREATE TABLE alert_conditions (
  rule TEXT NOT NULL,
  condition TEXT NOT NULL,
  detail TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  ended_at INTEGER,
  PRIMARY KEY (rule, condition)
);
CREATE TABLE jira_links (
  vuln_key TEXT PRIMARY KEY,
  issue_key TEXT NOT NULL,
  synced_class TEXT NOT NULL,
  synced_state TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";

// Version 10: findings, evidence and finding_sources stop declaring their references, as
// PostgreSQL's never did: they hold a row per finding, and SQLite looked each reference up for
// each row an import wrote (nine lookups per new finding). The store checks the references a
// transaction writes when it commits instead (store/reference_ledger.h). The tables are
// rebuilt with the same columns in the same order, the same constraints and indexes.
constexpr std::string_view kV10 = R"sql(
CREATE TABLE findings_v10 (
  id INTEGER PRIMARY KEY,
  vuln_id INTEGER NOT NULL,
  asset_id INTEGER NOT NULL,
  port INTEGER NOT NULL,
  protocol TEXT NOT NULL,
  location TEXT NOT NULL DEFAULT '',
  service TEXT,
  state TEXT NOT NULL CHECK (state IN ('open', 'fixed', 'reopened', 'inactive')),
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  fixed_at INTEGER,
  fixed_scan_id INTEGER,
  times_reopened INTEGER NOT NULL DEFAULT 0,
  absent_unverified INTEGER NOT NULL DEFAULT 0,
  package_name TEXT,
  package_version TEXT,
  package_purl TEXT,
  package_path TEXT,
  fixed_version TEXT,
  qod INTEGER,
  UNIQUE (asset_id, vuln_id, port, protocol, location)
);
CREATE TABLE evidence_v10 (
  id INTEGER PRIMARY KEY,
  finding_id INTEGER NOT NULL,
  scanner_id INTEGER NOT NULL,
  scan_id INTEGER NOT NULL,
  output TEXT NOT NULL
);
CREATE TABLE finding_sources_v10 (
  id INTEGER PRIMARY KEY,
  finding_id INTEGER NOT NULL,
  scanner_id INTEGER NOT NULL,
  presence TEXT NOT NULL CHECK (presence IN ('present', 'absent-unverified', 'absent-verified')),
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  absent_since INTEGER,
  last_scan_id INTEGER NOT NULL,
  evidence_id INTEGER,
  output_hash INTEGER NOT NULL DEFAULT 0,
  UNIQUE (finding_id, scanner_id)
);
INSERT INTO findings_v10 SELECT * FROM findings;
INSERT INTO evidence_v10 SELECT * FROM evidence;
INSERT INTO finding_sources_v10 SELECT * FROM finding_sources;
DROP TABLE finding_sources;
DROP TABLE evidence;
DROP TABLE findings;
ALTER TABLE findings_v10 RENAME TO findings;
ALTER TABLE evidence_v10 RENAME TO evidence;
ALTER TABLE finding_sources_v10 RENAME TO finding_sources;
CREATE INDEX findings_vuln ON findings(vuln_id, state);
)sql";

}  // namespace

const std::vector<std::string_view>& Migrations() {
  static const std::vector<std::string_view> kMigrations = {kV1, kV2, kV3, kV4, kV5,
                                                            kV6, kV7, kV8, kV9, kV10};
  return kMigrations;
}

}  // namespace vigil::sqlite
