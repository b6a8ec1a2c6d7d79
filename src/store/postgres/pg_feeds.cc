// PgStore: the CVE feeds: NVD records with their metrics, and EPSS scores.
#include <algorithm>

#include "core/text.h"
#include "store/postgres/pg_store.h"

namespace vigil::postgres {

Result<bool> PgStore::UpsertCve(const CveRecord& r, Timestamp loaded_at) {
  std::string cwes = Join(r.cwes, ",");
  ASSIGN_OR_RETURN(
      PgResult up,
      Run("INSERT INTO nvd_cves (cve, source_identifier, published, last_modified, status, "
          "description, cwes, loaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
          "ON CONFLICT (cve) DO UPDATE SET source_identifier = excluded.source_identifier, "
          "published = excluded.published, last_modified = excluded.last_modified, "
          "status = excluded.status, description = excluded.description, "
          "cwes = excluded.cwes, loaded_at = excluded.loaded_at "
          "WHERE excluded.last_modified > nvd_cves.last_modified",
          Params()
              .Add(r.cve)
              .Add(r.source_identifier)
              .Add(r.published)
              .Add(r.last_modified)
              .Add(r.status)
              .Add(r.description)
              .Add(cwes)
              .Add(loaded_at)));
  if (up.Affected() == 0) {
    return false;
  }
  RETURN_IF_ERROR(Run("DELETE FROM nvd_metrics WHERE cve = $1", Params().Add(r.cve)).status());
  for (const auto& m : r.metrics) {
    RETURN_IF_ERROR(Run("INSERT INTO nvd_metrics (cve, version, source, type, vector, score, "
                        "severity) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING",
                        Params()
                            .Add(r.cve)
                            .Add(m.version)
                            .Add(m.source)
                            .Add(m.type)
                            .Add(m.vector)
                            .Add(m.score)
                            .Add(m.severity))
                        .status());
  }
  return true;
}

Result<std::optional<CveRecord>> PgStore::FindCve(const std::string& cve) {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT source_identifier, published, last_modified, status, "
                                   "description, cwes FROM nvd_cves WHERE cve = $1",
                                   Params().Add(cve)));
  std::optional<CveRecord> out;
  if (r.Rows() == 0) {
    return out;
  }
  Row row(r, 0);
  out = CveRecord{.cve = cve,
                  .source_identifier = row.Text(0),
                  .published = row.OptTime(1),
                  .last_modified = row.Time(2),
                  .status = row.Text(3),
                  .description = row.Text(4),
                  .cwes = SplitNonEmpty(row.Text(5), ",")};
  ASSIGN_OR_RETURN(out->metrics, CvssMetricsOf(cve));
  return out;
}

Result<int64_t> PgStore::CountCves() {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT count(*) FROM nvd_cves", Params()));
  return r.Rows() > 0 ? r.Int(0, 0) : 0;
}

Result<std::map<std::string, std::vector<CvssMetric>>> PgStore::CvssMetricsOfEach(
    const std::vector<std::string>& cves) {
  std::map<std::string, std::vector<CvssMetric>> out;
  if (cves.empty()) {
    return out;
  }
  // One round trip for them all. Ties as SQLite reads them: its key backwards (it walks the key
  // for version DESC).
  ASSIGN_OR_RETURN(PgResult m, Run("SELECT version, source, type, vector, score, severity, cve "
                                   "FROM nvd_metrics WHERE cve = ANY($1::text[]) "
                                   "ORDER BY cve, version DESC, type, source, vector DESC",
                                   Params().AddArray(cves)));
  for (int i = 0; i < m.Rows(); ++i) {
    Row metric(m, i);
    out[metric.Text(6)].push_back(CvssMetric{.version = metric.Text(0),
                                             .source = metric.Text(1),
                                             .type = metric.Text(2),
                                             .vector = metric.Text(3),
                                             .score = metric.Double(4),
                                             .severity = metric.Text(5)});
  }
  return out;
}

Result<std::vector<CvssMetric>> PgStore::CvssMetricsOf(const std::string& cve) {
  ASSIGN_OR_RETURN(auto each, CvssMetricsOfEach({cve}));
  auto it = each.find(cve);
  return it == each.end() ? std::vector<CvssMetric>() : std::move(it->second);
}

Result<std::vector<int64_t>> PgStore::VulnerabilitiesWithCves(
    const std::vector<std::string>& cves) {
  std::vector<int64_t> out;
  for (const auto& cve : cves) {
    ASSIGN_OR_RETURN(PgResult r,
                     Run("SELECT vuln_id FROM vulnerability_refs WHERE value = $1 AND "
                         "kind = 'cve' UNION SELECT id FROM vulnerabilities WHERE key = $1",
                         Params().Add(cve)));
    for (int i = 0; i < r.Rows(); ++i) {
      out.push_back(r.Int(i, 0));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Status PgStore::ClearEpss() {
  return Run("DELETE FROM epss", Params()).status();
}

Result<bool> PgStore::AddEpss(const EpssScore& s) {
  ASSIGN_OR_RETURN(PgResult r, Run("INSERT INTO epss (cve, score, percentile, model_version, "
                                   "score_date) VALUES ($1, $2, $3, $4, $5) "
                                   "ON CONFLICT DO NOTHING",
                                   Params()
                                       .Add(s.cve)
                                       .Add(s.score)
                                       .Add(s.percentile)
                                       .Add(s.model_version)
                                       .Add(s.score_date)));
  return r.Affected() > 0;
}

Result<std::optional<EpssScore>> PgStore::FindEpss(const std::string& cve) {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT score, percentile, model_version, score_date "
                                   "FROM epss WHERE cve = $1",
                                   Params().Add(cve)));
  std::optional<EpssScore> out;
  if (r.Rows() > 0) {
    out = EpssScore{.cve = cve,
                    .score = r.Double(0, 0),
                    .percentile = r.Double(0, 1),
                    .model_version = r.Text(0, 2),
                    .score_date = r.Time(0, 3)};
  }
  return out;
}

}  // namespace vigil::postgres
