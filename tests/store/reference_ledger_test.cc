// The ledger of references written into the per-finding tables (store/reference_ledger.h):
// what it asks the database to confirm at a commit.
#include "store/reference_ledger.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

using LookUps = std::vector<std::pair<std::string, std::vector<int64_t>>>;

TEST(ReferenceLedger, AsksForEachDistinctIdOnceAndNotForRowsTheTransactionInserted) {
  ReferenceLedger ledger;
  EXPECT_TRUE(ledger.empty());
  for (int64_t id = 100; id < 110; ++id) {
    ledger.Inserted("findings", id);
    ledger.Refers("findings", id);  // its own evidence
    ledger.Refers("assets", 7);
    ledger.Refers("vulnerabilities", id % 3 + 1);
    ledger.Refers("scans", 0);  // no scan: nothing to ask
  }
  ledger.Refers("findings", 42);  // an older finding
  ledger.Refers("findings", 115);
  ledger.Inserted("findings", 115);  // inserted after the reference to it was written
  EXPECT_FALSE(ledger.empty());
  EXPECT_EQ(ledger.ToLookUp(),
            (LookUps{{"assets", {7}}, {"findings", {42}}, {"vulnerabilities", {1, 2, 3}}}));
  ledger.Clear();
  EXPECT_TRUE(ledger.empty());
  EXPECT_TRUE(ledger.ToLookUp().empty());
}

TEST(ReferenceLedger, InsertedIdsOutOfOrderAndInGapsAreAllOwn) {
  ReferenceLedger ledger;
  for (int64_t id : {10, 11, 12, 20, 21, 5, 15, 11, 30}) {
    ledger.Inserted("evidence", id);
  }
  for (int64_t id : {5, 10, 12, 15, 20, 21, 30, 4, 6, 13, 19, 22, 31}) {
    ledger.Refers("evidence", id);
  }
  EXPECT_EQ(ledger.ToLookUp(), (LookUps{{"evidence", {4, 6, 13, 19, 22, 31}}}));
}

TEST(ReferenceLedger, NotesRowsWrittenWholeByTheirColumns) {
  ReferenceLedger ledger;
  ReferenceLedger::RowNotes notes(
      ledger, "finding_sources",
      {"id", "finding_id", "scanner_id", "presence", "last_scan_id", "evidence_id"});
  notes.Note({Cell::Int(1), Cell::Int(50), Cell::Int(2), Cell::Text("present"), Cell::Int(9),
              Cell::Null()});
  notes.Note({Cell::Int(2), Cell::Int(51), Cell::Int(2), Cell::Text("present"), Cell::Int(9),
              Cell::Int(77)});
  ReferenceLedger::RowNotes findings(ledger, "findings", {"id", "vuln_id", "asset_id"});
  findings.Note({Cell::Int(50), Cell::Int(3), Cell::Int(4)});
  EXPECT_EQ(ledger.ToLookUp(), (LookUps{{"assets", {4}},
                                        {"evidence", {77}},
                                        {"findings", {51}},
                                        {"scanners", {2}},
                                        {"scans", {9}},
                                        {"vulnerabilities", {3}}}));
}

TEST(ReferenceLedger, CheckNamesTheParentsWithMissingRowsAndAsksNothingWhenAllAreOwn) {
  ReferenceLedger ledger;
  ledger.Refers("assets", 1);
  ledger.Refers("assets", 2);
  ledger.Refers("scans", 9);
  std::vector<std::string> asked;
  Status st = CheckReferences(
      ledger, [&](const std::string& parent, const std::vector<int64_t>& ids) -> Result<int64_t> {
        asked.push_back(parent);
        return parent == "assets" ? static_cast<int64_t>(ids.size()) - 1
                                  : static_cast<int64_t>(ids.size());
      });
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("(1 of assets)"), std::string::npos) << st.message();
  EXPECT_EQ(asked, (std::vector<std::string>{"assets", "scans"}));
  ledger.Clear();
  ledger.Inserted("findings", 3);
  ledger.Refers("findings", 3);
  asked.clear();
  EXPECT_TRUE(CheckReferences(
                  ledger,
                  [&](const std::string& parent, const std::vector<int64_t>&) -> Result<int64_t> {
                    asked.push_back(parent);
                    return 0;
                  })
                  .ok());
  EXPECT_TRUE(asked.empty());
}

}  // namespace
}  // namespace vigil
