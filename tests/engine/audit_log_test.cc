// The audit log against tampering: a database of 10,000 events and checkpoints, then random
// changes made behind vigil's back with SQLite itself (a byte of a payload, an actor, a time;
// an event deleted, two swapped, one inserted; the signing key replaced; the log truncated and
// re-signed). Each is caught and named; the untouched log always verifies.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <random>

#include "audit/audit_event.h"
#include "audit/ed25519.h"
#include "audit/merkle.h"
#include "audit/signed_note.h"
#include "engine/audit_log.h"
#include "engine/audit_trust.h"
#include "engine/audit_verify.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

constexpr int kEvents = 10000;
constexpr int kCheckpointEvery = 1000;

class AuditLogTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    std::string db = Path("pristine.db");
    auto store = std::move(OpenStore(db, OpenMode::kCreate)).value();
    ASSERT_TRUE(store->Initialize().ok());
    Timestamp t0 = FromUnixSeconds(1772445600);
    ASSERT_TRUE(InitializeAudit(*store, db + ".key", "test.example/log", t0, "alice", false).ok());
    std::mt19937 rng(42);
    const char* types[] = {"test.imported", "test.created", "test.approved", "test.changed",
                           "test.recorded"};
    for (int block = 0; block < kEvents / kCheckpointEvery; ++block) {
      ASSERT_TRUE(
          InTransaction(*store, [&]() -> Status {
            int n = block == 0 ? kCheckpointEvery - 1 : kCheckpointEvery;
            for (int i = 0; i < n; ++i) {
              int k = static_cast<int>(rng() % 5);
              RETURN_IF_ERROR(
                  AppendEvent(*store, t0 + std::chrono::seconds(block * 3600 + i),
                              k % 2 ? "bob" : "carol", types[k], "subject " + std::to_string(i),
                              {{"n", i}, {"text", "müller \"quoted\""}, {"list", {1, 2, 3}}})
                      .status());
            }
            return Status::Ok();
          }).ok());
      ASSERT_TRUE(
          MakeCheckpoint(*store, db + ".key", t0 + std::chrono::hours(block + 1), AuditConfig{})
              .ok());
    }
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::string Path(const std::string& name) { return (dir_->path() / name).string(); }

  // A fresh copy of the pristine database (and its key) to tamper with.
  std::string Copy() {
    std::string db = Path("copy" + std::to_string(++copies_) + ".db");
    fs::copy_file(Path("pristine.db"), db, fs::copy_options::overwrite_existing);
    fs::copy_file(Path("pristine.db.key"), db + ".key", fs::copy_options::overwrite_existing);
    return db;
  }

  static void Sql(const std::string& db, const std::string& sql) {
    sqlite3* h = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
    char* err = nullptr;
    ASSERT_EQ(sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err << sql;
    sqlite3_close(h);
  }

  VerifyReport Verify(const std::string& db, const VerifyOptions& options = {}) {
    auto store = std::move(OpenStore(db, OpenMode::kExisting)).value();
    auto report = VerifyAuditLog(*store, options);
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? *report : VerifyReport{};
  }

  static testing::TempDir* dir_;
  int copies_ = 0;
  std::mt19937 rng_{7};
};

testing::TempDir* AuditLogTest::dir_ = nullptr;

TEST_F(AuditLogTest, AnUntouchedLogVerifies) {
  VerifyReport r = Verify(Copy());
  EXPECT_TRUE(r.ok()) << r.problems.front();
  EXPECT_EQ(r.events, kEvents);
  EXPECT_EQ(r.checkpoints, kEvents / kCheckpointEvery);
}

TEST_F(AuditLogTest, ChangedFieldsAreNamedByEvent) {
  for (int round = 0; round < 12; ++round) {
    int seq = 2 + static_cast<int>(rng_() % (kEvents - 1));
    std::string db = Copy();
    const char* edits[] = {
        // one byte of the payload
        "UPDATE events SET payload = substr(payload, 1, 5) || char(unicode(substr(payload, 6, "
        "1)) + 1) || substr(payload, 7) WHERE seq = ",
        "UPDATE events SET actor = 'mallory' WHERE seq = ",
        "UPDATE events SET at = at + 1 WHERE seq = ",
        "UPDATE events SET type = 'decision.rejected' WHERE seq = ",
    };
    Sql(db, std::string(edits[round % 4]) + std::to_string(seq));
    VerifyReport r = Verify(db);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.problems.front().rfind("event " + std::to_string(seq) + " ", 0), 0u)
        << r.problems.front();
  }
}

TEST_F(AuditLogTest, ChangesWithRecomputedHashesAreCaughtByTheCheckpoints) {
  // A forger who also rewrites the leaf and root hashes cannot re-sign the checkpoints: the
  // first checkpoint after the change names the range it is in.
  int seq = 4321;
  std::string db = Copy();
  {
    auto store = std::move(OpenStore(db, OpenMode::kExisting)).value();
    std::vector<EventRecord> events;
    ASSERT_TRUE(store
                    ->ForEachEvent(1, 0,
                                   [&](const EventRecord& e) {
                                     events.push_back(e);
                                     return Status::Ok();
                                   })
                    .ok());
    // Rebuild the log table with the change, through vigil's own append.
    Sql(db,
        "DELETE FROM events; DELETE FROM settings WHERE key IN ('audit.range', 'audit.latest')");
    ASSERT_TRUE(InTransaction(*store, [&]() -> Status {
                  for (auto& e : events) {
                    std::string actor = e.seq == seq ? "mallory" : e.actor;
                    RETURN_IF_ERROR(AppendEvent(*store, e.at, actor, e.type, e.subject,
                                                nlohmann::json::parse(e.payload))
                                        .status());
                  }
                  return Status::Ok();
                }).ok());
  }
  VerifyReport r = Verify(db);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.problems.front().find("checkpoint #5 "), std::string::npos) << r.problems.front();
  EXPECT_NE(r.problems.front().find("events 4001..5000"), std::string::npos) << r.problems.front();
}

TEST_F(AuditLogTest, DeletedSwappedAndInsertedEventsAreCaught) {
  for (int round = 0; round < 6; ++round) {
    int seq = 2 + static_cast<int>(rng_() % (kEvents - 2));
    std::string db = Copy();
    std::string expect;
    switch (round % 3) {
      case 0:
        Sql(db, "DELETE FROM events WHERE seq = " + std::to_string(seq));
        expect = "event " + std::to_string(seq) + " is missing";
        break;
      case 1:
        // Swap the contents of two neighbours, hashes and all.
        Sql(db, "UPDATE events SET seq = -1 WHERE seq = " + std::to_string(seq) +
                    "; UPDATE events SET seq = " + std::to_string(seq) +
                    " WHERE seq = " + std::to_string(seq + 1) +
                    "; UPDATE events SET seq = " + std::to_string(seq + 1) + " WHERE seq = -1");
        expect = "event " + std::to_string(seq) + " ";
        break;
      case 2:
        // Insert an event: shift the later ones up by one and put a copy in the hole.
        Sql(db, "UPDATE events SET seq = -seq WHERE seq > " + std::to_string(seq) +
                    "; UPDATE events SET seq = 1 - seq WHERE seq < 0; INSERT INTO events "
                    "SELECT seq + 1, at, 'mallory', type, subject, payload, leaf_hash, "
                    "root_hash FROM events WHERE seq = " +
                    std::to_string(seq));
        expect = "event " + std::to_string(seq + 1) + " ";
        break;
    }
    VerifyReport r = Verify(db);
    ASSERT_FALSE(r.ok()) << round;
    EXPECT_EQ(r.problems.front().rfind(expect, 0), 0u) << r.problems.front();
  }
  // Recorded roots rewritten from some event on (the leaves untouched): the first is named.
  {
    std::string db = Copy();
    Sql(db, "UPDATE events SET root_hash = '" + std::string(64, '0') + "' WHERE seq >= 6789");
    VerifyReport r = Verify(db);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.problems.front().rfind("event 6789: the recorded tree root differs", 0), 0u)
        << r.problems.front();
  }
  // The last event deleted: the log knows how many it should hold.
  std::string db = Copy();
  Sql(db, "DELETE FROM events WHERE seq = " + std::to_string(kEvents));
  VerifyReport r = Verify(db);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.problems.front().find("deleted at the end"), std::string::npos) << r.problems.front();
}

TEST_F(AuditLogTest, AReplacedSigningKeyIsCaught) {
  std::string db = Copy();
  fs::remove(db + ".key");
  Ed25519Key forged = std::move(Ed25519Key::Generate()).value();
  ASSERT_TRUE(forged.Save(db + ".key").ok());
  // The forger re-signs every checkpoint with the new key.
  {
    auto store = std::move(OpenStore(db, OpenMode::kExisting)).value();
    auto cps = *store->QueryCheckpoints();
    Sql(db, "DELETE FROM checkpoints");
    for (const auto& c : cps) {
      auto text = note::Open(c.note, {*note::ParseVerifierKey(*LogVerifierKey(*store))})->text;
      ASSERT_TRUE(store
                      ->InsertCheckpoint({.size = c.size,
                                          .root_hash = c.root_hash,
                                          .at = c.at,
                                          .note = *note::Sign(text, "test.example/log", forged)})
                      .ok());
    }
    // vigil itself refuses to sign with a key the log did not start with.
    EXPECT_FALSE(
        MakeCheckpoint(*store, db + ".key", FromUnixSeconds(1800000000), AuditConfig{}).ok());
  }
  VerifyReport r = Verify(db);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.problems.front().find("checkpoint #"), std::string::npos);
  EXPECT_NE(r.problems.front().find("the signing key was replaced"), std::string::npos)
      << r.problems.front();
}

TEST_F(AuditLogTest, ATruncatedAndReSignedLogIsCaughtByAKeptCheckpoint) {
  // The auditor kept the last checkpoint; the forger cuts the log at 7,500 events, rewrites the
  // state and signs a fresh checkpoint with the real key: self-consistent, but not with what the
  // auditor holds.
  std::string kept;
  {
    auto store = std::move(OpenStore(Path("pristine.db"), OpenMode::kExisting)).value();
    kept = store->QueryCheckpoints()->back().note;
  }
  std::string db = Copy();
  {
    auto store = std::move(OpenStore(db, OpenMode::kExisting)).value();
    std::vector<EventRecord> events;
    ASSERT_TRUE(store
                    ->ForEachEvent(1, 7500,
                                   [&](const EventRecord& e) {
                                     events.push_back(e);
                                     return Status::Ok();
                                   })
                    .ok());
    Sql(db,
        "DELETE FROM events; DELETE FROM checkpoints; DELETE FROM settings WHERE key IN "
        "('audit.range', 'audit.latest')");
    ASSERT_TRUE(InTransaction(*store, [&]() -> Status {
                  for (auto& e : events) {
                    RETURN_IF_ERROR(AppendEvent(*store, e.at, e.actor, e.type, e.subject,
                                                nlohmann::json::parse(e.payload))
                                        .status());
                  }
                  return Status::Ok();
                }).ok());
    ASSERT_TRUE(
        MakeCheckpoint(*store, db + ".key", FromUnixSeconds(1800000000), AuditConfig{}).ok());
  }
  EXPECT_TRUE(Verify(db).ok());  // alone, a consistent rewrite cannot be told
  VerifyReport r = Verify(db, {.kept_checkpoint = kept});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.problems.front().find("was truncated"), std::string::npos) << r.problems.front();
  // A kept checkpoint of the untouched log verifies.
  EXPECT_TRUE(Verify(Copy(), {.kept_checkpoint = kept}).ok());
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

// Rebuilds the events table from `events` with their hashes recomputed, as a forger with
// SQLite and the hash functions would, and re-signs a checkpoint of every 1,000 events with
// the installation's real key (at `signed_at` + k seconds).
void ForgeLog(const std::string& db, std::vector<EventRecord> events, Timestamp signed_at) {
  auto store = std::move(OpenStore(db, OpenMode::kExisting)).value();
  std::string vkey = *LogVerifierKey(*store);
  note::Verifier verifier = *note::ParseVerifierKey(vkey);
  Ed25519Key key = std::move(Ed25519Key::Load(db + ".key")).value();
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(h, "DELETE FROM events; DELETE FROM checkpoints", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(h);
  ASSERT_TRUE(InTransaction(*store, [&]() -> Status {
                merkle::CompactRange range;
                for (auto& e : events) {
                  merkle::Hash leaf = merkle::LeafHash(CanonicalLeaf(EventOf(e)));
                  range.Append(leaf);
                  e.leaf_hash = merkle::ToHex(leaf);
                  e.root_hash = merkle::ToHex(range.Root());
                  RETURN_IF_ERROR(store->InsertEvent(e));
                  if (e.seq % 1000 != 0) {
                    continue;
                  }
                  Timestamp at = signed_at + std::chrono::seconds(e.seq);
                  note::Checkpoint cp{.origin = verifier.name,
                                      .size = static_cast<uint64_t>(e.seq),
                                      .root = range.Root(),
                                      .extensions = {"time " + FormatIso8601(at)}};
                  ASSIGN_OR_RETURN(std::string signed_note,
                                   note::Sign(note::CheckpointText(cp), verifier.name, key));
                  RETURN_IF_ERROR(store->InsertCheckpoint(
                      {.size = e.seq, .root_hash = e.root_hash, .at = at, .note = signed_note}));
                }
                return Status::Ok();
              }).ok());
}

std::vector<EventRecord> AllEvents(const std::string& db) {
  auto store = std::move(OpenStore(db, OpenMode::kExisting)).value();
  std::vector<EventRecord> events;
  EXPECT_TRUE(store
                  ->ForEachEvent(1, 0,
                                 [&](const EventRecord& e) {
                                   events.push_back(e);
                                   return Status::Ok();
                                 })
                  .ok());
  return events;
}

TEST_F(AuditLogTest, ATimeSetBackAndReSignedWithTheRealKeyIsCaught) {
  // The forger backdates event 5,000 before event 4,999, recomputes every hash and re-signs
  // every checkpoint with the real key: the tree is consistent, the times are not.
  std::string db = Copy();
  auto events = AllEvents(db);
  events[4999].at = events[4998].at - std::chrono::hours(24);
  ForgeLog(db, events, events.back().at + std::chrono::hours(1));
  VerifyReport r = Verify(db);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.problems.front().rfind("event 5000 ", 0), 0u) << r.problems.front();
  EXPECT_NE(r.problems.front().find("is dated before event 4999"), std::string::npos);
  // vigil itself refuses to write it: an event before the latest time the log holds.
  auto store = std::move(OpenStore(Copy(), OpenMode::kExisting)).value();
  auto appended = InTransaction(*store, [&] {
    return AppendEvent(*store, events[4998].at, "mallory", "test.late", "x", {}).status();
  });
  ASSERT_FALSE(appended.ok());
  EXPECT_NE(appended.message().find("runs backwards"), std::string::npos) << appended.message();
}

TEST_F(AuditLogTest, ACheckpointSignedWithAClockSetBackIsCaught) {
  // Every event kept as it was; the checkpoints re-signed with the real key, the fifth one
  // dated an hour before the last event it covers.
  std::string db = Copy();
  auto events = AllEvents(db);
  ForgeLog(db, events, events.back().at + std::chrono::hours(1));
  {
    auto store = std::move(OpenStore(db, OpenMode::kExisting)).value();
    note::Verifier verifier = *note::ParseVerifierKey(*LogVerifierKey(*store));
    Ed25519Key key = std::move(Ed25519Key::Load(db + ".key")).value();
    auto cps = *store->QueryCheckpoints();
    const CheckpointRecord& fifth = cps[4];
    Timestamp early = events[fifth.size - 1].at - std::chrono::hours(1);
    note::Checkpoint cp{.origin = verifier.name,
                        .size = static_cast<uint64_t>(fifth.size),
                        .root = *merkle::FromHex(fifth.root_hash),
                        .extensions = {"time " + FormatIso8601(early)}};
    std::string text = *note::Sign(note::CheckpointText(cp), verifier.name, key);
    Sql(db, "UPDATE checkpoints SET note = '" + text + "' WHERE id = " + std::to_string(fifth.id));
    // vigil refuses to sign a checkpoint older than what the log holds.
    EXPECT_FALSE(MakeCheckpoint(*store, db + ".key", early, AuditConfig{}).ok());
  }
  VerifyReport r = Verify(db);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.problems.front().find("is dated before the last event it covers"), std::string::npos)
      << r.problems.front();
}

}  // namespace
}  // namespace vigil
