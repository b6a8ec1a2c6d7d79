// The Store contract, continued: the listings (QueryVulnerabilities, QueryFindings,
// QueryFindingFacts, QueryAssets, QueryScanners) over one small installation. Where queries.h
// states no order the answers are compared sorted.
#include "store/conformance_fixture.h"

namespace vigil::conformance {
namespace {

// Three assets (one decommissioned), four vulnerabilities (one only fixed, one without
// findings), six findings in every state, three scanners (one idle), KEV and EPSS for some
// CVEs.
class StoreListings : public StoreConformance {
 protected:
  void SetUp() override {
    StoreConformance::SetUp();
    if (IsSkipped() || HasFatalFailure()) {
      return;
    }
    net = AddScanner("net", "network", 1);
    agents = AddScanner("agents", "agent", 2);
    MUST_OK(s().SetScanner({.name = "idle",
                            .kind = "external",
                            .created_at = T(3),
                            .cadence = std::chrono::hours(24),
                            .grace = std::chrono::hours(1)}));
    int64_t net1 = AddScan(net, "net1", 1000);
    int64_t net2 = AddScan(net, "net2", 2000);
    int64_t agent1 = AddScan(agents, "agent1", 1500);
    MUST_OK(s().UpdateScanResult(
        {.id = net1, .digest = "net1", .started_at = T(1050), .ended_at = T(1100)}));
    MUST_OK(s().UpdateScanResult({.id = net2, .digest = "net2", .started_at = T(1900)}));
    MUST_OK(s().UpdateScanResult({.id = agent1, .digest = "agent1", .ended_at = T(1600)}));

    AssetRecord w{.name = "web",
                  .agent_id = "agent-w",
                  .fqdn = "web.example.com",
                  .ip = "10.0.0.1",
                  .os = "Debian 12",
                  .first_seen = T(100),
                  .last_seen = T(1900)};
    web = MUST(s().InsertAsset(w));
    db = AddAsset("db", "10.0.0.2");
    old = AddAsset("old", "10.0.0.9");
    MUST_OK(s().InsertHostScan(
        {.scan_id = net1, .asset_id = web, .scanner_id = net, .observed_at = T(1100)}));
    MUST_OK(s().InsertHostScan(
        {.scan_id = net2, .asset_id = web, .scanner_id = net, .observed_at = T(1900)}));
    MUST_OK(s().InsertHostScan(
        {.scan_id = net1, .asset_id = db, .scanner_id = net, .observed_at = T(1100)}));
    MUST_OK(s().InsertHostScan(
        {.scan_id = agent1, .asset_id = web, .scanner_id = agents, .observed_at = T(1600)}));

    VulnerabilityDef d1{.key = "tenable:1",
                        .source = "tenable",
                        .source_id = "1",
                        .title = "One 'quoted' 🔥",
                        .scanner_severity = 3,
                        .cvss3_score = 7.5,
                        .patch_published = T(900),
                        .refs = {{"cve", "CVE-2024-0001"}, {"cve", "CVE-2024-0004"}}};
    v1 = MUST(s().InsertVulnerability(d1,
                                      {.class_name = "HIGH",
                                       .class_source = "auto:cvss3",
                                       .auto_class = "HIGH",
                                       .auto_source = "cvss3",
                                       .rating_score = 7.5},
                                      T(1)));
    v2 = AddVuln("tenable:2", "LOW", {{"cve", "CVE-2024-0002"}, {"cve", "CVE-2024-0003"}});
    v3 = AddVuln("tenable:3", "HIGH");
    v4 = AddVuln("tenable:4", "unclassified");

    FindingRecord r1{.vuln_id = v1,
                     .asset_id = web,
                     .port = 443,
                     .protocol = "tcp",
                     .service = "https",
                     .package = {.name = "openssl", .version = "1.0", .fixed_version = "1.1"},
                     .qod = 80,
                     .state = FindingState::kOpen,
                     .first_seen = T(100),
                     .last_seen = T(500)};
    f1 = MUST(s().InsertFinding(r1));
    f2 = AddFinding(v1, db, 0, FindingState::kOpen, 200, 400);
    FindingRecord r3{.vuln_id = v2,
                     .asset_id = web,
                     .port = 22,
                     .protocol = "tcp",
                     .state = FindingState::kReopened,
                     .first_seen = T(50),
                     .last_seen = T(450),
                     .times_reopened = 1,
                     .absent_unverified = true};
    f3 = MUST(s().InsertFinding(r3));
    FindingRecord r4{.vuln_id = v3,
                     .asset_id = web,
                     .port = 8080,
                     .protocol = "tcp",
                     .state = FindingState::kFixed,
                     .first_seen = T(10),
                     .last_seen = T(20),
                     .fixed_at = T(30),
                     .fixed_scan_id = net1};
    f4 = MUST(s().InsertFinding(r4));
    FindingRecord r5{.vuln_id = v2,
                     .asset_id = db,
                     .port = 53,
                     .protocol = "udp",
                     .state = FindingState::kFixed,
                     .first_seen = T(5),
                     .last_seen = T(6),
                     .fixed_at = T(7)};
    f5 = MUST(s().InsertFinding(r5));
    f6 = AddFinding(v1, old, 443, FindingState::kOpen, 300, 600);
    AddAttribution(f1, net, net1);
    AddAttribution(f1, agents, agent1);
    AddAttribution(f2, net, net1);
    AddAttribution(f3, agents, agent1);
    AddAttribution(f4, net, net1, Presence::kAbsentVerified);
    AddAttribution(f6, net, net1);
    MUST_OK(s().DecommissionAsset(old, T(700), "bob", "retired"));
    ASSERT_TRUE(s().SetFindingStates(old, OpenFindingStates(), FindingState::kInactive).ok());

    MUST_OK(s().ReplaceKev({{.cve = "CVE-2024-0001", .name = "a", .due_date = T(1000)},
                            {.cve = "CVE-2024-0004", .name = "b", .due_date = T(900)},
                            {.cve = "CVE-2099-0001", .name = "c", .due_date = T(1)}},
                           T(1)));
    EXPECT_TRUE(MUST(s().AddEpss({.cve = "CVE-2024-0002", .score = 0.5})));
    EXPECT_TRUE(MUST(s().AddEpss({.cve = "CVE-2024-0003", .score = 0.25})));
    EXPECT_TRUE(MUST(s().AddEpss({.cve = "CVE-2024-0001", .score = 0.1})));
  }

  std::vector<VulnSummary> Vulns(const VulnQuery& q) {
    return SortedBy(MUST(s().QueryVulnerabilities(q)), [](const VulnSummary& v) { return v.key; });
  }
  std::vector<std::string> VulnKeys(const VulnQuery& q) {
    std::vector<std::string> out;
    for (const auto& v : Vulns(q)) {
      out.push_back(v.key);
    }
    return out;
  }
  // Findings as "asset/vuln/port".
  std::vector<std::string> FindingKeys(const FindingQuery& q) {
    std::vector<std::string> out;
    for (const auto& f : MUST(s().QueryFindings(q))) {
      out.push_back(f.asset + "/" + f.vuln_key + "/" + std::to_string(f.port));
    }
    return Sorted(out);
  }
  std::vector<std::pair<int64_t, int>> Facts(const FindingFactQuery& q) {
    std::vector<std::pair<int64_t, int>> out;
    for (const auto& f : MUST(s().QueryFindingFacts(q))) {
      out.emplace_back(f.asset_id, f.port);
    }
    return Sorted(out);
  }

  int64_t net = 0, agents = 0;
  int64_t web = 0, db = 0, old = 0;
  int64_t v1 = 0, v2 = 0, v3 = 0, v4 = 0;
  int64_t f1 = 0, f2 = 0, f3 = 0, f4 = 0, f5 = 0, f6 = 0;
};

INSTANTIATE_TEST_SUITE_P(Backends, StoreListings, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<std::string>& backend) {
                           return backend.param;
                         });

void ExpectSameSummary(const VulnSummary& got, const VulnSummary& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.key, want.key);
  EXPECT_EQ(got.title, want.title);
  EXPECT_EQ(got.class_name, want.class_name);
  EXPECT_EQ(got.class_source, want.class_source);
  EXPECT_EQ(got.auto_class, want.auto_class);
  EXPECT_EQ(got.auto_source, want.auto_source);
  EXPECT_EQ(got.rating_score, want.rating_score);
  EXPECT_EQ(got.patch_published, want.patch_published);
  EXPECT_EQ(got.scanner_severity, want.scanner_severity);
  EXPECT_EQ(got.cvss3_score, want.cvss3_score);
  EXPECT_EQ(got.open_findings, want.open_findings);
  EXPECT_EQ(got.affected_assets, want.affected_assets);
  EXPECT_EQ(got.first_seen, want.first_seen);
  EXPECT_EQ(got.last_seen, want.last_seen);
  EXPECT_EQ(got.cves, want.cves);
  EXPECT_EQ(got.kev_due, want.kev_due);
  EXPECT_EQ(got.epss, want.epss);
  EXPECT_EQ(got.scanners, want.scanners);
}

using Keys = std::vector<std::string>;

TEST_P(StoreListings, VulnerabilitiesWithOpenFindingsAndTheirCounts) {
  auto vulns = Vulns({});
  ASSERT_EQ(vulns.size(), 2u);
  // first_seen and last_seen span every finding of the vulnerability, closed ones too (not
  // stated in queries.h; SQLite's two plans agree on it).
  ExpectSameSummary(vulns[0], {.id = v1,
                               .key = "tenable:1",
                               .title = "One 'quoted' 🔥",
                               .class_name = "HIGH",
                               .class_source = "auto:cvss3",
                               .auto_class = "HIGH",
                               .auto_source = "cvss3",
                               .rating_score = 7.5,
                               .patch_published = T(900),
                               .scanner_severity = 3,
                               .cvss3_score = 7.5,
                               .open_findings = 2,
                               .affected_assets = 2,
                               .first_seen = T(100),
                               .last_seen = T(600),
                               .cves = {"CVE-2024-0001", "CVE-2024-0004"},
                               .kev_due = T(900),
                               .epss = 0.1,
                               .scanners = {"agents", "net"}});
  ExpectSameSummary(vulns[1], {.id = v2,
                               .key = "tenable:2",
                               .title = "title of tenable:2",
                               .class_name = "LOW",
                               .class_source = "auto:cvss3",
                               .auto_class = "LOW",
                               .auto_source = "cvss3",
                               .open_findings = 1,
                               .affected_assets = 1,
                               .first_seen = T(5),
                               .last_seen = T(450),
                               .cves = {"CVE-2024-0002", "CVE-2024-0003"},
                               .epss = 0.5,
                               .scanners = {"agents"}});
}

// SQLite answers a query narrowed to a class, CVE or key with another plan than the rest:
// both must give the same summaries.
TEST_P(StoreListings, NarrowedAndBulkListingsAgree) {
  for (const std::optional<std::string>& asset :
       {std::optional<std::string>(), std::optional<std::string>("web"),
        std::optional<std::string>("10.0.0.2")}) {
    for (bool include_closed : {false, true}) {
      auto bulk = Vulns({.asset = asset, .include_closed = include_closed});
      for (const auto& v : bulk) {
        auto narrow = Vulns({.key = v.key, .asset = asset, .include_closed = include_closed});
        ASSERT_EQ(narrow.size(), 1u) << v.key;
        ExpectSameSummary(narrow[0], v);
        auto by_class =
            Vulns({.class_name = v.class_name, .asset = asset, .include_closed = include_closed});
        auto it = std::find_if(by_class.begin(), by_class.end(),
                               [&](const VulnSummary& x) { return x.key == v.key; });
        ASSERT_NE(it, by_class.end()) << v.key;
        ExpectSameSummary(*it, v);
      }
    }
  }
}

TEST_P(StoreListings, VulnerabilityFilters) {
  EXPECT_EQ(VulnKeys({.class_name = "HIGH"}), Keys{"tenable:1"});
  EXPECT_EQ(VulnKeys({.class_name = "HIGH", .include_closed = true}),
            (Keys{"tenable:1", "tenable:3"}));
  EXPECT_EQ(VulnKeys({.include_closed = true}),
            (Keys{"tenable:1", "tenable:2", "tenable:3", "tenable:4"}));
  EXPECT_EQ(VulnKeys({.class_name = "unclassified", .include_closed = true}), Keys{"tenable:4"});
  EXPECT_TRUE(VulnKeys({.class_name = "unclassified"}).empty());
  EXPECT_TRUE(VulnKeys({.class_name = "high"}).empty());
  EXPECT_EQ(VulnKeys({.cve = "CVE-2024-0003"}), Keys{"tenable:2"});
  EXPECT_EQ(VulnKeys({.cve = "CVE-2024-0004"}), Keys{"tenable:1"});
  EXPECT_TRUE(VulnKeys({.cve = "CVE-2024-9999"}).empty());
  EXPECT_EQ(VulnKeys({.key = "tenable:2"}), Keys{"tenable:2"});
  EXPECT_TRUE(VulnKeys({.key = "tenable:3"}).empty());
  EXPECT_EQ(VulnKeys({.key = "tenable:3", .include_closed = true}), Keys{"tenable:3"});
  EXPECT_EQ(VulnKeys({.asset = "web"}), (Keys{"tenable:1", "tenable:2"}));
  EXPECT_EQ(VulnKeys({.asset = "web.example.com"}), (Keys{"tenable:1", "tenable:2"}));
  EXPECT_EQ(VulnKeys({.asset = "10.0.0.2"}), Keys{"tenable:1"});
  EXPECT_EQ(VulnKeys({.asset = "db", .include_closed = true}), (Keys{"tenable:1", "tenable:2"}));
  EXPECT_TRUE(VulnKeys({.asset = "nowhere", .include_closed = true}).empty());
  EXPECT_EQ(VulnKeys({.scanner = "agents"}), (Keys{"tenable:1", "tenable:2"}));
  EXPECT_EQ(VulnKeys({.scanner = "net"}), Keys{"tenable:1"});
  EXPECT_EQ(VulnKeys({.scanner = "net", .include_closed = true}), (Keys{"tenable:1", "tenable:3"}));
  EXPECT_TRUE(VulnKeys({.scanner = "idle", .include_closed = true}).empty());
  EXPECT_EQ(VulnKeys({.kev_only = true}), Keys{"tenable:1"});
  EXPECT_EQ(VulnKeys({.epss_above = 0.3}), Keys{"tenable:2"});
  EXPECT_TRUE(VulnKeys({.epss_above = 0.5}).empty());  // strictly above
  EXPECT_EQ(VulnKeys({.epss_above = 0.05}), (Keys{"tenable:1", "tenable:2"}));
  EXPECT_EQ(VulnKeys({.asset = "web", .scanner = "agents", .kev_only = true}), Keys{"tenable:1"});

  // Counts follow the asset and scanner filters.
  auto on_web = Vulns({.asset = "web"});
  EXPECT_EQ(on_web[0].open_findings, 1);
  EXPECT_EQ(on_web[0].affected_assets, 1);
  EXPECT_EQ(on_web[0].first_seen, T(100));
  EXPECT_EQ(on_web[0].last_seen, T(500));
  auto by_net = Vulns({.scanner = "net"});
  EXPECT_EQ(by_net[0].open_findings, 2);
  EXPECT_EQ(by_net[0].affected_assets, 2);
  auto closed_on_db = Vulns({.asset = "db", .include_closed = true});
  EXPECT_EQ(closed_on_db[1].key, "tenable:2");
  EXPECT_EQ(closed_on_db[1].open_findings, 0);
  EXPECT_EQ(closed_on_db[1].first_seen, T(5));
  EXPECT_EQ(closed_on_db[1].last_seen, T(6));

  // Closed and never found.
  auto all = Vulns({.include_closed = true});
  EXPECT_EQ(all[2].open_findings, 0);
  EXPECT_EQ(all[2].affected_assets, 0);
  EXPECT_EQ(all[2].first_seen, T(10));
  EXPECT_EQ(all[2].scanners, Keys{"net"});
  EXPECT_EQ(all[3].open_findings, 0);
  EXPECT_EQ(all[3].first_seen, std::nullopt);
  EXPECT_EQ(all[3].last_seen, std::nullopt);
  EXPECT_TRUE(all[3].cves.empty());
  EXPECT_TRUE(all[3].scanners.empty());
  EXPECT_EQ(all[3].kev_due, std::nullopt);
  EXPECT_EQ(all[3].epss, std::nullopt);
}

TEST_P(StoreListings, VulnerabilitiesWithoutScannersOrCounts) {
  for (const auto& v : Vulns({.with_scanners = false})) {
    EXPECT_TRUE(v.scanners.empty()) << v.key;
  }
  for (const auto& v : Vulns({.class_name = "HIGH", .with_scanners = false})) {
    EXPECT_TRUE(v.scanners.empty()) << v.key;
  }
  auto uncounted = Vulns({.include_closed = true, .with_counts = false});
  ASSERT_EQ(uncounted.size(), 4u);
  for (const auto& v : uncounted) {
    EXPECT_EQ(v.open_findings, 0) << v.key;
    EXPECT_EQ(v.affected_assets, 0) << v.key;
    EXPECT_EQ(v.first_seen, std::nullopt) << v.key;
    EXPECT_EQ(v.last_seen, std::nullopt) << v.key;
  }
  // Everything else is still there.
  EXPECT_EQ(uncounted[0].cves, (Keys{"CVE-2024-0001", "CVE-2024-0004"}));
  EXPECT_EQ(uncounted[0].kev_due, T(900));
  EXPECT_EQ(uncounted[1].epss, 0.5);
  EXPECT_EQ(uncounted[0].scanners, (Keys{"agents", "net"}));
}

TEST_P(StoreListings, FindingsAndTheirFilters) {
  // No states: every state; what "open" means is core's (OpenFindingStates), asked for by name.
  EXPECT_EQ(FindingKeys({}), (Keys{"db/tenable:1/0", "db/tenable:2/53", "old/tenable:1/443",
                                   "web/tenable:1/443", "web/tenable:2/22", "web/tenable:3/8080"}));
  EXPECT_EQ(FindingKeys({.states = OpenFindingStates()}),
            (Keys{"db/tenable:1/0", "web/tenable:1/443", "web/tenable:2/22"}));
  auto views = MUST(s().QueryFindings({.asset = "web", .vuln_key = "tenable:1"}));
  ASSERT_EQ(views.size(), 1u);
  const FindingView& f = views[0];
  EXPECT_EQ(f.vuln_key, "tenable:1");
  EXPECT_EQ(f.title, "One 'quoted' 🔥");
  EXPECT_EQ(f.class_name, "HIGH");
  EXPECT_EQ(f.asset, "web");
  EXPECT_EQ(f.port, 443);
  EXPECT_EQ(f.protocol, "tcp");
  EXPECT_EQ(f.location, "");
  EXPECT_EQ(f.service, "https");
  EXPECT_EQ(f.state, FindingState::kOpen);
  EXPECT_EQ(f.first_seen, T(100));
  EXPECT_EQ(f.last_seen, T(500));
  EXPECT_EQ(f.fixed_at, std::nullopt);
  EXPECT_EQ(f.times_reopened, 0);
  EXPECT_FALSE(f.absent_unverified);
  EXPECT_EQ(f.scanners, (Keys{"agents", "net"}));
  EXPECT_EQ(f.installed_version, "1.0");
  EXPECT_EQ(f.fixed_version, "1.1");
  EXPECT_EQ(f.qod, 80);

  EXPECT_EQ(FindingKeys({.states = {FindingState::kFixed}}),
            (Keys{"db/tenable:2/53", "web/tenable:3/8080"}));
  EXPECT_EQ(FindingKeys({.states = {FindingState::kInactive}}), Keys{"old/tenable:1/443"});
  EXPECT_EQ(FindingKeys({.states = {FindingState::kOpen}}),
            (Keys{"db/tenable:1/0", "web/tenable:1/443"}));
  EXPECT_EQ(FindingKeys({.states = {FindingState::kReopened, FindingState::kFixed}}),
            (Keys{"db/tenable:2/53", "web/tenable:2/22", "web/tenable:3/8080"}));
  EXPECT_EQ(FindingKeys({.states = OpenFindingStates(), .asset = "web.example.com"}),
            (Keys{"web/tenable:1/443", "web/tenable:2/22"}));
  EXPECT_EQ(FindingKeys({.states = OpenFindingStates(), .asset = "10.0.0.2"}),
            Keys{"db/tenable:1/0"});
  EXPECT_EQ(FindingKeys({.states = OpenFindingStates(), .vuln_key = "tenable:1"}),
            (Keys{"db/tenable:1/0", "web/tenable:1/443"}));
  EXPECT_EQ(FindingKeys({.states = OpenFindingStates(), .scanner = "agents"}),
            (Keys{"web/tenable:1/443", "web/tenable:2/22"}));
  EXPECT_EQ(FindingKeys({.states = OpenFindingStates(), .cve = "CVE-2024-0002"}),
            Keys{"web/tenable:2/22"});
  EXPECT_EQ(FindingKeys({.states = OpenFindingStates(), .cve = "CVE-2024-0004"}),
            (Keys{"db/tenable:1/0", "web/tenable:1/443"}));
  EXPECT_EQ(FindingKeys({.states = OpenFindingStates(), .absent_unverified_only = true}),
            Keys{"web/tenable:2/22"});
  EXPECT_TRUE(FindingKeys({.asset = "nowhere"}).empty());

  auto reopened = MUST(s().QueryFindings({.absent_unverified_only = true}));
  ASSERT_EQ(reopened.size(), 1u);
  EXPECT_EQ(reopened[0].state, FindingState::kReopened);
  EXPECT_EQ(reopened[0].times_reopened, 1);
  EXPECT_TRUE(reopened[0].absent_unverified);
  EXPECT_EQ(reopened[0].qod, std::nullopt);
  auto fixed = MUST(s().QueryFindings({.states = {FindingState::kFixed}, .asset = "web"}));
  ASSERT_EQ(fixed.size(), 1u);
  EXPECT_EQ(fixed[0].fixed_at, T(30));
  EXPECT_EQ(fixed[0].scanners, Keys{"net"});
  for (const auto& v : MUST(s().QueryFindings({.with_scanners = false}))) {
    EXPECT_TRUE(v.scanners.empty());
  }
}

TEST_P(StoreListings, FindingFacts) {
  std::vector<std::pair<int64_t, int>> all = {{web, 443},  {db, 0},  {web, 22},
                                              {web, 8080}, {db, 53}, {old, 443}};
  EXPECT_EQ(Facts({}), Sorted(all));
  EXPECT_EQ(Facts({.states = {FindingState::kOpen}}),
            Sorted(std::vector<std::pair<int64_t, int>>{{web, 443}, {db, 0}}));
  EXPECT_EQ(Facts({.vuln_id = v1}),
            Sorted(std::vector<std::pair<int64_t, int>>{{web, 443}, {db, 0}, {old, 443}}));
  EXPECT_EQ(Facts({.states = {FindingState::kFixed}, .vuln_id = v2}),
            (std::vector<std::pair<int64_t, int>>{{db, 53}}));
  EXPECT_TRUE(Facts({.vuln_id = v4}).empty());
  auto facts = MUST(s().QueryFindingFacts({.states = {FindingState::kFixed}, .vuln_id = v2}));
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(facts[0].vuln_id, v2);
  EXPECT_EQ(facts[0].asset_id, db);
  EXPECT_EQ(facts[0].port, 53);
  EXPECT_EQ(facts[0].state, FindingState::kFixed);
  EXPECT_EQ(facts[0].first_seen, T(5));
  EXPECT_EQ(facts[0].fixed_at, T(7));
  auto inactive = MUST(s().QueryFindingFacts({.states = {FindingState::kInactive}}));
  ASSERT_EQ(inactive.size(), 1u);
  EXPECT_EQ(inactive[0].fixed_at, std::nullopt);
}

TEST_P(StoreListings, AssetsWithTheirOpenFindings) {
  auto assets = SortedBy(MUST(s().QueryAssets({})), [](const AssetView& a) { return a.name; });
  ASSERT_EQ(assets.size(), 3u);
  const AssetView& d = assets[0];
  EXPECT_EQ(d.name, "db");
  EXPECT_EQ(d.id, db);
  EXPECT_EQ(d.open_findings, 1);
  EXPECT_EQ(d.state, AssetState::kActive);
  const AssetView& o = assets[1];
  EXPECT_EQ(o.name, "old");
  EXPECT_EQ(o.open_findings, 0);
  EXPECT_EQ(o.state, AssetState::kDecommissioned);
  EXPECT_EQ(o.decommissioned_at, T(700));
  EXPECT_EQ(o.decommissioned_by, "bob");
  EXPECT_EQ(o.decommission_reason, "retired");
  EXPECT_EQ(o.reappeared_at, std::nullopt);
  const AssetView& w = assets[2];
  EXPECT_EQ(w.id, web);
  EXPECT_EQ(w.name, "web");
  EXPECT_EQ(w.ip, "10.0.0.1");
  EXPECT_EQ(w.fqdn, "web.example.com");
  EXPECT_EQ(w.agent_id, "agent-w");
  EXPECT_EQ(w.os, "Debian 12");
  EXPECT_EQ(w.state, AssetState::kActive);
  EXPECT_EQ(w.first_seen, T(100));
  EXPECT_EQ(w.last_seen, T(1900));
  EXPECT_EQ(w.open_findings, 2);  // open and reopened
  EXPECT_EQ(w.decommissioned_at, std::nullopt);

  auto decommissioned = MUST(s().QueryAssets({.state = AssetState::kDecommissioned}));
  ASSERT_EQ(decommissioned.size(), 1u);
  EXPECT_EQ(decommissioned[0].name, "old");
  auto active = SortedBy(MUST(s().QueryAssets({.state = AssetState::kActive})),
                         [](const AssetView& a) { return a.name; });
  ASSERT_EQ(active.size(), 2u);
  EXPECT_EQ(active[0].name, "db");
  EXPECT_EQ(active[1].name, "web");
}

TEST_P(StoreListings, ScannersWithTheirScansAssetsAndTimes) {
  auto scanners = SortedBy(MUST(s().QueryScanners()), [](const ScannerView& v) { return v.name; });
  ASSERT_EQ(scanners.size(), 3u);
  const ScannerView& a = scanners[0];
  EXPECT_EQ(a.name, "agents");
  EXPECT_EQ(a.kind, "agent");
  EXPECT_EQ(a.scans, 1);
  EXPECT_EQ(a.assets, 1);
  EXPECT_EQ(a.last_import, T(1500));
  EXPECT_EQ(a.last_scan, T(1600));
  EXPECT_EQ(a.created_at, T(2));
  const ScannerView& i = scanners[1];
  EXPECT_EQ(i.name, "idle");
  EXPECT_EQ(i.kind, "external");
  EXPECT_EQ(i.scans, 0);
  EXPECT_EQ(i.assets, 0);
  EXPECT_EQ(i.last_import, std::nullopt);
  EXPECT_EQ(i.last_scan, std::nullopt);
  EXPECT_EQ(i.cadence, std::chrono::seconds(86400));
  EXPECT_EQ(i.grace, std::chrono::seconds(3600));
  EXPECT_EQ(i.created_at, T(3));
  const ScannerView& n = scanners[2];
  EXPECT_EQ(n.name, "net");
  EXPECT_EQ(n.kind, "network");
  EXPECT_EQ(n.scans, 2);
  EXPECT_EQ(n.assets, 2);
  EXPECT_EQ(n.last_import, T(2000));
  EXPECT_EQ(n.last_scan, T(1900));  // the last scan's end, else its start
  EXPECT_EQ(n.cadence, std::nullopt);
  EXPECT_EQ(n.grace, std::chrono::seconds(0));
  EXPECT_EQ(n.created_at, T(1));
}

}  // namespace
}  // namespace vigil::conformance
