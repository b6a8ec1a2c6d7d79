// A database an older vigil left (schema 6, a log whose events carry no rows) is adopted once
// when it is migrated: from the state.adopted event on, audit verify compares every table.
#include "engine/adoption.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "audit/ed25519.h"
#include "audit/signed_note.h"
#include "engine/audit_log.h"
#include "engine/audit_verify.h"
#include "store/sqlite/sqlite_schema.h"
#include "store/store.h"
#include "support/old_database.h"
#include "support/temp_dir.h"

namespace vigil {
namespace {

using testing::OldDatabase;

void Sql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  sqlite3_close(db);
}

constexpr const char* kRows = R"sql(
INSERT INTO users (name, role, created_at, created_by, token_hash)
  VALUES ('alice', 'admin', 1772000000, 'alice', 'scrypt$x'),
         ('carol', 'approver', 1772000000, 'alice', 'scrypt$y');
INSERT INTO scanners (id, name, kind, created_at, cadence_seconds, grace_seconds)
  VALUES (1, 'net', 'network', 1772000000, 604800, 86400);
INSERT INTO scans (id, scanner_id, digest, quick_digest, size, file_name, format, imported_at,
                   imported_by, has_check_set)
  VALUES (1, 1, 'abc', 'def', 10, 'w1.nessus', 'nessus', 1772000100, 'alice', 0);
INSERT INTO assets (id, name, ip, state, first_seen, last_seen)
  VALUES (1, 'ca1', '10.0.0.1', 'active', 1772000000, 1772000000);
INSERT INTO vulnerabilities (id, key, source, source_id, title, class, class_source,
                             content_hash, defined_at, auto_class, auto_class_source)
  VALUES (1, 'tenable:1', 'tenable', '1', 'Old', 'HIGH', 'auto:scanner-severity', 7,
          1772000000, 'HIGH', 'auto:scanner-severity');
INSERT INTO findings (id, vuln_id, asset_id, port, protocol, state, first_seen, last_seen)
  VALUES (1, 1, 1, 443, 'tcp', 'open', 1772000000, 1772000000);
INSERT INTO host_scans (scan_id, asset_id, scanner_id, observed_at)
  VALUES (1, 1, 1, 1772000000);
INSERT INTO decisions (id, vuln_id, type, reason, basis, assets, author, created_at, state)
  VALUES (1, 1, 'recast', 'other', 'the service is not reachable from outside', '', 'alice',
          1772000200, 'pending');
INSERT INTO class_changes (vuln_id, at, actor, to_class, source, note)
  VALUES (1, 1772000100, 'alice', 'HIGH', 'auto:scanner-severity', 'derived');
)sql";

class Adoption : public ::testing::Test {
 protected:
  void SetUp() override {
    OldDatabase(path_, 6, kRows);
    auto store = std::move(OpenStore(path_, OpenMode::kExisting)).value();
    Ed25519Key key = std::move(Ed25519Key::Generate()).value();
    std::string vkey = note::VerifierKey("test/old", key.public_key());
    // The older vigil's first event: no log format, no rows.
    ASSERT_TRUE(
        InTransaction(*store, [&] {
          return AppendEvent(
                     *store, FromUnixSeconds(1772000000), "alice", "audit.key", "test/old",
                     {{"origin", "test/old"}, {"verifier_key", vkey}, {"algorithm", "ed25519"}})
              .status();
        }).ok());
  }

  VerifyReport Verify() {
    auto store = std::move(OpenStore(path_, OpenMode::kReadOnly)).value();
    auto report = VerifyAuditLog(*store, {});
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? *report : VerifyReport{};
  }

  void Migrate() {
    auto store = std::move(OpenStore(path_, OpenMode::kExisting)).value();
    ASSERT_TRUE(store->Initialize().ok());
    ASSERT_TRUE(AdoptTables(*store, 6, "alice", FromUnixSeconds(1772100000)).ok());
  }

  testing::TempDir dir_;
  std::string path_ = (dir_.path() / "old.db").string();
};

TEST_F(Adoption, AnUnadoptedOlderLogSaysItsTablesCannotBeCompared) {
  Sql(path_, "UPDATE decisions SET basis = 'forged'");
  VerifyReport r = Verify();
  EXPECT_TRUE(r.ok());  // the limit an older log has: nothing to compare with
  EXPECT_FALSE(r.tables_checked);
  ASSERT_FALSE(r.notes.empty());
  EXPECT_NE(r.notes.back().find("cannot be compared"), std::string::npos) << r.notes.back();
}

TEST_F(Adoption, AfterTheMigrationEveryTableIsComparedWithTheAdoptedState) {
  Migrate();
  VerifyReport r = Verify();
  ASSERT_TRUE(r.ok()) << r.problems.front();
  EXPECT_TRUE(r.tables_checked);
  EXPECT_NE(r.notes.back().find("from event 2 (state.adopted)"), std::string::npos)
      << r.notes.back();
  // Tokens and roles of the older database count as issued by the user's creator.
  Sql(path_, "UPDATE decisions SET basis = 'forged'");
  r = Verify();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.problems.front().rfind("decisions 1, column basis: stored \"forged\"", 0), 0u)
      << r.problems.front();
}

TEST_F(Adoption, AdoptedFindingsAreCommitted) {
  Migrate();
  Sql(path_, "UPDATE findings SET state = 'fixed' WHERE id = 1");
  VerifyReport r = Verify();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.problems.front().rfind("findings: the rows do not match the state event 2", 0), 0u)
      << r.problems.front();
}

TEST_F(Adoption, TheMigrationGivesTheUsersTheirIssuers) {
  Migrate();
  auto store = std::move(OpenStore(path_, OpenMode::kReadOnly)).value();
  auto carol = **store->FindUser("carol");
  EXPECT_EQ(carol.token_issued_by, "alice");
  EXPECT_EQ(carol.role_granted_by, "alice");
}

}  // namespace
}  // namespace vigil
