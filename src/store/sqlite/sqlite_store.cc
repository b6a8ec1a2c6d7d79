#include "store/sqlite/sqlite_store.h"

#include "store/sqlite/sqlite_schema.h"

namespace vigil::sqlite {
namespace {

AssetRecord ReadAsset(const Statement& st) {
  AssetRecord a;
  a.id = st.Int(0);
  a.name = st.Text(1);
  a.agent_id = st.Text(2);
  a.fqdn = st.Text(3);
  a.ip = st.Text(4);
  a.hostname = st.Text(5);
  a.netbios_name = st.Text(6);
  a.mac = st.Text(7);
  a.os = st.Text(8);
  a.state = ParseAssetState(st.Text(9)).value_or(AssetState::kActive);
  a.first_seen = st.Time(10);
  a.last_seen = st.Time(11);
  a.decommissioned_at = st.OptTime(12);
  a.decommissioned_by = st.Text(13);
  a.decommission_reason = st.Text(14);
  a.reappeared_at = st.OptTime(15);
  return a;
}

HostScanRecord ReadHostScan(const Statement& st) {
  HostScanRecord h;
  h.scan_id = st.Int(0);
  h.asset_id = st.Int(1);
  h.scanner_id = st.Int(2);
  h.observed_at = st.Time(3);
  if (!st.IsNull(4)) {
    h.credentialed = st.Int(4) != 0;
  }
  return h;
}

constexpr const char* kAssetColumns =
    "id, name, agent_id, fqdn, ip, hostname, netbios_name, mac, os, state, first_seen, "
    "last_seen, decommissioned_at, decommissioned_by, decommission_reason, reappeared_at";

}  // namespace

int SqliteStore::LatestSchemaVersion() const {
  return static_cast<int>(Migrations().size());
}

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, OpenMode mode) {
  Database::Mode db_mode = mode == OpenMode::kCreate     ? Database::Mode::kCreate
                           : mode == OpenMode::kReadOnly ? Database::Mode::kReadOnly
                                                         : Database::Mode::kExisting;
  ASSIGN_OR_RETURN(auto db, Database::Open(path, db_mode));
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(db)));
}

Result<int> SqliteStore::SchemaVersion() {
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare("PRAGMA user_version"));
  ASSIGN_OR_RETURN(bool row, st->Step());
  int v = row ? static_cast<int>(st->Int(0)) : 0;
  st->Reset();
  return v;
}

Status SqliteStore::Initialize() {
  ASSIGN_OR_RETURN(int version, SchemaVersion());
  const auto& migrations = Migrations();
  if (version > static_cast<int>(migrations.size())) {
    return FailedPrecondition("the database has schema version " + std::to_string(version) +
                              ", newer than this vigil knows (" +
                              std::to_string(migrations.size()) + "); upgrade vigil");
  }
  if (version == static_cast<int>(migrations.size())) {
    return Status::Ok();
  }
  // SQLite's procedure for schema changes that rebuild a table: foreign keys off (outside the
  // transaction, where the pragma takes effect), the change, then PRAGMA foreign_key_check
  // before the commit. With enforcement on, dropping the old findings table would check every
  // evidence row for every finding (no index on evidence.finding_id): hours for a large
  // database instead of seconds.
  RETURN_IF_ERROR(db_->Exec("PRAGMA foreign_keys = OFF"));
  Status migrated = Status::Ok();
  for (size_t v = static_cast<size_t>(version); v < migrations.size() && migrated.ok(); ++v) {
    Status st = InTransaction(*this, [&]() -> Status {
      RETURN_IF_ERROR(db_->Exec(std::string(migrations[v])));
      RETURN_IF_ERROR(CheckForeignKeys());
      return db_->Exec("PRAGMA user_version = " + std::to_string(v + 1));
    });
    migrated = st.WithPrefix("migration to schema version " + std::to_string(v + 1));
  }
  RETURN_IF_ERROR(db_->Exec("PRAGMA foreign_keys = ON"));
  return migrated;
}

Status SqliteStore::CheckForeignKeys() {
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare("PRAGMA foreign_key_check"));
  ASSIGN_OR_RETURN(bool violation, st->Step());
  std::string where;
  if (violation) {
    where = st->Text(0) + " row " + std::to_string(st->Int(1)) + " refers to a missing " +
            st->Text(2) + " row";
  }
  st->Reset();
  if (violation) {
    return FailedPrecondition("a foreign key would break: " + where);
  }
  return Status::Ok();
}

Status SqliteStore::Begin() {
  ledger_.Clear();
  return db_->Exec("BEGIN IMMEDIATE");
}
Status SqliteStore::Commit() {
  Status checked = CheckReferences();
  ledger_.Clear();
  if (!checked.ok()) {
    (void)db_->Exec("ROLLBACK");  // a failed commit leaves nothing applied
    return checked;
  }
  return db_->Exec("COMMIT");
}
void SqliteStore::Rollback() {
  ledger_.Clear();
  // Rollback runs on error paths, whose error is the one to report. A ROLLBACK fails only when
  // no transaction is open (SQLite already rolled back after a full disk or an I/O error), and
  // then there is nothing left to undo.
  (void)db_->Exec("ROLLBACK");
}

Status SqliteStore::CheckReferences() {
  return vigil::CheckReferences(ledger_, *this);
}

Status SqliteStore::Checked(const std::function<Status()>& write) {
  if (db_->InTransaction()) {
    return write();
  }
  return InTransaction(*this, write);
}

Result<ScannerRecord> SqliteStore::EnsureScanner(const std::string& name, const std::string& kind,
                                                 Timestamp now) {
  ASSIGN_OR_RETURN(Statement * ins,
                   db_->Prepare("INSERT INTO scanners (name, kind, created_at) VALUES (?1, ?2, ?3) "
                                "ON CONFLICT (name) DO NOTHING"));
  RETURN_IF_ERROR(ins->Bind(1, name).Bind(2, kind).Bind(3, now).Run());
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT id, name, kind, created_at FROM scanners WHERE name = ?1"));
  st->Bind(1, name);
  ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) {
    return Internal("scanner '" + name + "' vanished");
  }
  ScannerRecord r{
      .id = st->Int(0), .name = st->Text(1), .kind = st->Text(2), .created_at = st->Time(3)};
  st->Reset();
  return r;
}

Status SqliteStore::SetScanner(const ScannerRecord& s) {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare("INSERT INTO scanners (name, kind, created_at, cadence_seconds, grace_seconds) "
                   "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (name) DO UPDATE SET "
                   "kind = excluded.kind, cadence_seconds = excluded.cadence_seconds, "
                   "grace_seconds = excluded.grace_seconds"));
  st->Bind(1, s.name).Bind(2, s.kind).Bind(3, s.created_at);
  if (s.cadence) {
    st->Bind(4, static_cast<int64_t>(s.cadence->count()));
  }
  st->Bind(5, static_cast<int64_t>(s.grace.count()));
  return st->Run();
}

Result<std::vector<AssetLastScan>> SqliteStore::LastScansByScanner(const std::string& name) {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare("SELECT a.name, a.state, max(h.observed_at) FROM host_scans h "
                   "JOIN scanners s ON s.id = h.scanner_id JOIN assets a ON a.id = h.asset_id "
                   "WHERE s.name = ?1 GROUP BY a.id ORDER BY a.name, a.id"));
  st->Bind(1, name);
  return st->Rows([](const Statement& row) {
    return AssetLastScan{.asset = row.Text(0),
                         .state = ParseAssetState(row.Text(1)).value_or(AssetState::kActive),
                         .last_scanned = row.Time(2)};
  });
}

Result<std::optional<ScanRecord>> SqliteStore::FindScanByDigest(const std::string& digest) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT s.id, s.scanner_id, s.file_name, s.imported_at, "
                                "s.imported_by, sc.name FROM scans s "
                                "JOIN scanners sc ON sc.id = s.scanner_id WHERE s.digest = ?1"));
  st->Bind(1, digest);
  ASSIGN_OR_RETURN(bool row, st->Step());
  if (!row) {
    return std::optional<ScanRecord>();
  }
  ScanRecord r;
  r.id = st->Int(0);
  r.scanner_id = st->Int(1);
  r.digest = digest;
  r.file_name = st->Text(2);
  r.imported_at = st->Time(3);
  r.imported_by = st->Text(4);
  r.scanner_name = st->Text(5);
  st->Reset();
  return std::optional<ScanRecord>(std::move(r));
}

Result<bool> SqliteStore::HasScanWithQuickDigest(const std::string& quick_digest) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT 1 FROM scans WHERE quick_digest = ?1 LIMIT 1"));
  st->Bind(1, quick_digest);
  ASSIGN_OR_RETURN(bool row, st->Step());
  st->Reset();
  return row;
}

Result<int64_t> SqliteStore::InsertScan(const ScanRecord& s) {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare(
          "INSERT INTO scans (scanner_id, digest, file_name, format, report_name, "
          "policy_name, imported_at, imported_by, has_check_set, check_set, "
          "quick_digest, size) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"));
  st->Bind(1, s.scanner_id).Bind(2, s.digest).Bind(3, s.file_name).Bind(4, s.format);
  st->BindText(5, s.report_name).BindText(6, s.policy_name).Bind(7, s.imported_at);
  st->Bind(8, s.imported_by).Bind(9, s.has_check_set ? 1 : 0).BindText(10, s.check_set);
  st->Bind(11, s.quick_digest).Bind(12, s.size);
  RETURN_IF_ERROR(st->Run());
  return db_->LastInsertId();
}

Status SqliteStore::UpdateScanResult(const ScanRecord& s) {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare("UPDATE scans SET started_at = ?2, ended_at = ?3, hosts = ?4, findings = ?5, "
                   "vulnerabilities = ?6, new_findings = ?7, fixed = ?8, reopened = ?9, "
                   "unchanged = ?10, absent_unverified = ?11, stale_hosts = ?12, warnings = ?13, "
                   "report_name = ?14, policy_name = ?15, has_check_set = ?16, check_set = ?17, "
                   "digest = ?18, reappeared = ?19, tool = ?20 WHERE id = ?1"));
  const ImportCounts& c = s.counts;
  st->Bind(1, s.id).Bind(2, s.started_at).Bind(3, s.ended_at).Bind(4, c.hosts);
  st->Bind(5, c.findings).Bind(6, c.vulnerabilities).Bind(7, c.new_findings).Bind(8, c.fixed);
  st->Bind(9, c.reopened).Bind(10, c.unchanged).Bind(11, c.absent_unverified);
  st->Bind(12, c.stale_hosts).Bind(13, c.warnings).BindText(14, s.report_name);
  st->BindText(15, s.policy_name).Bind(16, s.has_check_set ? 1 : 0).BindText(17, s.check_set);
  st->Bind(18, s.digest).Bind(19, c.reappeared).BindText(20, s.tool);
  return st->Run();
}

Result<std::string> SqliteStore::ScanCheckSet(int64_t scan_id) {
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare("SELECT check_set FROM scans WHERE id = ?1"));
  st->Bind(1, scan_id);
  ASSIGN_OR_RETURN(bool row, st->Step());
  std::string out = row ? st->Text(0) : std::string();
  st->Reset();
  return out;
}

Result<std::vector<AssetRecord>> SqliteStore::FindAssetCandidates(const std::string& agent_id,
                                                                  const std::string& fqdn,
                                                                  const std::string& ip,
                                                                  const std::string& name) {
  static const std::string kSql = std::string("SELECT ") + kAssetColumns +
                                  " FROM assets WHERE agent_id = ?1 OR fqdn = ?2 OR ip = ?3 "
                                  "OR (agent_id IS NULL AND fqdn IS NULL AND ip IS NULL "
                                  "AND name = ?4) ORDER BY id";
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare(kSql));
  st->BindText(1, agent_id).BindText(2, fqdn).BindText(3, ip).BindText(4, name);
  return st->Rows(ReadAsset);
}

Result<int64_t> SqliteStore::InsertAsset(const AssetRecord& a) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT INTO assets (name, agent_id, fqdn, ip, hostname, "
                                "netbios_name, mac, os, state, first_seen, last_seen) "
                                "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"));
  st->Bind(1, a.name).BindText(2, a.agent_id).BindText(3, a.fqdn).BindText(4, a.ip);
  st->BindText(5, a.hostname).BindText(6, a.netbios_name).BindText(7, a.mac).BindText(8, a.os);
  st->Bind(9, ToString(a.state)).Bind(10, a.first_seen).Bind(11, a.last_seen);
  RETURN_IF_ERROR(st->Run());
  return db_->LastInsertId();
}

Status SqliteStore::UpdateAsset(const AssetRecord& a) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("UPDATE assets SET name = ?2, agent_id = ?3, fqdn = ?4, ip = ?5, "
                                "hostname = ?6, netbios_name = ?7, mac = ?8, os = ?9, "
                                "state = ?10, first_seen = ?11, last_seen = ?12 WHERE id = ?1"));
  st->Bind(1, a.id).Bind(2, a.name).BindText(3, a.agent_id).BindText(4, a.fqdn);
  st->BindText(5, a.ip).BindText(6, a.hostname).BindText(7, a.netbios_name).BindText(8, a.mac);
  st->BindText(9, a.os).Bind(10, ToString(a.state)).Bind(11, a.first_seen);
  st->Bind(12, a.last_seen);
  return st->Run();
}

Result<std::vector<AssetRecord>> SqliteStore::FindAssets(const std::string& key) {
  static const std::string kSql = std::string("SELECT ") + kAssetColumns +
                                  " FROM assets WHERE name = ?1 OR fqdn = lower(?1) OR ip = ?1 "
                                  "ORDER BY id";
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare(kSql));
  st->Bind(1, key);
  return st->Rows(ReadAsset);
}

Status SqliteStore::DecommissionAsset(int64_t asset_id, Timestamp at, const std::string& by,
                                      const std::string& reason) {
  ASSIGN_OR_RETURN(Statement * asset,
                   db_->Prepare("UPDATE assets SET state = 'decommissioned', "
                                "decommissioned_at = ?2, decommissioned_by = ?3, "
                                "decommission_reason = ?4 WHERE id = ?1"));
  return asset->Bind(1, asset_id).Bind(2, at).Bind(3, by).Bind(4, reason).Run();
}

Status SqliteStore::ReactivateAsset(int64_t asset_id, Timestamp at) {
  ASSIGN_OR_RETURN(
      Statement * asset,
      db_->Prepare("UPDATE assets SET state = 'active', reappeared_at = ?2 WHERE id = ?1"));
  return asset->Bind(1, asset_id).Bind(2, at).Run();
}

Status SqliteStore::InsertHostScan(const HostScanRecord& h) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT INTO host_scans (scan_id, asset_id, scanner_id, "
                                "observed_at, credentialed) VALUES (?1, ?2, ?3, ?4, ?5) "
                                "ON CONFLICT (scan_id, asset_id) DO UPDATE SET "
                                "observed_at = max(observed_at, excluded.observed_at), "
                                "credentialed = coalesce(excluded.credentialed, credentialed)"));
  st->Bind(1, h.scan_id).Bind(2, h.asset_id).Bind(3, h.scanner_id).Bind(4, h.observed_at);
  if (h.credentialed) {
    st->Bind(5, *h.credentialed ? 1 : 0);
  }
  return st->Run();
}

Result<std::optional<HostScanRecord>> SqliteStore::LatestHostScan(int64_t asset_id,
                                                                  int64_t scanner_id) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT scan_id, asset_id, scanner_id, observed_at, credentialed "
                                "FROM host_scans WHERE asset_id = ?1 AND scanner_id = ?2 "
                                "ORDER BY observed_at DESC, scan_id DESC LIMIT 1"));
  st->Bind(1, asset_id).Bind(2, scanner_id);
  ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<HostScanRecord> out;
  if (row) {
    out = ReadHostScan(*st);
  }
  st->Reset();
  return out;
}

Result<std::optional<HostScanRecord>> SqliteStore::NextHostScan(int64_t asset_id,
                                                                int64_t scanner_id,
                                                                Timestamp after) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT scan_id, asset_id, scanner_id, observed_at, credentialed "
                                "FROM host_scans WHERE asset_id = ?1 AND scanner_id = ?2 "
                                "AND observed_at > ?3 ORDER BY observed_at, scan_id LIMIT 1"));
  st->Bind(1, asset_id).Bind(2, scanner_id).Bind(3, after);
  ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<HostScanRecord> out;
  if (row) {
    out = ReadHostScan(*st);
  }
  st->Reset();
  return out;
}

}  // namespace vigil::sqlite
