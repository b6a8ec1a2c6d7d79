// LtHash16: the multiset hash that commits an import to the state of a million findings.
#include "audit/lthash.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vigil {
namespace {

TEST(LtHash, ADamagedOrShortStateIsRefused) {
  EXPECT_FALSE(LtHash::Parse("not base64!").ok());
  EXPECT_FALSE(LtHash::Parse("AAAA").ok());  // 3 bytes, not 2048
  LtHash h;
  h.Add("row");
  std::string text = h.Serialize();
  EXPECT_FALSE(LtHash::Parse(text.substr(0, text.size() - 4)).ok());
}

TEST(LtHash, TheEmptySetHasOneDigestAndRemovingUndoesAdding) {
  LtHash empty;
  LtHash h;
  h.Add("findings\0row 1");
  EXPECT_NE(h.Digest(), empty.Digest());
  h.Remove("findings\0row 1");
  EXPECT_EQ(h, empty);
  EXPECT_EQ(h.Digest(), empty.Digest());
}

TEST(LtHash, TheOrderOfRowsDoesNotMatterButEveryByteDoes) {
  std::vector<std::string> rows = {"a", "b", "c", "state=open", "state=fixed"};
  LtHash forward;
  LtHash backward;
  for (size_t i = 0; i < rows.size(); ++i) {
    forward.Add(rows[i]);
    backward.Add(rows[rows.size() - 1 - i]);
  }
  EXPECT_EQ(forward, backward);
  LtHash changed = forward;
  changed.Remove("state=open");
  changed.Add("state=opem");
  EXPECT_NE(changed.Digest(), forward.Digest());
  // A row counted twice is not the same as once: a multiset.
  LtHash twice = forward;
  twice.Add("a");
  EXPECT_NE(twice, forward);
}

TEST(LtHash, MovingByTheChangedRowsEqualsRecomputing) {
  LtHash running;
  for (int i = 0; i < 1000; ++i) {
    running.Add("row " + std::to_string(i) + " open");
  }
  for (int i = 0; i < 1000; i += 7) {
    running.Remove("row " + std::to_string(i) + " open");
    running.Add("row " + std::to_string(i) + " fixed");
  }
  LtHash fresh;
  for (int i = 0; i < 1000; ++i) {
    fresh.Add("row " + std::to_string(i) + (i % 7 == 0 ? " fixed" : " open"));
  }
  EXPECT_EQ(running, fresh);
  LtHash parsed = *LtHash::Parse(running.Serialize());
  EXPECT_EQ(parsed, running);
  LtHash merged;
  merged.Merge(fresh);
  EXPECT_EQ(merged, fresh);
}

}  // namespace
}  // namespace vigil
