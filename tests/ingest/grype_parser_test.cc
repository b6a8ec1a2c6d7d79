// The Grype parser: refusals first, then what the golden files cannot show (the order of
// "source" and "matches", the helpers that build a package advisory's definition).
#include <gtest/gtest.h>

#include "ingest/byte_source.h"
#include "ingest/diagnostics.h"
#include "ingest/format_detect.h"
#include "ingest/grype_parser.h"
#include "ingest/package_advisory.h"
#include "ingest/recording_sink.h"

namespace vigil {
namespace {

Status Parse(const std::string& doc, testing::RecordingSink& sink) {
  StringSource source(doc, "grype.json");
  Diagnostics diagnostics;
  return ParseGrype(source, sink, diagnostics);
}

constexpr const char* kMatches = R"("matches": [{
    "vulnerability": {"id": "CVE-2023-45853", "severity": "Critical"},
    "artifact": {"name": "zlib1g", "version": "1:1.2.13.dfsg-1", "type": "deb",
                 "purl": "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64",
                 "locations": [{"path": "/var/lib/dpkg/status"}]}}])";
constexpr const char* kSource =
    R"("source": {"type": "image", "target": {"userInput": "registry.example.test/a:1"}})";

TEST(GrypeParser, RefusesADocumentThatIsNotAReport) {
  for (const char* doc : {"[]", "null", R"({"SchemaVersion": 2})", R"({"matches": 3})"}) {
    testing::RecordingSink sink;
    Status st = Parse(doc, sink);
    ASSERT_FALSE(st.ok()) << doc;
    EXPECT_NE(st.message().find("not a Grype report"), std::string::npos) << st.message();
  }
}

TEST(GrypeParser, SourceBeforeOrAfterMatchesGivesTheSameHost) {
  testing::RecordingSink after, before;
  ASSERT_TRUE(Parse(std::string("{") + kMatches + ", " + kSource + "}", after).ok());
  ASSERT_TRUE(Parse(std::string("{") + kSource + ", " + kMatches + "}", before).ok());
  ASSERT_EQ(after.hosts, 1);
  ASSERT_EQ(before.hosts, 1);
  EXPECT_EQ(after.json["hosts"][0]["report_name"], "registry.example.test/a:1");
  EXPECT_EQ(after.json["hosts"][0]["items"], before.json["hosts"][0]["items"]);
  EXPECT_EQ(after.json["hosts"][0]["items"][0]["location"],
            "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1");
}

TEST(GrypeParser, IsDetectedByContent) {
  EXPECT_EQ(*DetectFormat(std::string("{") + kMatches + ", " + kSource + "}"),
            ReportFormat::kGrype);
}

TEST(PackageAdvisory, SourceIsTheLowerCasedPrefixOfTheId) {
  EXPECT_EQ(AdvisorySource("CVE-2021-44228", "grype"), "cve");
  EXPECT_EQ(AdvisorySource("GHSA-jfh8-c2jp-5v3q", "grype"), "ghsa");
  EXPECT_EQ(AdvisorySource("ALAS2-2023-2100", "grype"), "alas2");
  EXPECT_EQ(AdvisorySource("RHSA-2023:5946", "grype"), "rhsa");
  EXPECT_EQ(AdvisorySource("ALPINE13661", "trivy"), "alpine");
  EXPECT_EQ(AdvisorySource("2023", "trivy"), "trivy");
}

TEST(PackageAdvisory, CvssVersionFromTextOrVector) {
  EXPECT_EQ(CvssMajor("2.0", ""), 2);
  EXPECT_EQ(CvssMajor("3.1", ""), 3);
  EXPECT_EQ(CvssMajor("4.0", ""), 4);
  EXPECT_EQ(CvssMajor("", "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"), 3);
  EXPECT_EQ(CvssMajor("", "CVSS:4.0/AV:N"), 4);
  EXPECT_EQ(CvssMajor("", "AV:N/AC:L/Au:N/C:P/I:P/A:P"), 2);
  EXPECT_EQ(CvssMajor("", "garbage"), 0);
}

TEST(PackageAdvisory, TheFirstRatingOfAVersionWins) {
  VulnerabilityDef def;
  EXPECT_TRUE(OfferCvss(def, 3, "CVSS:3.1/AV:L", 5.5));
  EXPECT_FALSE(OfferCvss(def, 3, "CVSS:3.1/AV:N", 9.8));
  EXPECT_FALSE(OfferCvss(def, 2, "", std::nullopt));
  EXPECT_EQ(def.cvss3_score, 5.5);
  EXPECT_EQ(def.cvss3_vector, "CVSS:3.1/AV:L");
}

TEST(PackageAdvisory, AliasesAreKeptOnceAndNeverTheKeyItself) {
  VulnerabilityDef def{.key = "GHSA-9w3m-gqgf-c4p9"};
  AddAdvisoryId(def, "GHSA-9w3m-gqgf-c4p9");
  AddAdvisoryId(def, "CVE-2023-35116");
  AddAdvisoryId(def, "CVE-2023-35116");
  AddAdvisoryId(def, "RHSA-2023:5946");
  EXPECT_EQ(def.refs,
            (std::vector<Reference>{{"cve", "CVE-2023-35116"}, {"alias", "RHSA-2023:5946"}}));
}

}  // namespace
}  // namespace vigil
