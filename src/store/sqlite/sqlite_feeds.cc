// The SQLite store's CVE feeds: NVD records with their metrics, and EPSS scores.
#include <algorithm>

#include "core/text.h"
#include "store/sqlite/sqlite_store.h"

namespace vigil::sqlite {

Result<bool> SqliteStore::UpsertCve(const CveRecord& r, Timestamp loaded_at) {
  ASSIGN_OR_RETURN(
      Statement * up,
      db_->Prepare(
          "INSERT INTO nvd_cves (cve, source_identifier, published, last_modified, "
          "status, description, cwes, loaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
          "ON CONFLICT (cve) DO UPDATE SET source_identifier = excluded.source_identifier, "
          "published = excluded.published, last_modified = excluded.last_modified, "
          "status = excluded.status, description = excluded.description, "
          "cwes = excluded.cwes, loaded_at = excluded.loaded_at "
          "WHERE excluded.last_modified > nvd_cves.last_modified"));
  std::string cwes = Join(r.cwes, ",");
  up->Bind(1, r.cve).Bind(2, r.source_identifier).Bind(3, r.published);
  up->Bind(4, r.last_modified).Bind(5, r.status).Bind(6, r.description);
  up->Bind(7, cwes).Bind(8, loaded_at);
  RETURN_IF_ERROR(up->Run());
  if (db_->Changes() == 0) {
    return false;
  }
  ASSIGN_OR_RETURN(Statement * del, db_->Prepare("DELETE FROM nvd_metrics WHERE cve = ?1"));
  del->Bind(1, r.cve);
  RETURN_IF_ERROR(del->Run());
  ASSIGN_OR_RETURN(Statement * ins,
                   db_->Prepare("INSERT OR IGNORE INTO nvd_metrics (cve, version, source, type, "
                                "vector, score, severity) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
  for (const auto& m : r.metrics) {
    ins->Reset();
    ins->Bind(1, r.cve).Bind(2, m.version).Bind(3, m.source).Bind(4, m.type);
    ins->Bind(5, m.vector).Bind(6, m.score).Bind(7, m.severity);
    RETURN_IF_ERROR(ins->Run());
  }
  return true;
}

Result<std::optional<CveRecord>> SqliteStore::FindCve(const std::string& cve) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT source_identifier, published, last_modified, status, "
                                "description, cwes FROM nvd_cves WHERE cve = ?1"));
  st->Bind(1, cve);
  ASSIGN_OR_RETURN(auto rows, st->Rows([&](const Statement& row) {
    return CveRecord{.cve = cve,
                     .source_identifier = row.Text(0),
                     .published = row.OptTime(1),
                     .last_modified = row.Time(2),
                     .status = row.Text(3),
                     .description = row.Text(4),
                     .cwes = SplitNonEmpty(row.Text(5), ",")};
  }));
  std::optional<CveRecord> out;
  if (rows.empty()) {
    return out;
  }
  out = std::move(rows.front());
  ASSIGN_OR_RETURN(out->metrics, CvssMetricsOf(cve));
  return out;
}

Result<int64_t> SqliteStore::CountCves() {
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare("SELECT count(*) FROM nvd_cves"));
  ASSIGN_OR_RETURN(auto rows, st->Rows([](const Statement& row) { return row.Int(0); }));
  return rows.empty() ? 0 : rows.front();
}

Result<std::map<std::string, std::vector<CvssMetric>>> SqliteStore::CvssMetricsOfEach(
    const std::vector<std::string>& cves) {
  std::map<std::string, std::vector<CvssMetric>> out;
  for (const std::string& cve : cves) {
    ASSIGN_OR_RETURN(auto metrics, CvssMetricsOf(cve));
    if (!metrics.empty()) {
      out[cve] = std::move(metrics);
    }
  }
  return out;
}

Result<std::vector<CvssMetric>> SqliteStore::CvssMetricsOf(const std::string& cve) {
  ASSIGN_OR_RETURN(Statement * m,
                   db_->Prepare("SELECT version, source, type, vector, score, severity "
                                "FROM nvd_metrics WHERE cve = ?1 "
                                "ORDER BY version DESC, type, source"));
  m->Reset();
  m->Bind(1, cve);
  return m->Rows([](const Statement& row) {
    return CvssMetric{.version = row.Text(0),
                      .source = row.Text(1),
                      .type = row.Text(2),
                      .vector = row.Text(3),
                      .score = row.Double(4),
                      .severity = row.Text(5)};
  });
}

Result<std::vector<int64_t>> SqliteStore::VulnerabilitiesWithCves(
    const std::vector<std::string>& cves) {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare("SELECT vuln_id FROM vulnerability_refs WHERE value = ?1 AND "
                   "kind = 'cve' UNION SELECT id FROM vulnerabilities WHERE key = ?1"));
  std::vector<int64_t> out;
  for (const auto& cve : cves) {
    st->Reset();
    st->Bind(1, cve);
    ASSIGN_OR_RETURN(auto ids, st->Rows([](const Statement& row) { return row.Int(0); }));
    out.insert(out.end(), ids.begin(), ids.end());
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Status SqliteStore::ClearEpss() {
  return db_->Exec("DELETE FROM epss");
}

Result<bool> SqliteStore::AddEpss(const EpssScore& s) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT OR IGNORE INTO epss (cve, score, percentile, "
                                "model_version, score_date) VALUES (?1, ?2, ?3, ?4, ?5)"));
  st->Reset();
  st->Bind(1, s.cve).Bind(2, s.score).Bind(3, s.percentile).Bind(4, s.model_version);
  st->Bind(5, s.score_date);
  RETURN_IF_ERROR(st->Run());
  return db_->Changes() > 0;
}

Result<std::optional<EpssScore>> SqliteStore::FindEpss(const std::string& cve) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT score, percentile, model_version, score_date FROM epss "
                                "WHERE cve = ?1"));
  st->Bind(1, cve);
  ASSIGN_OR_RETURN(auto rows, st->Rows([&](const Statement& row) {
    return EpssScore{.cve = cve,
                     .score = row.Double(0),
                     .percentile = row.Double(1),
                     .model_version = row.Text(2),
                     .score_date = row.Time(3)};
  }));
  std::optional<EpssScore> out;
  if (!rows.empty()) {
    out = std::move(rows.front());
  }
  return out;
}

}  // namespace vigil::sqlite
