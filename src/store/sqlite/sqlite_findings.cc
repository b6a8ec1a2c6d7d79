// SqliteStore: vulnerability definitions, findings and attributions (the write path of an
// import).
#include <algorithm>

#include "store/sqlite/sqlite_store.h"

namespace vigil::sqlite {

Result<std::vector<std::optional<VulnStamp>>> SqliteStore::FindVulnerabilities(
    const std::vector<std::string>& keys) {
  std::vector<std::optional<VulnStamp>> out;
  out.reserve(keys.size());
  for (const std::string& key : keys) {
    ASSIGN_OR_RETURN(auto stamp, FindVulnerability(key));
    out.push_back(std::move(stamp));
  }
  return out;
}

Result<std::optional<VulnStamp>> SqliteStore::FindVulnerability(const std::string& key) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT id, content_hash, defined_at, class_source, class, "
                                "auto_class, auto_class_source, rating_score "
                                "FROM vulnerabilities WHERE key = ?1"));
  st->Bind(1, key);
  ASSIGN_OR_RETURN(bool row, st->Step());
  std::optional<VulnStamp> out;
  if (row) {
    out = VulnStamp{.id = st->Int(0),
                    .content_hash = st->Int(1),
                    .defined_at = st->Time(2),
                    .cls = {.class_name = st->Text(4),
                            .class_source = st->Text(3),
                            .auto_class = st->Text(5),
                            .auto_source = st->Text(6),
                            .rating_score = st->OptDouble(7)}};
  }
  st->Reset();
  return out;
}

Status SqliteStore::BindVulnerability(Statement& st, const VulnerabilityDef& d,
                                      const VulnClass& cls, Timestamp defined_at) {
  st.Bind(1, d.key).Bind(2, d.source).Bind(3, d.source_id).Bind(4, d.title);
  st.BindText(5, d.family).BindText(6, d.synopsis).BindText(7, d.description);
  st.BindText(8, d.solution).BindText(9, d.risk_factor).Bind(10, d.scanner_severity);
  st.BindText(11, d.cvss2_vector).Bind(12, d.cvss2_score).BindText(13, d.cvss3_vector);
  st.Bind(14, d.cvss3_score).BindText(15, d.cvss4_vector).Bind(16, d.cvss4_score);
  st.Bind(17, d.vpr_score).Bind(18, d.epss_score);
  if (d.exploit_available) {
    st.Bind(19, *d.exploit_available ? 1 : 0);
  }
  st.BindText(20, d.check_type).Bind(21, d.published).Bind(22, d.modified);
  st.Bind(23, d.patch_published).Bind(24, d.vuln_published).Bind(25, cls.class_name);
  st.Bind(26, cls.class_source)
      .Bind(27, static_cast<int64_t>(d.ContentHash()))
      .Bind(28, defined_at);
  st.Bind(29, cls.auto_class).Bind(30, cls.auto_source).Bind(31, cls.rating_score);
  return Status::Ok();
}

Result<int64_t> SqliteStore::InsertVulnerability(const VulnerabilityDef& def, const VulnClass& cls,
                                                 Timestamp defined_at) {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare("INSERT INTO vulnerabilities (key, source, source_id, title, family, "
                   "synopsis, description, solution, risk_factor, scanner_severity, "
                   "cvss2_vector, cvss2_score, cvss3_vector, cvss3_score, cvss4_vector, "
                   "cvss4_score, vpr_score, epss_score, exploit_available, check_type, "
                   "published, modified, patch_published, vuln_published, class, class_source, "
                   "content_hash, defined_at, auto_class, auto_class_source, rating_score) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                   "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, "
                   "?26, ?27, ?28, ?29, ?30, ?31)"));
  RETURN_IF_ERROR(BindVulnerability(*st, def, cls, defined_at));
  RETURN_IF_ERROR(st->Run());
  int64_t id = db_->LastInsertId();
  RETURN_IF_ERROR(ReplaceRefs(id, def));
  return id;
}

Status SqliteStore::UpdateVulnerability(int64_t id, const VulnerabilityDef& def,
                                        const VulnClass& cls, Timestamp defined_at) {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare("UPDATE vulnerabilities SET key = ?1, source = ?2, source_id = ?3, "
                   "title = ?4, family = ?5, synopsis = ?6, description = ?7, solution = ?8, "
                   "risk_factor = ?9, scanner_severity = ?10, cvss2_vector = ?11, "
                   "cvss2_score = ?12, cvss3_vector = ?13, cvss3_score = ?14, "
                   "cvss4_vector = ?15, cvss4_score = ?16, vpr_score = ?17, epss_score = ?18, "
                   "exploit_available = ?19, check_type = ?20, published = ?21, modified = ?22, "
                   "patch_published = ?23, vuln_published = ?24, class = ?25, "
                   "class_source = ?26, content_hash = ?27, defined_at = ?28, auto_class = ?29, "
                   "auto_class_source = ?30, rating_score = ?31 WHERE id = ?32"));
  RETURN_IF_ERROR(BindVulnerability(*st, def, cls, defined_at));
  st->Bind(32, id);
  RETURN_IF_ERROR(st->Run());
  return ReplaceRefs(id, def);
}

Status SqliteStore::ReplaceRefs(int64_t vuln_id, const VulnerabilityDef& def) {
  ASSIGN_OR_RETURN(Statement * del,
                   db_->Prepare("DELETE FROM vulnerability_refs WHERE vuln_id = ?1"));
  RETURN_IF_ERROR(del->Bind(1, vuln_id).Run());
  ASSIGN_OR_RETURN(Statement * ins,
                   db_->Prepare("INSERT OR IGNORE INTO vulnerability_refs (vuln_id, kind, value) "
                                "VALUES (?1, ?2, ?3)"));
  for (const auto& r : def.refs) {
    ins->Reset();
    RETURN_IF_ERROR(ins->Bind(1, vuln_id).Bind(2, r.kind).Bind(3, r.value).Run());
  }
  return Status::Ok();
}

namespace {

// Binds the package fields and the QoD at `first` .. `first + 5` (NULL when empty).
void BindPackage(Statement& st, int first, const FindingRecord& f) {
  st.BindText(first, f.package.name).BindText(first + 1, f.package.version);
  st.BindText(first + 2, f.package.purl).BindText(first + 3, f.package.path);
  st.BindText(first + 4, f.package.fixed_version);
  if (f.qod) {
    st.Bind(first + 5, *f.qod);
  }
}

}  // namespace

Result<std::vector<FindingOnAsset>> SqliteStore::FindingsOnAsset(int64_t asset_id,
                                                                 int64_t scanner_id) {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare(
          "SELECT f.id, f.vuln_id, f.port, f.protocol, f.service, f.state, f.first_seen, "
          "f.last_seen, f.fixed_at, f.fixed_scan_id, f.times_reopened, f.absent_unverified, "
          "v.key, v.source_id, v.check_type, s.presence, s.first_seen, s.last_seen, "
          "s.absent_since, s.last_scan_id, s.output_hash, "
          "(SELECT count(*) FROM finding_sources o WHERE o.finding_id = f.id "
          " AND o.scanner_id <> ?2 AND o.presence <> 'absent-verified'), "
          "f.location, f.package_name, f.package_version, f.package_purl, f.package_path, "
          "f.fixed_version, f.qod "
          "FROM findings f JOIN vulnerabilities v ON v.id = f.vuln_id "
          "LEFT JOIN finding_sources s ON s.finding_id = f.id AND s.scanner_id = ?2 "
          "WHERE f.asset_id = ?1"));
  st->Bind(1, asset_id).Bind(2, scanner_id);
  return st->Rows([&](const Statement& row) {
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
  });
}

Result<int64_t> SqliteStore::InsertFinding(const FindingRecord& f) {
  int64_t id = 0;
  RETURN_IF_ERROR(Checked([&]() -> Status {
    ASSIGN_OR_RETURN(
        Statement * st,
        db_->Prepare(
            "INSERT INTO findings (vuln_id, asset_id, port, protocol, service, state, "
            "first_seen, last_seen, fixed_at, fixed_scan_id, times_reopened, "
            "absent_unverified, location, package_name, package_version, package_purl, "
            "package_path, fixed_version, qod) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
            "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"));
    st->Bind(1, f.vuln_id).Bind(2, f.asset_id).Bind(3, f.port).Bind(4, f.protocol);
    st->BindText(5, f.service).Bind(6, ToString(f.state)).Bind(7, f.first_seen);
    st->Bind(8, f.last_seen).Bind(9, f.fixed_at);
    if (f.fixed_scan_id != 0) {
      st->Bind(10, f.fixed_scan_id);
    }
    st->Bind(11, f.times_reopened).Bind(12, f.absent_unverified ? 1 : 0);
    st->Bind(13, f.location);
    BindPackage(*st, 14, f);
    RETURN_IF_ERROR(st->Run());
    id = db_->LastInsertId();
    ledger_.Inserted("findings", id);
    ledger_.NoteFinding(f);
    return Status::Ok();
  }));
  return id;
}

Status SqliteStore::UpdateFinding(const FindingRecord& f) {
  return Checked([&]() -> Status {
    ledger_.Refers("scans", f.fixed_scan_id);
    ASSIGN_OR_RETURN(
        Statement * st,
        db_->Prepare("UPDATE findings SET service = ?2, state = ?3, first_seen = ?4, "
                     "last_seen = ?5, fixed_at = ?6, fixed_scan_id = ?7, times_reopened = ?8, "
                     "absent_unverified = ?9, package_name = ?10, package_version = ?11, "
                     "package_purl = ?12, package_path = ?13, fixed_version = ?14, qod = ?15 "
                     "WHERE id = ?1"));
    st->Bind(1, f.id).BindText(2, f.service).Bind(3, ToString(f.state)).Bind(4, f.first_seen);
    st->Bind(5, f.last_seen).Bind(6, f.fixed_at);
    if (f.fixed_scan_id != 0) {
      st->Bind(7, f.fixed_scan_id);
    }
    st->Bind(8, f.times_reopened).Bind(9, f.absent_unverified ? 1 : 0);
    BindPackage(*st, 10, f);
    return st->Run();
  });
}

namespace {

void BindAttribution(Statement& st, const AttributionRecord& a) {
  st.Bind(1, a.finding_id).Bind(2, a.scanner_id).Bind(3, ToString(a.presence));
  st.Bind(4, a.first_seen).Bind(5, a.last_seen).Bind(6, a.absent_since);
  st.Bind(7, a.last_scan_id);
}

}  // namespace

Result<int64_t> SqliteStore::InsertEvidence(const AttributionRecord& a) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT INTO evidence (finding_id, scanner_id, scan_id, output) "
                                "VALUES (?1, ?2, ?3, ?4)"));
  st->Bind(1, a.finding_id).Bind(2, a.scanner_id).Bind(3, a.last_scan_id).Bind(4, a.output);
  RETURN_IF_ERROR(st->Run());
  int64_t id = db_->LastInsertId();
  ledger_.NoteEvidence(id, a);
  return id;
}

Status SqliteStore::InsertAttribution(const AttributionRecord& a) {
  return Checked([&]() -> Status {
    ASSIGN_OR_RETURN(int64_t evidence, InsertEvidence(a));
    ledger_.NoteAttribution(a, evidence);
    ASSIGN_OR_RETURN(
        Statement * st,
        db_->Prepare("INSERT INTO finding_sources (finding_id, scanner_id, presence, first_seen, "
                     "last_seen, absent_since, last_scan_id, evidence_id, output_hash) "
                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"));
    BindAttribution(*st, a);
    st->Bind(8, evidence).Bind(9, a.output_hash);
    return st->Run();
  });
}

namespace {

// Rows per multi-row INSERT of a host's new findings: each statement has a fixed cost (its
// cursors on the table, its indexes and the tables it refers to, opened and closed), which
// one statement of many rows pays once. 32 rows of findings are 640 parameters, far below
// SQLite's limit.
constexpr size_t kRowsPerInsert = 32;

// "INSERT INTO <table> (<columns>) VALUES (?, ...), ..." for 1 to kRowsPerInsert rows, made
// once: the statement cache finds a text again by its address.
class MultiRowInsert {
 public:
  MultiRowInsert(std::string_view head, size_t columns) : columns_(columns) {
    std::string row = "(?";
    for (size_t c = 1; c < columns; ++c) {
      row += ", ?";
    }
    row += ")";
    std::string sql(head);
    sql += " VALUES ";
    for (size_t n = 1; n <= kRowsPerInsert; ++n) {
      sql += n == 1 ? row : ", " + row;
      texts_.push_back(sql);
    }
  }
  std::string_view Sql(size_t rows) const { return texts_[rows - 1]; }
  // The 1-based parameter index of a row's column, both 0-based.
  int Param(size_t row, size_t column) const {
    return static_cast<int>(row * columns_ + column + 1);
  }

 private:
  size_t columns_;
  std::vector<std::string> texts_;
};

Result<int64_t> MaxId(Database& db, const char* sql) {
  ASSIGN_OR_RETURN(Statement * st, db.Prepare(sql));
  ASSIGN_OR_RETURN(bool row, st->Step());
  int64_t max = row ? st->Int(0) : 0;
  st->Reset();
  return max;
}

}  // namespace

Status SqliteStore::InsertFindings(std::vector<NewFinding>& rows) {
  // Inside the write transaction nothing else adds rows, so the new rows' ids are the ones
  // after the largest: knowing them, a finding's evidence and attribution can refer to it
  // before any of them is written, and each table gets its rows in statements of many rows.
  static const MultiRowInsert kFindings(
      "INSERT INTO findings (id, vuln_id, asset_id, port, protocol, service, state, "
      "first_seen, last_seen, fixed_at, fixed_scan_id, times_reopened, absent_unverified, "
      "location, package_name, package_version, package_purl, package_path, fixed_version, "
      "qod)",
      20);
  static const MultiRowInsert kEvidence(
      "INSERT INTO evidence (id, finding_id, scanner_id, scan_id, output)", 5);
  static const MultiRowInsert kSources(
      "INSERT INTO finding_sources (finding_id, scanner_id, presence, first_seen, last_seen, "
      "absent_since, last_scan_id, evidence_id, output_hash)",
      9);
  if (rows.empty()) {
    return Status::Ok();
  }
  return Checked([&]() -> Status {
    ASSIGN_OR_RETURN(int64_t last_finding,
                     MaxId(*db_, "SELECT coalesce(max(id), 0) FROM findings"));
    ASSIGN_OR_RETURN(int64_t last_evidence,
                     MaxId(*db_, "SELECT coalesce(max(id), 0) FROM evidence"));
    for (size_t i = 0; i < rows.size(); ++i) {
      rows[i].finding.id = last_finding + 1 + static_cast<int64_t>(i);
      rows[i].attribution.finding_id = rows[i].finding.id;
      ledger_.Inserted("findings", rows[i].finding.id);
      ledger_.NoteFinding(rows[i].finding);
      int64_t evidence = last_evidence + 1 + static_cast<int64_t>(i);
      ledger_.NoteEvidence(evidence, rows[i].attribution);
      ledger_.NoteAttribution(rows[i].attribution, evidence);
    }
    for (size_t start = 0; start < rows.size(); start += kRowsPerInsert) {
      size_t n = std::min(kRowsPerInsert, rows.size() - start);
      ASSIGN_OR_RETURN(Statement * findings, db_->Prepare(kFindings.Sql(n)));
      for (size_t r = 0; r < n; ++r) {
        const FindingRecord& f = rows[start + r].finding;
        auto p = [&](size_t column) { return kFindings.Param(r, column); };
        findings->Bind(p(0), f.id).Bind(p(1), f.vuln_id).Bind(p(2), f.asset_id);
        findings->Bind(p(3), f.port).Bind(p(4), f.protocol).BindText(p(5), f.service);
        findings->Bind(p(6), ToString(f.state)).Bind(p(7), f.first_seen).Bind(p(8), f.last_seen);
        findings->Bind(p(9), f.fixed_at);
        if (f.fixed_scan_id != 0) {
          findings->Bind(p(10), f.fixed_scan_id);
        }
        findings->Bind(p(11), f.times_reopened).Bind(p(12), f.absent_unverified ? 1 : 0);
        findings->Bind(p(13), f.location);
        BindPackage(*findings, p(14), f);
      }
      RETURN_IF_ERROR(findings->Run());
      ASSIGN_OR_RETURN(Statement * evidence, db_->Prepare(kEvidence.Sql(n)));
      for (size_t r = 0; r < n; ++r) {
        const AttributionRecord& a = rows[start + r].attribution;
        auto p = [&](size_t column) { return kEvidence.Param(r, column); };
        evidence->Bind(p(0), last_evidence + 1 + static_cast<int64_t>(start + r));
        evidence->Bind(p(1), a.finding_id).Bind(p(2), a.scanner_id).Bind(p(3), a.last_scan_id);
        evidence->Bind(p(4), a.output);
      }
      RETURN_IF_ERROR(evidence->Run());
      ASSIGN_OR_RETURN(Statement * sources, db_->Prepare(kSources.Sql(n)));
      for (size_t r = 0; r < n; ++r) {
        const AttributionRecord& a = rows[start + r].attribution;
        auto p = [&](size_t column) { return kSources.Param(r, column); };
        sources->Bind(p(0), a.finding_id).Bind(p(1), a.scanner_id).Bind(p(2), ToString(a.presence));
        sources->Bind(p(3), a.first_seen).Bind(p(4), a.last_seen).Bind(p(5), a.absent_since);
        sources->Bind(p(6), a.last_scan_id);
        sources->Bind(p(7), last_evidence + 1 + static_cast<int64_t>(start + r));
        sources->Bind(p(8), a.output_hash);
      }
      RETURN_IF_ERROR(sources->Run());
    }
    return Status::Ok();
  });
}

Status SqliteStore::UpdateAttribution(const AttributionRecord& a, bool with_output) {
  return Checked([&]() -> Status {
    ledger_.Refers("scans", a.last_scan_id);
    if (!with_output) {
      ASSIGN_OR_RETURN(
          Statement * st,
          db_->Prepare("UPDATE finding_sources SET presence = ?3, first_seen = ?4, last_seen = ?5, "
                       "absent_since = ?6, last_scan_id = ?7 "
                       "WHERE finding_id = ?1 AND scanner_id = ?2"));
      BindAttribution(*st, a);
      return st->Run();
    }
    ASSIGN_OR_RETURN(int64_t evidence, InsertEvidence(a));
    ledger_.Refers("evidence", evidence);
    ASSIGN_OR_RETURN(
        Statement * st,
        db_->Prepare("UPDATE finding_sources SET presence = ?3, first_seen = ?4, last_seen = ?5, "
                     "absent_since = ?6, last_scan_id = ?7, evidence_id = ?8, output_hash = ?9 "
                     "WHERE finding_id = ?1 AND scanner_id = ?2"));
    BindAttribution(*st, a);
    st->Bind(8, evidence).Bind(9, a.output_hash);
    return st->Run();
  });
}

Status SqliteStore::TouchPresent(int64_t asset_id, int64_t scanner_id, int64_t scan_id,
                                 Timestamp seen) {
  return Checked([&]() -> Status {
    ledger_.Refers("scans", scan_id);
    ASSIGN_OR_RETURN(
        Statement * sources,
        db_->Prepare("UPDATE finding_sources SET last_seen = max(last_seen, ?4), last_scan_id = ?3 "
                     "WHERE scanner_id = ?2 AND presence = 'present' "
                     "AND (last_scan_id <> ?3 OR last_seen < ?4) "
                     "AND finding_id IN (SELECT id FROM findings WHERE asset_id = ?1)"));
    sources->Bind(1, asset_id).Bind(2, scanner_id).Bind(3, scan_id).Bind(4, seen);
    RETURN_IF_ERROR(sources->Run());
    ASSIGN_OR_RETURN(
        Statement * findings,
        db_->Prepare("UPDATE findings SET last_seen = ?3 WHERE asset_id = ?1 AND last_seen < ?3 "
                     "AND EXISTS (SELECT 1 FROM finding_sources s WHERE s.finding_id = findings.id "
                     "AND s.scanner_id = ?2 AND s.presence = 'present')"));
    findings->Bind(1, asset_id).Bind(2, scanner_id).Bind(3, seen);
    return findings->Run();
  });
}

Result<int64_t> SqliteStore::SetFindingStates(int64_t asset_id,
                                              const std::vector<FindingState>& from,
                                              FindingState to) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("UPDATE findings SET state = ?3 WHERE asset_id = ?1 "
                                "AND instr(?2, ',' || state || ',') > 0"));
  std::string states = StateList(from);
  st->Bind(1, asset_id).Bind(2, states).Bind(3, ToString(to));
  RETURN_IF_ERROR(st->Run());
  return static_cast<int64_t>(db_->Changes());
}

}  // namespace vigil::sqlite
