// Checked number parsing and the nearest word of "did you mean" hints.
#include <gtest/gtest.h>

#include "core/text.h"

namespace vigil {
namespace {

TEST(ParseInt64, RefusesWhatIsNotAWholeNumber) {
  for (const char* bad :
       {"", " 1", "1 ", "+1", "1.5", "0x10", "12abc", "abc", "-", "9223372036854775808"}) {
    auto r = ParseInt64(bad);
    EXPECT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput) << bad;
  }
  EXPECT_NE(ParseInt64("12abc").status().message().find("'12abc'"), std::string::npos);
}

TEST(ParseInt64, ReadsTheWholeRange) {
  EXPECT_EQ(*ParseInt64("0"), 0);
  EXPECT_EQ(*ParseInt64("-42"), -42);
  EXPECT_EQ(*ParseInt64("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(*ParseInt64("-9223372036854775808"), INT64_MIN);
}

TEST(ParseUint64, RefusesNegativesInsteadOfWrappingAround) {
  EXPECT_FALSE(ParseUint64("-1").ok());  // std::stoull gives 18446744073709551615
  EXPECT_FALSE(ParseUint64("18446744073709551616").ok());
  EXPECT_EQ(*ParseUint64("18446744073709551615"), UINT64_MAX);
}

TEST(EditDistance, CountsASwapOfNeighboursAsOneEdit) {
  EXPECT_EQ(EditDistance("vulsn", "vulns"), 1u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("same", "same"), 0u);
}

TEST(NearestWord, SuggestsOnlyWhatIsClose) {
  std::vector<std::string> commands = {"init",    "import",   "vulns",       "findings",
                                       "scanner", "scanners", "decommission"};
  EXPECT_EQ(NearestWord("vulsn", commands), "vulns");
  EXPECT_EQ(NearestWord("VULNS", commands), "vulns");
  EXPECT_EQ(NearestWord("scaner", commands), "scanner");
  EXPECT_EQ(NearestWord("decomision", commands), "decommission");
  EXPECT_EQ(NearestWord("decom", commands), "decommission");  // the only one it begins
  EXPECT_EQ(NearestWord("frobnicate", commands), std::nullopt);
  EXPECT_EQ(NearestWord("x", commands), std::nullopt);
  EXPECT_EQ(NearestWord("scan", commands), std::nullopt);  // two begin with it
}

}  // namespace
}  // namespace vigil
