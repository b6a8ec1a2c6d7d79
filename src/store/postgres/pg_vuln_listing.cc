// PgStore: the listing of vulnerabilities with their counts, with the SQLite backend's two
// plans (sqlite_vuln_listing.cc) and so exactly its answers: narrowed to a class, a CVE or a
// key, SQL aggregates the few vulnerabilities' findings; otherwise one pass over the findings
// is tallied here, and counts are left empty when nothing asks for them.
#include <algorithm>

#include "core/text.h"
#include "store/postgres/pg_store.h"

namespace vigil::postgres {

struct FindingTally {
  int64_t open = 0;
  std::vector<int64_t> open_assets;  // with repeats until the end
  int64_t first_seen = 0;
  int64_t last_seen = 0;
};

namespace {

// Columns 0-10 describe the vulnerability, 11-14 count its findings, 15-17 come from the
// feeds (CVEs, KEV due date, EPSS), 18 names its scanners.
constexpr std::string_view kVulnColumns =
    "SELECT v.key, v.title, v.class, v.class_source, v.scanner_severity, v.cvss3_score, "
    "v.id, v.auto_class, v.auto_class_source, v.rating_score, v.patch_published, ";
constexpr std::string_view kFeedColumns =
    "(SELECT string_agg(value, ',' ORDER BY value) FROM vulnerability_refs r "
    "  WHERE r.vuln_id = v.id AND r.kind = 'cve') AS cves, "
    "(SELECT min(k.due_date) FROM vulnerability_refs r JOIN kev k ON k.cve = r.value "
    "  WHERE r.vuln_id = v.id AND r.kind = 'cve') AS kev_due, "
    "(SELECT max(e.score) FROM vulnerability_refs r JOIN epss e ON e.cve = r.value "
    "  WHERE r.vuln_id = v.id AND r.kind = 'cve') AS epss_max, ";

// A finding `f` counts when it is on asset $A and reported by scanner $S (each when given).
std::string FindingFilter(int asset, int scanner) {
  std::string a = "$" + std::to_string(asset) + "::text";
  std::string s = "$" + std::to_string(scanner) + "::text";
  return "(" + a + " IS NULL OR f.asset_id IN (SELECT id FROM assets WHERE name = " + a +
         " OR fqdn = lower(" + a + " COLLATE \"C\") OR ip = " + a + ")) AND (" + s +
         " IS NULL OR EXISTS (SELECT 1 FROM finding_sources fs JOIN scanners sc "
         "ON sc.id = fs.scanner_id WHERE fs.finding_id = f.id AND sc.name = " +
         s + ")) ";
}

// KEV only ($K) and EPSS above ($E), on the columns kev_due and epss_max.
std::string FeedFilter(int kev, int epss) {
  std::string e = "$" + std::to_string(epss) + "::float8";
  return "($" + std::to_string(kev) + "::int = 0 OR kev_due IS NOT NULL) AND (" + e +
         " IS NULL OR epss_max > " + e + ") ";
}

std::string NarrowSql(bool with_scanners) {
  std::string sql = "SELECT * FROM (";
  sql += kVulnColumns;
  const std::string open = OpenStatesSql();
  sql += "count(DISTINCT CASE WHEN f.state IN " + open + " THEN f.id END) AS open_n, ";
  sql += "count(DISTINCT CASE WHEN f.state IN " + open + " THEN f.asset_id END) AS open_a, ";
  sql += "min(f.first_seen) AS first_seen, max(f.last_seen) AS last_seen, ";
  sql += kFeedColumns;
  sql += with_scanners ? "(SELECT string_agg(DISTINCT sc.name, ',') FROM findings f2 "
                         "  JOIN finding_sources fs ON fs.finding_id = f2.id JOIN scanners sc "
                         "  ON sc.id = fs.scanner_id WHERE f2.vuln_id = v.id) AS scanners "
                       : "NULL::text AS scanners ";
  sql +=
      "FROM vulnerabilities v LEFT JOIN findings f ON f.vuln_id = v.id "
      "WHERE ($1::text IS NULL OR v.class = $1::text) "
      "AND ($2::text IS NULL OR v.key = $2::text OR EXISTS (SELECT 1 FROM vulnerability_refs r "
      "  WHERE r.vuln_id = v.id AND r.kind = 'cve' AND r.value = $2::text)) "
      "AND ($8::text IS NULL OR v.key = $8::text) AND ";
  sql += FindingFilter(3, 4);
  sql += "GROUP BY v.id) x WHERE ($5::int <> 0 OR open_n > 0) AND ";
  sql += FeedFilter(6, 7);
  return sql + "ORDER BY key";
}

// The bulk plan's vulnerabilities, counts left to the pass over the findings.
std::string BulkSql() {
  std::string sql = "SELECT * FROM (";
  sql += kVulnColumns;
  sql += "NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, ";
  sql += kFeedColumns;
  sql += "NULL::text FROM vulnerabilities v) x WHERE ";
  sql += FeedFilter(1, 2);
  return sql + "ORDER BY key";
}

VulnSummary ReadVuln(const Row& row) {
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

// Fills in the counts of `v` from its tally; true when it is left out of the listing.
bool ApplyTally(VulnSummary& v, const VulnQuery& q, bool filtered,
                std::unordered_map<int64_t, FindingTally>& tally) {
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
}

}  // namespace

Status PgStore::TallyFindings(const VulnQuery& q,
                              std::unordered_map<int64_t, FindingTally>& tally) {
  return ForEach("SELECT f.vuln_id, f.asset_id, f.state IN " + OpenStatesSql() +
                     ", f.first_seen, "
                     "f.last_seen FROM findings f WHERE " +
                     FindingFilter(1, 2),
                 Params().Add(q.asset).Add(q.scanner), [&](const Row& row) {
                   auto [it, fresh] = tally.try_emplace(row.Int(0));
                   FindingTally& t = it->second;
                   int64_t first = row.Int(3);
                   int64_t last = row.Int(4);
                   if (fresh) {
                     t.first_seen = first;
                     t.last_seen = last;
                   } else {
                     t.first_seen = std::min(t.first_seen, first);
                     t.last_seen = std::max(t.last_seen, last);
                   }
                   if (row.Int(2) != 0) {
                     ++t.open;
                     t.open_assets.push_back(row.Int(1));
                   }
                   return Status::Ok();
                 });
}

Status PgStore::ScannersByVuln(std::unordered_map<int64_t, std::vector<std::string>>& scanners_of) {
  return ForEach(
      "SELECT f.vuln_id, sc.name FROM finding_sources fs JOIN findings f ON f.id = fs.finding_id "
      "JOIN scanners sc ON sc.id = fs.scanner_id",
      Params(), [&](const Row& row) {
        std::vector<std::string>& names = scanners_of[row.Int(0)];
        std::string name = row.Text(1);
        if (std::find(names.begin(), names.end(), name) == names.end()) {
          names.push_back(std::move(name));
        }
        return Status::Ok();
      });
}

Result<std::vector<VulnSummary>> PgStore::NarrowVulnerabilities(const VulnQuery& q) {
  Params p;
  p.Add(q.class_name);
  if (q.cve) {
    p.Add(AsciiUpper(*q.cve));
  } else {
    p.AddNull();
  }
  p.Add(q.asset).Add(q.scanner).Add(q.include_closed ? 1 : 0).Add(q.kev_only ? 1 : 0);
  p.Add(q.epss_above).Add(q.key);
  std::vector<VulnSummary> out;
  RETURN_IF_ERROR(ForEach(NarrowSql(q.with_scanners), p, [&](const Row& row) {
    out.push_back(ReadVuln(row));
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<VulnSummary>> PgStore::QueryVulnerabilities(const VulnQuery& q) {
  if (q.class_name || q.cve || q.key) {
    return NarrowVulnerabilities(q);
  }
  bool filtered = q.asset || q.scanner;
  bool count = q.with_counts || filtered || !q.include_closed;
  std::unordered_map<int64_t, FindingTally> tally;
  if (count) {
    RETURN_IF_ERROR(TallyFindings(q, tally));
  }
  std::unordered_map<int64_t, std::vector<std::string>> scanners_of;
  if (q.with_scanners) {
    RETURN_IF_ERROR(ScannersByVuln(scanners_of));
  }
  std::vector<VulnSummary> vulns;
  RETURN_IF_ERROR(
      ForEach(BulkSql(), Params().Add(q.kev_only ? 1 : 0).Add(q.epss_above), [&](const Row& row) {
        VulnSummary v = ReadVuln(row);
        if (auto s = scanners_of.find(v.id); s != scanners_of.end()) {
          v.scanners = std::move(s->second);
          std::sort(v.scanners.begin(), v.scanners.end());
        }
        if (!count || !ApplyTally(v, q, filtered, tally)) {
          vulns.push_back(std::move(v));
        }
        return Status::Ok();
      }));
  return vulns;
}

}  // namespace vigil::postgres
