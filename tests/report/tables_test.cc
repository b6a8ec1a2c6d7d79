// The tables in HTML: short words never break, long unbroken tokens may, and a table cut for
// the page says so and names the files that hold every row. In CSV, text a spreadsheet would
// run as a formula is neutralised while numbers stay numbers.
#include "report/tables.h"

#include <gtest/gtest.h>

namespace vigil::report {
namespace {

Table Clocks(size_t rows) {
  Table t{.name = "clocks",
          .title = "Compliance clocks",
          .intro = "Every clock.",
          .columns = {"vulnerability", "class", "sha256", "derived_class"}};
  for (size_t i = 0; i < rows; ++i) {
    t.rows.push_back({"tenable:" + std::to_string(i), "CRITICAL",
                      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "HIGH"});
  }
  return t;
}

TEST(HtmlSection, ShortWordsNeverBreakLongTokensMay) {
  std::string html = HtmlSection(Clocks(1));
  EXPECT_NE(html.find("<td>CRITICAL</td>"), std::string::npos);
  EXPECT_NE(html.find("<th>derived_<wbr>class</th>"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"x\">9f86d081"), std::string::npos);
  EXPECT_EQ(std::string(TableStyle()).find("td{overflow-wrap:anywhere}"), std::string::npos);
  EXPECT_NE(std::string(TableStyle()).find("td.x{overflow-wrap:anywhere}"), std::string::npos);
}

TEST(HtmlWords, WordsABrowserCouldBreakAreKeptWhole) {
  EXPECT_EQ(HtmlWords("CVE-2024-3094; CVE-2021-44228"),
            "<span class=\"w\">CVE-2024-3094;</span> <span class=\"w\">CVE-2021-44228</span>");
  EXPECT_EQ(HtmlWords("plain words only"), "plain words only");
  EXPECT_EQ(HtmlWords("a <b>"), "a <span class=\"w\">&lt;b&gt;</span>");
}

TEST(HtmlWords, TimesSourcesAndLongCompoundsBreakOnlyBetweenTheirParts) {
  EXPECT_EQ(HtmlWords("2026-03-01T12:00:00Z"),
            "<span class=\"w\">2026-03-01</span><wbr><span class=\"w\">T12:00:00Z</span>");
  EXPECT_EQ(HtmlWords("auto:scanner-severity"),
            "<span class=\"w\">auto:</span><wbr><span class=\"w\">scanner-</span><wbr><span "
            "class=\"w\">severity</span>");
  EXPECT_EQ(HtmlWords("tenable:19506"), "<span class=\"w\">tenable:19506</span>");
  EXPECT_EQ(HtmlWords("compensating-controls false-positive"),
            "<span class=\"w\">compensating-</span><wbr><span class=\"w\">controls</span> "
            "<span class=\"w\">false-positive</span>");
}

TEST(HtmlSection, TextsWithSpacesWrapAtSpaces) {
  Table t = Clocks(0);
  t.rows.push_back(
      {"a basis written by a person, long but with spaces between its words", "HIGH", nullptr});
  EXPECT_NE(HtmlSection(t).find("<td>a basis written"), std::string::npos);
}

TEST(HtmlSection, ATableCutForThePageNamesTheCompleteFiles) {
  std::string html = HtmlSection(Clocks(12), 10);
  size_t rows = 0;
  for (size_t at = html.find("<tr><td"); at != std::string::npos;
       at = html.find("<tr><td", at + 1)) {
    ++rows;
  }
  EXPECT_EQ(rows, 10u);
  EXPECT_NE(html.find("(12 rows;"), std::string::npos);
  EXPECT_NE(html.find("This page shows the first 10 of 12 rows. The complete table, which is "
                      "the evidence, is in <a href=\"clocks.csv\">clocks.csv</a> and <a "
                      "href=\"clocks.json\">clocks.json</a>."),
            std::string::npos);
}

TEST(HtmlSection, AWholeTableSaysNothingAboutCutting) {
  EXPECT_EQ(HtmlSection(Clocks(10), 10).find("first 10"), std::string::npos);
}

TEST(Csv, FormulaLeadingTextIsNeutralisedNumbersStayNumbers) {
  Table t{.name = "decisions", .columns = {"id", "title", "basis", "port", "assets"}};
  t.rows.push_back({7, "=HYPERLINK(\"http://x\",\"y\")", "+1 checked", -1,
                    nlohmann::json::array({"@host", "web"})});
  EXPECT_EQ(Csv(t),
            "id,title,basis,port,assets\r\n"
            "7,\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",'+1 checked,-1,\"'@host; web\"\r\n");
}

TEST(Json, KeepsTheExactText) {
  Table t{.name = "decisions", .columns = {"title"}};
  t.rows.push_back({"=HYPERLINK(\"http://x\",\"y\")"});
  EXPECT_EQ(Json(t)[0]["title"], "=HYPERLINK(\"http://x\",\"y\")");
}

TEST(HtmlSection, EscapesAFormulaLikeAnyText) {
  Table t{.name = "decisions", .columns = {"title"}};
  t.rows.push_back({"=HYPERLINK(\"http://x\",\"<b>y</b>\")"});
  std::string html = HtmlSection(t);
  EXPECT_NE(html.find("=HYPERLINK(&quot;http://x&quot;,&quot;&lt;b&gt;y&lt;/b&gt;&quot;)"),
            std::string::npos)
      << html;
  EXPECT_EQ(html.find("'="), std::string::npos);
}

}  // namespace
}  // namespace vigil::report
