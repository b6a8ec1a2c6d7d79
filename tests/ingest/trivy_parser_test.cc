// The Trivy parser: refusals first, then what the golden files cannot show (field order
// inside a result, detection of both document forms).
#include <gtest/gtest.h>

#include "ingest/byte_source.h"
#include "ingest/diagnostics.h"
#include "ingest/format_detect.h"
#include "ingest/recording_sink.h"
#include "ingest/trivy_parser.h"

namespace vigil {
namespace {

Status Parse(const std::string& doc, testing::RecordingSink& sink, Diagnostics& diagnostics) {
  StringSource source(doc, "trivy.json");
  return ParseTrivy(source, sink, diagnostics);
}

Status Parse(const std::string& doc, testing::RecordingSink& sink) {
  Diagnostics diagnostics;
  return Parse(doc, sink, diagnostics);
}

TEST(TrivyParser, RefusesASchemaVersionThatIsNotTheNumberTwo) {
  for (const char* version : {"\"2\"", "1", "2.5", "null"}) {
    testing::RecordingSink sink;
    Status st = Parse(std::string(R"({"SchemaVersion": )") + version + R"(, "Results": []})", sink);
    ASSERT_FALSE(st.ok()) << version;
    EXPECT_EQ(st.message().rfind("1:", 0), 0u) << st.message();
    EXPECT_NE(st.message().find("unsupported Trivy SchemaVersion"), std::string::npos);
    EXPECT_EQ(sink.headers, 0);
  }
}

TEST(TrivyParser, RefusesADocumentThatIsNotAReport) {
  for (const char* doc : {"42", "\"x\"", R"({"matches": []})", "[1, 2"}) {
    testing::RecordingSink sink;
    EXPECT_FALSE(Parse(doc, sink).ok()) << doc;
  }
}

TEST(TrivyParser, RefusesFindingsWithoutATarget) {
  testing::RecordingSink sink;
  Status st = Parse(R"({"SchemaVersion": 2, "Results": [{"Class": "secret",
      "Secrets": [{"RuleID": "github-pat", "Severity": "CRITICAL"}]}]})",
                    sink);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("names no scanned target"), std::string::npos) << st.message();
}

TEST(TrivyParser, ResultFieldsAfterItsFindingsStillApply) {
  // Target, Class and Type written after Vulnerabilities: the location still uses them.
  testing::RecordingSink sink;
  Diagnostics diagnostics;
  ASSERT_TRUE(Parse(R"({"SchemaVersion": 2, "ArtifactName": "/srv/app", "Results": [
      {"Vulnerabilities": [{"VulnerabilityID": "CVE-2022-25883", "PkgName": "semver",
                            "InstalledVersion": "7.3.7", "Severity": "HIGH"},
                           {"InstalledVersion": "1.0"}],
       "Target": "web/package-lock.json", "Class": "lang-pkgs", "Type": "npm"}]})",
                    sink, diagnostics)
                  .ok());
  const auto& items = sink.json["hosts"][0]["items"];
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0]["location"], "semver@7.3.7 in web/package-lock.json");
  EXPECT_EQ(items[0]["package"]["type"], "npm");
  ASSERT_EQ(diagnostics.kept().size(), 1u);
  EXPECT_EQ(diagnostics.kept()[0].record, "Results[0] web/package-lock.json / Vulnerabilities[1]");
  EXPECT_EQ(diagnostics.kept()[0].field, "VulnerabilityID");
}

TEST(TrivyParser, NullIsAReportWithoutHosts) {
  testing::RecordingSink sink;
  ASSERT_TRUE(Parse("null\n", sink).ok());
  EXPECT_EQ(sink.headers, 1);
  EXPECT_EQ(sink.hosts, 0);
}

TEST(TrivyParser, BothFormsAreDetectedByContent) {
  EXPECT_EQ(*DetectFormat(R"({"SchemaVersion": 2, "ArtifactName": "x", "Results": []})"),
            ReportFormat::kTrivy);
  EXPECT_EQ(*DetectFormat(R"json([{"Target": "x (alpine 3.10.2)", "Vulnerabilities": null}])json"),
            ReportFormat::kTrivy);
  auto null_doc = DetectFormat("null");
  ASSERT_FALSE(null_doc.ok());
  EXPECT_NE(null_doc.status().message().find("--parser trivy"), std::string::npos);
}

}  // namespace
}  // namespace vigil
