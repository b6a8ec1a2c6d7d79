#include "store/postgres/pg_store.h"

#include "store/postgres/pg_schema.h"
#include "store/state_sql.h"

namespace vigil::postgres {
namespace {

AssetRecord ReadAsset(const Row& row) {
  AssetRecord a;
  a.id = row.Int(0);
  a.name = row.Text(1);
  a.agent_id = row.Text(2);
  a.fqdn = row.Text(3);
  a.ip = row.Text(4);
  a.hostname = row.Text(5);
  a.netbios_name = row.Text(6);
  a.mac = row.Text(7);
  a.os = row.Text(8);
  a.state = ParseAssetState(row.Text(9)).value_or(AssetState::kActive);
  a.first_seen = row.Time(10);
  a.last_seen = row.Time(11);
  a.decommissioned_at = row.OptTime(12);
  a.decommissioned_by = row.Text(13);
  a.decommission_reason = row.Text(14);
  a.reappeared_at = row.OptTime(15);
  return a;
}

HostScanRecord ReadHostScan(const Row& row) {
  HostScanRecord h;
  h.scan_id = row.Int(0);
  h.asset_id = row.Int(1);
  h.scanner_id = row.Int(2);
  h.observed_at = row.Time(3);
  if (!row.IsNull(4)) {
    h.credentialed = row.Int(4) != 0;
  }
  return h;
}

constexpr const char* kAssetColumns =
    "id, name, agent_id, fqdn, ip, hostname, netbios_name, mac, os, state, first_seen, "
    "last_seen, decommissioned_at, decommissioned_by, decommission_reason, reappeared_at";

// Whether `sql` changes rows (and so needs the writers' lock outside a transaction).
bool IsWrite(const std::string& sql) {
  return sql.rfind("INSERT", 0) == 0 || sql.rfind("UPDATE", 0) == 0 || sql.rfind("DELETE", 0) == 0;
}

constexpr std::string_view kReadSnapshotSql = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

const std::string& BeginWriteSql() {
  static const std::string kSql =
      "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT "
      "pg_advisory_xact_lock(" +
      std::to_string(kWriterLock) + ")";
  return kSql;
}

}  // namespace

int PgStore::LatestSchemaVersion() const {
  return PgLatestSchemaVersion();
}

Result<std::unique_ptr<PgStore>> PgStore::Open(const std::string& url, OpenMode mode) {
  ASSIGN_OR_RETURN(auto conn, Connection::Open(url));
  bool read_only = mode == OpenMode::kReadOnly;
  if (read_only) {
    // Nothing can be written, and every read sees the state of one moment (pg_store.h).
    RETURN_IF_ERROR(
        conn->Exec("SET default_transaction_read_only = on; " + std::string(kReadSnapshotSql)));
  }
  auto store = std::unique_ptr<PgStore>(new PgStore(std::move(conn), read_only));
  if (mode != OpenMode::kCreate) {
    ASSIGN_OR_RETURN(bool has_schema, store->HasSchemaTable());
    if (!has_schema) {
      return FailedPrecondition("database at " + store->db_->Describe() +
                                " has no vigil schema; create it with 'vigil init'");
    }
  }
  return store;
}

Result<bool> PgStore::HasSchemaTable() {
  ASSIGN_OR_RETURN(PgResult r,
                   Run("SELECT to_regclass('schema_version') IS NOT NULL", Params(), false));
  return r.Rows() > 0 && r.Int(0, 0) != 0;
}

Result<int> PgStore::SchemaVersion() {
  ASSIGN_OR_RETURN(bool has_schema, HasSchemaTable());
  if (!has_schema) {
    return 0;
  }
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT max(version) FROM schema_version", Params(), false));
  return r.Rows() > 0 ? static_cast<int>(r.Int(0, 0)) : 0;
}

Status PgStore::Initialize() {
  ASSIGN_OR_RETURN(int version, SchemaVersion());
  int latest = PgLatestSchemaVersion();
  if (version > latest) {
    return FailedPrecondition("the database has schema version " + std::to_string(version) +
                              ", newer than this vigil knows (" + std::to_string(latest) +
                              "); upgrade vigil");
  }
  if (version == latest) {
    return Status::Ok();
  }
  // Under the writers' lock, so that two servers initializing at once migrate once: the
  // version is read again once the lock is held.
  return InTransaction(*this, [&]() -> Status {
    ASSIGN_OR_RETURN(int now, SchemaVersion());
    for (const PgMigration& m : PgMigrations()) {
      if (m.version <= now) {
        continue;
      }
      if (m.from != now) {
        return FailedPrecondition("the database has schema version " + std::to_string(now) +
                                  ", which no PostgreSQL migration starts from");
      }
      Status st = m.sql.empty() ? Status::Ok() : db_->Exec(std::string(m.sql));
      if (st.ok() && now == 0) {
        st = db_->Exec("CREATE TABLE schema_version (version BIGINT NOT NULL)");
      }
      if (st.ok()) {
        st = Run("DELETE FROM schema_version", Params()).status();
      }
      if (st.ok()) {
        st = Run("INSERT INTO schema_version (version) VALUES ($1)", Params().Add(m.version))
                 .status();
      }
      RETURN_IF_ERROR(st.WithPrefix("migration to schema version " + std::to_string(m.version)));
      now = m.version;
    }
    return Status::Ok();
  });
}

Status PgStore::Begin() {
  if (read_only_) {
    return Internal("database error: the database is open read-only; nothing can be written");
  }
  if (in_transaction_) {
    return Internal("database error: cannot start a transaction within a transaction");
  }
  RETURN_IF_ERROR(db_->Revive());
  Status st = db_->Exec(BeginWriteSql());
  if (!st.ok() && db_->Lost()) {
    // Lost since the last statement (libpq learns it only now): nothing of this transaction
    // was done yet, so it starts again on a new connection.
    RETURN_IF_ERROR(db_->Revive());
    st = db_->Exec(BeginWriteSql());
  }
  if (!st.ok()) {
    (void)db_->Exec("ROLLBACK");
    return st;
  }
  in_transaction_ = true;
  next_ids_.clear();
  ledger_.Clear();
  pending_settings_.clear();
  return Status::Ok();
}

Status PgStore::Commit() {
  if (!in_transaction_) {
    return Internal("database error: cannot commit - no transaction is active");
  }
  Status written = WriteSettings();
  if (written.ok()) {
    written = CheckReferences();
  }
  if (written.ok()) {
    written = AnalyzeAfterBulk();
  }
  in_transaction_ = false;
  next_ids_.clear();
  ledger_.Clear();
  if (Status sent = written.ok() ? db_->Flush() : written; !sent.ok()) {
    pending_settings_.clear();
    db_->Discard();
    (void)db_->Exec("ROLLBACK");
    return sent;
  }
  ASSIGN_OR_RETURN(PgResult r, db_->Query("COMMIT", Params()));
  // COMMIT of a transaction a failed statement aborted answers ROLLBACK, without an error.
  if (r.CommandTag() == "ROLLBACK") {
    return Internal("database error: the transaction was aborted by an earlier error");
  }
  return Status::Ok();
}

void PgStore::Rollback() {
  // As in the SQLite backend: the error being handled is the one to report.
  in_transaction_ = false;
  next_ids_.clear();
  ledger_.Clear();
  pending_settings_.clear();
  db_->Discard();
  (void)db_->Exec("ROLLBACK");
}

Status PgStore::Queue(const std::string& sql, Params params) {
  if (!in_transaction_) {
    return Run(sql, params).status();
  }
  return db_->Queue(sql, std::move(params));
}

Result<int64_t> PgStore::NextId(const std::string& table) {
  if (!in_transaction_) {
    return Internal("database error: a new id of " + table + " outside a transaction");
  }
  auto it = next_ids_.find(table);
  if (it == next_ids_.end()) {
    ASSIGN_OR_RETURN(
        PgResult r,
        Run("SELECT coalesce(max(id), 0) + 1 FROM " + QuotedIdentifier(table), Params()));
    int64_t first = r.Int(0, 0);
    it = next_ids_.emplace(table, NewIds{.first = first, .next = first}).first;
  }
  return it->second.next++;
}

Status PgStore::AnalyzeAfterBulk() {
  auto added = [&](const char* table) {
    auto it = next_ids_.find(table);
    return it == next_ids_.end() ? 0 : it->second.next - it->second.first;
  };
  // The planner's statistics of a table that grew by a large import: without them the next
  // import's statements are planned for the table as it was (a rescan right after a first
  // import of 300,000 findings took minutes instead of seconds). Autovacuum comes later.
  if (added("findings") < kAnalyzeAfter && added("evidence") < kAnalyzeAfter) {
    return Status::Ok();
  }
  return db_->Exec("ANALYZE findings, finding_sources, evidence, vulnerabilities, assets");
}

Status PgStore::CheckReferences() {
  return vigil::CheckReferences(ledger_, *this);
}

Result<int64_t> PgStore::InTransactionIfNone(const std::function<Result<int64_t>()>& write) {
  if (in_transaction_) {
    return write();
  }
  RETURN_IF_ERROR(Begin());
  Result<int64_t> out = write();
  Status st = out.ok() ? Commit() : out.status();
  if (!st.ok()) {
    Rollback();
    return st;
  }
  return out;
}

Result<PgResult> PgStore::Run(const std::string& sql, const Params& params, bool prepared) {
  if (!in_transaction_ && !read_only_ && IsWrite(sql)) {
    RETURN_IF_ERROR(Begin());
    auto r = prepared ? db_->Prepared(sql, params) : db_->Query(sql, params);
    Status st = r.ok() ? Commit() : r.status();
    if (!st.ok()) {
      Rollback();
      return st;
    }
    return r;
  }
  if (read_only_ && IsWrite(sql)) {
    // Refused here: on the server a refused write would end the reader's snapshot.
    return Internal("database error: the database is open read-only; nothing can be written");
  }
  bool alone = !in_transaction_ && !read_only_;
  if (alone) {
    RETURN_IF_ERROR(db_->Revive());  // a read on its own: a lost connection is made again
  }
  auto r = prepared ? db_->Prepared(sql, params) : db_->Query(sql, params);
  if (!r.ok() && alone && db_->Lost()) {
    RETURN_IF_ERROR(db_->Revive());  // lost since the last statement: the read is asked again
    r = prepared ? db_->Prepared(sql, params) : db_->Query(sql, params);
  }
  if (!r.ok()) {
    RecoverReader();
  }
  return r;
}

void PgStore::RecoverReader() {
  // A failed statement aborts the reader's transaction; the next reads see a new snapshot
  // rather than fail (SQLite's reader goes on after an error).
  if (read_only_) {
    (void)db_->Exec("ROLLBACK; " + std::string(kReadSnapshotSql));
  }
}

Status PgStore::ForEach(const std::string& sql, const Params& params,
                        const std::function<Status(const Row&)>& visit) {
  if (!in_transaction_ && !read_only_) {
    RETURN_IF_ERROR(db_->Revive());
  }
  Status st = db_->ForEach(sql, params, in_transaction_ || read_only_, visit);
  if (!st.ok()) {
    RecoverReader();
  }
  return st;
}

Result<ScannerRecord> PgStore::EnsureScanner(const std::string& name, const std::string& kind,
                                             Timestamp now) {
  ASSIGN_OR_RETURN(PgResult ins,
                   Run("INSERT INTO scanners (id, name, kind, created_at) VALUES "
                       "((SELECT coalesce(max(id), 0) + 1 FROM scanners), $1, $2, $3) "
                       "ON CONFLICT (name) DO NOTHING",
                       Params().Add(name).Add(kind).Add(now)));
  (void)ins;
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT id, name, kind, created_at FROM scanners "
                                   "WHERE name = $1",
                                   Params().Add(name)));
  if (r.Rows() == 0) {
    return Internal("scanner '" + name + "' vanished");
  }
  return ScannerRecord{
      .id = r.Int(0, 0), .name = r.Text(0, 1), .kind = r.Text(0, 2), .created_at = r.Time(0, 3)};
}

Status PgStore::SetScanner(const ScannerRecord& s) {
  Params p;
  p.Add(s.name).Add(s.kind).Add(s.created_at);
  if (s.cadence) {
    p.Add(static_cast<int64_t>(s.cadence->count()));
  } else {
    p.AddNull();
  }
  p.Add(static_cast<int64_t>(s.grace.count()));
  return Run("INSERT INTO scanners (id, name, kind, created_at, cadence_seconds, grace_seconds) "
             "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM scanners), $1, $2, $3, $4, $5) "
             "ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, "
             "cadence_seconds = excluded.cadence_seconds, grace_seconds = excluded.grace_seconds",
             p)
      .status();
}

Result<std::vector<AssetLastScan>> PgStore::LastScansByScanner(const std::string& name) {
  ASSIGN_OR_RETURN(PgResult r,
                   Run("SELECT a.name, a.state, max(h.observed_at) FROM host_scans h "
                       "JOIN scanners s ON s.id = h.scanner_id JOIN assets a ON a.id = h.asset_id "
                       "WHERE s.name = $1 GROUP BY a.id ORDER BY a.name, a.id",
                       Params().Add(name), false));
  return MapRows(r, [](const Row& row) {
    return AssetLastScan{.asset = row.Text(0),
                         .state = ParseAssetState(row.Text(1)).value_or(AssetState::kActive),
                         .last_scanned = row.Time(2)};
  });
}

Result<std::optional<ScanRecord>> PgStore::FindScanByDigest(const std::string& digest) {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT s.id, s.scanner_id, s.file_name, s.imported_at, "
                                   "s.imported_by, sc.name FROM scans s "
                                   "JOIN scanners sc ON sc.id = s.scanner_id WHERE s.digest = $1",
                                   Params().Add(digest)));
  if (r.Rows() == 0) {
    return std::optional<ScanRecord>();
  }
  ScanRecord s;
  s.id = r.Int(0, 0);
  s.scanner_id = r.Int(0, 1);
  s.digest = digest;
  s.file_name = r.Text(0, 2);
  s.imported_at = r.Time(0, 3);
  s.imported_by = r.Text(0, 4);
  s.scanner_name = r.Text(0, 5);
  return std::optional<ScanRecord>(std::move(s));
}

Result<bool> PgStore::HasScanWithQuickDigest(const std::string& quick_digest) {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT 1 FROM scans WHERE quick_digest = $1 LIMIT 1",
                                   Params().Add(quick_digest)));
  return r.Rows() > 0;
}

Result<int64_t> PgStore::InsertScan(const ScanRecord& s) {
  Params p;
  p.Add(s.scanner_id).Add(s.digest).Add(s.file_name).Add(s.format).AddText(s.report_name);
  p.AddText(s.policy_name).Add(s.imported_at).Add(s.imported_by);
  p.Add(s.has_check_set ? 1 : 0).AddText(s.check_set).Add(s.quick_digest).Add(s.size);
  ASSIGN_OR_RETURN(
      PgResult r,
      Run("INSERT INTO scans (id, scanner_id, digest, file_name, format, report_name, "
          "policy_name, imported_at, imported_by, has_check_set, check_set, quick_digest, size) "
          "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM scans), $1, $2, $3, $4, $5, $6, $7, "
          "$8, $9, $10, $11, $12) RETURNING id",
          p));
  return r.Int(0, 0);
}

Status PgStore::UpdateScanResult(const ScanRecord& s) {
  const ImportCounts& c = s.counts;
  Params p;
  p.Add(s.id).Add(s.started_at).Add(s.ended_at).Add(c.hosts).Add(c.findings);
  p.Add(c.vulnerabilities).Add(c.new_findings).Add(c.fixed).Add(c.reopened).Add(c.unchanged);
  p.Add(c.absent_unverified).Add(c.stale_hosts).Add(c.warnings).AddText(s.report_name);
  p.AddText(s.policy_name).Add(s.has_check_set ? 1 : 0).AddText(s.check_set).Add(s.digest);
  p.Add(c.reappeared).AddText(s.tool);
  return Run("UPDATE scans SET started_at = $2, ended_at = $3, hosts = $4, findings = $5, "
             "vulnerabilities = $6, new_findings = $7, fixed = $8, reopened = $9, "
             "unchanged = $10, absent_unverified = $11, stale_hosts = $12, warnings = $13, "
             "report_name = $14, policy_name = $15, has_check_set = $16, check_set = $17, "
             "digest = $18, reappeared = $19, tool = $20 WHERE id = $1",
             p)
      .status();
}

Result<std::string> PgStore::ScanCheckSet(int64_t scan_id) {
  ASSIGN_OR_RETURN(PgResult r,
                   Run("SELECT check_set FROM scans WHERE id = $1", Params().Add(scan_id)));
  return r.Rows() > 0 ? r.Text(0, 0) : std::string();
}

Result<std::vector<AssetRecord>> PgStore::FindAssetCandidates(const std::string& agent_id,
                                                              const std::string& fqdn,
                                                              const std::string& ip,
                                                              const std::string& name) {
  static const std::string kSql = std::string("SELECT ") + kAssetColumns +
                                  " FROM assets WHERE agent_id = $1 OR fqdn = $2 OR ip = $3 "
                                  "OR (agent_id IS NULL AND fqdn IS NULL AND ip IS NULL "
                                  "AND name = $4) ORDER BY id";
  ASSIGN_OR_RETURN(PgResult r,
                   Run(kSql, Params().AddText(agent_id).AddText(fqdn).AddText(ip).AddText(name)));
  return MapRows(r, ReadAsset);
}

Result<int64_t> PgStore::InsertAsset(const AssetRecord& a) {
  Params p;
  p.Add(a.name).AddText(a.agent_id).AddText(a.fqdn).AddText(a.ip).AddText(a.hostname);
  p.AddText(a.netbios_name).AddText(a.mac).AddText(a.os).Add(ToString(a.state));
  p.Add(a.first_seen).Add(a.last_seen);
  ASSIGN_OR_RETURN(PgResult r,
                   Run("INSERT INTO assets (id, name, agent_id, fqdn, ip, hostname, "
                       "netbios_name, mac, os, state, first_seen, last_seen) VALUES "
                       "((SELECT coalesce(max(id), 0) + 1 FROM assets), $1, $2, $3, $4, $5, $6, "
                       "$7, $8, $9, $10, $11) RETURNING id",
                       p));
  return r.Int(0, 0);
}

Status PgStore::UpdateAsset(const AssetRecord& a) {
  Params p;
  p.Add(a.id).Add(a.name).AddText(a.agent_id).AddText(a.fqdn).AddText(a.ip);
  p.AddText(a.hostname).AddText(a.netbios_name).AddText(a.mac).AddText(a.os);
  p.Add(ToString(a.state)).Add(a.first_seen).Add(a.last_seen);
  return Run("UPDATE assets SET name = $2, agent_id = $3, fqdn = $4, ip = $5, hostname = $6, "
             "netbios_name = $7, mac = $8, os = $9, state = $10, first_seen = $11, "
             "last_seen = $12 WHERE id = $1",
             p)
      .status();
}

Result<std::vector<AssetRecord>> PgStore::FindAssets(const std::string& key) {
  // lower() under the "C" collation folds ASCII only, as SQLite's does.
  static const std::string kSql = std::string("SELECT ") + kAssetColumns +
                                  " FROM assets WHERE name = $1::text OR "
                                  "fqdn = lower($1::text COLLATE \"C\") OR ip = $1::text "
                                  "ORDER BY id";
  ASSIGN_OR_RETURN(PgResult r, Run(kSql, Params().Add(key)));
  return MapRows(r, ReadAsset);
}

Status PgStore::DecommissionAsset(int64_t asset_id, Timestamp at, const std::string& by,
                                  const std::string& reason) {
  return Run("UPDATE assets SET state = 'decommissioned', decommissioned_at = $2, "
             "decommissioned_by = $3, decommission_reason = $4 WHERE id = $1",
             Params().Add(asset_id).Add(at).Add(by).Add(reason))
      .status();
}

Status PgStore::ReactivateAsset(int64_t asset_id, Timestamp at) {
  return Run("UPDATE assets SET state = 'active', reappeared_at = $2 WHERE id = $1",
             Params().Add(asset_id).Add(at))
      .status();
}

Status PgStore::InsertHostScan(const HostScanRecord& h) {
  Params p;
  p.Add(h.scan_id).Add(h.asset_id).Add(h.scanner_id).Add(h.observed_at);
  if (h.credentialed) {
    p.Add(*h.credentialed ? 1 : 0);
  } else {
    p.AddNull();
  }
  return Queue(
      "INSERT INTO host_scans (scan_id, asset_id, scanner_id, observed_at, credentialed) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (scan_id, asset_id) DO UPDATE SET "
      "observed_at = greatest(host_scans.observed_at, excluded.observed_at), "
      "credentialed = coalesce(excluded.credentialed, host_scans.credentialed)",
      std::move(p));
}

Result<std::optional<HostScanRecord>> PgStore::LatestHostScan(int64_t asset_id,
                                                              int64_t scanner_id) {
  ASSIGN_OR_RETURN(PgResult r,
                   Run("SELECT scan_id, asset_id, scanner_id, observed_at, credentialed "
                       "FROM host_scans WHERE asset_id = $1 AND scanner_id = $2 "
                       "ORDER BY observed_at DESC, scan_id DESC LIMIT 1",
                       Params().Add(asset_id).Add(scanner_id)));
  std::optional<HostScanRecord> out;
  if (r.Rows() > 0) {
    out = ReadHostScan(Row(r, 0));
  }
  return out;
}

Result<std::optional<HostScanRecord>> PgStore::NextHostScan(int64_t asset_id, int64_t scanner_id,
                                                            Timestamp after) {
  ASSIGN_OR_RETURN(PgResult r,
                   Run("SELECT scan_id, asset_id, scanner_id, observed_at, credentialed "
                       "FROM host_scans WHERE asset_id = $1 AND scanner_id = $2 "
                       "AND observed_at > $3 ORDER BY observed_at, scan_id LIMIT 1",
                       Params().Add(asset_id).Add(scanner_id).Add(after)));
  std::optional<HostScanRecord> out;
  if (r.Rows() > 0) {
    out = ReadHostScan(Row(r, 0));
  }
  return out;
}

}  // namespace vigil::postgres
