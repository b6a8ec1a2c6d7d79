// The CycloneDX parser: refusals first, then how refs, ratings and VEX analyses are read (the
// golden files in tests/testdata/cyclonedx show whole documents).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/byte_source.h"
#include "ingest/cyclonedx_parser.h"
#include "ingest/diagnostics.h"
#include "ingest/format_detect.h"
#include "ingest/recording_sink.h"

namespace vigil {
namespace {

using json = nlohmann::ordered_json;

struct Parsed {
  Status status;
  testing::RecordingSink sink;
  size_t warnings = 0;
};

Parsed Parse(const std::string& doc) {
  StringSource source(doc, "bom.json");
  Parsed out;
  Diagnostics diagnostics;
  out.status = ParseCycloneDx(source, out.sink, diagnostics);
  out.warnings = diagnostics.count();
  return out;
}

std::string Bom(const std::string& body, const std::string& spec = "1.5") {
  return R"({"bomFormat": "CycloneDX", "specVersion": ")" + spec + R"(", "version": 1)" + body +
         "}";
}

const json& Items(const Parsed& p, size_t host = 0) {
  return p.sink.json["hosts"][host]["items"];
}

TEST(CycloneDxParser, RejectsMalformedJsonWithItsPosition) {
  Parsed p =
      Parse("{\"bomFormat\": \"CycloneDX\",\n\"specVersion\": \"1.5\",\n\"vulnerabilities\": [,]}");
  ASSERT_FALSE(p.status.ok());
  EXPECT_EQ(p.status.message().rfind("3:", 0), 0u) << p.status.message();
}

TEST(CycloneDxParser, RejectsUnsupportedSpecVersionsNamingThem) {
  for (std::string spec : {"1.2", "1.3", "1.7", "2.0"}) {
    Parsed p = Parse(Bom(R"(, "vulnerabilities": [])", spec));
    ASSERT_FALSE(p.status.ok()) << spec;
    EXPECT_NE(p.status.message().find("specVersion " + spec + " is not supported"),
              std::string::npos)
        << p.status.message();
  }
}

TEST(CycloneDxParser, RejectsAnSbomWithoutVulnerabilities) {
  Parsed p = Parse(Bom(R"(, "components": [{"bom-ref": "a", "name": "a"}])"));
  ASSERT_FALSE(p.status.ok());
  EXPECT_NE(p.status.message().find("an SBOM without vulnerabilities: "), std::string::npos)
      << p.status.message();
}

TEST(CycloneDxParser, EmptyVulnerabilitiesIsAScanOfTheKnownAsset) {
  Parsed p = Parse(Bom(
      R"(, "metadata": {"component": {"name": "svc", "version": "1.0"}}, "vulnerabilities": [])"));
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  ASSERT_EQ(p.sink.hosts, 1);
  EXPECT_EQ(p.sink.json["hosts"][0]["report_name"], "svc");
  EXPECT_TRUE(Items(p).empty());
  EXPECT_EQ(Parse(Bom(R"(, "vulnerabilities": [])")).sink.hosts, 0);
}

TEST(CycloneDxParser, SkipsVulnerabilitiesWithoutIdWithAWarning) {
  Parsed p = Parse(Bom(R"(, "vulnerabilities": [{"affects": [{"ref": "x"}]}, 7])"));
  ASSERT_TRUE(p.status.ok());
  EXPECT_EQ(p.warnings, 2u);
  EXPECT_EQ(p.sink.hosts, 0);
}

TEST(CycloneDxParser, ResolvesRefsToComponentsThatComeLater) {
  Parsed p =
      Parse(Bom(R"(, "metadata": {"component": {"group": "g", "name": "app", "version": "2"}},
    "vulnerabilities": [{"id": "CVE-2024-1", "affects": [{"ref": "r1"}, {"ref": "r2"}]}],
    "components": [{"bom-ref": "outer", "name": "outer", "components": [
      {"bom-ref": "r1", "name": "musl", "version": "1.2.4", "purl": "pkg:apk/alpine/musl@1.2.4?arch=x86_64"}]},
      {"bom-ref": "r2", "name": "left-pad", "version": "1.3.0"}])"));
  ASSERT_TRUE(p.status.ok()) << p.status.message();
  EXPECT_EQ(p.sink.json["hosts"][0]["report_name"], "g/app");
  ASSERT_EQ(Items(p).size(), 2u);
  EXPECT_EQ(Items(p)[0]["location"], "pkg:apk/alpine/musl@1.2.4");
  EXPECT_EQ(Items(p)[0]["package"]["type"], "apk");
  EXPECT_EQ(Items(p)[1]["location"], "left-pad@1.3.0");
  EXPECT_EQ(Items(p)[0]["vuln"]["key"], "CVE-2024-1");
  EXPECT_EQ(Items(p)[0]["vuln"]["source"], "cve");
}

TEST(CycloneDxParser, AnalysisBecomesTheItemsVexExactly) {
  Parsed p = Parse(Bom(R"(, "vulnerabilities": [{"id": "GHSA-aaaa-bbbb-cccc",
    "analysis": {"state": "not_affected", "justification": "code_not_reachable",
                 "response": ["will_not_fix", "update"], "detail": "never called"},
    "affects": [{"ref": "pkg:npm/x@1.0.0"}]}])"));
  ASSERT_TRUE(p.status.ok());
  const json& vex = Items(p)[0]["vex"];
  EXPECT_EQ(vex["state"], "not_affected");
  EXPECT_EQ(vex["justification"], "code_not_reachable");
  EXPECT_EQ(vex["response"], json::array({"will_not_fix", "update"}));
  EXPECT_EQ(vex["detail"], "never called");
  EXPECT_EQ(Items(p)[0]["location"], "pkg:npm/x@1.0.0");
  EXPECT_EQ(p.sink.json["hosts"][0]["report_name"], "cyclonedx:unknown");
}

TEST(CycloneDxParser, ConflictingStatementsKeepTheFindingOpen) {
  Parsed p = Parse(Bom(R"(, "metadata": {"component": {"bom-ref": "p", "name": "p"}},
    "vulnerabilities": [
      {"id": "CVE-1", "analysis": {"state": "not_affected", "justification": "code_not_present"},
       "affects": [{"ref": "p", "versions": [{"version": "1", "status": "unaffected"}]}]},
      {"id": "CVE-1", "analysis": {"state": "exploitable"},
       "affects": [{"ref": "p", "versions": [{"version": "2", "status": "affected"}]}]},
      {"id": "CVE-2", "analysis": {"state": "false_positive"}, "affects": [{"ref": "p"}]},
      {"id": "CVE-2", "affects": [{"ref": "p"}]}])"));
  ASSERT_TRUE(p.status.ok());
  ASSERT_EQ(Items(p).size(), 2u);
  EXPECT_EQ(Items(p)[0]["vex"]["state"], "exploitable");
  EXPECT_EQ(Items(p)[0]["output"], "affects p: 1 (unaffected)\naffects p: 2 (affected)");
  EXPECT_FALSE(Items(p)[1].contains("vex"));
}

TEST(CycloneDxParser, PrefersNvdRatingsAndTheHighestDescription) {
  Parsed p = Parse(Bom(R"(, "metadata": {"component": {"name": "p"}}, "vulnerabilities": [
      {"id": "CVE-1", "ratings": [
         {"source": {"name": "vendor"}, "score": 0.0, "severity": "none", "method": "CVSSv31"}],
       "affects": [{"ref": "a"}]},
      {"id": "CVE-1", "ratings": [
         {"source": {"name": "ghsa"}, "score": 9.8, "severity": "critical", "method": "CVSSv31", "vector": "V1"},
         {"source": {"name": "NVD"}, "score": 7.5, "severity": "high", "method": "CVSSv3", "vector": "V2"}],
       "affects": [{"ref": "b"}]}])"));
  ASSERT_TRUE(p.status.ok());
  for (const json& item : Items(p)) {
    EXPECT_EQ(item["vuln"]["cvss3_score"], 7.5);
    EXPECT_EQ(item["vuln"]["cvss3_vector"], "V2");
    EXPECT_EQ(item["vuln"]["risk_factor"], "High");
  }
}

TEST(CycloneDxParser, BomLinksToOtherBomsNameThatBom) {
  Parsed p = Parse(Bom(R"(, "vulnerabilities": [{"id": "CVE-1", "affects": [
      {"ref": "urn:cdx:0b1c2d3e-0000-4000-8000-000000000001/3#acme%2Dlib"}]}])"));
  ASSERT_TRUE(p.status.ok());
  EXPECT_EQ(p.sink.json["hosts"][0]["report_name"], "urn:cdx:0b1c2d3e-0000-4000-8000-000000000001");
  EXPECT_EQ(Items(p)[0]["location"], "acme-lib");
}

// Every file in tests/testdata/cyclonedx is recognised as CycloneDX by its content.
TEST(CycloneDxParser, GoldenInputsAreDetectedAsCycloneDx) {
  namespace fs = std::filesystem;
  for (const auto& e : fs::directory_iterator(fs::path(VIGIL_TESTDATA_DIR) / "cyclonedx")) {
    std::string name = e.path().filename().string();
    if (e.path().extension() != ".json" || name.find(".expected.") != std::string::npos) {
      continue;
    }
    std::ifstream in(e.path());
    std::stringstream text;
    text << in.rdbuf();
    auto format = DetectFormat(text.str());
    ASSERT_TRUE(format.ok()) << name << ": " << format.status().message();
    EXPECT_EQ(*format, ReportFormat::kCycloneDx) << name;
  }
}

}  // namespace
}  // namespace vigil
