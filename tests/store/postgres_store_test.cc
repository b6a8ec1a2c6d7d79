// The PostgreSQL store: opening, schema versions, read-only refusal, transactions, writers
// serialised across connections, and the same answers as the SQLite store for the same calls
// (every query, and every table's rows as ForEachRow hands them to audit verification).
//
// Needs $VIGIL_PG_URL (a database it may wipe); ctest runs it under tests/support/pg_cluster.py.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <set>
#include <sstream>
#include <thread>

#include "engine/logged_rows.h"
#include "engine/state_commitment.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace vigil {
namespace {

std::string PgUrl() {
  const char* url = std::getenv("VIGIL_PG_URL");
  return url != nullptr ? url : "";
}

// Runs SQL straight on the test database (no store), failing the test on error.
void Sql(const std::string& sql) {
  PGconn* c = PQconnectdb(PgUrl().c_str());
  ASSERT_EQ(PQstatus(c), CONNECTION_OK) << PQerrorMessage(c);
  PGresult* r = PQexec(c, sql.c_str());
  EXPECT_TRUE(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK)
      << PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
}

// The values of the first column of `sql`'s rows.
std::vector<std::string> SqlColumn(const std::string& sql) {
  std::vector<std::string> out;
  PGconn* c = PQconnectdb(PgUrl().c_str());
  PGresult* r = PQexec(c, sql.c_str());
  for (int i = 0; i < PQntuples(r); ++i) {
    out.emplace_back(PQgetvalue(r, i, 0));
  }
  PQclear(r);
  PQfinish(c);
  return out;
}

class PgStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PgUrl().empty()) {
      GTEST_SKIP() << "VIGIL_PG_URL is not set (ctest runs this under tests/support/pg_cluster.py)";
    }
    Sql("SET client_min_messages = warning; DROP SCHEMA public CASCADE; CREATE SCHEMA public;");
  }

  std::unique_ptr<Store> Open(OpenMode mode = OpenMode::kCreate) {
    auto store = OpenStore(PgUrl(), mode);
    EXPECT_TRUE(store.ok()) << store.status().message();
    return store.ok() ? std::move(*store) : nullptr;
  }

  std::unique_ptr<Store> Initialized() {
    auto store = Open();
    if (store != nullptr) {
      Status st = store->Initialize();
      EXPECT_TRUE(st.ok()) << st.message();
    }
    return store;
  }
};

Timestamp T(int64_t n) {
  return FromUnixSeconds(1700000000 + n);
}

TEST_F(PgStoreTest, InitializesToTheSqliteSchemaVersionOnce) {
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->SchemaVersion(), 0);
  ASSERT_TRUE(store->Initialize().ok());
  testing::TempDir dir;
  auto sqlite = OpenStore((dir.path() / "v.db").string(), OpenMode::kCreate);
  ASSERT_TRUE(sqlite.ok());
  EXPECT_EQ(store->LatestSchemaVersion(), (*sqlite)->LatestSchemaVersion());
  EXPECT_EQ(*store->SchemaVersion(), store->LatestSchemaVersion());
  ASSERT_TRUE(store->Initialize().ok());
  EXPECT_EQ(*store->SchemaVersion(), store->LatestSchemaVersion());
  EXPECT_TRUE(OpenStore(PgUrl(), OpenMode::kExisting).ok());
}

TEST_F(PgStoreTest, RefusesADatabaseWithoutTheSchemaUnlessCreating) {
  for (OpenMode mode : {OpenMode::kExisting, OpenMode::kReadOnly}) {
    auto store = OpenStore(PgUrl(), mode);
    ASSERT_FALSE(store.ok());
    EXPECT_EQ(store.status().code(), ErrorCode::kFailedPrecondition);
    EXPECT_NE(store.status().message().find("vigil init"), std::string::npos);
  }
}

TEST_F(PgStoreTest, RefusesSchemaNewerThanItKnows) {
  ASSERT_NE(Initialized(), nullptr);
  Sql("UPDATE schema_version SET version = 999");
  auto store = Open(OpenMode::kExisting);
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->SchemaVersion(), 999);
  Status st = store->Initialize();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("newer"), std::string::npos);
}

TEST_F(PgStoreTest, ConnectionErrorsNameTheSocketNeverThePassword) {
  auto store =
      OpenStore("postgresql://someone:s3cr3tpw@/nodb?host=/nonexistent/dir", OpenMode::kExisting);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("/nonexistent/dir"), std::string::npos)
      << store.status().message();
  EXPECT_EQ(store.status().message().find("s3cr3tpw"), std::string::npos);
}

TEST_F(PgStoreTest, ReadOnlyWritesNothing) {
  ASSERT_NE(Initialized(), nullptr);
  auto store = Open(OpenMode::kReadOnly);
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(store->PutSetting("k", "v").ok());
  EXPECT_FALSE(store->Begin().ok());
  EXPECT_FALSE(store->EnsureScanner("net", "network", T(0)).ok());
  EXPECT_TRUE(store->QueryScanners().ok());
  auto writer = Open(OpenMode::kExisting);
  EXPECT_FALSE(*writer->GetSetting("k"));
}

TEST_F(PgStoreTest, RollbackDiscardsEverythingAndAnAbortedCommitFails) {
  auto store = Initialized();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->Begin().ok());
  ASSERT_TRUE(store->PutSetting("k", "v").ok());
  ASSERT_TRUE(store->EnsureScanner("net", "network", T(0)).ok());
  store->Rollback();
  EXPECT_FALSE(*store->GetSetting("k"));
  EXPECT_TRUE(store->QueryScanners()->empty());
  // A statement that fails aborts the transaction: its commit must not report success. A
  // queued write (an import's) fails when it is sent: with the next read, or at the commit.
  ASSERT_TRUE(store->Begin().ok());
  ASSERT_TRUE(store->PutSetting("k", "v").ok());
  ASSERT_TRUE(store->InsertHostScan({.scan_id = 77, .asset_id = 1, .scanner_id = 1}).ok());
  EXPECT_FALSE(store->Commit().ok());
  EXPECT_FALSE(*store->GetSetting("k"));
  ASSERT_TRUE(store->Begin().ok());
  ASSERT_TRUE(store->InsertHostScan({.scan_id = 77, .asset_id = 1, .scanner_id = 1}).ok());
  auto read = store->QueryScanners();
  ASSERT_FALSE(read.ok());
  EXPECT_NE(read.status().message().find("foreign key"), std::string::npos)
      << read.status().message();
  EXPECT_FALSE(store->Commit().ok());
  EXPECT_FALSE(*store->GetSetting("k"));
  // A write outside Begin/Commit is its own transaction.
  ASSERT_TRUE(store->PutSetting("k", "w").ok());
  EXPECT_EQ(*Open(OpenMode::kExisting)->GetSetting("k"), "w");
}

// A server's connection cut by PostgreSQL (a restart, a failover, an administrator) is made
// again: a read on its own is asked again, a transaction starts on the new connection; a
// transaction the cut interrupted is lost whole, never continued.
TEST_F(PgStoreTest, ALostConnectionIsMadeAgainBetweenTransactions) {
  auto store = Initialized();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->PutSetting("k", "v").ok());
  auto cut = [] {
    Sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() "
        "AND datname = current_database()");
  };
  cut();
  auto read = store->GetSetting("k");
  ASSERT_TRUE(read.ok()) << read.status().message();
  EXPECT_EQ(*read, "v");
  cut();
  ASSERT_TRUE(store->Begin().ok());
  ASSERT_TRUE(store->PutSetting("k", "w").ok());
  ASSERT_TRUE(store->Commit().ok());
  EXPECT_EQ(*Open(OpenMode::kExisting)->GetSetting("k"), "w");
  // Cut inside a transaction: the rest of it fails, and nothing of it is applied.
  ASSERT_TRUE(store->Begin().ok());
  ASSERT_TRUE(store->PutSetting("k", "x").ok());
  cut();
  EXPECT_FALSE(store->QueryScanners().ok());
  ASSERT_TRUE(store->PutSetting("other", "y").ok());  // kept until the commit, which fails
  EXPECT_FALSE(store->Commit().ok());
  store->Rollback();
  EXPECT_EQ(*store->GetSetting("k"), "w");
  EXPECT_FALSE(*store->GetSetting("other"));
}

TEST_F(PgStoreTest, ConcurrentWritersNeverForkTheLog) {
  ASSERT_NE(Initialized(), nullptr);
  constexpr int kPerWriter = 150;
  auto writer = [&](const std::string& who) {
    auto store = Open(OpenMode::kExisting);
    ASSERT_NE(store, nullptr);
    for (int i = 0; i < kPerWriter; ++i) {
      Status st = InTransaction(*store, [&]() -> Status {
        ASSIGN_OR_RETURN(int64_t last, store->LastEventSeq());
        // A pause between reading and writing, where an unserialised writer would interleave.
        std::this_thread::yield();
        return store->InsertEvent({.seq = last + 1,
                                   .at = T(i),
                                   .actor = who,
                                   .type = "t",
                                   .subject = "s",
                                   .payload = "{}",
                                   .leaf_hash = "l",
                                   .root_hash = "r"});
      });
      ASSERT_TRUE(st.ok()) << st.message();
    }
  };
  std::thread a(writer, "a");
  std::thread b(writer, "b");
  a.join();
  b.join();
  auto store = Open(OpenMode::kReadOnly);
  std::vector<int64_t> seqs;
  std::set<std::string> actors;
  ASSERT_TRUE(store
                  ->ForEachEvent(1, 0,
                                 [&](const EventRecord& e) {
                                   seqs.push_back(e.seq);
                                   actors.insert(e.actor);
                                   return Status::Ok();
                                 })
                  .ok());
  ASSERT_EQ(seqs.size(), 2u * kPerWriter);
  for (size_t i = 0; i < seqs.size(); ++i) {
    EXPECT_EQ(seqs[i], static_cast<int64_t>(i) + 1);
  }
  EXPECT_EQ(actors.size(), 2u);
}

// ---------------------------------------------------------------------------------------------
// The same calls on both stores, every answer written down as text.

class Log {
 public:
  template <typename... T>
  void operator()(const std::string& what, const T&... values) {
    os_ << what << ":";
    ((os_ << ' ', W(values)), ...);
    os_ << '\n';
  }
  std::string str() const { return os_.str(); }

  void W(int64_t v) { os_ << v; }
  void W(int v) { os_ << v; }
  void W(uint64_t v) { os_ << v; }
  void W(bool v) { os_ << (v ? "true" : "false"); }
  void W(double v) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%a", v);
    os_ << buf;
  }
  void W(const std::string& v) { os_ << '"' << v << '"'; }
  void W(const char* v) { os_ << v; }
  void W(std::string_view v) { os_ << '"' << v << '"'; }
  void W(Timestamp t) { os_ << "@" << ToUnixSeconds(t); }
  void W(std::chrono::seconds s) { os_ << s.count() << "s"; }
  void W(FindingState v) { W(ToString(v)); }
  void W(Presence v) { W(ToString(v)); }
  void W(AssetState v) { W(ToString(v)); }
  void W(Role v) { W(ToString(v)); }
  void W(DecisionType v) { W(ToString(v)); }
  void W(ReasonCategory v) { W(ToString(v)); }
  void W(DecisionState v) { W(ToString(v)); }
  void W(const Cell& c) {
    switch (c.kind) {
      case Cell::Kind::kNull:
        os_ << "NULL";
        break;
      case Cell::Kind::kInt:
        os_ << "i" << c.i;
        break;
      case Cell::Kind::kReal:
        os_ << "r";
        W(c.r);
        break;
      case Cell::Kind::kText:
        os_ << "t";
        W(c.text);
        break;
    }
  }
  void W(const Reference& r) { os_ << r.kind << "=" << r.value; }
  template <typename T>
  void W(const std::optional<T>& v) {
    if (v) {
      W(*v);
    } else {
      os_ << "-";
    }
  }
  template <typename T>
  void W(const std::vector<T>& v) {
    os_ << '[';
    for (const auto& e : v) {
      W(e);
      os_ << ',';
    }
    os_ << ']';
  }

 private:
  std::ostringstream os_;
};

// Logs `r`'s value with `dump`, or its error.
template <typename R, typename Dump>
void Check(Log& log, const std::string& what, R&& r, Dump dump) {
  if (!r.ok()) {
    log(what + " failed");
    return;
  }
  dump(*r);
}

void Ok(Log& log, const std::string& what, const Status& st) {
  log(what, st.ok() ? "ok" : "error");
}

VulnerabilityDef Def(const std::string& key, int n) {
  VulnerabilityDef d;
  d.key = key;
  d.source = key.substr(0, key.find(':'));
  d.source_id = key.substr(key.find(':') + 1);
  d.title = "Title " + key;
  if (n % 2 == 1) {
    d.family = "Family";
    d.synopsis = "syn";
    d.description = "d\xc3\xa9scription";
    d.solution = "patch";
    d.risk_factor = "High";
    d.scanner_severity = 3;
    d.cvss2_vector = "AV:N/AC:L/Au:N/C:P/I:P/A:P";
    d.cvss2_score = 7.5;
    d.cvss3_vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
    d.cvss3_score = 9.8;
    d.cvss4_score = 0.1 + 0.2;  // not exactly representable: must survive exactly
    d.vpr_score = 6.7;
    d.epss_score = 1e-7;
    d.exploit_available = n == 1;
    d.check_type = "remote";
    d.published = T(-1000);
    d.patch_published = T(-500);
  }
  return d;
}

void WriteScannersAndScans(Store& s, Log& log) {
  Check(log, "ensure", s.EnsureScanner("net", "network", T(0)),
        [&](const ScannerRecord& r) { log("scanner", r.id, r.name, r.kind, r.created_at); });
  Check(log, "ensure", s.EnsureScanner("agent", "agent", T(1)),
        [&](const ScannerRecord& r) { log("scanner", r.id, r.name, r.kind); });
  Check(log, "ensure", s.EnsureScanner("net", "agent", T(2)),
        [&](const ScannerRecord& r) { log("scanner", r.id, r.name, r.kind, r.created_at); });
  Ok(log, "set",
     s.SetScanner({.name = "net",
                   .kind = "network",
                   .created_at = T(9),
                   .cadence = std::chrono::seconds(86400),
                   .grace = std::chrono::seconds(3600)}));
  Ok(log, "set", s.SetScanner({.name = "code", .kind = "code", .created_at = T(3)}));
  ScanRecord s1{.scanner_id = 1,
                .digest = "d1",
                .quick_digest = "q1",
                .size = 100,
                .file_name = "a.nessus",
                .format = "nessus",
                .report_name = "R",
                .imported_at = T(10),
                .imported_by = "alice",
                .has_check_set = true,
                .check_set = "1;2;3"};
  ScanRecord s2{.scanner_id = 2,
                .digest = "d2",
                .quick_digest = "q2",
                .size = 5,
                .file_name = "b.json",
                .format = "trivy",
                .imported_at = T(10),
                .imported_by = "bob"};
  ScanRecord s3 = s1;
  s3.digest = "d3";
  s3.has_check_set = false;
  s3.check_set = "";
  s3.imported_at = T(5);
  for (ScanRecord* sc : {&s1, &s2, &s3}) {
    Check(log, "scan", s.InsertScan(*sc), [&](int64_t id) {
      sc->id = id;
      log("scan id", id);
    });
  }
  s1.started_at = T(1);
  s1.ended_at = T(8);
  s1.tool = "Nessus 10";
  s1.counts = {.hosts = 2,
               .findings = 3,
               .vulnerabilities = 2,
               .new_findings = 3,
               .fixed = 1,
               .reopened = 1,
               .unchanged = 0,
               .absent_unverified = 1,
               .stale_hosts = 0,
               .reappeared = 1,
               .warnings = 4};
  s2.started_at = T(2);
  Ok(log, "update scan", s.UpdateScanResult(s1));
  Ok(log, "update scan", s.UpdateScanResult(s2));
}

void WriteAssets(Store& s, Log& log) {
  std::vector<AssetRecord> assets = {
      {.name = "web01",
       .fqdn = "web01.example.com",
       .ip = "10.0.0.1",
       .os = "Linux",
       .first_seen = T(1),
       .last_seen = T(8)},
      {.name = "DB",
       .agent_id = "ag-2",
       .hostname = "db",
       .netbios_name = "DB",
       .mac = "aa",
       .first_seen = T(2),
       .last_seen = T(2)},
      {.name = "web01", .ip = "10.0.0.3", .first_seen = T(3), .last_seen = T(3)},
      {.name = "\xc3\xa4-host", .first_seen = T(4), .last_seen = T(4)},
      {.name = "Zeta", .first_seen = T(4), .last_seen = T(4)}};
  for (auto& a : assets) {
    Check(log, "asset", s.InsertAsset(a), [&](int64_t id) { log("asset id", id); });
  }
  AssetRecord db = assets[1];
  db.id = 2;
  db.os = "Windows";
  db.last_seen = T(12);
  Ok(log, "update asset", s.UpdateAsset(db));
  Ok(log, "hs",
     s.InsertHostScan({.scan_id = 1,
                       .asset_id = 1,
                       .scanner_id = 1,
                       .observed_at = T(10),
                       .credentialed = true}));
  Ok(log, "hs",
     s.InsertHostScan({.scan_id = 1, .asset_id = 1, .scanner_id = 1, .observed_at = T(5)}));
  Ok(log, "hs",
     s.InsertHostScan({.scan_id = 2,
                       .asset_id = 2,
                       .scanner_id = 2,
                       .observed_at = T(11),
                       .credentialed = false}));
  Ok(log, "hs",
     s.InsertHostScan({.scan_id = 3, .asset_id = 1, .scanner_id = 1, .observed_at = T(20)}));
  Ok(log, "hs",
     s.InsertHostScan({.scan_id = 3, .asset_id = 3, .scanner_id = 1, .observed_at = T(20)}));
}

void WriteVulnerabilities(Store& s, Log& log) {
  VulnClass c1{.class_name = "high",
               .class_source = "auto:cvss3",
               .auto_class = "high",
               .auto_source = "auto:cvss3",
               .rating_score = 9.8};
  VulnClass none{.class_name = "unclassified", .class_source = "none"};
  VulnerabilityDef v1 = Def("tenable:1", 1);
  v1.refs = {
      {"cve", "CVE-2021-0001"}, {"cve", "CVE-2020-9"}, {"xref", "IAVA:1"}, {"cve", "CVE-2020-9"}};
  VulnerabilityDef v2 = Def("tenable:2", 2);
  VulnerabilityDef v3 = Def("grype:GHSA-1", 3);
  v3.refs = {{"cve", "CVE-2021-0001"}};
  VulnerabilityDef v4 = Def("nvd:CVE-2022-1234", 4);
  v4.key = "CVE-2022-1234";
  for (const auto* d : {&v1, &v2, &v3, &v4}) {
    Check(log, "vuln", s.InsertVulnerability(*d, d == &v1 ? c1 : none, T(7)),
          [&](int64_t id) { log("vuln id", id); });
  }
  v2.refs = {{"cve", "CVE-2019-5"}, {"bid", "77"}};
  v2.title = "Retitled";
  Ok(log, "update vuln", s.UpdateVulnerability(2, v2, c1, T(8)));
  Ok(log, "class",
     s.SetVulnerabilityClass(3, {.class_name = "low",
                                 .class_source = "manual",
                                 .auto_class = "medium",
                                 .auto_source = "auto:vendor"}));
}

void WriteFindings(Store& s, Log& log) {
  std::vector<FindingRecord> findings = {{.vuln_id = 1,
                                          .asset_id = 1,
                                          .port = 443,
                                          .protocol = "tcp",
                                          .service = "www",
                                          .first_seen = T(1),
                                          .last_seen = T(8)},
                                         {.vuln_id = 1,
                                          .asset_id = 3,
                                          .port = 443,
                                          .protocol = "tcp",
                                          .state = FindingState::kReopened,
                                          .first_seen = T(3),
                                          .last_seen = T(3),
                                          .times_reopened = 2},
                                         {.vuln_id = 2,
                                          .asset_id = 1,
                                          .port = 0,
                                          .protocol = "tcp",
                                          .state = FindingState::kFixed,
                                          .first_seen = T(1),
                                          .last_seen = T(4),
                                          .fixed_at = T(8),
                                          .fixed_scan_id = 1},
                                         {.vuln_id = 3,
                                          .asset_id = 2,
                                          .port = 0,
                                          .protocol = "",
                                          .location = "openssl",
                                          .package = {.name = "openssl",
                                                      .version = "1.1",
                                                      .purl = "pkg:deb/openssl@1.1",
                                                      .path = "/usr/lib",
                                                      .fixed_version = "1.2"},
                                          .qod = 70,
                                          .first_seen = T(2),
                                          .last_seen = T(2),
                                          .absent_unverified = true},
                                         {.vuln_id = 2,
                                          .asset_id = 2,
                                          .port = 22,
                                          .protocol = "tcp",
                                          .first_seen = T(2),
                                          .last_seen = T(2)}};
  for (auto& f : findings) {
    Check(log, "finding", s.InsertFinding(f), [&](int64_t id) {
      f.id = id;
      log("finding id", id);
    });
  }
  findings[4].state = FindingState::kOpen;
  findings[4].service = "ssh";
  findings[4].qod = 30;
  Ok(log, "update finding", s.UpdateFinding(findings[4]));
  auto attr = [](int64_t f, int64_t sc, Presence p, int64_t scan, const std::string& out) {
    return AttributionRecord{.finding_id = f,
                             .scanner_id = sc,
                             .presence = p,
                             .first_seen = T(1),
                             .last_seen = T(2),
                             .last_scan_id = scan,
                             .output = out,
                             .output_hash = static_cast<int64_t>(out.size())};
  };
  std::vector<AttributionRecord> attrs = {attr(1, 1, Presence::kPresent, 1, "port 443 open"),
                                          attr(1, 2, Presence::kAbsentUnverified, 2, ""),
                                          attr(2, 1, Presence::kPresent, 3, "x"),
                                          attr(3, 1, Presence::kAbsentVerified, 1, "fixed"),
                                          attr(4, 2, Presence::kPresent, 2, "pkg"),
                                          attr(5, 2, Presence::kPresent, 2, "ssh")};
  for (const auto& a : attrs) {
    Ok(log, "attr", s.InsertAttribution(a));
  }
  AttributionRecord changed = attrs[0];
  changed.output = "port 443 open, new text";
  changed.absent_since = T(4);
  Ok(log, "update attr", s.UpdateAttribution(changed, true));
  Ok(log, "update attr", s.UpdateAttribution(attrs[4], false));
  Ok(log, "touch", s.TouchPresent(1, 1, 3, T(30)));
  Ok(log, "touch", s.TouchPresent(2, 2, 2, T(31)));
}

void WritePeople(Store& s, Log& log) {
  Ok(log, "user",
     s.InsertUser({.name = "alice",
                   .role = Role::kAdmin,
                   .created_at = T(1),
                   .created_by = "root",
                   .token_hash = "h1",
                   .token_issued_by = "root",
                   .role_granted_by = "root"}));
  Ok(log, "user",
     s.InsertUser({.name = "bob",
                   .role = Role::kAnalyst,
                   .created_at = T(2),
                   .created_by = "alice",
                   .token_hash = "h2",
                   .token_issued_by = "alice",
                   .role_granted_by = "alice",
                   .password_hash = "pw",
                   .password_set_at = T(3)}));
  Ok(log, "user dup", s.InsertUser({.name = "carol", .created_by = "alice", .token_hash = "h"}));
  Ok(log, "token", s.SetUserToken("bob", "h3", "bob"));
  Ok(log, "role", s.SetUserRole("bob", Role::kApprover, "alice"));
  Ok(log, "enrol", s.SetUserEnrolment("alice", "code", T(100)));
  Ok(log, "enrol", s.SetUserEnrolment("carol", "code2", T(100)));
  Ok(log, "password", s.SetUserPassword("carol", "pw2", T(50)));
  for (const char* label : {"ci", "deploy"}) {
    Check(log, "api token",
          s.InsertApiToken({.user = "bob",
                            .label = label,
                            .scopes = "read,import",
                            .token_hash = std::string("t") + label,
                            .created_at = T(5),
                            .created_by = "alice",
                            .expires_at = T(500)}),
          [&](int64_t id) { log("api token id", id); });
  }
  Ok(log, "revoke", s.RevokeApiToken(1, T(6), "alice"));
}

void WriteDecisions(Store& s, Log& log) {
  DecisionRecord d1{.vuln_id = 1,
                    .type = DecisionType::kRecast,
                    .reason = ReasonCategory::kDisagreeWithNvd,
                    .basis = "because",
                    .new_class = "low",
                    .new_score = 3.3,
                    .assets = {"web01", "DB"},
                    .port = 443,
                    .expires_at = T(1000),
                    .author = "bob",
                    .created_at = T(20)};
  DecisionRecord d2{.vuln_id = 2,
                    .type = DecisionType::kAcceptRisk,
                    .reason = ReasonCategory::kPatchHarm,
                    .basis = "b2",
                    .author = "bob",
                    .created_at = T(21),
                    .state = DecisionState::kApproved,
                    .effective_at = T(21)};
  for (auto* d : {&d1, &d2}) {
    Check(log, "decision", s.InsertDecision(*d), [&](int64_t id) {
      d->id = id;
      log("decision id", id);
    });
  }
  d1.state = DecisionState::kApproved;
  d1.decided_by = "alice";
  d1.decided_at = T(22);
  d1.decided_basis = "ok";
  d1.effective_at = T(22);
  Ok(log, "decide", s.UpdateDecisionState(d1));
  d2.state = DecisionState::kSuperseded;
  d2.ended_at = T(23);
  d2.superseded_by = d1.id;
  Ok(log, "decide", s.UpdateDecisionState(d2));
  Ok(log, "devent", s.InsertDecisionEvent({1, T(20), "bob", "created", ""}));
  Ok(log, "devent", s.InsertDecisionEvent({1, T(22), "alice", "approved", "ok"}));
  Ok(log, "devent", s.InsertDecisionEvent({2, T(21), "bob", "created", "x"}));
  Ok(log, "class change", s.InsertClassChange({1, T(7), "vigil", "", "high", "auto:cvss3", 0, ""}));
  Ok(log, "class change",
     s.InsertClassChange({1, T(22), "alice", "high", "low", "manual", 1, "n"}));
  Ok(log, "class change", s.InsertClassChange({3, T(7), "vigil", "", "low", "manual", 0, ""}));
  Check(log, "review",
        s.InsertReview({.at = T(30),
                        .recorded_by = "alice",
                        .participants = {"alice", "bob"},
                        .notes = "n",
                        .vuln_ids = {3, 1}}),
        [&](int64_t id) { log("review id", id); });
  Check(log, "review",
        s.InsertReview({.at = T(29), .recorded_by = "bob", .notes = "none", .covered_since = T(1)}),
        [&](int64_t id) { log("review id", id); });
}

void WriteFeeds(Store& s, Log& log) {
  Ok(log, "kev",
     s.ReplaceKev({{"CVE-2021-0001", "one", T(1), T(100), "Known"},
                   {"CVE-2019-5", "five", T(2), T(50), "Unknown"}},
                  T(40)));
  Ok(log, "kev",
     s.ReplaceKev({{"CVE-2021-0001", "one", T(1), T(90), "Known"},
                   {"CVE-2020-9", "nine", T(3), T(200), "Unknown"}},
                  T(41)));
  CveRecord c{.cve = "CVE-2021-0001",
              .source_identifier = "nvd@nist.gov",
              .published = T(-10),
              .last_modified = T(10),
              .status = "Analyzed",
              .description = "desc",
              .cwes = {"CWE-79", "NVD-CWE-noinfo"},
              .metrics = {{"3.1", "nvd@nist.gov", "Primary", "V1", 9.8, "CRITICAL"},
                          {"3.1", "cna", "Secondary", "V2", 7.0, "HIGH"},
                          {"3.1", "cna", "Secondary", "V0", 7.1, "HIGH"},
                          {"2.0", "cna", "Secondary", "V3", 5.0, "MEDIUM"}}};
  Check(log, "cve", s.UpsertCve(c, T(50)), [&](bool b) { log("stored", b); });
  CveRecord older = c;
  older.last_modified = T(5);
  Check(log, "cve", s.UpsertCve(older, T(51)), [&](bool b) { log("stored", b); });
  CveRecord other{.cve = "CVE-2020-9",
                  .last_modified = T(1),
                  .status = "Modified",
                  .metrics = {{"4.0", "cna", "Secondary", "V4", 8.7, "HIGH"},
                              {"3.0", "cna", "Primary", "V5", 6.1, "MEDIUM"}}};
  Check(log, "cve", s.UpsertCve(other, T(52)), [&](bool b) { log("stored", b); });
  Ok(log, "epss", s.ClearEpss());
  for (const auto& e : std::vector<EpssScore>{{"CVE-2021-0001", 0.97, 0.999, "v2023", T(60)},
                                              {"CVE-2020-9", 0.00012, 0.1, "v2023", T(60)},
                                              {"CVE-2021-0001", 0.5, 0.5, "v2023", T(60)}}) {
    Check(log, "add epss", s.AddEpss(e), [&](bool b) { log("added", b); });
  }
}

void WriteLogAndNotifications(Store& s, Log& log) {
  for (int i = 1; i <= 3; ++i) {
    Ok(log, "event",
       s.InsertEvent({i, T(i), "alice", "type", "subj", "{\"a\":1}", "leaf" + std::to_string(i),
                      "root" + std::to_string(i)}));
  }
  Ok(log, "checkpoint",
     s.InsertCheckpoint({.size = 2,
                         .root_hash = "root2",
                         .at = T(5),
                         .note = "note",
                         .tsa_response = "\x01\x02\x00x",
                         .tsa_time = T(6)}));
  Ok(log, "checkpoint",
     s.InsertCheckpoint({.size = 3, .root_hash = "root3", .at = T(7), .note = "note3"}));
  Ok(log, "setting", s.PutSetting("a", "1"));
  Ok(log, "setting", s.PutSetting("a", "2"));
  Ok(log, "setting", s.PutSetting("b", ""));
  for (int i = 0; i < 4; ++i) {
    NotificationRecord n{.rule = i % 2 == 0 ? "digest" : "jira",
                         .channel = "email",
                         .kind = i % 2 == 0 ? "digest" : "ticket",
                         .key = "k" + std::to_string(i % 3),
                         .subject = "s",
                         .title = "t",
                         .content = "{}",
                         .created_at = T(i),
                         .next_attempt_at = T(10 - i)};
    Check(log, "notification", s.InsertNotification(n),
          [&](const std::optional<int64_t>& id) { log("notification id", id); });
  }
  NotificationRecord upd{.id = 1,
                         .state = "sent",
                         .attempts = 1,
                         .next_attempt_at = T(20),
                         .last_error = "",
                         .sent_at = T(21),
                         .result = "250 ok"};
  Check(log, "update n", s.UpdateNotification(upd, "pending", 0),
        [&](bool b) { log("updated", b); });
  Check(log, "update n", s.UpdateNotification(upd, "pending", 0),
        [&](bool b) { log("updated", b); });
  Ok(log, "attempt", s.InsertNotificationAttempt({1, T(21), "sent", "250"}));
  Ok(log, "attempt", s.InsertNotificationAttempt({1, T(22), "retry", "x"}));
  Ok(log, "alert", s.PutAlertCondition({"r", "scanner-stale:net", "late", T(1), std::nullopt}));
  Ok(log, "alert", s.PutAlertCondition({"r", "scanner-stale:net", "later", T(1), T(5)}));
  Ok(log, "alert", s.PutAlertCondition({"a", "z", "d", T(2), std::nullopt}));
  Ok(log, "jira", s.PutJiraLink({"tenable:1", "", "high", "open", T(1)}));
  Ok(log, "jira", s.PutJiraLink({"tenable:1", "VM-1", "low", "fixed", T(2)}));
  Ok(log, "inventory",
     s.ReplaceInventory(
         {{.name = "web01", .addresses = {"10.0.0.1"}, .zone = "dmz", .scanners = {"net"}}}, T(1)));
  Ok(log, "inventory",
     s.ReplaceInventory(
         {{.name = "db", .addresses = {"10.0.0.2", "db.example.com"}, .owner = "ops"},
          {.name = "app", .site = "ams", .scanners = {"net", "agent"}}},
         T(2)));
}

void Write(Store& s, Log& log) {
  Ok(log, "txn", InTransaction(s, [&] {
       WriteScannersAndScans(s, log);
       WriteAssets(s, log);
       WriteVulnerabilities(s, log);
       WriteFindings(s, log);
       return Status::Ok();
     }));
  WritePeople(s, log);  // outside a transaction: each write its own
  Ok(log, "txn", InTransaction(s, [&] {
       WriteDecisions(s, log);
       WriteFeeds(s, log);
       WriteLogAndNotifications(s, log);
       return Status::Ok();
     }));
  Ok(log, "decommission", s.DecommissionAsset(3, T(60), "alice", "gone"));
  Ok(log, "decommission", s.DecommissionAsset(2, T(61), "alice", "gone"));
  Check(log, "retire", s.SetFindingStates(3, OpenFindingStates(), FindingState::kInactive),
        [&](int64_t n) { log("retired", n); });
  Ok(log, "reactivate", s.ReactivateAsset(2, T(62)));
  // Rolled back: the ids it took are taken again, as SQLite's rowids are.
  ASSERT_TRUE(s.Begin().ok());
  ASSERT_TRUE(s.InsertAsset({.name = "ghost", .first_seen = T(1), .last_seen = T(1)}).ok());
  s.Rollback();
  Check(log, "asset", s.InsertAsset({.name = "late", .first_seen = T(70), .last_seen = T(70)}),
        [&](int64_t id) { log("asset id", id); });
}

void ReadScansAndAssets(Store& s, Log& log) {
  Check(log, "schema", s.SchemaVersion(), [&](int v) { log("version", v); });
  auto scan = [&](const ScanRecord& r) {
    const ImportCounts& c = r.counts;
    log("scan", r.id, r.scanner_id, r.scanner_name, r.digest, r.quick_digest, r.size, r.file_name,
        r.format, r.report_name, r.policy_name, r.tool, r.started_at, r.ended_at, r.imported_at,
        r.imported_by, c.hosts, c.findings, c.vulnerabilities, c.new_findings, c.fixed, c.reopened,
        c.unchanged, c.absent_unverified, c.stale_hosts, c.reappeared, c.warnings);
  };
  Check(log, "scans", s.QueryScans(), [&](const auto& v) {
    for (const auto& r : v) {
      scan(r);
    }
  });
  for (const char* d : {"d1", "d2", "zz"}) {
    Check(log, "by digest", s.FindScanByDigest(d), [&](const auto& r) {
      if (r) {
        log("found", r->id, r->scanner_id, r->scanner_name, r->file_name, r->imported_at,
            r->imported_by);
      }
    });
  }
  for (const char* q : {"q1", "q9"}) {
    Check(log, "quick", s.HasScanWithQuickDigest(q), [&](bool b) { log("has", b); });
  }
  for (int64_t id : {1, 2, 9}) {
    Check(log, "check set", s.ScanCheckSet(id), [&](const std::string& v) { log("cs", v); });
  }
  for (const char* sc : {"net", "agent", "none"}) {
    Check(log, "times", s.ScanTimes(sc), [&](const auto& v) { log("times", v); });
    Check(log, "last scans", s.LastScansByScanner(sc), [&](const auto& v) {
      for (const auto& a : v) {
        log("last", a.asset, a.state, a.last_scanned);
      }
    });
  }
  Check(log, "scanners", s.QueryScanners(), [&](const auto& v) {
    for (const auto& r : v) {
      log("scanner", r.name, r.kind, r.cadence, r.grace, r.created_at, r.scans, r.assets,
          r.last_import, r.last_scan);
    }
  });
  auto asset = [&](const AssetRecord& a) {
    log("asset", a.id, a.name, a.agent_id, a.fqdn, a.ip, a.hostname, a.netbios_name, a.mac, a.os,
        a.state, a.first_seen, a.last_seen, a.decommissioned_at, a.decommissioned_by,
        a.decommission_reason, a.reappeared_at);
  };
  Check(log, "candidates", s.FindAssetCandidates("ag-2", "web01.example.com", "", "x"),
        [&](const auto& v) {
          for (const auto& a : v) {
            asset(a);
          }
        });
  Check(log, "candidates", s.FindAssetCandidates("", "", "", "\xc3\xa4-host"), [&](const auto& v) {
    for (const auto& a : v) {
      asset(a);
    }
  });
  for (const char* key : {"web01", "WEB01.Example.COM", "10.0.0.3", "\xc3\x84-HOST", "db"}) {
    Check(log, "find assets", s.FindAssets(key), [&](const auto& v) {
      for (const auto& a : v) {
        asset(a);
      }
    });
  }
  for (std::optional<AssetState> st :
       {std::optional<AssetState>(), std::optional(AssetState::kDecommissioned)}) {
    Check(log, "assets", s.QueryAssets({.state = st}), [&](const auto& v) {
      for (const auto& a : v) {
        log("asset", a.id, a.name, a.ip, a.fqdn, a.agent_id, a.os, a.state, a.first_seen,
            a.last_seen, a.open_findings, a.decommissioned_at, a.decommissioned_by,
            a.decommission_reason, a.reappeared_at);
      }
    });
  }
  auto hs = [&](const std::optional<HostScanRecord>& h) {
    if (h) {
      log("host scan", h->scan_id, h->asset_id, h->scanner_id, h->observed_at, h->credentialed);
    }
  };
  Check(log, "latest", s.LatestHostScan(1, 1), hs);
  Check(log, "latest", s.LatestHostScan(2, 1), hs);
  Check(log, "next", s.NextHostScan(1, 1, T(10)), hs);
  Check(log, "next", s.NextHostScan(1, 1, T(20)), hs);
}

void ReadVulnerabilityDefs(Store& s, Log& log) {
  for (const char* key : {"tenable:1", "grype:GHSA-1", "nope"}) {
    Check(log, "find vuln", s.FindVulnerability(key), [&](const auto& v) {
      if (v) {
        log("stamp", v->id, v->content_hash, v->defined_at, v->cls.class_name, v->cls.class_source,
            v->cls.auto_class, v->cls.auto_source, v->cls.rating_score);
      }
    });
  }
  auto def = [&](const std::pair<VulnerabilityDef, VulnStamp>& p) {
    const VulnerabilityDef& d = p.first;
    log("def", p.second.id, d.key, d.source, d.source_id, d.title, d.family, d.synopsis,
        d.description, d.solution, d.risk_factor, d.scanner_severity, d.cvss2_vector, d.cvss2_score,
        d.cvss3_vector, d.cvss3_score, d.cvss4_vector, d.cvss4_score, d.vpr_score, d.epss_score,
        d.exploit_available, d.check_type, d.published, d.modified, d.patch_published,
        d.vuln_published, d.refs, d.ContentHash(), p.second.content_hash);
  };
  Check(log, "all vulns", s.AllVulnerabilities(), [&](const auto& v) {
    for (const auto& p : v) {
      def(p);
    }
  });
  Check(log, "load vuln", s.LoadVulnerability("tenable:2"), [&](const auto& v) {
    if (v) {
      def(*v);
    }
  });
  for (const char* cve : {"CVE-2021-0001", "CVE-2020-9", "CVE-0-0"}) {
    Check(log, "metrics", s.CvssMetricsOf(cve), [&](const auto& metrics) {
      for (const auto& m : metrics) {
        log("metric", m.version, m.source, m.type, m.vector, m.score, m.severity);
      }
    });
  }
  Check(log, "with cves", s.VulnerabilitiesWithCves({"CVE-2021-0001", "CVE-2022-1234", "x"}),
        [&](const auto& v) { log("ids", v); });
  for (const char* cve : {"CVE-2021-0001", "CVE-2020-9", "CVE-1"}) {
    Check(log, "cve", s.FindCve(cve), [&](const auto& c) {
      if (c) {
        log("cve", c->cve, c->source_identifier, c->published, c->last_modified, c->status,
            c->description, c->cwes);
        for (const auto& m : c->metrics) {
          log("metric", m.version, m.source, m.type, m.vector, m.score, m.severity);
        }
      }
    });
    Check(log, "epss", s.FindEpss(cve), [&](const auto& e) {
      if (e) {
        log("epss", e->cve, e->score, e->percentile, e->model_version, e->score_date);
      }
    });
  }
  Check(log, "count cves", s.CountCves(), [&](int64_t n) { log("n", n); });
  Check(log, "kev", s.QueryKev(), [&](const auto& v) {
    for (const auto& k : v) {
      log("kev", k.cve, k.name, k.date_added, k.due_date, k.ransomware);
    }
  });
}

void ReadPeopleAndDecisions(Store& s, Log& log) {
  Check(log, "users", s.QueryUsers(), [&](const auto& v) {
    for (const auto& u : v) {
      log("user", u.name, u.role, u.created_at, u.created_by, u.token_hash, u.token_issued_by,
          u.role_granted_by, u.password_hash, u.password_set_at, u.enrolment_hash,
          u.enrolment_expires_at);
    }
  });
  Check(log, "find user", s.FindUser("bob"), [&](const auto& u) { log("user", u->name); });
  Check(log, "tokens", s.QueryApiTokens(), [&](const auto& v) {
    for (const auto& t : v) {
      log("token", t.id, t.user, t.label, t.scopes, t.token_hash, t.created_at, t.created_by,
          t.expires_at, t.revoked_at, t.revoked_by);
    }
  });
  auto dec = [&](const DecisionRecord& d) {
    log("decision", d.id, d.vuln_id, d.vuln_key, d.type, d.reason, d.basis, d.new_class,
        d.new_score, d.assets, d.port, d.expires_at, d.target_at, d.author, d.created_at, d.state,
        d.decided_by, d.decided_at, d.decided_basis, d.effective_at, d.ended_at, d.superseded_by);
  };
  Check(log, "find decision", s.FindDecision(2), [&](const auto& d) { dec(*d); });
  std::vector<DecisionQuery> queries = {
      {},
      {.vuln_key = "tenable:1"},
      {.states = {DecisionState::kSuperseded}},
      {.states = {DecisionState::kPending, DecisionState::kRejected}}};
  for (const auto& q : queries) {
    Check(log, "decisions", s.QueryDecisions(q), [&](const auto& v) {
      for (const auto& d : v) {
        dec(d);
      }
    });
  }
  for (int64_t vuln : {1, 2, 3}) {
    Check(log, "devents", s.DecisionEventsOf(vuln), [&](const auto& v) {
      for (const auto& e : v) {
        log("devent", e.decision_id, e.at, e.actor, e.action, e.note);
      }
    });
    Check(log, "changes", s.ClassChangesOf(vuln), [&](const auto& v) {
      for (const auto& c : v) {
        log("change", c.vuln_id, c.at, c.actor, c.from_class, c.to_class, c.source, c.decision_id,
            c.note);
      }
    });
  }
  Check(log, "all changes", s.AllClassChanges(), [&](const auto& v) {
    for (const auto& c : v) {
      log("change", c.vuln_id, c.at, c.decision_id);
    }
  });
  Check(log, "reviews", s.QueryReviews(), [&](const auto& v) {
    for (const auto& r : v) {
      log("review", r.id, r.at, r.recorded_by, r.participants, r.notes, r.covered_since,
          r.vuln_ids);
    }
  });
}

void ReadLogAndNotifications(Store& s, Log& log) {
  for (auto [from, to] : std::vector<std::pair<int64_t, int64_t>>{{1, 0}, {2, 2}, {2, 9}, {5, 0}}) {
    Ok(log, "events", s.ForEachEvent(from, to, [&](const EventRecord& e) {
      log("event", e.seq, e.at, e.actor, e.type, e.subject, e.payload, e.leaf_hash, e.root_hash);
      return Status::Ok();
    }));
  }
  Check(log, "last", s.LastEvent(), [&](const auto& e) { log("last", e->seq, e->root_hash); });
  Check(log, "last seq", s.LastEventSeq(), [&](int64_t n) { log("seq", n); });
  Check(log, "checkpoints", s.QueryCheckpoints(), [&](const auto& v) {
    for (const auto& c : v) {
      log("checkpoint", c.id, c.size, c.root_hash, c.at, c.note, c.tsa_response, c.tsa_time);
    }
  });
  for (const char* key : {"a", "b", "c"}) {
    Check(log, "setting", s.GetSetting(key), [&](const auto& v) { log("value", v); });
  }
  std::vector<NotificationQuery> queries = {
      {},
      {.states = {"pending"}},
      {.states = {"sent", "pending"}, .due_by = T(9)},
      {.rule = "jira"},
      {.kind = "digest", .channel = "email", .newest_first = true, .limit = 1}};
  for (const auto& q : queries) {
    Check(log, "notifications", s.QueryNotifications(q), [&](const auto& v) {
      for (const auto& n : v) {
        log("n", n.id, n.rule, n.channel, n.kind, n.key, n.subject, n.title, n.content,
            n.created_at, n.state, n.attempts, n.next_attempt_at, n.last_error, n.sent_at,
            n.result);
      }
    });
  }
  Check(log, "attempts", s.NotificationAttemptsOf(1), [&](const auto& v) {
    for (const auto& a : v) {
      log("attempt", a.notification_id, a.at, a.outcome, a.detail);
    }
  });
  Check(log, "alerts", s.QueryAlertConditions(), [&](const auto& v) {
    for (const auto& a : v) {
      log("alert", a.rule, a.condition, a.detail, a.started_at, a.ended_at);
    }
  });
  Check(log, "jira", s.QueryJiraLinks(), [&](const auto& v) {
    for (const auto& j : v) {
      log("jira", j.vuln_key, j.issue_key, j.synced_class, j.synced_state, j.updated_at);
    }
  });
  Check(log, "inventory", s.QueryInventory(), [&](const auto& v) {
    for (const auto& e : v) {
      log("inv", e.name, e.addresses, e.zone, e.site, e.owner, e.scanners);
    }
  });
}

void ReadFindings(Store& s, Log& log) {
  for (auto [asset, scanner] : std::vector<std::pair<int64_t, int64_t>>{{1, 1}, {2, 2}, {3, 2}}) {
    Check(log, "on asset", s.FindingsOnAsset(asset, scanner), [&](const auto& v) {
      for (const auto& f : v) {
        const FindingRecord& r = f.finding;
        log("fa", r.id, r.vuln_id, r.asset_id, r.port, r.protocol, r.location, r.service,
            r.package.name, r.package.version, r.package.purl, r.package.path,
            r.package.fixed_version, r.qod, r.state, r.first_seen, r.last_seen, r.fixed_at,
            r.fixed_scan_id, r.times_reopened, r.absent_unverified, f.vuln_key, f.vuln_source_id,
            f.check_type, f.others_unresolved);
        if (f.mine) {
          const AttributionRecord& a = *f.mine;
          log("mine", a.presence, a.first_seen, a.last_seen, a.absent_since, a.last_scan_id,
              a.output_hash);
        }
      }
    });
  }
  std::vector<FindingQuery> queries = {
      {},
      {.states = {FindingState::kOpen, FindingState::kFixed, FindingState::kReopened,
                  FindingState::kInactive}},
      {.asset = "WEB01.EXAMPLE.COM"},
      {.asset = "web01", .with_scanners = false},
      {.states = {FindingState::kFixed, FindingState::kOpen}, .vuln_key = "tenable:2"},
      {.scanner = "agent"},
      {.cve = "cve-2021-0001"},
      {.states = {FindingState::kInactive, FindingState::kOpen}, .absent_unverified_only = true}};
  for (auto q : queries) {
    Check(log, "findings", s.QueryFindings(q), [&](const auto& v) {
      for (const auto& f : v) {
        log("f", f.vuln_key, f.title, f.class_name, f.asset, f.port, f.protocol, f.location,
            f.service, f.state, f.first_seen, f.last_seen, f.fixed_at, f.times_reopened,
            f.absent_unverified, f.scanners, f.installed_version, f.fixed_version, f.qod);
      }
    });
  }
  std::vector<FindingFactQuery> facts = {{},
                                         {.states = {FindingState::kOpen}},
                                         {.vuln_id = 1},
                                         {.states = {FindingState::kFixed}, .vuln_id = 2}};
  for (const auto& q : facts) {
    Check(log, "facts", s.QueryFindingFacts(q), [&](auto v) {
      std::sort(v.begin(), v.end(), [](const FindingFact& a, const FindingFact& b) {
        return std::tie(a.vuln_id, a.asset_id, a.port) < std::tie(b.vuln_id, b.asset_id, b.port);
      });
      for (const auto& f : v) {
        log("fact", f.vuln_id, f.asset_id, f.port, f.state, f.first_seen, f.fixed_at);
      }
    });
  }
  std::vector<VulnQuery> vq = {
      {},
      {.include_closed = true},
      {.include_closed = true, .with_counts = false},
      {.class_name = "high"},
      {.class_name = "unclassified", .include_closed = true},
      {.cve = "cve-2021-0001", .include_closed = true},
      {.key = "tenable:2"},
      {.asset = "web01"},
      {.scanner = "agent", .include_closed = true},
      {.kev_only = true},
      {.include_closed = true, .epss_above = 0.5},
      {.with_scanners = false},
      {.class_name = "low", .asset = "10.0.0.3", .scanner = "net", .with_scanners = false}};
  for (const auto& q : vq) {
    Check(log, "vulns", s.QueryVulnerabilities(q), [&](const auto& v) {
      for (const auto& x : v) {
        log("v", x.id, x.key, x.title, x.class_name, x.class_source, x.auto_class, x.auto_source,
            x.rating_score, x.patch_published, x.scanner_severity, x.cvss3_score, x.open_findings,
            x.affected_assets, x.first_seen, x.last_seen, x.cves, x.kev_due, x.epss, x.scanners);
      }
    });
  }
}

// Every column of every table, as ForEachRow gives them (what audit verification hashes),
// whole and filtered; and exactly the engine's tables and columns.
void ReadRows(Store& s, Log& log) {
  std::vector<std::string> tables = SqlColumn(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
      "AND table_name <> 'schema_version' ORDER BY table_name");
  log("tables", tables);
  auto rows = [&](const std::string& table, const std::vector<std::string>& columns,
                  const RowFilter& where) {
    Ok(log, "rows " + table, s.ForEachRow(table, columns, where, [&](const auto& cells) {
      log("row", cells);
      return Status::Ok();
    }));
  };
  for (const auto& t : tables) {
    rows(t,
         SqlColumn("SELECT column_name FROM information_schema.columns WHERE table_name = '" + t +
                   "' ORDER BY ordinal_position"),
         {});
  }
  rows("findings", {"id", "state", "qod"}, {{"asset_id", int64_t{1}}});
  rows("assets", {"id", "name"},
       {{"name", std::string("web01")}, {"state", std::string("active")}});
  rows("host_scans", {"asset_id", "scan_id", "credentialed"}, {});
  for (const auto& t : CommittedTables()) {
    rows(t.name, t.columns, {});
  }
  for (const auto* t : logged::All()) {
    Check(log, "logged " + t->table, RowsOf(s, *t, {}), [&](const auto& v) {
      for (const auto& j : v) {
        log("json", j.dump());
      }
    });
  }
}

TEST_F(PgStoreTest, AnswersEveryQueryAsSqliteDoes) {
  auto pg = Initialized();
  ASSERT_NE(pg, nullptr);
  testing::TempDir dir;
  auto sqlite = OpenStore((dir.path() / "same.db").string(), OpenMode::kCreate);
  ASSERT_TRUE(sqlite.ok());
  ASSERT_TRUE((*sqlite)->Initialize().ok());
  std::string out[2];
  Store* stores[2] = {sqlite->get(), pg.get()};
  for (int i = 0; i < 2; ++i) {
    Log log;
    Write(*stores[i], log);
    ReadScansAndAssets(*stores[i], log);
    ReadVulnerabilityDefs(*stores[i], log);
    ReadPeopleAndDecisions(*stores[i], log);
    ReadLogAndNotifications(*stores[i], log);
    ReadFindings(*stores[i], log);
    ReadRows(*stores[i], log);
    out[i] = log.str();
  }
  // Line by line, so that a difference reads as one.
  std::istringstream a(out[0]);
  std::istringstream b(out[1]);
  std::string la;
  std::string lb;
  int line = 0;
  int differences = 0;
  while (std::getline(a, la) && differences < 20) {
    ++line;
    std::getline(b, lb);
    if (la != lb) {
      ++differences;
      ADD_FAILURE() << "line " << line << "\n sqlite:   " << la << "\n postgres: " << lb;
    }
  }
  EXPECT_EQ(out[0].size(), out[1].size());
  EXPECT_GT(line, 300);
  // The same data read read-only gives the same answers.
  auto ro = Open(OpenMode::kReadOnly);
  Log again;
  ReadFindings(*ro, again);
  Log first;
  ReadFindings(*pg, first);
  EXPECT_EQ(again.str(), first.str());
}

}  // namespace
}  // namespace vigil
