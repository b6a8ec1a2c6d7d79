#include "store/conformance_fixture.h"

#include <functional>
#include <ostream>

namespace vigil {

void PrintTo(const Cell& cell, std::ostream* os) {
  switch (cell.kind) {
    case Cell::Kind::kNull:
      *os << "NULL";
      return;
    case Cell::Kind::kInt:
      *os << "int " << cell.i;
      return;
    case Cell::Kind::kReal:
      *os << "real " << cell.r;
      return;
    case Cell::Kind::kText:
      *os << "text '" << cell.text << "'";
      return;
  }
}

}  // namespace vigil

namespace vigil::conformance {

const std::vector<std::string>& HostileTexts() {
  static const std::vector<std::string> kTexts = [] {
    std::string big;
    while (big.size() < 10 * 1024) {
      big += "ünïcödé 'quote' \"dq\" \\ 😀 %_ ;-- ";
    }
    return std::vector<std::string>{
        "O'Brien's \"quoted\" `backticked` text",
        "'; DROP TABLE findings; --",
        "\"); DELETE FROM assets WHERE (\"1\"=\"1",
        "back\\slash \\' \\\" \\0 \\n (escapes, not control characters)",
        "100% _wild_ [cards] *?",
        "tab\tnew\nline\r\ncarriage\x01\x1f\x7f",
        "emoji 🛡️🔥👩‍💻 and scripts: 漢字 العربية Ελληνικά",
        "$1 $$dollar$$ :name ?1 @p",
        "  leading and trailing spaces  ",
        big,
    };
  }();
  return kTexts;
}

const std::vector<double>& ExactDoubles() {
  static const std::vector<double> kDoubles = {1.0 / 3.0,
                                               0.1 + 0.2,
                                               9.999999999999998,
                                               2.0 / 3.0 * 10,
                                               1e-300,
                                               1.7976931348623157e308,
                                               -0.000123456789012345678};
  return kDoubles;
}

void StoreConformance::SetUp() {
  const std::string& backend = GetParam();
  if (std::string why = SkipReason(backend); !why.empty()) {
    GTEST_SKIP() << why;
  }
  url_ = BackendUrl(backend, dir_.path());
  auto store = FreshStore(backend, url_);
  ASSERT_TRUE(store.ok()) << store.status().Describe();
  store_ = std::move(*store);
}

int64_t StoreConformance::AddScanner(const std::string& name, const std::string& kind,
                                     int64_t created) {
  return MUST(s().EnsureScanner(name, kind, T(created))).id;
}

int64_t StoreConformance::AddScan(int64_t scanner_id, const std::string& digest,
                                  int64_t imported_at) {
  ScanRecord scan{.scanner_id = scanner_id,
                  .digest = digest,
                  .quick_digest = "quick-" + digest,
                  .size = 1234,
                  .file_name = digest + ".nessus",
                  .format = "nessus",
                  .imported_at = T(imported_at),
                  .imported_by = "tester"};
  return MUST(s().InsertScan(scan));
}

int64_t StoreConformance::AddAsset(const std::string& name, const std::string& ip,
                                   const std::string& fqdn, const std::string& agent_id) {
  AssetRecord a{.name = name,
                .agent_id = agent_id,
                .fqdn = fqdn,
                .ip = ip,
                .first_seen = T(100),
                .last_seen = T(200)};
  return MUST(s().InsertAsset(a));
}

int64_t StoreConformance::AddVuln(const std::string& key, const std::string& cls,
                                  std::vector<Reference> refs) {
  auto colon = key.find(':');
  VulnerabilityDef def{.key = key,
                       .source = colon == std::string::npos ? "nvd" : key.substr(0, colon),
                       .source_id = colon == std::string::npos ? key : key.substr(colon + 1),
                       .title = "title of " + key,
                       .refs = std::move(refs)};
  VulnClass c{
      .class_name = cls, .class_source = "auto:cvss3", .auto_class = cls, .auto_source = "cvss3"};
  return MUST(s().InsertVulnerability(def, c, T(50)));
}

int64_t StoreConformance::AddFinding(int64_t vuln_id, int64_t asset_id, int port,
                                     FindingState state, int64_t first, int64_t last) {
  FindingRecord f{.vuln_id = vuln_id,
                  .asset_id = asset_id,
                  .port = port,
                  .protocol = "tcp",
                  .state = state,
                  .first_seen = T(first),
                  .last_seen = T(last)};
  return MUST(s().InsertFinding(f));
}

void StoreConformance::AddAttribution(int64_t finding_id, int64_t scanner_id, int64_t scan_id,
                                      Presence presence, int64_t first, int64_t last,
                                      const std::string& output) {
  AttributionRecord a{.finding_id = finding_id,
                      .scanner_id = scanner_id,
                      .presence = presence,
                      .first_seen = T(first),
                      .last_seen = T(last),
                      .last_scan_id = scan_id,
                      .output = output,
                      .output_hash = static_cast<int64_t>(std::hash<std::string>()(output))};
  MUST_OK(s().InsertAttribution(a));
}

void StoreConformance::AddUser(const std::string& name, Role role) {
  UserRecord u{.name = name,
               .role = role,
               .created_at = T(10),
               .created_by = "admin",
               .token_hash = "token-of-" + name,
               .token_issued_by = "admin",
               .role_granted_by = "admin"};
  MUST_OK(s().InsertUser(u));
}

int64_t StoreConformance::AddDecision(int64_t vuln_id, DecisionState state, int64_t created) {
  DecisionRecord d{.vuln_id = vuln_id,
                   .type = DecisionType::kRecast,
                   .reason = ReasonCategory::kCompensatingControls,
                   .basis = "behind the WAF",
                   .new_class = "LOW",
                   .author = "alice",
                   .created_at = T(created),
                   .state = state};
  return MUST(s().InsertDecision(d));
}

std::optional<AttributionRecord> StoreConformance::AttributionOf(int64_t asset_id,
                                                                 int64_t finding_id,
                                                                 int64_t scanner_id) {
  for (auto& f : MUST(s().FindingsOnAsset(asset_id, scanner_id))) {
    if (f.finding.id == finding_id) {
      return f.mine;
    }
  }
  throw std::runtime_error("finding " + std::to_string(finding_id) + " is not on asset " +
                           std::to_string(asset_id));
}

FindingRecord StoreConformance::FindingOf(int64_t asset_id, int64_t finding_id) {
  for (auto& f : MUST(s().FindingsOnAsset(asset_id, 0))) {
    if (f.finding.id == finding_id) {
      return f.finding;
    }
  }
  throw std::runtime_error("finding " + std::to_string(finding_id) + " is not on asset " +
                           std::to_string(asset_id));
}

std::vector<std::vector<Cell>> StoreConformance::Rows(std::string_view table,
                                                      const std::vector<std::string>& columns,
                                                      const RowFilter& where) {
  std::vector<std::vector<Cell>> rows;
  MUST_OK(s().ForEachRow(table, columns, where, [&](const std::vector<Cell>& row) {
    rows.push_back(row);
    return Status::Ok();
  }));
  return rows;
}

}  // namespace vigil::conformance
