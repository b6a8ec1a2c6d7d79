// Format detection by content: every format, the documents that are not scans, and the
// errors with their positions.
#include "ingest/format_detect.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

std::string ErrorOf(std::string_view head) {
  auto r = DetectFormat(head);
  return r.ok() ? "(detected " + std::string(ToString(*r)) + ")" : r.status().message();
}

TEST(FormatDetect, MalformedAndEmpty) {
  EXPECT_EQ(ErrorOf(""), "1:1: empty file");
  EXPECT_NE(ErrorOf("   \n").find("white space"), std::string::npos);
  EXPECT_NE(ErrorOf("\xFF\xFE<\0x").find("UTF-16"), std::string::npos);
  EXPECT_NE(ErrorOf("\x1f\x8b\x08").find("gzip"), std::string::npos);
  EXPECT_NE(ErrorOf("hello world\n").find("not a recognised report"), std::string::npos);
  EXPECT_NE(
      ErrorOf("\n\n  <foo/>").find("3:3: not a recognised report: XML with root element <foo>"),
      std::string::npos);
  EXPECT_NE(ErrorOf("{\"a\":1}").find("a JSON object with keys a"), std::string::npos);
  EXPECT_NE(ErrorOf("[1,2]").find("not an object"), std::string::npos);
  EXPECT_NE(ErrorOf("<?xml version=\"1.0\"?>").find("no XML root element"), std::string::npos);
}

TEST(FormatDetect, XmlFormats) {
  EXPECT_EQ(*DetectFormat("\xEF\xBB\xBF  <?xml version=\"1.0\"?><!-- c --><NessusClientData_v2>"),
            ReportFormat::kNessus);
  EXPECT_EQ(*DetectFormat("<!DOCTYPE x [<!ENTITY a \"b\">]><NessusClientData_v2>"),
            ReportFormat::kNessus);
  EXPECT_EQ(*DetectFormat("<report id=\"x\" format_id=\"y\">"), ReportFormat::kOpenVas);
  EXPECT_EQ(*DetectFormat("<get_reports_response status=\"200\">"), ReportFormat::kOpenVas);
  EXPECT_EQ(*DetectFormat("<?xml version=\"1.0\"?>\n<!DOCTYPE ASSET_DATA_REPORT SYSTEM "
                          "\"x.dtd\">\n<ASSET_DATA_REPORT>"),
            ReportFormat::kQualys);
  EXPECT_EQ(*DetectFormat("<SCAN value=\"scan/1\">"), ReportFormat::kQualys);
  EXPECT_NE(ErrorOf("<NessusClientData>").find("v1"), std::string::npos);
  EXPECT_NE(ErrorOf("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">").find("CycloneDX XML"),
            std::string::npos);
  EXPECT_NE(ErrorOf("<nmaprun>").find("Nmap"), std::string::npos);
}

TEST(FormatDetect, JsonFormats) {
  EXPECT_EQ(*DetectFormat("{\n  \"SchemaVersion\": 2, \"ArtifactName\": \"x\""),
            ReportFormat::kTrivy);
  EXPECT_EQ(*DetectFormat("[{\"Target\": \"a\", \"Vulnerabilities\": [{\"VulnerabilityID\""),
            ReportFormat::kTrivy);
  // Grype puts "matches" first; the rest may lie beyond the head.
  EXPECT_EQ(*DetectFormat("{\"matches\": [{\"vulnerability\": {\"id\": \"CVE-1\", \"x\""),
            ReportFormat::kGrype);
  EXPECT_EQ(*DetectFormat("{\"descriptor\": {}, \"matches\": []}"), ReportFormat::kGrype);
  EXPECT_EQ(*DetectFormat("{\"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\"}"),
            ReportFormat::kSarif);
  EXPECT_EQ(*DetectFormat("{\"version\": \"2.1.0\", \"runs\": []}"), ReportFormat::kSarif);
  EXPECT_EQ(*DetectFormat("{\"$schema\": \"http://cyclonedx.org/schema/bom-1.5.schema.json\", "
                          "\"bomFormat\": \"CycloneDX\"}"),
            ReportFormat::kCycloneDx);
  // Keys inside nested objects are not top-level keys.
  EXPECT_NE(ErrorOf("{\"x\": {\"runs\": 1, \"matches\": 2}, \"y\": \"runs\"}").find("keys x, y"),
            std::string::npos);
}

TEST(FormatDetect, DocumentsThatAreNotScans) {
  EXPECT_NE(ErrorOf("null").find("--parser trivy"), std::string::npos);
  EXPECT_NE(ErrorOf("{\"resultsPerPage\": 1, \"format\": \"NVD_CVE\"}").find("vigil nvd import"),
            std::string::npos);
  EXPECT_NE(ErrorOf("{\"id\": \"CVE-1999-0001\", \"sourceIdentifier\": \"cve@mitre.org\"}")
                .find("vigil nvd import"),
            std::string::npos);
  EXPECT_NE(
      ErrorOf("{\"title\": \"CISA\", \"catalogVersion\": \"2024.01.01\"}").find("vigil kev import"),
      std::string::npos);
  EXPECT_NE(ErrorOf("cveID,vendorProject,product\n").find("KEV"), std::string::npos);
  EXPECT_NE(ErrorOf("#model_version:v2023.03.01,score_date:2023-03-20T00:00:00+0000\ncve,epss,"
                    "percentile\n")
                .find("vigil epss import"),
            std::string::npos);
}

TEST(FormatDetect, CsvFormats) {
  EXPECT_EQ(*DetectFormat("Plugin ID,CVE,CVSS v2.0 Base Score,Risk,Host,Protocol,Port,Name\n"),
            ReportFormat::kNessusCsv);
  EXPECT_EQ(*DetectFormat("\"Plugin ID\";\"CVE\";\"Risk\";\"Host\";\"Protocol\";\"Port\"\n"),
            ReportFormat::kNessusCsv);
  EXPECT_EQ(*DetectFormat("\"Plugin\",\"Plugin Name\",\"Family\",\"Severity\",\"IP Address\"\n"),
            ReportFormat::kNessusCsv);
  EXPECT_EQ(*DetectFormat("IP,Hostname,Port,Port Protocol,CVSS,Severity,NVT Name,NVT OID\n"),
            ReportFormat::kOpenVasCsv);
  EXPECT_EQ(*DetectFormat("IP,HOSTNAME,LAST SCAN,QID,VULN TITLE\n"), ReportFormat::kQualysCsv);
  EXPECT_EQ(*DetectFormat("\"Scan Results\",\"x\"\n\"a\"\n\"IP\",\"DNS\",\"QID\",\"Title\"\n"),
            ReportFormat::kQualysCsv);
}

TEST(FormatDetect, ParserNames) {
  for (std::string_view name : {"nessus", "nessus-csv", "openvas", "openvas-csv", "qualys",
                                "qualys-csv", "trivy", "grype", "sarif", "cyclonedx"}) {
    auto f = ParseReportFormat(name);
    ASSERT_TRUE(f.ok()) << name;
    EXPECT_EQ(ToString(*f), name);
  }
  EXPECT_NE(ParseReportFormat("nmap").status().message().find("known: auto, nessus"),
            std::string::npos);
}

TEST(JsonHead, KeysOfTopLevelOnly) {
  JsonHead h = ScanJsonHead("{\"a\": {\"b\": 1}, \"c\\\"d\": [1, {\"e\": 2}], \"f\": \"x");
  EXPECT_TRUE(h.is_object);
  EXPECT_EQ(h.keys, (std::vector<std::string>{"a", "c\"d", "f"}));
  JsonHead arr = ScanJsonHead("[{\"Target\": \"x\", \"V\": [{\"z\": 1}]}, {\"other\": 1}]");
  EXPECT_TRUE(arr.is_array);
  EXPECT_EQ(arr.keys, (std::vector<std::string>{"Target", "V"}));
}

}  // namespace
}  // namespace vigil
