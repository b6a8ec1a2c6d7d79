// The SQLite store: opening, schema versions and transactions.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "store/sqlite/sqlite_schema.h"
#include "store/store.h"
#include "support/old_database.h"
#include "support/temp_dir.h"

namespace vigil {
namespace {

using testing::OldDatabase;

TEST(SqliteStore, RefusesMissingDatabaseUnlessCreating) {
  testing::TempDir dir;
  auto missing = OpenStore((dir.path() / "none.db").string(), OpenMode::kExisting);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("vigil init"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "none.db"));
}

TEST(SqliteStore, RefusesSchemaNewerThanItKnows) {
  testing::TempDir dir;
  std::string path = (dir.path() / "v.db").string();
  {
    auto store = OpenStore("sqlite:" + path, OpenMode::kCreate);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->Initialize().ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 999", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto store = OpenStore(path, OpenMode::kExisting);
  ASSERT_TRUE(store.ok());
  Status st = (*store)->Initialize();
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("newer"), std::string::npos);
}

TEST(SqliteStore, MigratesAVersionOneDatabaseKeepingItsData) {
  testing::TempDir dir;
  std::string path = (dir.path() / "v1.db").string();
  OldDatabase(path, 1, "INSERT INTO scanners (name, kind, created_at) VALUES ('old', 'agent', 0);");
  auto store = OpenStore(path, OpenMode::kExisting);
  ASSERT_TRUE(store.ok());
  ASSERT_TRUE((*store)->Initialize().ok());
  EXPECT_EQ(*(*store)->SchemaVersion(), (*store)->LatestSchemaVersion());
  auto scanners = (*store)->QueryScanners();
  ASSERT_TRUE(scanners.ok()) << scanners.status().message();
  ASSERT_EQ(scanners->size(), 1u);
  EXPECT_EQ(scanners->at(0).name, "old");
  EXPECT_FALSE(scanners->at(0).cadence);
}

// A version-5 database whose data breaks a reference: the migration that rebuilds the
// findings table runs with enforcement off (SQLite's procedure), so foreign_key_check must
// refuse it, leave the database at version 5, and turn enforcement back on.
TEST(SqliteStore, MigrationRefusesABrokenReferenceAndKeepsEnforcement) {
  testing::TempDir dir;
  std::string path = (dir.path() / "v5.db").string();
  OldDatabase(path, 5,
              "INSERT INTO scanners (id, name, kind, created_at) "
              "VALUES (1, 'net', 'network', 0);"
              "INSERT INTO scans (id, scanner_id, digest, quick_digest, size, "
              "  file_name, format, imported_at, imported_by, has_check_set) "
              "  VALUES (1, 1, 'd', 'q', 1, 'f', 'nessus', 0, 'x', 0);"
              "INSERT INTO evidence (finding_id, scanner_id, scan_id, output) "
              "  VALUES (77, 1, 1, 'orphan');");
  auto store = OpenStore(path, OpenMode::kExisting);
  ASSERT_TRUE(store.ok());
  Status st = (*store)->Initialize();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("migration to schema version 6"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("evidence row 1 refers to a missing findings row"), std::string::npos)
      << st.message();
  EXPECT_EQ(*(*store)->SchemaVersion(), 5);
  FindingRecord f{.vuln_id = 42, .asset_id = 42, .protocol = "tcp"};
  EXPECT_FALSE((*store)->InsertFinding(f).ok());  // enforcement is on again
}

// Version 7 widens the decisions' reason check (patch-harm): the table is rebuilt, and every
// decision keeps its id, its fields and the rows that refer to it.
TEST(SqliteStore, MigrationToSevenKeepsDecisionsAndTakesThePatchHarmReason) {
  testing::TempDir dir;
  std::string path = (dir.path() / "v6.db").string();
  OldDatabase(path, 6,
              "INSERT INTO vulnerabilities (id, key, source, source_id, title, class, "
              "  class_source, content_hash, defined_at) "
              "  VALUES (1, 'tenable:1', 'tenable', '1', 't', 'HIGH', 'manual', 0, 0);"
              "INSERT INTO decisions (id, vuln_id, type, reason, basis, new_class, "
              "  assets, author, created_at, state, effective_at) VALUES (4, 1, "
              "  'recast', 'compensating-controls', 'behind the WAF', 'LOW', '', "
              "  'bob', 10, 'approved', 20);"
              "INSERT INTO decision_events (decision_id, at, actor, action, note) "
              "  VALUES (4, 10, 'bob', 'created', '');");
  auto store = OpenStore(path, OpenMode::kExisting);
  ASSERT_TRUE(store.ok());
  Status st = (*store)->Initialize();
  ASSERT_TRUE(st.ok()) << st.message();
  // Migrated to the newest schema (7 and the versions after it).
  EXPECT_EQ(*(*store)->SchemaVersion(), static_cast<int>(sqlite::Migrations().size()));
  auto kept = (*store)->FindDecision(4);
  ASSERT_TRUE(kept.ok() && *kept);
  EXPECT_EQ((*kept)->reason, ReasonCategory::kCompensatingControls);
  EXPECT_EQ((*kept)->new_class, "LOW");
  EXPECT_EQ((*kept)->effective_at, FromUnixSeconds(20));
  DecisionRecord harm{.vuln_id = 1,
                      .type = DecisionType::kAcceptRisk,
                      .reason = ReasonCategory::kPatchHarm,
                      .basis = "the vendor patch breaks the HSM driver",
                      .author = "bob",
                      .created_at = FromUnixSeconds(30)};
  auto id = (*store)->InsertDecision(harm);
  ASSERT_TRUE(id.ok()) << id.status().message();
  EXPECT_EQ((*(*store)->FindDecision(*id))->reason, ReasonCategory::kPatchHarm);
}

// Version 10 rebuilds the per-finding tables without declared references: every finding,
// evidence and attribution keeps its id and values, and the references are checked when a
// transaction commits instead (store/reference_ledger.h): a stray row is refused, and
// nothing of its transaction is written.
TEST(SqliteStore, MigrationToTenKeepsTheFindingsAndChecksTheirReferencesAtCommit) {
  testing::TempDir dir;
  std::string path = (dir.path() / "v9.db").string();
  OldDatabase(path, 9,
              "INSERT INTO scanners (id, name, kind, created_at) "
              "  VALUES (1, 'net', 'network', 0);"
              "INSERT INTO scans (id, scanner_id, digest, quick_digest, size, "
              "  file_name, format, imported_at, imported_by, has_check_set) "
              "  VALUES (3, 1, 'd', 'q', 1, 'f', 'nessus', 0, 'x', 0);"
              "INSERT INTO assets (id, name, ip, first_seen, last_seen) "
              "  VALUES (5, 'web', '10.0.0.5', 0, 0);"
              "INSERT INTO vulnerabilities (id, key, source, source_id, title, class, "
              "  class_source, content_hash, defined_at) "
              "  VALUES (7, 'tenable:1', 'tenable', '1', 't', 'HIGH', 'manual', 0, 0);"
              "INSERT INTO findings (id, vuln_id, asset_id, port, protocol, location, state, "
              "  first_seen, last_seen, package_name, qod) "
              "  VALUES (11, 7, 5, 443, 'tcp', '', 'open', 100, 200, 'openssl', 70);"
              "INSERT INTO evidence (id, finding_id, scanner_id, scan_id, output) "
              "  VALUES (13, 11, 1, 3, 'TLS 1.0 offered');"
              "INSERT INTO finding_sources (id, finding_id, scanner_id, presence, first_seen, "
              "  last_seen, last_scan_id, evidence_id, output_hash) "
              "  VALUES (17, 11, 1, 'present', 100, 200, 3, 13, 99);");
  auto opened = OpenStore(path, OpenMode::kExisting);
  ASSERT_TRUE(opened.ok());
  Store& store = **opened;
  Status st = store.Initialize();
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(*store.SchemaVersion(), static_cast<int>(sqlite::Migrations().size()));
  auto on_asset = store.FindingsOnAsset(5, 1);
  ASSERT_TRUE(on_asset.ok()) << on_asset.status().message();
  ASSERT_EQ(on_asset->size(), 1u);
  const FindingOnAsset& kept = on_asset->at(0);
  EXPECT_EQ(kept.finding.id, 11);
  EXPECT_EQ(kept.finding.port, 443);
  EXPECT_EQ(kept.finding.package.name, "openssl");
  EXPECT_EQ(kept.finding.qod, 70);
  ASSERT_TRUE(kept.mine);
  EXPECT_EQ(kept.mine->last_scan_id, 3);
  EXPECT_EQ(kept.mine->output_hash, 99);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_stmt* q = nullptr;
    ASSERT_EQ(
        sqlite3_prepare_v2(db,
                           "SELECT (SELECT count(*) FROM pragma_foreign_key_list('findings')) "
                           "+ (SELECT count(*) FROM pragma_foreign_key_list('evidence')) "
                           "+ (SELECT count(*) FROM pragma_foreign_key_list('finding_sources')), "
                           "(SELECT output FROM evidence WHERE id = 13), "
                           "(SELECT count(*) FROM sqlite_master WHERE name = 'findings_vuln')",
                           -1, &q, nullptr),
        SQLITE_OK);
    ASSERT_EQ(sqlite3_step(q), SQLITE_ROW);
    EXPECT_EQ(sqlite3_column_int(q, 0), 0);
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(sqlite3_column_text(q, 1))),
              "TLS 1.0 offered");
    EXPECT_EQ(sqlite3_column_int(q, 2), 1);
    sqlite3_finalize(q);
    sqlite3_close(db);
  }
  // A new attribution of a finding that does not exist, with its evidence: refused by the
  // commit, and neither row stays.
  AttributionRecord stray{.finding_id = 999, .scanner_id = 1, .last_scan_id = 3, .output = "x"};
  st = InTransaction(store, [&] { return store.InsertAttribution(stray); });
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("1 of findings"), std::string::npos) << st.message();
  // A finding on an asset that does not exist, outside a transaction: refused alike.
  FindingRecord orphan{.vuln_id = 7, .asset_id = 404, .port = 80, .protocol = "tcp"};
  auto id = store.InsertFinding(orphan);
  ASSERT_FALSE(id.ok());
  EXPECT_NE(id.status().message().find("1 of assets"), std::string::npos) << id.status().message();
  // An attribution moved to a scan that does not exist: refused.
  AttributionRecord moved = *kept.mine;
  moved.last_scan_id = 404;
  EXPECT_FALSE(store.UpdateAttribution(moved, /*with_output=*/false).ok());
  EXPECT_FALSE(store.TouchPresent(5, 1, 404, FromUnixSeconds(300)).ok());
  EXPECT_EQ(store.FindingsOnAsset(5, 1)->at(0).mine->last_scan_id, 3);
  // Sound ones are written.
  FindingRecord sound{.vuln_id = 7, .asset_id = 5, .port = 80, .protocol = "tcp"};
  ASSERT_TRUE(store.InsertFinding(sound).ok());
  EXPECT_EQ(store.FindingsOnAsset(5, 1)->size(), 2u);
  std::string evidence;
  ASSERT_TRUE(store
                  .ForEachRow("evidence", {"output"}, {},
                              [&](const std::vector<Cell>& row) {
                                evidence += row[0].text + ";";
                                return Status::Ok();
                              })
                  .ok());
  EXPECT_EQ(evidence, "TLS 1.0 offered;");
}

TEST(SqliteStore, InitializeIsIdempotentAndVersioned) {
  testing::TempDir dir;
  auto store = OpenStore((dir.path() / "v.db").string(), OpenMode::kCreate);
  ASSERT_TRUE(store.ok());
  EXPECT_EQ(*(*store)->SchemaVersion(), 0);
  ASSERT_TRUE((*store)->Initialize().ok());
  EXPECT_EQ(*(*store)->SchemaVersion(), (*store)->LatestSchemaVersion());
  ASSERT_TRUE((*store)->Initialize().ok());
  EXPECT_EQ(*(*store)->SchemaVersion(), (*store)->LatestSchemaVersion());
}

TEST(SqliteStore, RollbackDiscardsEverything) {
  testing::TempDir dir;
  auto opened = OpenStore((dir.path() / "v.db").string(), OpenMode::kCreate);
  ASSERT_TRUE(opened.ok());
  Store& store = **opened;
  ASSERT_TRUE(store.Initialize().ok());
  ASSERT_TRUE(store.Begin().ok());
  ASSERT_TRUE(store.EnsureScanner("s", "network", FromUnixSeconds(0)).ok());
  AssetRecord a{.name = "h", .ip = "10.0.0.1"};
  ASSERT_TRUE(store.InsertAsset(a).ok());
  store.Rollback();
  EXPECT_TRUE(store.QueryScanners()->empty());
  EXPECT_TRUE(store.QueryAssets({})->empty());
  ASSERT_TRUE(store.Begin().ok());
  ASSERT_TRUE(store.EnsureScanner("s", "network", FromUnixSeconds(0)).ok());
  ASSERT_TRUE(store.Commit().ok());
  EXPECT_EQ(store.QueryScanners()->size(), 1u);
}

TEST(SqliteStore, ForeignKeysAreEnforced) {
  testing::TempDir dir;
  auto opened = OpenStore((dir.path() / "v.db").string(), OpenMode::kCreate);
  ASSERT_TRUE(opened.ok());
  Store& store = **opened;
  ASSERT_TRUE(store.Initialize().ok());
  FindingRecord f{.vuln_id = 42, .asset_id = 42, .protocol = "tcp"};
  EXPECT_FALSE(store.InsertFinding(f).ok());
}

TEST(SqliteStore, CreatesANewDatabaseReadableByItsOwnerOnly) {
  testing::TempDir dir;
  std::string path = (dir.path() / "private.db").string();
  mode_t old = ::umask(0);  // the most permissive umask: the mode must not depend on it
  auto store = OpenStore(path, OpenMode::kCreate);
  ::umask(old);
  ASSERT_TRUE(store.ok()) << store.status().message();
  ASSERT_TRUE((*store)->Initialize().ok());
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(SqliteStore, ADirectoryIsADatabaseFailureNotRejectedInput) {
  testing::TempDir dir;
  auto store = OpenStore(dir.path().string(), OpenMode::kExisting);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), ErrorCode::kInternal);  // exit code 3
  EXPECT_NE(store.status().message().find("cannot open database"), std::string::npos);
}

// A review whose covered vulnerability id is not a number (a damaged or hand-edited database):
// an Internal error naming the review, never an exception.
TEST(SqliteStore, DamagedReviewItemIsAnErrorNamingTheReview) {
  testing::TempDir dir;
  std::string path = (dir.path() / "v.db").string();
  {
    auto store = OpenStore(path, OpenMode::kCreate);
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->Initialize().ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "INSERT INTO reviews (id, at, recorded_by, participants, notes) "
                         "VALUES (7, 0, 'a', 'a,b', 'n');"
                         "INSERT INTO review_items (review_id, vuln_id) VALUES (7, 'x1');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  auto store = OpenStore(path, OpenMode::kExisting);
  ASSERT_TRUE(store.ok());
  auto reviews = (*store)->QueryReviews();
  ASSERT_FALSE(reviews.ok());
  EXPECT_EQ(reviews.status().code(), ErrorCode::kInternal);
  EXPECT_NE(reviews.status().message().find("review #7"), std::string::npos)
      << reviews.status().message();
  EXPECT_NE(reviews.status().message().find("'x1'"), std::string::npos);
}

}  // namespace
}  // namespace vigil
