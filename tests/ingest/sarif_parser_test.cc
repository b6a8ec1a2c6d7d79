// The SARIF parser: refusals first, then the rules that make a finding's identity (the golden
// files in tests/testdata/sarif show whole documents).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/byte_source.h"
#include "ingest/diagnostics.h"
#include "ingest/format_detect.h"
#include "ingest/recording_sink.h"
#include "ingest/sarif_parser.h"
#include "ingest/sarif_uri.h"

namespace vigil {
namespace {

using json = nlohmann::ordered_json;

struct Parsed {
  Status status;
  testing::RecordingSink sink;
  size_t warnings = 0;
};

Parsed Parse(const std::string& doc) {
  StringSource source(doc, "scan.sarif");
  Parsed out;
  Diagnostics diagnostics;
  out.status = ParseSarif(source, out.sink, diagnostics);
  out.warnings = diagnostics.count();
  return out;
}

// A log with one run of `tool` and the given results (JSON text of the array's elements).
std::string Log(
    const std::string& results, const std::string& run_extra = "",
    const std::string& tool = R"({"driver": {"name": "Lint", "rules": [{"id": "R1"}]}})") {
  return R"({"version": "2.1.0", "runs": [{"tool": )" + tool + R"(, "results": [)" + results + "]" +
         run_extra + "}]}";
}

std::string Result(const std::string& uri, int line, const std::string& message,
                   const std::string& extra = "") {
  return R"({"ruleId": "R1", "message": {"text": ")" + message +
         R"("}, "locations": [{"physicalLocation": {"artifactLocation": {"uri": ")" + uri +
         R"("}, "region": {"startLine": )" + std::to_string(line) + "}}}]" + extra + "}";
}

const json& Items(const Parsed& p, size_t host = 0) {
  return p.sink.json["hosts"][host]["items"];
}

TEST(SarifParser, RejectsMalformedJsonWithItsPosition) {
  Parsed p = Parse("{\"version\": \"2.1.0\",\n \"runs\": [}");
  ASSERT_FALSE(p.status.ok());
  EXPECT_EQ(p.status.message().rfind("2:", 0), 0u) << p.status.message();
  EXPECT_NE(p.status.message().find("malformed JSON"), std::string::npos);
}

TEST(SarifParser, RejectsOtherVersionsNamingThem) {
  Parsed p = Parse(R"({"version": "2.0.0", "runs": []})");
  ASSERT_FALSE(p.status.ok());
  EXPECT_NE(p.status.message().find("SARIF version 2.0.0 is not supported"), std::string::npos);
}

TEST(SarifParser, RejectsDocumentsWithoutRuns) {
  EXPECT_FALSE(Parse(R"({"version": "2.1.0"})").status.ok());
  EXPECT_FALSE(Parse(R"([{"runs": []}])").status.ok());
  EXPECT_FALSE(Parse(R"({"version": "2.1.0", "runs": [{"results": {}}]})").status.ok());
}

TEST(SarifParser, EmptyRunsAreAReportWithoutHosts) {
  Parsed p = Parse(R"({"version": "2.1.0", "runs": []})");
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  EXPECT_EQ(p.sink.hosts, 0);
  EXPECT_EQ(p.sink.headers, 1);
}

TEST(SarifParser, IdentityIgnoresMessageLineAndLevel) {
  Parsed a = Parse(Log(Result("src/a.c", 10, "first wording", R"(, "level": "error")")));
  Parsed b = Parse(Log(Result("./src//a.c", 99, "other wording", R"(, "level": "note")")));
  ASSERT_TRUE(a.status.ok() && b.status.ok());
  EXPECT_EQ(Items(a)[0]["vuln"]["key"], "sarif:lint:R1");
  EXPECT_EQ(Items(a)[0]["vuln"]["key"], Items(b)[0]["vuln"]["key"]);
  EXPECT_EQ(Items(a)[0]["location"], "src/a.c");
  EXPECT_EQ(Items(a)[0]["location"], Items(b)[0]["location"]);
  EXPECT_NE(Items(a)[0]["vuln"]["scanner_severity"], Items(b)[0]["vuln"]["scanner_severity"]);
}

TEST(SarifParser, LocationDoesNotDependOnTheCheckoutDirectory) {
  auto location_in = [](const std::string& root) {
    std::string bases = R"(, "originalUriBaseIds": {"SRCROOT": {"uri": ")" + root + R"("}})";
    Parsed p = Parse(Log(Result(root + "lib/x.c", 1, "m"), bases));
    EXPECT_TRUE(p.status.ok()) << p.status.message();
    return Items(p)[0]["location"].get<std::string>();
  };
  EXPECT_EQ(location_in("file:///home/alice/work/"), "lib/x.c");
  EXPECT_EQ(location_in("file:///var/ci/build%2042/"), "lib/x.c");
}

TEST(SarifParser, SameRuleAndFileMergeIntoOneItem) {
  Parsed p = Parse(
      Log(Result("a.c", 1, "one") + "," + Result("a.c", 2, "two") + "," + Result("a.c", 1, "one")));
  ASSERT_TRUE(p.status.ok());
  ASSERT_EQ(Items(p).size(), 1u);
  EXPECT_EQ(Items(p)[0]["output"], "line 1: one\nline 2: two");
}

TEST(SarifParser, PartialFingerprintSeparatesFindingsInOneFile) {
  Parsed p = Parse(Log(
      Result("a.c", 1, "m", R"(, "partialFingerprints": {"primaryLocationLineHash": "h1:1"})") +
      "," +
      Result("a.c", 5, "m", R"(, "partialFingerprints": {"primaryLocationLineHash": "h2:1"})")));
  ASSERT_TRUE(p.status.ok());
  ASSERT_EQ(Items(p).size(), 2u);
  EXPECT_EQ(Items(p)[0]["location"], "a.c#h1:1");
  EXPECT_EQ(Items(p)[1]["location"], "a.c#h2:1");
}

TEST(SarifParser, RulesAndProvenanceAfterTheResultsAreUsed) {
  std::string doc = R"({"version": "2.1.0", "runs": [{
    "results": [{"ruleIndex": 0, "message": {"text": "m"}}],
    "versionControlProvenance": [{"repositoryUri": "https://example.org/team/app.git"}],
    "tool": {"driver": {"name": "Late Tool", "rules": [{"id": "LATE-1",
             "shortDescription": {"text": "Late rule"}, "properties": {"security-severity": "9.1"}}]}}
  }]})";
  Parsed p = Parse(doc);
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  EXPECT_EQ(p.sink.json["hosts"][0]["report_name"], "https://example.org/team/app");
  EXPECT_EQ(Items(p)[0]["vuln"]["key"], "sarif:late-tool:LATE-1");
  EXPECT_EQ(Items(p)[0]["vuln"]["title"], "Late rule");
  EXPECT_EQ(Items(p)[0]["vuln"]["scanner_severity"], 4);
  EXPECT_FALSE(Items(p)[0].contains("location"));  // a repository-level finding
}

TEST(SarifParser, AcceptedSuppressionIsAProposalNeverMoreAndRejectedIsNone) {
  Parsed p = Parse(Log(
      Result("a.c", 1, "m", R"(, "suppressions": [{"kind": "external", "status": "rejected"}])") +
      "," +
      Result("b.c", 1, "m",
             R"(, "suppressions": [{"kind": "inSource", "justification": "test code"}])")));
  ASSERT_TRUE(p.status.ok());
  EXPECT_FALSE(Items(p)[0].contains("vex"));
  EXPECT_EQ(Items(p)[1]["vex"]["state"], "false_positive");
  EXPECT_EQ(Items(p)[1]["vex"]["justification"], "inSource");
  EXPECT_EQ(Items(p)[1]["vex"]["detail"], "test code");
}

TEST(SarifUri, NormalizesArtifactPaths) {
  EXPECT_EQ(NormalizeArtifactPath("file:///C:/code/a%20b.c"), "C:/code/a b.c");
  EXPECT_EQ(NormalizeArtifactPath("./src//x/./y.c"), "src/x/y.c");
  EXPECT_EQ(NormalizeArtifactPath("src\\win\\z.c"), "src/win/z.c");
  EXPECT_EQ(NormalizeArtifactPath("file:////src/.venv/lib.js"), "src/.venv/lib.js");
  EXPECT_EQ(NormalizeArtifactPath("https://cdn.example.org//lib.js"),
            "https://cdn.example.org/lib.js");
}

TEST(SarifUri, NormalizesRepositoryUris) {
  EXPECT_EQ(NormalizeRepositoryUri("https://tok@GitHub.com/a/b.git/"), "https://github.com/a/b");
  EXPECT_EQ(NormalizeRepositoryUri("https://github.com/a/b"), "https://github.com/a/b");
  EXPECT_EQ(NormalizeRepositoryUri("git@github.com:a/b.git"), "git@github.com:a/b");
}

TEST(SarifUri, ResolvesBaseChainsRelativeToTheRoot) {
  nlohmann::json bases = nlohmann::json::parse(R"({"ROOT": {"uri": "file:///w/"},
                               "SRCROOT": {"uri": "src/", "uriBaseId": "ROOT"},
                               "LOOP": {"uri": "x/", "uriBaseId": "LOOP"}})");
  UriResolver r(&bases, "SRCROOT");
  EXPECT_EQ(r.Location("a/b.c", "SRCROOT"), "a/b.c");
  EXPECT_EQ(r.Location("src/a/b.c", "ROOT"), "a/b.c");
  EXPECT_EQ(r.Location("file:///w/src/a/b.c", ""), "a/b.c");
  EXPECT_EQ(r.Location("file:///usr/include/x.h", ""), "usr/include/x.h");
  EXPECT_EQ(r.Location("gen/y.c", "UNDEFINED"), "gen/y.c");
  EXPECT_EQ(r.Location("z.c", "LOOP"), "z.c");  // a cycle is not followed forever
}

// Every file in tests/testdata/sarif is recognised as SARIF by its content.
TEST(SarifParser, GoldenInputsAreDetectedAsSarif) {
  namespace fs = std::filesystem;
  for (const auto& e : fs::directory_iterator(fs::path(VIGIL_TESTDATA_DIR) / "sarif")) {
    if (e.path().extension() != ".sarif") {
      continue;
    }
    std::ifstream in(e.path());
    std::stringstream text;
    text << in.rdbuf();
    auto format = DetectFormat(text.str());
    ASSERT_TRUE(format.ok()) << e.path() << ": " << format.status().message();
    EXPECT_EQ(*format, ReportFormat::kSarif) << e.path();
  }
}

}  // namespace
}  // namespace vigil
