#include "store/postgres/pg_schema.h"

namespace vigil::postgres {
namespace {

// The SQLite backend's schema version 9, column for column, so that every value reads back
// with the kind SQLite gives it (audit verification hashes rows): INTEGER columns are BIGINT
// (times are UTC seconds since the epoch), REAL ones DOUBLE PRECISION, TEXT ones TEXT with the
// "C" collation (SQLite compares and orders text by its bytes). Ids are assigned as SQLite
// assigns rowids, the largest so far plus one (pg_store.h), so no column has a sequence.
// SQLite's automatic indexes (UNIQUE, PRIMARY KEY) are PostgreSQL's too; its named indexes are
// created with the same names.
//
// findings, evidence and finding_sources declare no foreign keys (nor do SQLite's from
// version 10): PostgreSQL checks a declared reference with a query per row, which took half of
// a large import's time. The references a transaction writes into them are checked when it
// commits instead (store/reference_ledger.h), and no row these tables refer to is ever deleted.
//
// findings and finding_sources leave half of each page free (fillfactor 50): every rescan
// updates each present finding's last_seen in both, and a new version that fits on its page
// leaves the indexes alone (a heap-only tuple); on a full page every index gets a new entry.
constexpr std::string_view kV9 = R"sql(
CREATE TABLE scanners (
  id BIGINT PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  kind TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  cadence_seconds BIGINT CHECK (cadence_seconds > 0),
  grace_seconds BIGINT NOT NULL DEFAULT 0 CHECK (grace_seconds >= 0)
);
CREATE TABLE scans (
  id BIGINT PRIMARY KEY,
  scanner_id BIGINT NOT NULL REFERENCES scanners(id),
  digest TEXT COLLATE "C" NOT NULL UNIQUE,
  quick_digest TEXT COLLATE "C" NOT NULL,
  size BIGINT NOT NULL,
  file_name TEXT COLLATE "C" NOT NULL,
  format TEXT COLLATE "C" NOT NULL,
  report_name TEXT COLLATE "C",
  policy_name TEXT COLLATE "C",
  started_at BIGINT,
  ended_at BIGINT,
  imported_at BIGINT NOT NULL,
  imported_by TEXT COLLATE "C" NOT NULL,
  has_check_set BIGINT NOT NULL,
  check_set TEXT COLLATE "C",
  hosts BIGINT NOT NULL DEFAULT 0,
  findings BIGINT NOT NULL DEFAULT 0,
  vulnerabilities BIGINT NOT NULL DEFAULT 0,
  new_findings BIGINT NOT NULL DEFAULT 0,
  fixed BIGINT NOT NULL DEFAULT 0,
  reopened BIGINT NOT NULL DEFAULT 0,
  unchanged BIGINT NOT NULL DEFAULT 0,
  absent_unverified BIGINT NOT NULL DEFAULT 0,
  stale_hosts BIGINT NOT NULL DEFAULT 0,
  warnings BIGINT NOT NULL DEFAULT 0,
  reappeared BIGINT NOT NULL DEFAULT 0,
  tool TEXT COLLATE "C"
);
CREATE INDEX scans_scanner ON scans(scanner_id, ended_at);
CREATE INDEX scans_quick_digest ON scans(quick_digest);
CREATE TABLE assets (
  id BIGINT PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL,
  agent_id TEXT COLLATE "C",
  fqdn TEXT COLLATE "C",
  ip TEXT COLLATE "C",
  hostname TEXT COLLATE "C",
  netbios_name TEXT COLLATE "C",
  mac TEXT COLLATE "C",
  os TEXT COLLATE "C",
  state TEXT COLLATE "C" NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'decommissioned')),
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  decommissioned_at BIGINT,
  decommissioned_by TEXT COLLATE "C",
  decommission_reason TEXT COLLATE "C",
  reappeared_at BIGINT
);
CREATE INDEX assets_agent ON assets(agent_id);
CREATE INDEX assets_fqdn ON assets(fqdn);
CREATE INDEX assets_ip ON assets(ip);
CREATE INDEX assets_name ON assets(name);
CREATE TABLE host_scans (
  scan_id BIGINT NOT NULL REFERENCES scans(id),
  asset_id BIGINT NOT NULL REFERENCES assets(id),
  scanner_id BIGINT NOT NULL REFERENCES scanners(id),
  observed_at BIGINT NOT NULL,
  credentialed BIGINT,
  PRIMARY KEY (scan_id, asset_id)
);
CREATE INDEX host_scans_asset ON host_scans(asset_id, scanner_id, observed_at);
CREATE TABLE vulnerabilities (
  id BIGINT PRIMARY KEY,
  key TEXT COLLATE "C" NOT NULL UNIQUE,
  source TEXT COLLATE "C" NOT NULL,
  source_id TEXT COLLATE "C" NOT NULL,
  title TEXT COLLATE "C" NOT NULL,
  family TEXT COLLATE "C",
  synopsis TEXT COLLATE "C",
  description TEXT COLLATE "C",
  solution TEXT COLLATE "C",
  risk_factor TEXT COLLATE "C",
  scanner_severity BIGINT,
  cvss2_vector TEXT COLLATE "C",
  cvss2_score DOUBLE PRECISION,
  cvss3_vector TEXT COLLATE "C",
  cvss3_score DOUBLE PRECISION,
  cvss4_vector TEXT COLLATE "C",
  cvss4_score DOUBLE PRECISION,
  vpr_score DOUBLE PRECISION,
  epss_score DOUBLE PRECISION,
  exploit_available BIGINT,
  check_type TEXT COLLATE "C",
  published BIGINT,
  modified BIGINT,
  patch_published BIGINT,
  vuln_published BIGINT,
  class TEXT COLLATE "C" NOT NULL,
  class_source TEXT COLLATE "C" NOT NULL,
  content_hash BIGINT NOT NULL,
  defined_at BIGINT NOT NULL,
  auto_class TEXT COLLATE "C",
  auto_class_source TEXT COLLATE "C",
  rating_score DOUBLE PRECISION
);
CREATE INDEX vulnerabilities_class ON vulnerabilities(class);
CREATE TABLE vulnerability_refs (
  vuln_id BIGINT NOT NULL REFERENCES vulnerabilities(id) ON DELETE CASCADE,
  kind TEXT COLLATE "C" NOT NULL,
  value TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (vuln_id, kind, value)
);
CREATE INDEX vulnerability_refs_value ON vulnerability_refs(value, kind);
CREATE TABLE findings (
  id BIGINT PRIMARY KEY,
  vuln_id BIGINT NOT NULL,
  asset_id BIGINT NOT NULL,
  port BIGINT NOT NULL,
  protocol TEXT COLLATE "C" NOT NULL,
  location TEXT COLLATE "C" NOT NULL DEFAULT '',
  service TEXT COLLATE "C",
  state TEXT COLLATE "C" NOT NULL CHECK (state IN ('open', 'fixed', 'reopened', 'inactive')),
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  fixed_at BIGINT,
  fixed_scan_id BIGINT,
  times_reopened BIGINT NOT NULL DEFAULT 0,
  absent_unverified BIGINT NOT NULL DEFAULT 0,
  package_name TEXT COLLATE "C",
  package_version TEXT COLLATE "C",
  package_purl TEXT COLLATE "C",
  package_path TEXT COLLATE "C",
  fixed_version TEXT COLLATE "C",
  qod BIGINT,
  UNIQUE (asset_id, vuln_id, port, protocol, location)
) WITH (fillfactor = 50);
CREATE INDEX findings_vuln ON findings(vuln_id, state);
CREATE TABLE evidence (
  id BIGINT PRIMARY KEY,
  finding_id BIGINT NOT NULL,
  scanner_id BIGINT NOT NULL,
  scan_id BIGINT NOT NULL,
  output TEXT COLLATE "C" NOT NULL
);
CREATE TABLE finding_sources (
  id BIGINT PRIMARY KEY,
  finding_id BIGINT NOT NULL,
  scanner_id BIGINT NOT NULL,
  presence TEXT COLLATE "C" NOT NULL
    CHECK (presence IN ('present', 'absent-unverified', 'absent-verified')),
  first_seen BIGINT NOT NULL,
  last_seen BIGINT NOT NULL,
  absent_since BIGINT,
  last_scan_id BIGINT NOT NULL,
  evidence_id BIGINT,
  output_hash BIGINT NOT NULL DEFAULT 0,
  UNIQUE (finding_id, scanner_id)
) WITH (fillfactor = 50);
CREATE TABLE inventory (
  id BIGINT PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  addresses TEXT COLLATE "C" NOT NULL,
  zone TEXT COLLATE "C",
  site TEXT COLLATE "C",
  owner TEXT COLLATE "C",
  scanners TEXT COLLATE "C" NOT NULL,
  loaded_at BIGINT NOT NULL
);
CREATE TABLE users (
  id BIGINT PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL UNIQUE,
  role TEXT COLLATE "C" NOT NULL CHECK (role IN ('admin', 'approver', 'analyst', 'auditor')),
  created_at BIGINT NOT NULL,
  created_by TEXT COLLATE "C" NOT NULL,
  token_hash TEXT COLLATE "C" NOT NULL,
  token_issued_by TEXT COLLATE "C",
  role_granted_by TEXT COLLATE "C",
  password_hash TEXT COLLATE "C",
  password_set_at BIGINT,
  enrolment_hash TEXT COLLATE "C",
  enrolment_expires_at BIGINT
);
CREATE TABLE decisions (
  id BIGINT PRIMARY KEY,
  vuln_id BIGINT NOT NULL REFERENCES vulnerabilities(id),
  type TEXT COLLATE "C" NOT NULL CHECK (type IN ('recast', 'false-positive', 'accept-risk',
                                                 'mitigation-plan', 'classify')),
  reason TEXT COLLATE "C" NOT NULL CHECK (reason IN ('disagree-with-nvd', 'false-positive',
                                                     'compensating-controls',
                                                     'absence-of-threat', 'other',
                                                     'patch-harm')),
  basis TEXT COLLATE "C" NOT NULL,
  new_class TEXT COLLATE "C",
  new_score DOUBLE PRECISION,
  assets TEXT COLLATE "C" NOT NULL,
  port BIGINT,
  expires_at BIGINT,
  target_at BIGINT,
  author TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  state TEXT COLLATE "C" NOT NULL CHECK (state IN ('pending', 'approved', 'rejected', 'lapsed',
                                                   'superseded')),
  decided_by TEXT COLLATE "C",
  decided_at BIGINT,
  decided_basis TEXT COLLATE "C",
  effective_at BIGINT,
  ended_at BIGINT,
  superseded_by BIGINT REFERENCES decisions(id)
);
CREATE INDEX decisions_vuln ON decisions(vuln_id, state);
CREATE TABLE decision_events (
  id BIGINT PRIMARY KEY,
  decision_id BIGINT NOT NULL REFERENCES decisions(id),
  at BIGINT NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  action TEXT COLLATE "C" NOT NULL,
  note TEXT COLLATE "C" NOT NULL
);
CREATE INDEX decision_events_decision ON decision_events(decision_id);
CREATE TABLE class_changes (
  id BIGINT PRIMARY KEY,
  vuln_id BIGINT NOT NULL REFERENCES vulnerabilities(id),
  at BIGINT NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  from_class TEXT COLLATE "C",
  to_class TEXT COLLATE "C" NOT NULL,
  source TEXT COLLATE "C" NOT NULL,
  decision_id BIGINT REFERENCES decisions(id),
  note TEXT COLLATE "C" NOT NULL
);
CREATE INDEX class_changes_vuln ON class_changes(vuln_id, at);
CREATE TABLE reviews (
  id BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  recorded_by TEXT COLLATE "C" NOT NULL,
  participants TEXT COLLATE "C" NOT NULL,
  notes TEXT COLLATE "C" NOT NULL,
  covered_since BIGINT
);
CREATE TABLE review_items (
  review_id BIGINT NOT NULL REFERENCES reviews(id),
  vuln_id BIGINT NOT NULL REFERENCES vulnerabilities(id),
  PRIMARY KEY (review_id, vuln_id)
);
CREATE TABLE kev (
  cve TEXT COLLATE "C" PRIMARY KEY,
  name TEXT COLLATE "C" NOT NULL,
  date_added BIGINT NOT NULL,
  due_date BIGINT NOT NULL,
  ransomware TEXT COLLATE "C" NOT NULL,
  loaded_at BIGINT NOT NULL
);
CREATE TABLE events (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT COLLATE "C" NOT NULL,
  type TEXT COLLATE "C" NOT NULL,
  subject TEXT COLLATE "C" NOT NULL,
  payload TEXT COLLATE "C" NOT NULL,
  leaf_hash TEXT COLLATE "C" NOT NULL,
  root_hash TEXT COLLATE "C" NOT NULL
);
CREATE TABLE checkpoints (
  id BIGINT PRIMARY KEY,
  size BIGINT NOT NULL,
  root_hash TEXT COLLATE "C" NOT NULL,
  at BIGINT NOT NULL,
  note TEXT COLLATE "C" NOT NULL,
  tsa_response TEXT COLLATE "C",
  tsa_time BIGINT
);
CREATE TABLE settings (
  key TEXT COLLATE "C" PRIMARY KEY,
  value TEXT COLLATE "C" NOT NULL
);
CREATE TABLE nvd_cves (
  cve TEXT COLLATE "C" PRIMARY KEY,
  source_identifier TEXT COLLATE "C" NOT NULL,
  published BIGINT,
  last_modified BIGINT NOT NULL,
  status TEXT COLLATE "C" NOT NULL,
  description TEXT COLLATE "C" NOT NULL,
  cwes TEXT COLLATE "C" NOT NULL,
  loaded_at BIGINT NOT NULL
);
CREATE TABLE nvd_metrics (
  cve TEXT COLLATE "C" NOT NULL REFERENCES nvd_cves(cve) ON DELETE CASCADE,
  version TEXT COLLATE "C" NOT NULL,
  source TEXT COLLATE "C" NOT NULL,
  type TEXT COLLATE "C" NOT NULL,
  vector TEXT COLLATE "C" NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  severity TEXT COLLATE "C" NOT NULL,
  PRIMARY KEY (cve, version, source, type, vector)
);
CREATE TABLE epss (
  cve TEXT COLLATE "C" PRIMARY KEY,
  score DOUBLE PRECISION NOT NULL,
  percentile DOUBLE PRECISION NOT NULL,
  model_version TEXT COLLATE "C" NOT NULL,
  score_date BIGINT NOT NULL
);
CREATE TABLE api_tokens (
  id BIGINT PRIMARY KEY,
  "user" TEXT COLLATE "C" NOT NULL REFERENCES users(name),
  label TEXT COLLATE "C" NOT NULL,
  scopes TEXT COLLATE "C" NOT NULL,
  token_hash TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  created_by TEXT COLLATE "C" NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT,
  revoked_by TEXT COLLATE "C"
);
CREATE TABLE notifications (
  id BIGINT PRIMARY KEY,
  rule TEXT COLLATE "C" NOT NULL,
  channel TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL UNIQUE,
  subject TEXT COLLATE "C" NOT NULL,
  title TEXT COLLATE "C" NOT NULL,
  content TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  state TEXT COLLATE "C" NOT NULL,
  attempts BIGINT NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  last_error TEXT COLLATE "C" NOT NULL,
  sent_at BIGINT,
  result TEXT COLLATE "C" NOT NULL
);
CREATE INDEX notifications_due ON notifications(state, next_attempt_at);
CREATE INDEX notifications_rule ON notifications(rule, kind, id);
CREATE TABLE notification_attempts (
  id BIGINT PRIMARY KEY,
  notification_id BIGINT NOT NULL REFERENCES notifications(id),
  at BIGINT NOT NULL,
  outcome TEXT COLLATE "C" NOT NULL,
  detail TEXT COLLATE "C" NOT NULL
);
CREATE INDEX notification_attempts_of ON notification_attempts(notification_id);
CREATE TABLE alert_conditions (
  rule TEXT COLLATE "C" NOT NULL,
  condition TEXT COLLATE "C" NOT NULL,
  detail TEXT COLLATE "C" NOT NULL,
  started_at BIGINT NOT NULL,
  ended_at BIGINT,
  PRIMARY KEY (rule, condition)
);
CREATE TABLE jira_links (
  vuln_key TEXT COLLATE "C" PRIMARY KEY,
  issue_key TEXT COLLATE "C" NOT NULL,
  synced_class TEXT COLLATE "C" NOT NULL,
  synced_state TEXT COLLATE "C" NOT NULL,
  updated_at BIGINT NOT NULL
);
)sql";

}  // namespace

const std::vector<PgMigration>& PgMigrations() {
  // Version 10 changed only SQLite's schema: its per-finding tables stopped declaring the
  // references that these never declared.
  static const std::vector<PgMigration> kMigrations = {{.version = 9, .from = 0, .sql = kV9},
                                                       {.version = 10, .from = 9, .sql = ""}};
  return kMigrations;
}

int PgLatestSchemaVersion() {
  return PgMigrations().back().version;
}

}  // namespace vigil::postgres
