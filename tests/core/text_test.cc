// Checked number parsing, the nearest word of "did you mean" hints, and CSV fields.
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

// OWASP's CSV injection rule: a cell starting with = + - @ tab or CR is a formula to a
// spreadsheet; an apostrophe in front makes it text.
TEST(CsvField, NeutralisesEveryFormulaLeadingText) {
  EXPECT_EQ(CsvField("=1+1"), "'=1+1");
  EXPECT_EQ(CsvField("+41 22 000 00 00"), "'+41 22 000 00 00");
  EXPECT_EQ(CsvField("-2+3"), "'-2+3");
  EXPECT_EQ(CsvField("@SUM(A1:A2)"), "'@SUM(A1:A2)");
  EXPECT_EQ(CsvField("\t=1"), "\"'\t=1\"");
  EXPECT_EQ(CsvField("\r=1"), "\"'\r=1\"");
  EXPECT_EQ(CsvField("=HYPERLINK(\"http://x\",\"y\")"),
            "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
}

TEST(CsvField, QuotesWhereAnyLocaleSplitsCells) {
  EXPECT_EQ(CsvField("a,=1"), "\"a,=1\"");
  EXPECT_EQ(CsvField("a;=1"), "\"a;=1\"");
  EXPECT_EQ(CsvField("a\t=1"), "\"a\t=1\"");
  EXPECT_EQ(CsvField("a\n=1"), "\"a\n=1\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
}

TEST(CsvField, LeavesOrdinaryTextAlone) {
  EXPECT_EQ(CsvField(""), "");
  EXPECT_EQ(CsvField("tenable:19506"), "tenable:19506");
  EXPECT_EQ(CsvField("Müller's host a=b"), "Müller's host a=b");
  EXPECT_EQ(CsvField(" =1"), " =1");  // only the first character counts
  EXPECT_EQ(CsvField("2026-03-01T12:00:00Z"), "2026-03-01T12:00:00Z");
}

TEST(CsvField, TextThatLooksLikeANegativeNumberIsStillText) {
  EXPECT_EQ(CsvField("-1"), "'-1");  // a port or score as a scanner wrote it
}

TEST(CsvField, NumbersVigilWroteStayNumbers) {
  for (const char* n : {"-3", "-0.5", "-1e-05", "7.5", "0", "1E+20", "65535"}) {
    EXPECT_EQ(CsvField(n, CsvCell::kNumber), n);
  }
  // A number cell that is not a decimal number is text like any other.
  for (const char* odd : {"-inf", "-nan", "-", "-1-1", "-1e", "-.5", "-1.", "+1", "=1"}) {
    EXPECT_EQ(CsvField(odd, CsvCell::kNumber), "'" + std::string(odd)) << odd;
  }
}

}  // namespace
}  // namespace vigil
