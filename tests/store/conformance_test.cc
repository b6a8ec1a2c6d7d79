// The Store contract (src/store/store.h) as tests, run against every backend: a value-
// parameterised suite over the backend's name. It reaches the database only through OpenStore
// and the Store interface, so a new backend passes it or shows where it differs. The tests
// are split by method group over this file and tests/store/conformance_*_test.cc; the fixture
// and the backends are in conformance_fixture.h and conformance_backends.h.
//
// What the header comments state is tested as stated. Where a test pins down behaviour the
// header leaves open (an order, a tie, what an empty value matches), its comment says so and
// that it follows the SQLite backend, the reference implementation.
#include "store/conformance_fixture.h"

namespace vigil::conformance {
namespace {

INSTANTIATE_TEST_SUITE_P(Backends, StoreConformance, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<std::string>& backend) {
                           return backend.param;
                         });

// ---- Schema ----------------------------------------------------------------------------

TEST_P(StoreConformance, InitializeReachesTheLatestVersionAndMayRunAgain) {
  EXPECT_GT(s().LatestSchemaVersion(), 0);
  EXPECT_EQ(MUST(s().SchemaVersion()), s().LatestSchemaVersion());
  MUST_OK(s().PutSetting("kept", "yes"));
  MUST_OK(s().Initialize());
  MUST_OK(s().Initialize());
  EXPECT_EQ(MUST(s().SchemaVersion()), s().LatestSchemaVersion());
  EXPECT_EQ(MUST(s().GetSetting("kept")), "yes");
}

TEST_P(StoreConformance, ANeverInitializedDatabaseHasSchemaVersionZero) {
  CloseStore();
  std::string other = BackendUrl(GetParam(), dir(), "never-initialized");
  auto fresh = MUST(FreshStore(GetParam(), other, /*initialize=*/false));
  EXPECT_EQ(MUST(fresh->SchemaVersion()), 0);
  MUST_OK(fresh->Initialize());
  EXPECT_EQ(MUST(fresh->SchemaVersion()), fresh->LatestSchemaVersion());
}

TEST_P(StoreConformance, ReopeningKeepsTheSchemaAndTheData) {
  MUST_OK(s().PutSetting("k", "v"));
  CloseStore();
  auto again = MUST(OpenStore(url(), OpenMode::kExisting));
  EXPECT_EQ(MUST(again->SchemaVersion()), again->LatestSchemaVersion());
  MUST_OK(again->Initialize());
  EXPECT_EQ(MUST(again->GetSetting("k")), "v");
}

// ---- Transactions ----------------------------------------------------------------------

TEST_P(StoreConformance, ACommittedTransactionKeepsEveryChange) {
  MUST_OK(s().Begin());
  MUST_OK(s().PutSetting("a", "1"));
  int64_t asset = AddAsset("web");
  // A transaction reads its own writes.
  EXPECT_EQ(MUST(s().GetSetting("a")), "1");
  MUST_OK(s().Commit());
  EXPECT_EQ(MUST(s().GetSetting("a")), "1");
  ASSERT_EQ(MUST(s().FindAssets("web")).size(), 1u);
  EXPECT_EQ(MUST(s().FindAssets("web"))[0].id, asset);
}

TEST_P(StoreConformance, ARolledBackTransactionLeavesNothing) {
  MUST_OK(s().PutSetting("before", "kept"));
  MUST_OK(s().Begin());
  MUST_OK(s().PutSetting("before", "changed"));
  MUST_OK(s().PutSetting("a", "1"));
  int64_t scanner = AddScanner("net");
  int64_t asset = AddAsset("web", "10.0.0.1");
  int64_t vuln = AddVuln("tenable:1");
  AddFinding(vuln, asset, 443);
  AddAttribution(MUST(s().FindingsOnAsset(asset, scanner))[0].finding.id, scanner,
                 AddScan(scanner, "d1"));
  s().Rollback();
  EXPECT_EQ(MUST(s().GetSetting("before")), "kept");
  EXPECT_EQ(MUST(s().GetSetting("a")), std::nullopt);
  EXPECT_TRUE(MUST(s().FindAssets("web")).empty());
  EXPECT_EQ(MUST(s().FindVulnerability("tenable:1")), std::nullopt);
  EXPECT_TRUE(MUST(s().QueryScanners()).empty());
  EXPECT_TRUE(MUST(s().QueryScans()).empty());
  EXPECT_TRUE(MUST(s().QueryFindingFacts({})).empty());
  // The store is usable afterwards.
  AddAsset("db");
  EXPECT_EQ(MUST(s().QueryAssets({})).size(), 1u);
}

TEST_P(StoreConformance, InTransactionCommitsOnSuccessAndRollsBackOnError) {
  Status ok = InTransaction(s(), [&]() -> Status { return s().PutSetting("committed", "1"); });
  EXPECT_TRUE(ok.ok()) << ok.Describe();
  EXPECT_EQ(MUST(s().GetSetting("committed")), "1");

  Status failed = InTransaction(s(), [&]() -> Status {
    RETURN_IF_ERROR(s().PutSetting("rolled-back", "1"));
    RETURN_IF_ERROR(s().PutSetting("committed", "2"));
    AddAsset("web");
    return InvalidInput("the work failed");
  });
  EXPECT_EQ(failed.code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(failed.message(), "the work failed");
  EXPECT_EQ(MUST(s().GetSetting("rolled-back")), std::nullopt);
  EXPECT_EQ(MUST(s().GetSetting("committed")), "1");
  EXPECT_TRUE(MUST(s().FindAssets("web")).empty());

  // A failing store call inside the work rolls back what came before it.
  Status bad_insert = InTransaction(s(), [&]() -> Status {
    RETURN_IF_ERROR(s().PutSetting("before-failure", "1"));
    VulnerabilityDef dup{.key = "tenable:1", .source = "tenable", .source_id = "1", .title = "t"};
    VulnClass c{.class_name = "LOW", .class_source = "manual"};
    RETURN_IF_ERROR(s().InsertVulnerability(dup, c, T(1)).status());
    return s().InsertVulnerability(dup, c, T(1)).status();  // the key again
  });
  EXPECT_FALSE(bad_insert.ok());
  EXPECT_EQ(MUST(s().GetSetting("before-failure")), std::nullopt);
  EXPECT_EQ(MUST(s().FindVulnerability("tenable:1")), std::nullopt);
}

TEST_P(StoreConformance, AnotherConnectionSeesATransactionOnlyWhenCommitted) {
  MUST_OK(s().Begin());
  MUST_OK(s().PutSetting("pending", "1"));
  {
    auto reader = MUST(OpenStore(url(), OpenMode::kReadOnly));
    EXPECT_EQ(MUST(reader->GetSetting("pending")), std::nullopt);
  }
  MUST_OK(s().Commit());
  auto reader = MUST(OpenStore(url(), OpenMode::kReadOnly));
  EXPECT_EQ(MUST(reader->GetSetting("pending")), "1");
}

// ---- Open modes ------------------------------------------------------------------------

TEST_P(StoreConformance, ReadOnlyRefusesEveryWriteAndChangesNothing) {
  MUST_OK(s().PutSetting("k", "v"));
  int64_t asset = AddAsset("web", "10.0.0.1");
  CloseStore();

  auto ro = MUST(OpenStore(url(), OpenMode::kReadOnly));
  EXPECT_EQ(MUST(ro->GetSetting("k")), "v");
  EXPECT_EQ(MUST(ro->SchemaVersion()), ro->LatestSchemaVersion());
  EXPECT_FALSE(ro->PutSetting("k", "w").ok());
  EXPECT_FALSE(ro->PutSetting("new", "x").ok());
  AssetRecord a{.name = "db", .first_seen = T(1), .last_seen = T(2)};
  EXPECT_FALSE(ro->InsertAsset(a).ok());
  EXPECT_FALSE(ro->DecommissionAsset(asset, T(5), "bob", "gone").ok());
  EXPECT_FALSE(ro->EnsureScanner("net", "network", T(1)).ok());
  EXPECT_FALSE(ro->InsertEvent(EventRecord{.seq = 1, .at = T(1), .actor = "a", .type = "t"}).ok());
  // Still readable after the refusals, and nothing changed.
  EXPECT_EQ(MUST(ro->GetSetting("k")), "v");
  EXPECT_EQ(MUST(ro->GetSetting("new")), std::nullopt);
  ro.reset();

  auto rw = MUST(OpenStore(url(), OpenMode::kExisting));
  EXPECT_EQ(MUST(rw->GetSetting("k")), "v");
  EXPECT_EQ(MUST(rw->GetSetting("new")), std::nullopt);
  auto assets = MUST(rw->QueryAssets({}));
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_EQ(assets[0].name, "web");
  EXPECT_EQ(assets[0].state, AssetState::kActive);
  EXPECT_TRUE(MUST(rw->QueryScanners()).empty());
  EXPECT_EQ(MUST(rw->LastEventSeq()), 0);
}

// ---- Scanners and scans ----------------------------------------------------------------

TEST_P(StoreConformance, EnsureScannerRegistersOnceAndKeepsTheFirstRegistration) {
  ScannerRecord first = MUST(s().EnsureScanner("nessus-dmz", "network", T(100)));
  EXPECT_GT(first.id, 0);
  EXPECT_EQ(first.name, "nessus-dmz");
  EXPECT_EQ(first.kind, "network");
  EXPECT_EQ(first.created_at, T(100));
  ScannerRecord again = MUST(s().EnsureScanner("nessus-dmz", "agent", T(200)));
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(again.kind, "network");
  EXPECT_EQ(again.created_at, T(100));
  ScannerRecord other = MUST(s().EnsureScanner("trivy", "container", T(300)));
  EXPECT_NE(other.id, first.id);
  auto all = MUST(s().QueryScanners());
  ASSERT_EQ(all.size(), 2u);
}

TEST_P(StoreConformance, SetScannerRegistersOrChangesKindCadenceAndGrace) {
  MUST_OK(s().SetScanner(ScannerRecord{.name = "agents",
                                       .kind = "agent",
                                       .created_at = T(100),
                                       .cadence = std::chrono::hours(24),
                                       .grace = std::chrono::hours(6)}));
  auto views = MUST(s().QueryScanners());
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].name, "agents");
  EXPECT_EQ(views[0].kind, "agent");
  EXPECT_EQ(views[0].cadence, std::chrono::seconds(86400));
  EXPECT_EQ(views[0].grace, std::chrono::seconds(21600));
  EXPECT_EQ(views[0].created_at, T(100));
  int64_t id = MUST(s().EnsureScanner("agents", "whatever", T(999))).id;

  MUST_OK(s().SetScanner(ScannerRecord{.name = "agents",
                                       .kind = "network",
                                       .created_at = T(555),
                                       .cadence = std::nullopt,
                                       .grace = std::chrono::seconds(0)}));
  views = MUST(s().QueryScanners());
  ASSERT_EQ(views.size(), 1u);
  EXPECT_EQ(views[0].kind, "network");
  EXPECT_EQ(views[0].cadence, std::nullopt);
  EXPECT_EQ(views[0].grace, std::chrono::seconds(0));
  // Only kind, cadence and grace change: the registration (id, creation) stays.
  EXPECT_EQ(views[0].created_at, T(100));
  EXPECT_EQ(MUST(s().EnsureScanner("agents", "x", T(1))).id, id);

  MUST_OK(s().SetScanner(ScannerRecord{
      .name = "agents", .kind = "agent", .cadence = std::chrono::seconds(kMaxInt / 2)}));
  EXPECT_EQ(MUST(s().QueryScanners())[0].cadence, std::chrono::seconds(kMaxInt / 2));
}

TEST_P(StoreConformance, ScanResultsRoundTripAndQueryScansIsOldestImportFirst) {
  int64_t net = AddScanner("net");
  int64_t agent = AddScanner("agents", "agent");
  int64_t late = AddScan(net, "digest-late", 3000);
  int64_t early = AddScan(agent, "digest-early", 1000);
  int64_t middle = AddScan(net, "digest-middle", 2000);
  const std::string& big = HostileTexts().back();
  ScanRecord result{.id = middle,
                    .scanner_id = net,
                    .digest = "digest-middle",
                    .report_name = big,
                    .policy_name = "'; DROP TABLE scans; --",
                    .tool = "Nessus 10.7 🛡️",
                    .started_at = T(1500),
                    .ended_at = T(1900),
                    .has_check_set = true,
                    .check_set = "10001;10002;19506",
                    .counts = {.hosts = 1,
                               .findings = 2,
                               .vulnerabilities = 3,
                               .new_findings = 4,
                               .fixed = 5,
                               .reopened = 6,
                               .unchanged = 7,
                               .absent_unverified = 8,
                               .stale_hosts = 9,
                               .reappeared = 10,
                               .warnings = kMaxInt}};
  MUST_OK(s().UpdateScanResult(result));

  auto scans = MUST(s().QueryScans());
  ASSERT_EQ(scans.size(), 3u);
  EXPECT_EQ(scans[0].id, early);
  EXPECT_EQ(scans[1].id, middle);
  EXPECT_EQ(scans[2].id, late);
  EXPECT_EQ(scans[0].scanner_name, "agents");
  const ScanRecord& m = scans[1];
  EXPECT_EQ(m.scanner_id, net);
  EXPECT_EQ(m.scanner_name, "net");
  EXPECT_EQ(m.digest, "digest-middle");
  EXPECT_EQ(m.size, 1234);
  EXPECT_EQ(m.file_name, "digest-middle.nessus");
  EXPECT_EQ(m.format, "nessus");
  EXPECT_EQ(m.report_name, big);
  EXPECT_EQ(m.policy_name, "'; DROP TABLE scans; --");
  EXPECT_EQ(m.tool, "Nessus 10.7 🛡️");
  EXPECT_EQ(m.started_at, T(1500));
  EXPECT_EQ(m.ended_at, T(1900));
  EXPECT_EQ(m.imported_at, T(2000));
  EXPECT_EQ(m.imported_by, "tester");
  EXPECT_EQ(m.counts.hosts, 1);
  EXPECT_EQ(m.counts.findings, 2);
  EXPECT_EQ(m.counts.vulnerabilities, 3);
  EXPECT_EQ(m.counts.new_findings, 4);
  EXPECT_EQ(m.counts.fixed, 5);
  EXPECT_EQ(m.counts.reopened, 6);
  EXPECT_EQ(m.counts.unchanged, 7);
  EXPECT_EQ(m.counts.absent_unverified, 8);
  EXPECT_EQ(m.counts.stale_hosts, 9);
  EXPECT_EQ(m.counts.reappeared, 10);
  EXPECT_EQ(m.counts.warnings, kMaxInt);
  // A scan no result was recorded for: no times, zero counts.
  EXPECT_EQ(scans[2].started_at, std::nullopt);
  EXPECT_EQ(scans[2].ended_at, std::nullopt);
  EXPECT_EQ(scans[2].counts.findings, 0);
  EXPECT_EQ(MUST(s().ScanCheckSet(middle)), "10001;10002;19506");
}

TEST_P(StoreConformance, UpdateScanResultRecordsTheDigestAndCheckSet) {
  int64_t net = AddScanner("net");
  int64_t id = AddScan(net, "provisional");
  EXPECT_EQ(MUST(s().ScanCheckSet(id)), "");
  ScanRecord r{.id = id,
               .scanner_id = net,
               .digest = "final-digest",
               .has_check_set = true,
               .check_set = "1;2;3"};
  MUST_OK(s().UpdateScanResult(r));
  EXPECT_EQ(MUST(s().FindScanByDigest("provisional")), std::nullopt);
  auto found = MUST(s().FindScanByDigest("final-digest"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(MUST(s().ScanCheckSet(id)), "1;2;3");

  // A check set given at insertion.
  ScanRecord with_set{.scanner_id = net,
                      .digest = "d2",
                      .quick_digest = "q2",
                      .size = 1,
                      .file_name = "f",
                      .format = "nessus",
                      .imported_at = T(1),
                      .imported_by = "x",
                      .has_check_set = true,
                      .check_set = "42"};
  int64_t second = MUST(s().InsertScan(with_set));
  EXPECT_NE(second, id);
  EXPECT_EQ(MUST(s().ScanCheckSet(second)), "42");
}

TEST_P(StoreConformance, FindScanByDigestAndQuickDigest) {
  int64_t net = AddScanner("net");
  int64_t id = AddScan(net, "sha-1", 777);
  auto found = MUST(s().FindScanByDigest("sha-1"));
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(found->scanner_id, net);
  EXPECT_EQ(found->scanner_name, "net");
  EXPECT_EQ(found->digest, "sha-1");
  EXPECT_EQ(found->file_name, "sha-1.nessus");
  EXPECT_EQ(found->imported_at, T(777));
  EXPECT_EQ(found->imported_by, "tester");
  EXPECT_EQ(MUST(s().FindScanByDigest("sha-2")), std::nullopt);
  EXPECT_EQ(MUST(s().FindScanByDigest("SHA-1")), std::nullopt);
  EXPECT_TRUE(MUST(s().HasScanWithQuickDigest("quick-sha-1")));
  EXPECT_FALSE(MUST(s().HasScanWithQuickDigest("quick-sha-2")));
  EXPECT_FALSE(MUST(s().HasScanWithQuickDigest("")));
}

TEST_P(StoreConformance, ScanTimesAreEndElseStartOldestFirstWithoutTimelessScans) {
  int64_t net = AddScanner("net");
  int64_t other = AddScanner("other");
  auto record = [&](int64_t scanner, const std::string& digest, std::optional<int64_t> start,
                    std::optional<int64_t> end) {
    int64_t id = AddScan(scanner, digest);
    ScanRecord r{.id = id, .scanner_id = scanner, .digest = digest};
    if (start) {
      r.started_at = T(*start);
    }
    if (end) {
      r.ended_at = T(*end);
    }
    MUST_OK(s().UpdateScanResult(r));
  };
  record(net, "a", 100, 300);           // 300
  record(net, "b", 200, std::nullopt);  // 200
  record(net, "c", std::nullopt, std::nullopt);
  record(net, "d", std::nullopt, 50);  // 50
  record(net, "e", 10, 400);           // 400
  record(other, "f", 1, 2);
  EXPECT_EQ(MUST(s().ScanTimes("net")), (std::vector<Timestamp>{T(50), T(200), T(300), T(400)}));
  EXPECT_EQ(MUST(s().ScanTimes("other")), (std::vector<Timestamp>{T(2)}));
  EXPECT_TRUE(MUST(s().ScanTimes("nobody")).empty());
}

TEST_P(StoreConformance, LastScansByScannerGivesEachAssetItsLatestScanByThatScanner) {
  int64_t net = AddScanner("net");
  int64_t agent = AddScanner("agents", "agent");
  int64_t s1 = AddScan(net, "s1");
  int64_t s2 = AddScan(net, "s2");
  int64_t s3 = AddScan(agent, "s3");
  int64_t web = AddAsset("web");
  int64_t db = AddAsset("db");
  int64_t lone = AddAsset("lone");
  MUST_OK(s().InsertHostScan(
      {.scan_id = s1, .asset_id = web, .scanner_id = net, .observed_at = T(100)}));
  MUST_OK(s().InsertHostScan(
      {.scan_id = s2, .asset_id = web, .scanner_id = net, .observed_at = T(200)}));
  MUST_OK(s().InsertHostScan(
      {.scan_id = s1, .asset_id = db, .scanner_id = net, .observed_at = T(110)}));
  MUST_OK(s().InsertHostScan(
      {.scan_id = s3, .asset_id = lone, .scanner_id = agent, .observed_at = T(900)}));
  MUST_OK(s().DecommissionAsset(db, T(300), "bob", "retired"));
  auto last = SortedBy(MUST(s().LastScansByScanner("net")), [](const auto& l) { return l.asset; });
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(last[0].asset, "db");
  EXPECT_EQ(last[0].state, AssetState::kDecommissioned);
  EXPECT_EQ(last[0].last_scanned, T(110));
  EXPECT_EQ(last[1].asset, "web");
  EXPECT_EQ(last[1].state, AssetState::kActive);
  EXPECT_EQ(last[1].last_scanned, T(200));
  EXPECT_TRUE(MUST(s().LastScansByScanner("nobody")).empty());
}

// ---- Assets ----------------------------------------------------------------------------

AssetRecord FullAsset(const std::string& name) {
  return AssetRecord{.name = name,
                     .agent_id = "agent-" + name,
                     .fqdn = name + ".example.com",
                     .ip = "192.0.2.7",
                     .hostname = "HOST-" + name,
                     .netbios_name = "NB'" + name,
                     .mac = "00:11:22:33:44:55",
                     .os = "Debian GNU/Linux 12 \"bookworm\" 🐧",
                     .first_seen = T(100),
                     .last_seen = T(kMaxInt)};
}

void ExpectSameAsset(const AssetRecord& got, const AssetRecord& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.name, want.name);
  EXPECT_EQ(got.agent_id, want.agent_id);
  EXPECT_EQ(got.fqdn, want.fqdn);
  EXPECT_EQ(got.ip, want.ip);
  EXPECT_EQ(got.hostname, want.hostname);
  EXPECT_EQ(got.netbios_name, want.netbios_name);
  EXPECT_EQ(got.mac, want.mac);
  EXPECT_EQ(got.os, want.os);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.first_seen, want.first_seen);
  EXPECT_EQ(got.last_seen, want.last_seen);
  EXPECT_EQ(got.decommissioned_at, want.decommissioned_at);
  EXPECT_EQ(got.decommissioned_by, want.decommissioned_by);
  EXPECT_EQ(got.decommission_reason, want.decommission_reason);
  EXPECT_EQ(got.reappeared_at, want.reappeared_at);
}

TEST_P(StoreConformance, AssetsRoundTripAndUpdate) {
  AssetRecord a = FullAsset("web");
  a.id = MUST(s().InsertAsset(a));
  EXPECT_GT(a.id, 0);
  auto found = MUST(s().FindAssets("web"));
  ASSERT_EQ(found.size(), 1u);
  ExpectSameAsset(found[0], a);

  AssetRecord changed = a;
  changed.name = "web-2";
  changed.agent_id = "";
  changed.fqdn = "web2.example.com";
  changed.ip = "2001:db8::1";
  changed.hostname = "";
  changed.netbios_name = "";
  changed.mac = "";
  changed.os = "";
  changed.first_seen = T(-86400);
  changed.last_seen = T(5);
  MUST_OK(s().UpdateAsset(changed));
  EXPECT_TRUE(MUST(s().FindAssets("web")).empty());
  found = MUST(s().FindAssets("web-2"));
  ASSERT_EQ(found.size(), 1u);
  ExpectSameAsset(found[0], changed);

  for (const std::string& text : HostileTexts()) {
    AssetRecord h{.name = text, .os = text, .first_seen = T(1), .last_seen = T(2)};
    h.id = MUST(s().InsertAsset(h));
    auto hits = MUST(s().FindAssets(text));
    ASSERT_EQ(hits.size(), 1u) << text;
    ExpectSameAsset(hits[0], h);
  }
}

TEST_P(StoreConformance, FindAssetsMatchesNameFqdnOrIp) {
  int64_t web = AddAsset("web", "10.0.0.1", "web.example.com");
  int64_t db = AddAsset("db", "10.0.0.2", "db.example.com");
  int64_t named_like_ip = AddAsset("10.0.0.1");
  auto ids = [&](const std::string& key) {
    std::vector<int64_t> out;
    for (const auto& a : MUST(s().FindAssets(key))) {
      out.push_back(a.id);
    }
    return Sorted(out);
  };
  EXPECT_EQ(ids("web"), std::vector<int64_t>{web});
  EXPECT_EQ(ids("db.example.com"), std::vector<int64_t>{db});
  EXPECT_EQ(ids("10.0.0.2"), std::vector<int64_t>{db});
  EXPECT_EQ(ids("10.0.0.1"), Sorted(std::vector<int64_t>{web, named_like_ip}));
  EXPECT_TRUE(ids("10.0.0.3").empty());
  EXPECT_TRUE(ids("").empty());
  EXPECT_TRUE(ids("%").empty());
  // Not in store.h: SQLite compares the FQDN with the key lower-cased (FQDNs are stored
  // lower-cased), so a key in capitals finds it; names and IPs match exactly.
  EXPECT_EQ(ids("WEB.EXAMPLE.COM"), std::vector<int64_t>{web});
  EXPECT_TRUE(ids("WEB").empty());
}

TEST_P(StoreConformance, AssetCandidatesShareTheAgentIdTheFqdnOrTheIp) {
  int64_t by_agent = AddAsset("a", "10.0.0.1", "", "agent-1");
  int64_t by_fqdn = AddAsset("b", "10.0.0.2", "b.example.com");
  int64_t by_ip = AddAsset("c", "10.0.0.3");
  AddAsset("unrelated", "10.0.0.4", "u.example.com", "agent-9");
  auto ids = [&](const std::string& agent, const std::string& fqdn, const std::string& ip,
                 const std::string& name) {
    std::vector<int64_t> out;
    for (const auto& a : MUST(s().FindAssetCandidates(agent, fqdn, ip, name))) {
      out.push_back(a.id);
    }
    return Sorted(out);
  };
  EXPECT_EQ(ids("agent-1", "", "", "x"), std::vector<int64_t>{by_agent});
  EXPECT_EQ(ids("", "b.example.com", "", "x"), std::vector<int64_t>{by_fqdn});
  EXPECT_EQ(ids("", "", "10.0.0.3", "x"), std::vector<int64_t>{by_ip});
  EXPECT_EQ(ids("agent-1", "b.example.com", "10.0.0.3", "x"),
            Sorted(std::vector<int64_t>{by_agent, by_fqdn, by_ip}));
  EXPECT_EQ(ids("agent-1", "", "10.0.0.1", "x"), std::vector<int64_t>{by_agent});
  // An empty identifier is shared with nobody: assets without an agent id or FQDN are no
  // candidates of a host without one.
  EXPECT_TRUE(ids("", "", "", "x").empty());
  EXPECT_TRUE(ids("", "", "10.9.9.9", "a").empty());
  auto full = MUST(s().FindAssetCandidates("", "b.example.com", "", ""));
  ASSERT_EQ(full.size(), 1u);
  EXPECT_EQ(full[0].name, "b");
  EXPECT_EQ(full[0].ip, "10.0.0.2");
}

// Not in store.h, which names only the agent id, FQDN and IP: SQLite also offers an asset
// that has none of the three when its name is `name` (reports that name a host and nothing
// else). The engine's asset resolution relies on it.
TEST_P(StoreConformance, AnAssetWithoutIdentifiersIsACandidateByName) {
  int64_t bare = AddAsset("printer-3");
  AddAsset("printer-3", "10.0.0.3");  // has an IP: found by its IP only
  auto found = MUST(s().FindAssetCandidates("", "", "", "printer-3"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, bare);
  EXPECT_TRUE(MUST(s().FindAssetCandidates("", "", "", "printer-4")).empty());
}

TEST_P(StoreConformance, DecommissionMarksTheAssetAndItsOpenFindingsInactive) {
  int64_t asset = AddAsset("old", "10.0.0.9");
  int64_t other = AddAsset("other");
  int64_t vuln = AddVuln("tenable:1");
  int64_t open = AddFinding(vuln, asset, 1, FindingState::kOpen);
  int64_t reopened = AddFinding(vuln, asset, 2, FindingState::kReopened);
  int64_t fixed = AddFinding(vuln, asset, 3, FindingState::kFixed);
  int64_t elsewhere = AddFinding(vuln, other, 1, FindingState::kOpen);

  MUST_OK(s().DecommissionAsset(asset, T(5000), "bob 'the admin'", "retired; see CHG-42 🗑️"));
  // The store leaves the findings as they are; which become inactive is the engine's rule
  // (RetireAsset), which it states through SetFindingStates.
  EXPECT_EQ(FindingOf(asset, open).state, FindingState::kOpen);
  EXPECT_EQ(MUST(s().SetFindingStates(asset, OpenFindingStates(), FindingState::kInactive)), 2);
  EXPECT_EQ(MUST(s().SetFindingStates(asset, OpenFindingStates(), FindingState::kInactive)), 0);
  auto found = MUST(s().FindAssets("old"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].state, AssetState::kDecommissioned);
  EXPECT_EQ(found[0].decommissioned_at, T(5000));
  EXPECT_EQ(found[0].decommissioned_by, "bob 'the admin'");
  EXPECT_EQ(found[0].decommission_reason, "retired; see CHG-42 🗑️");
  EXPECT_EQ(found[0].reappeared_at, std::nullopt);
  EXPECT_EQ(FindingOf(asset, open).state, FindingState::kInactive);
  EXPECT_EQ(FindingOf(asset, reopened).state, FindingState::kInactive);
  EXPECT_EQ(FindingOf(asset, fixed).state, FindingState::kFixed);
  EXPECT_EQ(FindingOf(other, elsewhere).state, FindingState::kOpen);
  EXPECT_EQ(MUST(s().FindAssets("other"))[0].state, AssetState::kActive);
}

TEST_P(StoreConformance, ReactivateRecordsTheReappearanceAndKeepsTheDecommissioning) {
  int64_t asset = AddAsset("old");
  int64_t vuln = AddVuln("tenable:1");
  int64_t finding = AddFinding(vuln, asset, 1);
  MUST_OK(s().DecommissionAsset(asset, T(5000), "bob", "retired"));
  EXPECT_EQ(MUST(s().SetFindingStates(asset, OpenFindingStates(), FindingState::kInactive)), 1);
  MUST_OK(s().ReactivateAsset(asset, T(6000)));
  auto found = MUST(s().FindAssets("old"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].state, AssetState::kActive);
  EXPECT_EQ(found[0].reappeared_at, T(6000));
  EXPECT_EQ(found[0].decommissioned_at, T(5000));
  EXPECT_EQ(found[0].decommissioned_by, "bob");
  EXPECT_EQ(found[0].decommission_reason, "retired");
  // What becomes of the inactive findings is the engine's rule: the store leaves them.
  EXPECT_EQ(FindingOf(asset, finding).state, FindingState::kInactive);
}

TEST_P(StoreConformance, HostScansLatestAndStrictlyNext) {
  int64_t net = AddScanner("net");
  int64_t other = AddScanner("other");
  int64_t asset = AddAsset("web");
  int64_t elsewhere = AddAsset("db");
  int64_t s1 = AddScan(net, "s1");
  int64_t s2 = AddScan(net, "s2");
  int64_t s3 = AddScan(net, "s3");
  int64_t s4 = AddScan(other, "s4");
  MUST_OK(s().InsertHostScan({.scan_id = s2,
                              .asset_id = asset,
                              .scanner_id = net,
                              .observed_at = T(200),
                              .credentialed = false}));
  MUST_OK(s().InsertHostScan({.scan_id = s1,
                              .asset_id = asset,
                              .scanner_id = net,
                              .observed_at = T(100),
                              .credentialed = true}));
  MUST_OK(s().InsertHostScan(
      {.scan_id = s3, .asset_id = asset, .scanner_id = net, .observed_at = T(300)}));
  MUST_OK(s().InsertHostScan(
      {.scan_id = s4, .asset_id = asset, .scanner_id = other, .observed_at = T(400)}));
  MUST_OK(s().InsertHostScan(
      {.scan_id = s3, .asset_id = elsewhere, .scanner_id = net, .observed_at = T(999)}));

  auto latest = MUST(s().LatestHostScan(asset, net));
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->scan_id, s3);
  EXPECT_EQ(latest->asset_id, asset);
  EXPECT_EQ(latest->scanner_id, net);
  EXPECT_EQ(latest->observed_at, T(300));
  EXPECT_EQ(latest->credentialed, std::nullopt);
  EXPECT_EQ(MUST(s().LatestHostScan(asset, other))->scan_id, s4);
  EXPECT_EQ(MUST(s().LatestHostScan(asset, 12345)), std::nullopt);

  auto next = [&](int64_t after) { return MUST(s().NextHostScan(asset, net, T(after))); };
  ASSERT_TRUE(next(99));
  EXPECT_EQ(next(99)->scan_id, s1);
  EXPECT_EQ(next(99)->credentialed, true);
  EXPECT_EQ(next(100)->scan_id, s2);  // strictly after
  EXPECT_EQ(next(100)->credentialed, false);
  EXPECT_EQ(next(150)->scan_id, s2);
  EXPECT_EQ(next(200)->scan_id, s3);
  EXPECT_EQ(next(200)->observed_at, T(300));
  EXPECT_EQ(next(300), std::nullopt);
  EXPECT_EQ(next(kMaxInt), std::nullopt);
}

// Not stated in store.h: a second pass of the same scan over the same asset (a report that
// lists one host twice, under two addresses) is no error; one row stays, with the later time
// and the credential state a pass reported (SQLite's ON CONFLICT upsert; engine/scan_applier.cc
// inserts a pass per reported host).
TEST_P(StoreConformance, ASecondPassOfTheSameScanOverAnAssetKeepsOneRowWithTheLaterTime) {
  int64_t net = AddScanner("net");
  int64_t scan = AddScan(net, "s1");
  int64_t asset = AddAsset("web");
  MUST_OK(s().InsertHostScan({.scan_id = scan,
                              .asset_id = asset,
                              .scanner_id = net,
                              .observed_at = T(200),
                              .credentialed = true}));
  MUST_OK(s().InsertHostScan(
      {.scan_id = scan, .asset_id = asset, .scanner_id = net, .observed_at = T(100)}));
  auto latest = MUST(s().LatestHostScan(asset, net));
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->observed_at, T(200));
  EXPECT_EQ(latest->credentialed, true);
  EXPECT_EQ(MUST(s().NextHostScan(asset, net, T(0)))->observed_at, T(200));
  MUST_OK(s().InsertHostScan({.scan_id = scan,
                              .asset_id = asset,
                              .scanner_id = net,
                              .observed_at = T(300),
                              .credentialed = false}));
  latest = MUST(s().LatestHostScan(asset, net));
  EXPECT_EQ(latest->observed_at, T(300));
  EXPECT_EQ(latest->credentialed, false);
  EXPECT_EQ(MUST(s().NextHostScan(asset, net, T(300))), std::nullopt);
  EXPECT_EQ(MUST(s().QueryScanners())[0].assets, 1);
}

}  // namespace
}  // namespace vigil::conformance
