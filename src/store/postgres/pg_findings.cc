// PgStore: vulnerability definitions, findings and attributions (the write path of an import).
#include "store/postgres/pg_store.h"

namespace vigil::postgres {
namespace {

// $1..$31 of a vulnerability row, in the order of kVulnColumns.
Params VulnParams(const VulnerabilityDef& d, const VulnClass& cls, Timestamp defined_at) {
  Params p;
  p.Add(d.key).Add(d.source).Add(d.source_id).Add(d.title).AddText(d.family);
  p.AddText(d.synopsis).AddText(d.description).AddText(d.solution).AddText(d.risk_factor);
  p.Add(d.scanner_severity).AddText(d.cvss2_vector).Add(d.cvss2_score).AddText(d.cvss3_vector);
  p.Add(d.cvss3_score).AddText(d.cvss4_vector).Add(d.cvss4_score).Add(d.vpr_score);
  p.Add(d.epss_score);
  if (d.exploit_available) {
    p.Add(*d.exploit_available ? 1 : 0);
  } else {
    p.AddNull();
  }
  p.AddText(d.check_type).Add(d.published).Add(d.modified).Add(d.patch_published);
  p.Add(d.vuln_published).Add(cls.class_name).Add(cls.class_source);
  p.Add(static_cast<int64_t>(d.ContentHash())).Add(defined_at).Add(cls.auto_class);
  p.Add(cls.auto_source).Add(cls.rating_score);
  return p;
}

constexpr const char* kVulnColumns =
    "key, source, source_id, title, family, synopsis, description, solution, risk_factor, "
    "scanner_severity, cvss2_vector, cvss2_score, cvss3_vector, cvss3_score, cvss4_vector, "
    "cvss4_score, vpr_score, epss_score, exploit_available, check_type, published, modified, "
    "patch_published, vuln_published, class, class_source, content_hash, defined_at, "
    "auto_class, auto_class_source, rating_score";

// The package fields and the QoD (NULL when empty).
void AddPackage(Params& p, const FindingRecord& f) {
  p.AddText(f.package.name).AddText(f.package.version).AddText(f.package.purl);
  p.AddText(f.package.path).AddText(f.package.fixed_version);
  if (f.qod) {
    p.Add(*f.qod);
  } else {
    p.AddNull();
  }
}

void AddFixedScan(Params& p, int64_t fixed_scan_id) {
  if (fixed_scan_id != 0) {
    p.Add(fixed_scan_id);
  } else {
    p.AddNull();
  }
}

// $1..$7 of an attribution.
Params AttributionParams(const AttributionRecord& a) {
  Params p;
  p.Add(a.finding_id).Add(a.scanner_id).Add(ToString(a.presence)).Add(a.first_seen);
  p.Add(a.last_seen).Add(a.absent_since).Add(a.last_scan_id);
  return p;
}

FindingOnAsset ReadFindingOnAsset(const Row& row, int64_t asset_id, int64_t scanner_id) {
  FindingOnAsset f;
  FindingRecord& r = f.finding;
  r.id = row.Int(0);
  r.vuln_id = row.Int(1);
  r.asset_id = asset_id;
  r.port = static_cast<int>(row.Int(2));
  r.protocol = row.Text(3);
  r.service = row.Text(4);
  r.state = ParseFindingState(row.Text(5)).value_or(FindingState::kOpen);
  r.first_seen = row.Time(6);
  r.last_seen = row.Time(7);
  r.fixed_at = row.OptTime(8);
  r.fixed_scan_id = row.OptInt(9).value_or(0);
  r.times_reopened = static_cast<int>(row.Int(10));
  r.absent_unverified = row.Int(11) != 0;
  f.vuln_key = row.Text(12);
  f.vuln_source_id = row.Text(13);
  f.check_type = row.Text(14);
  if (!row.IsNull(15)) {
    AttributionRecord a;
    a.finding_id = r.id;
    a.scanner_id = scanner_id;
    a.presence = ParsePresence(row.Text(15)).value_or(Presence::kPresent);
    a.first_seen = row.Time(16);
    a.last_seen = row.Time(17);
    a.absent_since = row.OptTime(18);
    a.last_scan_id = row.Int(19);
    a.output_hash = row.Int(20);
    f.mine = std::move(a);
  }
  f.others_unresolved = static_cast<int>(row.Int(21));
  r.location = row.Text(22);
  r.package = FindingPackage{.name = row.Text(23),
                             .version = row.Text(24),
                             .purl = row.Text(25),
                             .path = row.Text(26),
                             .fixed_version = row.Text(27)};
  r.qod = row.IsNull(28) ? std::nullopt : std::optional<int>(static_cast<int>(row.Int(28)));
  return f;
}

// InsertFindings's COPYs: the columns and the rows of each table.
const std::vector<std::string> kNewFindingColumns = {"id",
                                                     "vuln_id",
                                                     "asset_id",
                                                     "port",
                                                     "protocol",
                                                     "service",
                                                     "state",
                                                     "first_seen",
                                                     "last_seen",
                                                     "fixed_at",
                                                     "fixed_scan_id",
                                                     "times_reopened",
                                                     "absent_unverified",
                                                     "location",
                                                     "package_name",
                                                     "package_version",
                                                     "package_purl",
                                                     "package_path",
                                                     "fixed_version",
                                                     "qod"};
const std::vector<std::string> kNewEvidenceColumns = {"id", "finding_id", "scanner_id", "scan_id",
                                                      "output"};
const std::vector<std::string> kNewSourceColumns = {
    "id",        "finding_id",   "scanner_id",   "presence",    "first_seen",
    "last_seen", "absent_since", "last_scan_id", "evidence_id", "output_hash"};

Cell OptText(const std::string& v) {
  return v.empty() ? Cell::Null() : Cell::Text(v);
}

Cell OptTime(std::optional<Timestamp> t) {
  return t ? Cell::Int(ToUnixSeconds(*t)) : Cell::Null();
}

RowSource NewFindingRows(const std::vector<NewFinding>& rows) {
  return [&rows](const RowPut& put) -> Status {
    for (const NewFinding& row : rows) {
      const FindingRecord& f = row.finding;
      RETURN_IF_ERROR(put({Cell::Int(f.id),
                           Cell::Int(f.vuln_id),
                           Cell::Int(f.asset_id),
                           Cell::Int(f.port),
                           Cell::Text(f.protocol),
                           OptText(f.service),
                           Cell::Text(std::string(ToString(f.state))),
                           Cell::Int(ToUnixSeconds(f.first_seen)),
                           Cell::Int(ToUnixSeconds(f.last_seen)),
                           OptTime(f.fixed_at),
                           f.fixed_scan_id != 0 ? Cell::Int(f.fixed_scan_id) : Cell::Null(),
                           Cell::Int(f.times_reopened),
                           Cell::Int(f.absent_unverified ? 1 : 0),
                           Cell::Text(f.location),
                           OptText(f.package.name),
                           OptText(f.package.version),
                           OptText(f.package.purl),
                           OptText(f.package.path),
                           OptText(f.package.fixed_version),
                           f.qod ? Cell::Int(*f.qod) : Cell::Null()}));
    }
    return Status::Ok();
  };
}

RowSource NewEvidenceRows(const std::vector<NewFinding>& rows,
                          const std::vector<int64_t>& evidence) {
  return [&rows, &evidence](const RowPut& put) -> Status {
    for (size_t i = 0; i < rows.size(); ++i) {
      const AttributionRecord& a = rows[i].attribution;
      RETURN_IF_ERROR(put({Cell::Int(evidence[i]), Cell::Int(a.finding_id), Cell::Int(a.scanner_id),
                           Cell::Int(a.last_scan_id), Cell::Text(a.output)}));
    }
    return Status::Ok();
  };
}

RowSource NewSourceRows(const std::vector<NewFinding>& rows, const std::vector<int64_t>& sources,
                        const std::vector<int64_t>& evidence) {
  return [&rows, &sources, &evidence](const RowPut& put) -> Status {
    for (size_t i = 0; i < rows.size(); ++i) {
      const AttributionRecord& a = rows[i].attribution;
      RETURN_IF_ERROR(put(
          {Cell::Int(sources[i]), Cell::Int(a.finding_id), Cell::Int(a.scanner_id),
           Cell::Text(std::string(ToString(a.presence))), Cell::Int(ToUnixSeconds(a.first_seen)),
           Cell::Int(ToUnixSeconds(a.last_seen)), OptTime(a.absent_since),
           Cell::Int(a.last_scan_id), Cell::Int(evidence[i]), Cell::Int(a.output_hash)}));
    }
    return Status::Ok();
  };
}

}  // namespace

Result<std::optional<VulnStamp>> PgStore::FindVulnerability(const std::string& key) {
  ASSIGN_OR_RETURN(auto stamps, FindVulnerabilities({key}));
  return std::move(stamps.front());
}

Result<std::vector<std::optional<VulnStamp>>> PgStore::FindVulnerabilities(
    const std::vector<std::string>& keys) {
  std::vector<std::optional<VulnStamp>> out(keys.size());
  if (keys.empty()) {
    return out;
  }
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT id, content_hash, defined_at, class_source, class, "
                                   "auto_class, auto_class_source, rating_score, key "
                                   "FROM vulnerabilities WHERE key = ANY($1::text[])",
                                   Params().AddArray(keys)));
  std::unordered_map<std::string, std::vector<size_t>> at;  // a key given twice: both places
  for (size_t i = 0; i < keys.size(); ++i) {
    at[keys[i]].push_back(i);
  }
  for (int i = 0; i < r.Rows(); ++i) {
    Row row(r, i);
    auto where = at.find(row.Text(8));
    if (where == at.end()) {
      continue;
    }
    VulnStamp stamp{.id = row.Int(0),
                    .content_hash = row.Int(1),
                    .defined_at = row.Time(2),
                    .cls = {.class_name = row.Text(4),
                            .class_source = row.Text(3),
                            .auto_class = row.Text(5),
                            .auto_source = row.Text(6),
                            .rating_score = row.OptDouble(7)}};
    for (size_t k : where->second) {
      out[k] = stamp;
    }
  }
  return out;
}

Result<int64_t> PgStore::InsertVulnerability(const VulnerabilityDef& def, const VulnClass& cls,
                                             Timestamp defined_at) {
  static const std::string kSql =
      std::string("INSERT INTO vulnerabilities (") + kVulnColumns +
      ", id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, "
      "$18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32)";
  return InTransactionIfNone([&]() -> Result<int64_t> {
    ASSIGN_OR_RETURN(int64_t id, NextId("vulnerabilities"));
    Params p = VulnParams(def, cls, defined_at);
    p.Add(id);
    RETURN_IF_ERROR(Queue(kSql, std::move(p)));
    RETURN_IF_ERROR(ReplaceRefs(id, def));
    return id;
  });
}

Status PgStore::UpdateVulnerability(int64_t id, const VulnerabilityDef& def, const VulnClass& cls,
                                    Timestamp defined_at) {
  static const std::string kSql = std::string("UPDATE vulnerabilities SET (") + kVulnColumns +
                                  ") = ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
                                  "$14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, "
                                  "$26, $27, $28, $29, $30, $31) WHERE id = $32";
  return InTransactionIfNone([&]() -> Result<int64_t> {
           Params p = VulnParams(def, cls, defined_at);
           p.Add(id);
           RETURN_IF_ERROR(Queue(kSql, std::move(p)));
           RETURN_IF_ERROR(ReplaceRefs(id, def));
           return id;
         })
      .status();
}

Status PgStore::ReplaceRefs(int64_t vuln_id, const VulnerabilityDef& def) {
  RETURN_IF_ERROR(
      Queue("DELETE FROM vulnerability_refs WHERE vuln_id = $1", Params().Add(vuln_id)));
  for (const auto& ref : def.refs) {
    RETURN_IF_ERROR(
        Queue("INSERT INTO vulnerability_refs (vuln_id, kind, value) "
              "VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
              Params().Add(vuln_id).Add(ref.kind).Add(ref.value)));
  }
  return Status::Ok();
}

Result<std::vector<FindingOnAsset>> PgStore::FindingsOnAsset(int64_t asset_id, int64_t scanner_id) {
  // In the order of the findings' unique key, as SQLite reads them through its index.
  ASSIGN_OR_RETURN(
      PgResult r,
      Run("SELECT f.id, f.vuln_id, f.port, f.protocol, f.service, f.state, f.first_seen, "
          "f.last_seen, f.fixed_at, f.fixed_scan_id, f.times_reopened, f.absent_unverified, "
          "v.key, v.source_id, v.check_type, s.presence, s.first_seen, s.last_seen, "
          "s.absent_since, s.last_scan_id, s.output_hash, "
          "(SELECT count(*) FROM finding_sources o WHERE o.finding_id = f.id "
          " AND o.scanner_id <> $2 AND o.presence <> 'absent-verified'), "
          "f.location, f.package_name, f.package_version, f.package_purl, f.package_path, "
          "f.fixed_version, f.qod "
          "FROM findings f JOIN vulnerabilities v ON v.id = f.vuln_id "
          "LEFT JOIN finding_sources s ON s.finding_id = f.id AND s.scanner_id = $2 "
          "WHERE f.asset_id = $1 ORDER BY f.vuln_id, f.port, f.protocol, f.location",
          Params().Add(asset_id).Add(scanner_id)));
  return MapRows(r, [&](const Row& row) { return ReadFindingOnAsset(row, asset_id, scanner_id); });
}

Result<int64_t> PgStore::InsertFinding(const FindingRecord& f) {
  // An import's rows are queued and go to the server in batches (Connection::Queue), each
  // with the id it is given here.
  return InTransactionIfNone([&]() -> Result<int64_t> {
    ASSIGN_OR_RETURN(int64_t id, NextId("findings"));
    ledger_.Inserted("findings", id);
    ledger_.NoteFinding(f);
    Params p;
    p.Add(id).Add(f.vuln_id).Add(f.asset_id).Add(f.port).Add(f.protocol).AddText(f.service);
    p.Add(ToString(f.state)).Add(f.first_seen).Add(f.last_seen).Add(f.fixed_at);
    AddFixedScan(p, f.fixed_scan_id);
    p.Add(f.times_reopened).Add(f.absent_unverified ? 1 : 0).Add(f.location);
    AddPackage(p, f);
    RETURN_IF_ERROR(
        Queue("INSERT INTO findings (id, vuln_id, asset_id, port, protocol, service, state, "
              "first_seen, last_seen, fixed_at, fixed_scan_id, times_reopened, "
              "absent_unverified, location, package_name, package_version, package_purl, "
              "package_path, fixed_version, qod) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
              "$10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)",
              std::move(p)));
    return id;
  });
}

Status PgStore::UpdateFinding(const FindingRecord& f) {
  Params p;
  p.Add(f.id).AddText(f.service).Add(ToString(f.state)).Add(f.first_seen).Add(f.last_seen);
  p.Add(f.fixed_at);
  AddFixedScan(p, f.fixed_scan_id);
  p.Add(f.times_reopened).Add(f.absent_unverified ? 1 : 0);
  AddPackage(p, f);
  return InTransactionIfNone([&]() -> Result<int64_t> {
           ledger_.Refers("scans", f.fixed_scan_id);
           RETURN_IF_ERROR(Queue(
               "UPDATE findings SET service = $2, state = $3, first_seen = $4, last_seen = $5, "
               "fixed_at = $6, fixed_scan_id = $7, times_reopened = $8, absent_unverified = $9, "
               "package_name = $10, package_version = $11, package_purl = $12, "
               "package_path = $13, fixed_version = $14, qod = $15 WHERE id = $1",
               std::move(p)));
           return f.id;
         })
      .status();
}

Result<int64_t> PgStore::InsertEvidence(const AttributionRecord& a) {
  ASSIGN_OR_RETURN(int64_t id, NextId("evidence"));
  ledger_.NoteEvidence(id, a);
  RETURN_IF_ERROR(Queue(
      "INSERT INTO evidence (id, finding_id, scanner_id, scan_id, output) "
      "VALUES ($1, $2, $3, $4, $5)",
      Params().Add(id).Add(a.finding_id).Add(a.scanner_id).Add(a.last_scan_id).Add(a.output)));
  return id;
}

Status PgStore::InsertAttribution(const AttributionRecord& a) {
  return InTransactionIfNone([&]() -> Result<int64_t> {
           ASSIGN_OR_RETURN(int64_t evidence, InsertEvidence(a));
           ASSIGN_OR_RETURN(int64_t id, NextId("finding_sources"));
           ledger_.NoteAttribution(a, evidence);
           Params p = AttributionParams(a);
           p.Add(evidence).Add(a.output_hash).Add(id);
           RETURN_IF_ERROR(Queue(
               "INSERT INTO finding_sources (id, finding_id, scanner_id, presence, first_seen, "
               "last_seen, absent_since, last_scan_id, evidence_id, output_hash) VALUES "
               "($10, $1, $2, $3, $4, $5, $6, $7, $8, $9)",
               std::move(p)));
           return id;
         })
      .status();
}

Status PgStore::InsertFindings(std::vector<NewFinding>& rows) {
  if (rows.empty()) {
    return Status::Ok();
  }
  // Three COPYs, in the order of the tables' references, instead of three statements per
  // finding; the statements queued before them are sent first.
  return InTransactionIfNone([&]() -> Result<int64_t> {
           std::vector<int64_t> evidence(rows.size());
           std::vector<int64_t> sources(rows.size());
           for (size_t i = 0; i < rows.size(); ++i) {
             ASSIGN_OR_RETURN(rows[i].finding.id, NextId("findings"));
             rows[i].attribution.finding_id = rows[i].finding.id;
             ASSIGN_OR_RETURN(evidence[i], NextId("evidence"));
             ASSIGN_OR_RETURN(sources[i], NextId("finding_sources"));
           }
           RETURN_IF_ERROR(InsertRows("findings", kNewFindingColumns, NewFindingRows(rows)));
           RETURN_IF_ERROR(
               InsertRows("evidence", kNewEvidenceColumns, NewEvidenceRows(rows, evidence)));
           RETURN_IF_ERROR(InsertRows("finding_sources", kNewSourceColumns,
                                      NewSourceRows(rows, sources, evidence)));
           return static_cast<int64_t>(rows.size());
         })
      .status();
}

Status PgStore::UpdateAttribution(const AttributionRecord& a, bool with_output) {
  if (!with_output) {
    return InTransactionIfNone([&]() -> Result<int64_t> {
             ledger_.Refers("scans", a.last_scan_id);
             RETURN_IF_ERROR(Queue(
                 "UPDATE finding_sources SET presence = $3, first_seen = $4, last_seen = $5, "
                 "absent_since = $6, last_scan_id = $7 WHERE finding_id = $1 AND scanner_id = $2",
                 AttributionParams(a)));
             return 0;
           })
        .status();
  }
  return InTransactionIfNone([&]() -> Result<int64_t> {
           ASSIGN_OR_RETURN(int64_t evidence, InsertEvidence(a));
           ledger_.Refers("scans", a.last_scan_id);
           ledger_.Refers("evidence", evidence);
           Params p = AttributionParams(a);
           p.Add(evidence).Add(a.output_hash);
           RETURN_IF_ERROR(
               Queue("UPDATE finding_sources SET presence = $3, first_seen = $4, last_seen = $5, "
                     "absent_since = $6, last_scan_id = $7, evidence_id = $8, output_hash = $9 "
                     "WHERE finding_id = $1 AND scanner_id = $2",
                     std::move(p)));
           return evidence;
         })
      .status();
}

Status PgStore::TouchPresent(int64_t asset_id, int64_t scanner_id, int64_t scan_id,
                             Timestamp seen) {
  return InTransactionIfNone([&]() -> Result<int64_t> {
           ledger_.Refers("scans", scan_id);
           Params p;
           p.Add(asset_id).Add(scanner_id).Add(scan_id).Add(seen);
           RETURN_IF_ERROR(Queue(
               "UPDATE finding_sources SET last_seen = greatest(last_seen, $4), last_scan_id = $3 "
               "WHERE scanner_id = $2 AND presence = 'present' "
               "AND (last_scan_id <> $3 OR last_seen < $4) "
               "AND finding_id IN (SELECT id FROM findings WHERE asset_id = $1)",
               std::move(p)));
           RETURN_IF_ERROR(
               Queue("UPDATE findings SET last_seen = $3 WHERE asset_id = $1 AND last_seen < $3 "
                     "AND EXISTS (SELECT 1 FROM finding_sources s WHERE s.finding_id = findings.id "
                     "AND s.scanner_id = $2 AND s.presence = 'present')",
                     Params().Add(asset_id).Add(scanner_id).Add(seen)));
           return 0;
         })
      .status();
}

Result<int64_t> PgStore::SetFindingStates(int64_t asset_id, const std::vector<FindingState>& from,
                                          FindingState to) {
  std::vector<std::string> states;
  states.reserve(from.size());
  for (FindingState s : from) {
    states.emplace_back(ToString(s));
  }
  ASSIGN_OR_RETURN(PgResult r,
                   Run("UPDATE findings SET state = $3 WHERE asset_id = $1 "
                       "AND state = ANY($2::text[])",
                       Params().Add(asset_id).AddArray(states).Add(std::string(ToString(to)))));
  return r.Affected();
}

}  // namespace vigil::postgres
