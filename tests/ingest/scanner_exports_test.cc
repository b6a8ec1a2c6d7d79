// Properties of the Tenable, Greenbone and Qualys export parsers that golden files cannot
// show: streaming (a host is handed on before the rest of the file is read) and that the XML
// and CSV exports of one Greenbone report give the same findings.
#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "ingest/byte_source.h"
#include "ingest/diagnostics.h"
#include "ingest/input_file.h"
#include "ingest/nessus_csv_parser.h"
#include "ingest/openvas_csv_parser.h"
#include "ingest/openvas_parser.h"
#include "ingest/qualys_csv_parser.h"
#include "ingest/report.h"

namespace vigil {
namespace {

// Records, for each host, how much of the input had been read when it arrived.
class ProgressSink final : public ReportSink {
 public:
  explicit ProgressSink(const ByteSource& source) : source_(source) {}
  Status OnHeader(const ReportHeader&) override { return Status::Ok(); }
  Status OnHost(HostObservation& host) override {
    read_at_host.push_back(source_.bytes_read());
    for (const auto& item : host.items) {
      findings.emplace(host.ip, item.vuln.key, item.port, item.protocol);
    }
    return Status::Ok();
  }
  std::vector<uint64_t> read_at_host;
  std::set<std::tuple<std::string, std::string, int, std::string>> findings;

 private:
  const ByteSource& source_;
};

// `hosts` hosts with `rows` rows each, about 1 KiB per row.
std::string ManyHosts(const std::string& header, const std::string& row_format, int hosts,
                      int rows) {
  std::string out = header + "\n";
  std::string padding(1000, 'x');
  for (int h = 0; h < hosts; ++h) {
    for (int r = 0; r < rows; ++r) {
      std::string row = row_format;
      row.replace(row.find("HOST"), 4,
                  "10.0." + std::to_string(h / 250) + "." + std::to_string(h % 250 + 1));
      row.replace(row.find("ID"), 2, std::to_string(10000 + r));
      row.replace(row.find("PAD"), 3, padding);
      out += row + "\n";
    }
  }
  return out;
}

template <typename Parse>
void ExpectStreamed(const std::string& text, Parse parse, size_t hosts) {
  StringSource source(text, "big.csv");
  ProgressSink sink(source);
  Diagnostics diagnostics;
  Status st = parse(source, sink, diagnostics);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(diagnostics.count(), 0u);
  ASSERT_EQ(sink.read_at_host.size(), hosts);
  // The first host was handed on after reading a small part of the file: memory holds one
  // host's rows, not the file.
  EXPECT_LT(sink.read_at_host.front(), text.size() / 10);
}

TEST(ScannerExports, TenableCsvHandsOnEachHostWhileReading) {
  std::string text = ManyHosts("Plugin ID,CVE,Risk,Host,Protocol,Port,Name,Plugin Output",
                               "ID,,Medium,HOST,tcp,443,Some check,PAD", 100, 20);
  ExpectStreamed(text, ParseNessusCsv, 100);
}

TEST(ScannerExports, QualysCsvHandsOnEachHostWhileReading) {
  std::string text = ManyHosts("\"IP\",\"DNS\",\"QID\",\"Type\",\"Severity\",\"Port\",\"Results\"",
                               "\"HOST\",\"\",\"ID\",\"Vuln\",\"3\",\"22\",\"PAD\"", 100, 20);
  ExpectStreamed(text, ParseQualysCsv, 100);
}

using Findings = std::set<std::tuple<std::string, std::string, int, std::string>>;

Findings ParseFile(const std::string& name,
                   Status (*parse)(ByteSource&, ReportSink&, Diagnostics&)) {
  auto source =
      FileSource::Open(std::string(VIGIL_TESTDATA_DIR) + "/" + name, InputKind::kScanReport);
  EXPECT_TRUE(source.ok());
  ProgressSink sink(**source);
  Diagnostics diagnostics;
  Status st = parse(**source, sink, diagnostics);
  EXPECT_TRUE(st.ok()) << st.message();
  return sink.findings;
}

TEST(ScannerExports, GreenboneXmlAndCsvExportsOfOneReportGiveTheSameFindings) {
  // openvas-csv/results.csv is the CSV export of openvas/gmp_response.xml without its one
  // result of QoD 30 (the CSV export applies the default filter, min_qod=70).
  Findings xml = ParseFile("openvas/gmp_response.xml", ParseOpenVas);
  Findings csv = ParseFile("openvas-csv/results.csv", ParseOpenVasCsv);
  xml.erase({"192.0.2.71", "openvas:1.3.6.1.4.1.25623.1.0.103440", 443, "tcp"});
  EXPECT_EQ(xml, csv);
  EXPECT_EQ(csv.size(), 5u);
}

}  // namespace
}  // namespace vigil
