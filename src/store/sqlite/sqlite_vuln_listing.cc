// SqliteStore: the listing of vulnerabilities with their counts (`vigil vulns`, the register
// of the evidence pack, the compliance clocks).
//
// Two plans for one answer. Narrowed to a class, a CVE or a key, few vulnerabilities qualify
// and SQL reaches their findings through the findings_vuln index. Otherwise every finding
// counts: one sequential pass over the findings table, aggregated here in a hash map, is
// several times faster than a million index probes or SQLite's sorter behind GROUP BY
// (docs/benchmarks.md, evidence pack). tests/engine/vuln_listing_test.cc holds the two to the
// same answers.
#include <algorithm>
#include <unordered_map>

#include "core/text.h"
#include "store/sqlite/sqlite_store.h"

namespace vigil::sqlite {
namespace {

// Columns 0-10 describe the vulnerability, 11-14 count its findings, 15-17 come from the
// feeds (CVEs, KEV due date, EPSS), 18 names its scanners.
constexpr std::string_view kVulnColumns =
    "SELECT v.key, v.title, v.class, v.class_source, v.scanner_severity, v.cvss3_score, "
    "v.id, v.auto_class, v.auto_class_source, v.rating_score, v.patch_published, ";
constexpr std::string_view kFeedColumns =
    "(SELECT group_concat(value, ',') FROM (SELECT value FROM vulnerability_refs r "
    "  WHERE r.vuln_id = v.id AND r.kind = 'cve' ORDER BY value)), "
    "(SELECT min(k.due_date) FROM vulnerability_refs r JOIN kev k ON k.cve = r.value "
    "  WHERE r.vuln_id = v.id AND r.kind = 'cve') AS kev_due, "
    "(SELECT max(e.score) FROM vulnerability_refs r JOIN epss e ON e.cve = r.value "
    "  WHERE r.vuln_id = v.id AND r.kind = 'cve') AS epss_max, ";
// A finding `f` counts when it is on asset ?3 and reported by scanner ?4 (each when given).
constexpr std::string_view kFindingFilter =
    "(?3 IS NULL OR f.asset_id IN (SELECT id FROM assets WHERE name = ?3 "
    "  OR fqdn = lower(?3) OR ip = ?3)) "
    "AND (?4 IS NULL OR EXISTS (SELECT 1 FROM finding_sources fs JOIN scanners sc "
    "  ON sc.id = fs.scanner_id WHERE fs.finding_id = f.id AND sc.name = ?4)) ";
constexpr std::string_view kFeedFilter =
    "(?6 = 0 OR kev_due IS NOT NULL) AND (?7 IS NULL OR epss_max > ?7) ";

std::string NarrowSql(bool with_scanners) {
  std::string sql(kVulnColumns);
  const std::string open = OpenStatesSql();
  sql += "count(DISTINCT CASE WHEN f.state IN " + open + " THEN f.id END) AS open_n, ";
  sql += "count(DISTINCT CASE WHEN f.state IN " + open + " THEN f.asset_id END), ";
  sql += "min(f.first_seen), max(f.last_seen), ";
  sql += kFeedColumns;
  sql += with_scanners
             ? "(SELECT group_concat(name, ',') FROM (SELECT DISTINCT sc.name FROM findings f2 "
               "  JOIN finding_sources fs ON fs.finding_id = f2.id JOIN scanners sc "
               "  ON sc.id = fs.scanner_id WHERE f2.vuln_id = v.id)) "
             : "NULL ";
  sql +=
      "FROM vulnerabilities v LEFT JOIN findings f ON f.vuln_id = v.id "
      "WHERE (?1 IS NULL OR v.class = ?1) "
      "AND (?2 IS NULL OR v.key = ?2 OR EXISTS (SELECT 1 FROM vulnerability_refs r WHERE "
      "  r.vuln_id = v.id AND r.kind = 'cve' AND r.value = ?2)) "
      "AND (?8 IS NULL OR v.key = ?8) AND ";
  sql += kFindingFilter;
  sql += "GROUP BY v.id HAVING (?5 OR open_n > 0) AND ";
  sql += kFeedFilter;
  return sql + "ORDER BY v.key";
}

// The bulk plan's vulnerabilities, counts left to the pass over the findings.
std::string BulkSql() {
  std::string sql(kVulnColumns);
  sql += "NULL, NULL, NULL, NULL, ";
  sql += kFeedColumns;
  sql += "NULL FROM vulnerabilities v WHERE ";
  sql += kFeedFilter;
  return sql + "ORDER BY v.key";
}

VulnSummary ReadVuln(const Statement& row) {
  VulnSummary v;
  v.key = row.Text(0);
  v.title = row.Text(1);
  v.class_name = row.Text(2);
  v.class_source = row.Text(3);
  if (auto sev = row.OptInt(4)) {
    v.scanner_severity = static_cast<int>(*sev);
  }
  v.cvss3_score = row.OptDouble(5);
  v.id = row.Int(6);
  v.auto_class = row.Text(7);
  v.auto_source = row.Text(8);
  v.rating_score = row.OptDouble(9);
  v.patch_published = row.OptTime(10);
  v.open_findings = row.Int(11);
  v.affected_assets = row.Int(12);
  v.first_seen = row.OptTime(13);
  v.last_seen = row.OptTime(14);
  v.cves = SplitNonEmpty(row.Text(15), ",");
  v.kev_due = row.OptTime(16);
  v.epss = row.OptDouble(17);
  v.scanners = SplitNonEmpty(row.Text(18), ",");
  std::sort(v.scanners.begin(), v.scanners.end());
  return v;
}

struct FindingTally {
  int64_t open = 0;
  std::vector<int64_t> open_assets;  // with repeats until the end
  int64_t first_seen = 0;
  int64_t last_seen = 0;
};

// The bulk plan's pass over the findings (those on ?3 and from ?4 when given), by
// vulnerability id into `tally`.
Status TallyFindings(Database& db, const VulnQuery& q,
                     std::unordered_map<int64_t, FindingTally>& tally) {
  ASSIGN_OR_RETURN(Statement * st,
                   db.Prepare("SELECT f.vuln_id, f.asset_id, f.state IN " + OpenStatesSql() +
                              ", f.first_seen, f.last_seen FROM findings f NOT INDEXED WHERE " +
                              std::string(kFindingFilter)));
  st->Bind(3, q.asset).Bind(4, q.scanner);
  while (true) {
    ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) {
      break;
    }
    auto [it, fresh] = tally.try_emplace(st->Int(0));
    FindingTally& t = it->second;
    int64_t first = st->Int(3);
    int64_t last = st->Int(4);
    if (fresh) {
      t.first_seen = first;
      t.last_seen = last;
    } else {
      t.first_seen = std::min(t.first_seen, first);
      t.last_seen = std::max(t.last_seen, last);
    }
    if (st->Int(2) != 0) {
      ++t.open;
      t.open_assets.push_back(st->Int(1));
    }
  }
  st->Reset();
  return Status::Ok();
}

// The names of the scanners that reported each vulnerability, each once, by vulnerability id
// into `scanners_of`.
Status ScannersByVuln(Database& db,
                      std::unordered_map<int64_t, std::vector<std::string>>& scanners_of) {
  ASSIGN_OR_RETURN(Statement * st,
                   db.Prepare("SELECT f.vuln_id, sc.name FROM finding_sources fs NOT INDEXED "
                              "JOIN findings f ON f.id = fs.finding_id "
                              "JOIN scanners sc ON sc.id = fs.scanner_id"));
  while (true) {
    ASSIGN_OR_RETURN(bool row, st->Step());
    if (!row) {
      break;
    }
    std::vector<std::string>& names = scanners_of[st->Int(0)];
    std::string name = st->Text(1);
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(std::move(name));
    }
  }
  st->Reset();
  return Status::Ok();
}

}  // namespace

Result<std::vector<VulnSummary>> SqliteStore::QueryVulnerabilities(const VulnQuery& q) {
  std::string cve = q.cve ? AsciiUpper(*q.cve) : std::string();
  if (q.class_name || q.cve || q.key) {
    ASSIGN_OR_RETURN(Statement * st, db_->Prepare(NarrowSql(q.with_scanners)));
    st->Bind(1, q.class_name);
    if (q.cve) {
      st->Bind(2, cve);
    }
    st->Bind(3, q.asset).Bind(4, q.scanner).Bind(5, q.include_closed ? 1 : 0);
    st->Bind(6, q.kev_only ? 1 : 0).Bind(7, q.epss_above).Bind(8, q.key);
    return st->Rows(ReadVuln);
  }

  // The bulk plan: one pass over the findings (those on ?3 and from ?4 when given).
  bool filtered = q.asset || q.scanner;
  bool count = q.with_counts || filtered || !q.include_closed;
  std::unordered_map<int64_t, FindingTally> tally;
  if (count) {
    RETURN_IF_ERROR(TallyFindings(*db_, q, tally));
  }
  std::unordered_map<int64_t, std::vector<std::string>> scanners_of;
  if (q.with_scanners) {
    RETURN_IF_ERROR(ScannersByVuln(*db_, scanners_of));
  }
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare(BulkSql()));
  st->Bind(6, q.kev_only ? 1 : 0).Bind(7, q.epss_above);
  ASSIGN_OR_RETURN(auto vulns, st->Rows(ReadVuln));
  std::erase_if(vulns, [&](VulnSummary& v) {
    if (auto s = scanners_of.find(v.id); s != scanners_of.end()) {
      v.scanners = std::move(s->second);
      std::sort(v.scanners.begin(), v.scanners.end());
    }
    if (!count) {
      return false;
    }
    auto t = tally.find(v.id);
    if (t == tally.end()) {
      // No finding (that qualifies): listed only when closed ones are and nothing narrows.
      return filtered || !q.include_closed;
    }
    if (t->second.open == 0 && !q.include_closed) {
      return true;
    }
    std::vector<int64_t>& assets = t->second.open_assets;
    std::sort(assets.begin(), assets.end());
    v.open_findings = t->second.open;
    v.affected_assets = std::unique(assets.begin(), assets.end()) - assets.begin();
    v.first_seen = FromUnixSeconds(t->second.first_seen);
    v.last_seen = FromUnixSeconds(t->second.last_seen);
    return false;
  });
  return vulns;
}

}  // namespace vigil::sqlite
