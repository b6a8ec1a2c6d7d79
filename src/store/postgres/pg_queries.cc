// PgStore: the read side (listings) and the expected inventory.
#include "core/text.h"
#include "store/postgres/pg_store.h"

namespace vigil::postgres {
namespace {

// The states a listing asks for (none: every state), as a text array parameter.
std::vector<std::string> ListedStates(const std::vector<FindingState>& states) {
  if (states.empty()) {
    return ListedStates(AllFindingStates());
  }
  std::vector<std::string> out;
  out.reserve(states.size());
  for (FindingState s : states) {
    out.emplace_back(ToString(s));
  }
  return out;
}

FindingView ReadFindingView(const Row& row) {
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
}

ScanRecord ReadScan(const Row& row) {
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
}

}  // namespace

Status PgStore::ReplaceInventory(const std::vector<InventoryEntry>& entries, Timestamp at) {
  RETURN_IF_ERROR(Run("DELETE FROM inventory", Params()).status());
  for (const auto& e : entries) {
    std::string addresses = Join(e.addresses, ";");
    std::string scanners = Join(e.scanners, ";");
    RETURN_IF_ERROR(
        Run("INSERT INTO inventory (id, name, addresses, zone, site, owner, scanners, "
            "loaded_at) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM inventory), $1, $2, $3, "
            "$4, $5, $6, $7)",
            Params()
                .Add(e.name)
                .Add(addresses)
                .AddText(e.zone)
                .AddText(e.site)
                .AddText(e.owner)
                .Add(scanners)
                .Add(at))
            .status());
  }
  return Status::Ok();
}

Result<std::vector<InventoryEntry>> PgStore::QueryInventory() {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT name, addresses, zone, site, owner, scanners "
                                   "FROM inventory ORDER BY name",
                                   Params()));
  return MapRows(r, [](const Row& row) {
    return InventoryEntry{.name = row.Text(0),
                          .addresses = SplitNonEmpty(row.Text(1), ";"),
                          .zone = row.Text(2),
                          .site = row.Text(3),
                          .owner = row.Text(4),
                          .scanners = SplitNonEmpty(row.Text(5), ";")};
  });
}

Result<std::vector<FindingView>> PgStore::QueryFindings(const FindingQuery& q) {
  // Rows that tie on the listed order (assets of one name) by asset and finding id.
  static const std::string kSql =
      "SELECT v.key, v.title, v.class, a.name, f.port, f.protocol, f.service, f.state, "
      "f.first_seen, f.last_seen, f.fixed_at, f.times_reopened, f.absent_unverified, "
      "CASE WHEN $6::int <> 0 THEN (SELECT string_agg(sc.name, ',' ORDER BY sc.name) "
      "  FROM finding_sources fs JOIN scanners sc ON sc.id = fs.scanner_id "
      "  WHERE fs.finding_id = f.id) END, "
      "f.location, f.package_version, f.fixed_version, f.qod "
      "FROM findings f JOIN vulnerabilities v ON v.id = f.vuln_id "
      "JOIN assets a ON a.id = f.asset_id "
      "WHERE f.state = ANY($1::text[]) "
      "AND ($2::text IS NULL OR a.name = $2::text OR a.fqdn = lower($2::text COLLATE \"C\") "
      "  OR a.ip = $2::text) "
      "AND ($3::text IS NULL OR v.key = $3::text) "
      "AND ($4::text IS NULL OR EXISTS (SELECT 1 FROM finding_sources fs JOIN scanners sc "
      "  ON sc.id = fs.scanner_id WHERE fs.finding_id = f.id AND sc.name = $4::text)) "
      "AND ($5::int = 0 OR f.absent_unverified = 1) "
      "AND ($7::text IS NULL OR v.key = $7::text OR EXISTS (SELECT 1 FROM vulnerability_refs r "
      "  WHERE r.vuln_id = v.id AND r.kind = 'cve' AND r.value = $7::text)) "
      "ORDER BY a.name, v.key, f.port, f.protocol, f.location, a.id, f.id";
  Params p;
  p.AddArray(ListedStates(q.states)).Add(q.asset).Add(q.vuln_key).Add(q.scanner);
  p.Add(q.absent_unverified_only ? 1 : 0).Add(q.with_scanners ? 1 : 0);
  if (q.cve) {
    p.Add(AsciiUpper(*q.cve));
  } else {
    p.AddNull();
  }
  std::vector<FindingView> out;
  RETURN_IF_ERROR(ForEach(kSql, p, [&](const Row& row) {
    out.push_back(ReadFindingView(row));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<FindingFact>> PgStore::QueryFindingFacts(const FindingFactQuery& q) {
  std::vector<std::string> states;
  for (FindingState s : q.states) {
    states.emplace_back(ToString(s));
  }
  std::vector<FindingFact> out;
  RETURN_IF_ERROR(
      ForEach("SELECT vuln_id, asset_id, port, state, first_seen, fixed_at "
              "FROM findings WHERE ($2::bigint IS NULL OR vuln_id = $2::bigint) "
              "AND (cardinality($1::text[]) = 0 OR state = ANY($1::text[]))",
              Params().AddArray(states).Add(q.vuln_id), [&](const Row& row) {
                out.push_back(FindingFact{
                    .vuln_id = row.Int(0),
                    .asset_id = row.Int(1),
                    .port = static_cast<int>(row.Int(2)),
                    .state = ParseFindingState(row.Text(3)).value_or(FindingState::kOpen),
                    .first_seen = row.Time(4),
                    .fixed_at = row.OptTime(5),
                });
                return Status::Ok();
              }));
  return out;
}

Result<std::vector<AssetView>> PgStore::QueryAssets(const AssetQuery& q) {
  Params p;
  if (q.state) {
    p.Add(ToString(*q.state));
  } else {
    p.AddNull();
  }
  ASSIGN_OR_RETURN(
      PgResult r,
      Run("SELECT a.name, a.ip, a.fqdn, a.agent_id, a.os, a.state, a.first_seen, a.last_seen, "
          "(SELECT count(*) FROM findings f WHERE f.asset_id = a.id "
          "AND f.state IN " +
              OpenStatesSql() +
              "), a.decommissioned_at, a.decommissioned_by, "
              "a.decommission_reason, a.reappeared_at, a.id FROM assets a "
              "WHERE ($1::text IS NULL OR a.state = $1::text) ORDER BY a.name, a.id",
          p, false));
  return MapRows(r, [](const Row& row) {
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

Result<std::vector<ScannerView>> PgStore::QueryScanners() {
  ASSIGN_OR_RETURN(
      PgResult r,
      Run("SELECT s.name, s.kind, (SELECT count(*) FROM scans WHERE scanner_id = s.id), "
          "(SELECT count(DISTINCT asset_id) FROM host_scans WHERE scanner_id = s.id), "
          "(SELECT max(imported_at) FROM scans WHERE scanner_id = s.id), "
          "(SELECT max(coalesce(ended_at, started_at)) FROM scans WHERE scanner_id = s.id), "
          "s.cadence_seconds, s.grace_seconds, s.created_at FROM scanners s ORDER BY s.name",
          Params(), false));
  return MapRows(r, [](const Row& row) {
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

Result<std::vector<ScanRecord>> PgStore::QueryScans() {
  std::vector<ScanRecord> out;
  RETURN_IF_ERROR(
      ForEach("SELECT s.id, s.scanner_id, sc.name, s.digest, s.size, s.file_name, s.format, "
              "s.report_name, s.policy_name, s.started_at, s.ended_at, s.imported_at, "
              "s.imported_by, s.hosts, s.findings, s.vulnerabilities, s.new_findings, "
              "s.fixed, s.reopened, s.unchanged, s.absent_unverified, s.stale_hosts, "
              "s.reappeared, s.warnings, s.tool FROM scans s JOIN scanners sc "
              "ON sc.id = s.scanner_id ORDER BY s.imported_at, s.id",
              Params(), [&](const Row& row) {
                out.push_back(ReadScan(row));
                return Status::Ok();
              }));
  return out;
}

Result<std::vector<Timestamp>> PgStore::ScanTimes(const std::string& scanner) {
  ASSIGN_OR_RETURN(PgResult r,
                   Run("SELECT t FROM (SELECT coalesce(c.ended_at, c.started_at) AS t "
                       "FROM scans c JOIN scanners s ON s.id = c.scanner_id WHERE s.name = $1) x "
                       "WHERE t IS NOT NULL ORDER BY t",
                       Params().Add(scanner)));
  return MapRows(r, [](const Row& row) { return row.Time(0); });
}

}  // namespace vigil::postgres
