// The feed readers: the JSON pull parser under malformed input, NVD pages and records, EPSS.
#include <gtest/gtest.h>

#include "ingest/epss_csv.h"
#include "ingest/json_cursor.h"
#include "ingest/nvd_json.h"

namespace vigil {
namespace {

std::string SkipError(std::string_view text) {
  JsonCursor c(text);
  if (c.Skip() && c.End()) {
    return "";
  }
  return c.error().message();
}

TEST(JsonCursor, MalformedDocumentsNameTheirPosition) {
  EXPECT_EQ(SkipError("{\"a\": [1, 2,]}"), "1:13: expected a value, found ']'");
  EXPECT_EQ(SkipError("{\"a\": 1,}"), "1:9: expected a key, found '}'");
  EXPECT_EQ(SkipError("{\n  \"a\" 1}"), "2:7: expected ':' after a key, found '1'");
  EXPECT_EQ(SkipError("[\"abc"), "1:3: a string is not closed");
  EXPECT_EQ(SkipError("[01]").substr(0, 4), "1:3:");
  EXPECT_EQ(SkipError("[1.]"), "1:4: a number needs digits after its decimal point");
  EXPECT_EQ(SkipError("{\"a\": tru}"), "1:7: expected true or false");
  EXPECT_EQ(SkipError("[\"a\\q\"]"), "1:4: an unknown escape \\q");
  EXPECT_EQ(SkipError("{} x"), "1:4: unexpected 'x' after the document");
  EXPECT_EQ(SkipError(""), "1:1: the document ends where a value was expected");
  EXPECT_EQ(SkipError(std::string(100, '[')), "1:65: nesting deeper than 63 levels");
  EXPECT_EQ(SkipError("{\"a\": [1, {\"b\": null}], \"c\": \"\\u00e9\\ud83d\\ude00\"}"), "");
}

// Issue 13: a document that says two things and bytes that are not UTF-8 are refused with
// their position, in the parts a reader skips too; "\u0000" is read as U+FFFD.
TEST(JsonCursor, RefusesDuplicateKeysAndInvalidUtf8) {
  EXPECT_EQ(SkipError(R"({"a": 1, "b": {"a": 2}, "a": 3})"),
            "1:25: the key \"a\" appears twice in one object");
  EXPECT_EQ(SkipError(R"([{"a": 1}, {"a": 1}])"), "");
  EXPECT_EQ(SkipError(R"({"\u0061": 1, "a": 2})"),
            "1:15: the key \"a\" appears twice in one object");
  EXPECT_EQ(SkipError("[\"a\xFF\"]"), "1:4: invalid UTF-8 inside a string");
  EXPECT_EQ(SkipError("[\"\xC0\xAF\"]"), "1:3: invalid UTF-8 inside a string");      // overlong
  EXPECT_EQ(SkipError("[\"\xED\xA0\x80\"]"), "1:3: invalid UTF-8 inside a string");  // surrogate
  EXPECT_EQ(SkipError("[\"\\n\xF4\x90\x80\x80\"]"), "1:5: invalid UTF-8 inside a string");
  EXPECT_EQ(SkipError("[\"\xC3\xA9\xF0\x9F\x98\x80\"]"), "");
  JsonCursor c(R"("x\u0000y")");
  std::string text;
  ASSERT_TRUE(c.String(text));
  EXPECT_EQ(text, "x\xEF\xBF\xBDy");
}

// fuzz/regressions/nvd_json/invalid-utf8-string.json: strings were taken as they came, so a
// CVE record could carry invalid UTF-8 into the store.
TEST(JsonCursor, RefusesInvalidUtf8InStrings) {
  EXPECT_EQ(SkipError("[\"\xD1\"]"), "1:3: invalid UTF-8 inside a string");
  EXPECT_EQ(SkipError("{\"ab\xC0\xAF\": 1}"), "1:5: invalid UTF-8 inside a string");
  EXPECT_EQ(SkipError("[\"a\\n\xED\xA0\x80\"]"), "1:6: invalid UTF-8 inside a string");
  EXPECT_EQ(SkipError("[\"\xC3\xA9\xF0\x9F\x98\x80\"]"), "");
}

TEST(JsonCursor, DecodesStringsAndNumbers) {
  JsonCursor c(R"({"k\u00e9y": "a\"b\\c\u00e9\ud83d\ude00", "n": -1.5e2, "i": 42})");
  ASSERT_TRUE(c.EnterObject());
  std::string_view key;
  ASSERT_TRUE(c.NextKey(key));
  EXPECT_EQ(key, "k\xC3\xA9y");
  std::string s;
  ASSERT_TRUE(c.String(s));
  EXPECT_EQ(s, "a\"b\\c\xC3\xA9\xF0\x9F\x98\x80");
  ASSERT_TRUE(c.NextKey(key));
  double d = 0;
  ASSERT_TRUE(c.Number(d));
  EXPECT_EQ(d, -150);
  ASSERT_TRUE(c.NextKey(key));
  int64_t i = 0;
  ASSERT_TRUE(c.Integer(i));
  EXPECT_EQ(i, 42);
  EXPECT_FALSE(c.NextKey(key));
  EXPECT_TRUE(c.End());
}

TEST(NvdJson, PageAndRecord) {
  std::string record = R"({"id": "CVE-2024-0001", "sourceIdentifier": "cna@example.com",
    "published": "2024-01-02T03:04:05.678", "lastModified": "2024-02-03T04:05:06.789",
    "vulnStatus": "Analyzed", "descriptions": [{"lang": "es", "value": "Uno"},
    {"lang": "en", "value": "One"}], "metrics": {"cvssMetricV2": [{"source": "nvd@nist.gov",
    "type": "Primary", "cvssData": {"version": "2.0", "vectorString": "AV:N/AC:L/Au:N/C:P/I:P/A:P",
    "baseScore": 7.5}, "baseSeverity": "HIGH"}], "cvssMetricV40": [{"source": "cna@example.com",
    "type": "Secondary", "cvssData": {"version": "4.0", "vectorString":
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", "baseScore": 9.3,
    "baseSeverity": "CRITICAL"}}]}, "weaknesses": [{"description": [{"lang": "en",
    "value": "CWE-79"}, {"lang": "en", "value": "CWE-79"}]}], "configurations": [{"x": [1]}]})";
  std::vector<CveRecord> got;
  auto collect = [&](CveRecord& r) {
    got.push_back(r);
    return Status::Ok();
  };
  auto single = ParseNvdDocument(record, collect);
  ASSERT_TRUE(single.ok()) << single.status().message();
  EXPECT_FALSE(single->page);
  ASSERT_EQ(got.size(), 1u);
  const CveRecord& r = got[0];
  EXPECT_EQ(r.cve, "CVE-2024-0001");
  EXPECT_EQ(r.description, "One");
  EXPECT_EQ(r.cwes, std::vector<std::string>{"CWE-79"});
  EXPECT_EQ(FormatIso8601(r.last_modified), "2024-02-03T04:05:06Z");
  ASSERT_EQ(r.metrics.size(), 2u);
  EXPECT_EQ(r.metrics[0].version, "2.0");
  EXPECT_EQ(r.metrics[0].severity, "HIGH");
  EXPECT_EQ(r.metrics[1].type, "Secondary");
  EXPECT_EQ(r.metrics[1].score, 9.3);

  std::string page =
      "{\"resultsPerPage\": 2, \"totalResults\": 2, \"format\": \"NVD_CVE\", "
      "\"vulnerabilities\": [{\"cve\": " +
      record + "}, {\"cve\": " + record + "}]}";
  got.clear();
  auto paged = ParseNvdDocument(page, collect);
  ASSERT_TRUE(paged.ok()) << paged.status().message();
  EXPECT_TRUE(paged->page);
  EXPECT_EQ(paged->records, 2u);
  EXPECT_EQ(paged->total_results, 2);
}

TEST(NvdJson, RefusesWhatIsNotNvdData) {
  auto none = [](CveRecord&) { return Status::Ok(); };
  EXPECT_EQ(ParseNvdDocument("{\"title\": \"KEV\"}", none).status().message(),
            "1:1: not an NVD CVE API response page nor a CVE record");
  EXPECT_EQ(ParseNvdDocument("{\"id\": \"CVE-2024-0001\", \"lastModified\": \"yesterday\"}", none)
                .status()
                .message()
                .substr(0, 27),
            "1:1: CVE-2024-0001: lastMod");
  // Issue 13: an id with SQL metacharacters was stored as a CVE.
  EXPECT_EQ(ParseNvdDocument("{\"id\": \"CVE-2024-1'; DROP TABLE cves;--\", \"lastModified\": "
                             "\"2024-01-01T00:00:00\"}",
                             none)
                .status()
                .message(),
            "1:1: the id 'CVE-2024-1'; DROP TABLE cves;--' is not a CVE id (CVE-YYYY-NNNN)");
  EXPECT_NE(ParseNvdDocument("{\"id\": \"CVE-2024-0001\", \"lastModified\": "
                             "\"2024-01-01T00:00:00\", \"metrics\": {\"cvssMetricV31\": [{"
                             "\"cvssData\": {\"vectorString\": \"CVSS:3.1/AV:N\", "
                             "\"baseScore\": 1e308}}]}}",
                             none)
                .status()
                .message()
                .find("is not in 0..10"),
            std::string::npos);
  EXPECT_EQ(ParseNvdDocument("{\"resultsPerPage\": 1, \"vulnerabilities\": [{\"x\": 1}]}", none)
                .status()
                .message(),
            "1:51: an element of vulnerabilities without a cve");
  EXPECT_EQ(
      ParseNvdDocument("{\"resultsPerPage\": 1, \"format\": \"OTHER\"}", none).status().message(),
      "1:40: format 'OTHER' is not NVD_CVE");
}

TEST(EpssCsv, ReadsModelDateAndRows) {
  auto f = ParseEpssCsv(
      "#model_version:v2025.03.14,score_date:2025-03-14T00:00:00+0000\r\ncve,epss,percentile\r\n"
      "CVE-2024-3400,0.94,0.999\r\n\r\nCVE-1999-0001,0.00043,0.12\r\n",
      "e.csv");
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->model_version, "v2025.03.14");
  EXPECT_EQ(FormatIso8601(*f->score_date), "2025-03-14T00:00:00Z");
  ASSERT_EQ(f->scores.size(), 2u);
  EXPECT_EQ(f->scores[1].score, 0.00043);
}

TEST(EpssCsv, RefusesBadRowsWithTheirLine) {
  EXPECT_EQ(ParseEpssCsv("", "e.csv").status().message(),
            "e.csv:1: not an EPSS file: no 'cve,epss,percentile' header");
  EXPECT_EQ(ParseEpssCsv("cve,score\n", "e.csv").status().message(),
            "e.csv:1: expected the header 'cve,epss,percentile', found 'cve,score'");
  EXPECT_EQ(ParseEpssCsv("cve,epss,percentile\nCVE-2024-1,0.5\n", "e.csv").status().message(),
            "e.csv:2: expected three fields: cve,epss,percentile");
  EXPECT_EQ(ParseEpssCsv("cve,epss,percentile\nGHSA-1,0.5,0.5\n", "e.csv").status().message(),
            "e.csv:2: 'GHSA-1' is not a CVE id");
  EXPECT_EQ(
      ParseEpssCsv("cve,epss,percentile\nCVE-2024-1234,1.5,0.5\n", "e.csv").status().message(),
      "e.csv:2: epss must be a number 0..1");
  EXPECT_EQ(
      ParseEpssCsv("cve,epss,percentile\nCVE-2024-1234,nan,0.5\n", "e.csv").status().message(),
      "e.csv:2: epss must be a number 0..1");
  EXPECT_EQ(
      ParseEpssCsv("cve,epss,percentile\nCVE-2024-1234,0.1,0.5\nCVE-2024-1234,0.2,0.5\n", "e.csv")
          .status()
          .message(),
      "e.csv:3: CVE-2024-1234 appears twice");
}

// Issue 13: an EPSS file of blank lines replaced every score with none.
TEST(EpssCsv, RefusesAFileWithoutScores) {
  EXPECT_EQ(ParseEpssCsv("cve,epss,percentile\n\n\n\n", "e.csv").status().message(),
            "e.csv:4: no scores after the header: not a day's EPSS scores (the previous scores "
            "are kept)");
}

}  // namespace
}  // namespace vigil
