// SqliteStore: the read side (listings).
#include "core/text.h"
#include "store/sqlite/sqlite_store.h"

namespace vigil::sqlite {

std::string StateList(const std::vector<FindingState>& states) {
  std::string out = ",";
  for (FindingState s : states) {
    out += std::string(ToString(s)) + ",";
  }
  return out;
}

Status SqliteStore::ReplaceInventory(const std::vector<InventoryEntry>& entries, Timestamp at) {
  RETURN_IF_ERROR(db_->Exec("DELETE FROM inventory"));
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT INTO inventory (name, addresses, zone, site, owner, "
                                "scanners, loaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  for (const auto& e : entries) {
    st->Reset();
    std::string addresses = Join(e.addresses, ";");
    std::string scanners = Join(e.scanners, ";");
    st->Bind(1, e.name).Bind(2, addresses).BindText(3, e.zone).BindText(4, e.site);
    st->BindText(5, e.owner).Bind(6, scanners).Bind(7, at);
    RETURN_IF_ERROR(st->Run());
  }
  return Status::Ok();
}

Result<std::vector<InventoryEntry>> SqliteStore::QueryInventory() {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT name, addresses, zone, site, owner, scanners "
                                "FROM inventory ORDER BY name"));
  return st->Rows([](const Statement& row) {
    return InventoryEntry{.name = row.Text(0),
                          .addresses = SplitNonEmpty(row.Text(1), ";"),
                          .zone = row.Text(2),
                          .site = row.Text(3),
                          .owner = row.Text(4),
                          .scanners = SplitNonEmpty(row.Text(5), ";")};
  });
}

Result<std::vector<FindingView>> SqliteStore::QueryFindings(const FindingQuery& q) {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare(
          "SELECT v.key, v.title, v.class, a.name, f.port, f.protocol, f.service, f.state, "
          "f.first_seen, f.last_seen, f.fixed_at, f.times_reopened, f.absent_unverified, "
          "CASE WHEN ?6 THEN (SELECT group_concat(name, ',') FROM (SELECT sc.name "
          "  FROM finding_sources fs JOIN scanners sc ON sc.id = fs.scanner_id "
          "  WHERE fs.finding_id = f.id ORDER BY sc.name)) END, "
          "f.location, f.package_version, f.fixed_version, f.qod "
          "FROM findings f JOIN vulnerabilities v ON v.id = f.vuln_id "
          "JOIN assets a ON a.id = f.asset_id "
          "WHERE (?1 = ',' OR instr(?1, ',' || f.state || ',') > 0) "
          "AND (?2 IS NULL OR a.name = ?2 OR a.fqdn = lower(?2) OR a.ip = ?2) "
          "AND (?3 IS NULL OR v.key = ?3) "
          "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM finding_sources fs JOIN scanners sc "
          "  ON sc.id = fs.scanner_id WHERE fs.finding_id = f.id AND sc.name = ?4)) "
          "AND (?5 = 0 OR f.absent_unverified = 1) "
          "AND (?7 IS NULL OR v.key = ?7 OR EXISTS (SELECT 1 FROM vulnerability_refs r "
          "  WHERE r.vuln_id = v.id AND r.kind = 'cve' AND r.value = ?7)) "
          "ORDER BY a.name, v.key, f.port, f.protocol, f.location"));
  std::string states = StateList(q.states);
  st->Bind(1, states).Bind(2, q.asset).Bind(3, q.vuln_key).Bind(4, q.scanner);
  st->Bind(5, q.absent_unverified_only ? 1 : 0);
  st->Bind(6, q.with_scanners ? 1 : 0);
  std::string cve = q.cve ? AsciiUpper(*q.cve) : std::string();
  if (q.cve) {
    st->Bind(7, cve);
  }
  return st->Rows([](const Statement& row) {
    FindingView f;
    f.vuln_key = row.Text(0);
    f.title = row.Text(1);
    f.class_name = row.Text(2);
    f.asset = row.Text(3);
    f.port = static_cast<int>(row.Int(4));
    f.protocol = row.Text(5);
    f.service = row.Text(6);
    f.state = ParseFindingState(row.Text(7)).value_or(FindingState::kOpen);
    f.first_seen = row.Time(8);
    f.last_seen = row.Time(9);
    f.fixed_at = row.OptTime(10);
    f.times_reopened = static_cast<int>(row.Int(11));
    f.absent_unverified = row.Int(12) != 0;
    f.scanners = SplitNonEmpty(row.Text(13), ",");
    f.location = row.Text(14);
    f.installed_version = row.Text(15);
    f.fixed_version = row.Text(16);
    f.qod = row.IsNull(17) ? std::nullopt : std::optional<int>(static_cast<int>(row.Int(17)));
    return f;
  });
}

Result<std::vector<FindingFact>> SqliteStore::QueryFindingFacts(const FindingFactQuery& q) {
  // One vulnerability's findings through the index; all of them in one sequential pass.
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare(q.vuln_id ? "SELECT vuln_id, asset_id, port, state, first_seen, fixed_at "
                               "FROM findings WHERE vuln_id = ?2 AND (?1 = ',' OR "
                               "instr(?1, ',' || state || ',') > 0)"
                             : "SELECT vuln_id, asset_id, port, state, first_seen, fixed_at "
                               "FROM findings NOT INDEXED WHERE (?1 = ',' OR "
                               "instr(?1, ',' || state || ',') > 0) AND ?2 IS NULL"));
  std::string states = StateList(q.states);
  st->Bind(1, states).Bind(2, q.vuln_id);
  return st->Rows([](const Statement& row) {
    return FindingFact{
        .vuln_id = row.Int(0),
        .asset_id = row.Int(1),
        .port = static_cast<int>(row.Int(2)),
        .state = ParseFindingState(row.Text(3)).value_or(FindingState::kOpen),
        .first_seen = row.Time(4),
        .fixed_at = row.OptTime(5),
    };
  });
}

Result<std::vector<AssetView>> SqliteStore::QueryAssets(const AssetQuery& q) {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare("SELECT a.name, a.ip, a.fqdn, a.agent_id, a.os, a.state, a.first_seen, "
                   "a.last_seen, (SELECT count(*) FROM findings f WHERE f.asset_id = a.id "
                   "AND f.state IN " +
                   OpenStatesSql() +
                   "), a.decommissioned_at, "
                   "a.decommissioned_by, a.decommission_reason, a.reappeared_at, a.id "
                   "FROM assets a WHERE (?1 IS NULL OR a.state = ?1) ORDER BY a.name, a.id"));
  if (q.state) {
    st->Bind(1, ToString(*q.state));
  }
  return st->Rows([](const Statement& row) {
    AssetView a;
    a.name = row.Text(0);
    a.ip = row.Text(1);
    a.fqdn = row.Text(2);
    a.agent_id = row.Text(3);
    a.os = row.Text(4);
    a.state = ParseAssetState(row.Text(5)).value_or(AssetState::kActive);
    a.first_seen = row.Time(6);
    a.last_seen = row.Time(7);
    a.open_findings = row.Int(8);
    a.decommissioned_at = row.OptTime(9);
    a.decommissioned_by = row.Text(10);
    a.decommission_reason = row.Text(11);
    a.reappeared_at = row.OptTime(12);
    a.id = row.Int(13);
    return a;
  });
}

Result<std::vector<ScannerView>> SqliteStore::QueryScanners() {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare("SELECT s.name, s.kind, "
                   "(SELECT count(*) FROM scans WHERE scanner_id = s.id), "
                   "(SELECT count(DISTINCT asset_id) FROM host_scans WHERE scanner_id = s.id), "
                   "(SELECT max(imported_at) FROM scans WHERE scanner_id = s.id), "
                   "(SELECT max(coalesce(ended_at, started_at)) FROM scans "
                   "  WHERE scanner_id = s.id), s.cadence_seconds, s.grace_seconds, s.created_at "
                   "FROM scanners s ORDER BY s.name"));
  return st->Rows([](const Statement& row) {
    ScannerView s;
    s.name = row.Text(0);
    s.kind = row.Text(1);
    s.scans = row.Int(2);
    s.assets = row.Int(3);
    s.last_import = row.OptTime(4);
    s.last_scan = row.OptTime(5);
    if (auto cadence = row.OptInt(6)) {
      s.cadence = std::chrono::seconds(*cadence);
    }
    s.grace = std::chrono::seconds(row.Int(7));
    s.created_at = row.Time(8);
    return s;
  });
}

Result<std::vector<ScanRecord>> SqliteStore::QueryScans() {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare("SELECT s.id, s.scanner_id, sc.name, s.digest, s.size, s.file_name, s.format, "
                   "s.report_name, s.policy_name, s.started_at, s.ended_at, s.imported_at, "
                   "s.imported_by, s.hosts, s.findings, s.vulnerabilities, s.new_findings, "
                   "s.fixed, s.reopened, s.unchanged, s.absent_unverified, s.stale_hosts, "
                   "s.reappeared, s.warnings, s.tool FROM scans s JOIN scanners sc "
                   "ON sc.id = s.scanner_id ORDER BY s.imported_at, s.id"));
  return st->Rows([](const Statement& row) {
    ScanRecord r;
    r.id = row.Int(0);
    r.scanner_id = row.Int(1);
    r.scanner_name = row.Text(2);
    r.digest = row.Text(3);
    r.size = row.Int(4);
    r.file_name = row.Text(5);
    r.format = row.Text(6);
    r.report_name = row.Text(7);
    r.policy_name = row.Text(8);
    r.started_at = row.OptTime(9);
    r.ended_at = row.OptTime(10);
    r.imported_at = row.Time(11);
    r.imported_by = row.Text(12);
    ImportCounts& c = r.counts;
    c.hosts = row.Int(13);
    c.findings = row.Int(14);
    c.vulnerabilities = row.Int(15);
    c.new_findings = row.Int(16);
    c.fixed = row.Int(17);
    c.reopened = row.Int(18);
    c.unchanged = row.Int(19);
    c.absent_unverified = row.Int(20);
    c.stale_hosts = row.Int(21);
    c.reappeared = row.Int(22);
    c.warnings = row.Int(23);
    r.tool = row.Text(24);
    return r;
  });
}

Result<std::vector<Timestamp>> SqliteStore::ScanTimes(const std::string& scanner) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT coalesce(c.ended_at, c.started_at) AS t FROM scans c "
                                "JOIN scanners s ON s.id = c.scanner_id "
                                "WHERE s.name = ?1 AND t IS NOT NULL ORDER BY t"));
  st->Bind(1, scanner);
  return st->Rows([](const Statement& row) { return row.Time(0); });
}

}  // namespace vigil::sqlite
