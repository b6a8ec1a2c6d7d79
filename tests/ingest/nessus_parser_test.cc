// The Nessus parser against hostile and broken input first, then the shape of good input.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <chrono>

#include "ingest/byte_source.h"
#include "ingest/diagnostics.h"
#include "ingest/format_detect.h"
#include "ingest/nessus_parser.h"
#include "ingest/recording_sink.h"
#include "support/nessus_builder.h"

namespace vigil {
namespace {

using testing::BuildNessus;
using testing::TestHost;
using testing::TestItem;

Status Parse(const std::string& doc, testing::RecordingSink* sink_out = nullptr) {
  StringSource source(doc, "scan.nessus");
  testing::RecordingSink sink;
  Diagnostics diagnostics;
  Status st = ParseNessus(source, sink, diagnostics);
  if (sink_out != nullptr) {
    *sink_out = std::move(sink);
  }
  return st;
}

void ExpectRejected(const std::string& doc, const std::string& needle,
                    const std::string& position) {
  auto start = std::chrono::steady_clock::now();
  Status st = Parse(doc);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(st.message().find(needle), std::string::npos) << st.message();
  EXPECT_EQ(st.message().rfind("scan.nessus:" + position, 0), 0u) << st.message();
  EXPECT_LT(seconds, 3.0);
}

const std::string kValid = BuildNessus(
    {TestHost{.name = "10.0.0.1", .ip = "10.0.0.1", .items = {{.plugin = 1}, {.plugin = 2}}}});

TEST(NessusParser, RejectsEmptyFile) {
  ExpectRejected("", "empty file", "1:1");
}

TEST(NessusParser, RejectsWrongRootElement) {
  ExpectRejected("<?xml version=\"1.0\"?>\n<NessusClientData>\n</NessusClientData>",
                 "expected root element <NessusClientData_v2>, found <NessusClientData>", "2:1");
}

TEST(NessusParser, RejectsTruncatedFile) {
  std::string cut = kValid.substr(0, kValid.size() / 2);
  ExpectRejected(cut, "truncated", "");
}

TEST(NessusParser, RejectsNonXml) {
  ExpectRejected("this is not xml\n", "not well-formed", "1:1");
}

TEST(NessusParser, RefusesEntityExpansionBomb) {
  std::string bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n";
  for (int i = 1; i < 10; ++i) {
    bomb += "<!ENTITY lol" + std::to_string(i) + " \"";
    for (int j = 0; j < 10; ++j) {
      bomb += "&lol" + (i == 1 ? std::string() : std::to_string(i - 1)) + ";";
    }
    bomb += "\">\n";
  }
  bomb += "]>\n<NessusClientData_v2>&lol9;</NessusClientData_v2>\n";
  ExpectRejected(bomb, "entity declarations are refused", "3:");
}

TEST(NessusParser, RefusesExternalEntity) {
  ExpectRejected(
      "<?xml version=\"1.0\"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n"
      "<NessusClientData_v2><Report><ReportHost name=\"&xxe;\"/></Report></NessusClientData_v2>",
      "external entity 'xxe'", "2:");
}

TEST(NessusParser, RejectsHugeAttribute) {
  std::string doc = "<NessusClientData_v2><Report name=\"" + std::string(10 << 20, 'A') +
                    "\"></Report></NessusClientData_v2>";
  ExpectRejected(doc, "attribute 'name' of <Report> is longer than 1048576 bytes", "1:");
}

TEST(NessusParser, RejectsInvalidUtf8) {
  for (std::string bad : {"\xC3\x28", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF"}) {
    std::string in_text = kValid;
    in_text.replace(in_text.find(">output<") + 1, 6, "out" + bad + "put");
    ExpectRejected(in_text, "invalid UTF-8", "");
    std::string in_name = kValid;
    in_name.replace(in_name.find("plugin_output"), 13, "plugin" + bad);
    ExpectRejected(in_name, "invalid UTF-8", "");
  }
}

TEST(NessusParser, SkipsUnreadableItemsWithDiagnostics) {
  std::string doc =
      "<NessusClientData_v2><Report name=\"r\"><ReportHost name=\"h\"><HostProperties/>"
      "<ReportItem port=\"80\" protocol=\"tcp\" severity=\"2\" pluginName=\"no id\"/>\n"
      "<ReportItem port=\"x\" protocol=\"tcp\" severity=\"2\" pluginID=\"5\"/>\n"
      "<ReportItem port=\"443\" protocol=\"TCP\" severity=\"9\" pluginID=\"6\"/>\n"
      "</ReportHost></Report></NessusClientData_v2>";
  StringSource source(doc, "scan.nessus");
  testing::RecordingSink sink;
  Diagnostics diagnostics;
  ASSERT_TRUE(ParseNessus(source, sink, diagnostics).ok());
  ASSERT_EQ(diagnostics.count(), 3u);
  EXPECT_EQ(Diagnostics::Format("scan.nessus", diagnostics.kept()[0]).substr(0, 14),
            "scan.nessus:1:");
  EXPECT_NE(diagnostics.kept()[0].message.find("missing"), std::string::npos);
  EXPECT_EQ(diagnostics.kept()[1].field, "port");
  EXPECT_EQ(diagnostics.kept()[2].field, "severity");
  ASSERT_EQ(sink.json["hosts"][0]["items"].size(), 1u);
  EXPECT_EQ(sink.json["hosts"][0]["items"][0]["protocol"], "tcp");
  EXPECT_TRUE(sink.json["hosts"][0]["items"][0]["vuln"]["scanner_severity"].is_null());
}

TEST(NessusParser, ReadsPluginSetAndHosts) {
  testing::RecordingSink sink;
  std::string doc = BuildNessus(
      {TestHost{.name = "a", .ip = "10.0.0.1", .credentialed = true, .items = {{.plugin = 7}}},
       TestHost{.name = "b", .fqdn = "B.Example.ORG", .items = {}}},
      std::vector<int>{30, 7, 7, 100});
  ASSERT_TRUE(Parse(doc, &sink).ok());
  EXPECT_EQ(sink.headers, 1);
  EXPECT_EQ(sink.json["header"]["check_set"], (std::vector<std::string>{"100", "30", "7"}));
  EXPECT_EQ(sink.json["hosts"][0]["credentialed"], true);
  EXPECT_EQ(sink.json["hosts"][0]["start"], "2024-01-01T10:00:00Z");
  EXPECT_EQ(sink.json["hosts"][1]["fqdn"], "b.example.org");
  EXPECT_EQ(sink.json["hosts"][0]["items"][0]["vuln"]["key"], "tenable:7");
}

// A source that produces a large report on the fly, so memory can be measured without
// holding the document.
class GeneratedSource final : public ByteSource {
 public:
  explicit GeneratedSource(int hosts) : hosts_(hosts) {
    pending_ = "<NessusClientData_v2><Report name=\"big\">";
  }
  Result<size_t> Read(char* buffer, size_t size) override {
    while (pending_.size() < size && next_ <= hosts_) {
      if (next_ == hosts_) {
        pending_ += "</Report></NessusClientData_v2>";
      } else {
        pending_ += "<ReportHost name=\"h" + std::to_string(next_) + "\"><HostProperties/>";
        for (int i = 0; i < 20; ++i) {
          pending_ += "<ReportItem port=\"" + std::to_string(i) +
                      "\" protocol=\"tcp\" severity=\"1\" pluginID=\"" + std::to_string(i) +
                      "\"><plugin_output>" + std::string(400, 'x') +
                      "</plugin_output></ReportItem>";
        }
        pending_ += "</ReportHost>";
      }
      ++next_;
    }
    size_t n = std::min(size, pending_.size());
    std::copy_n(pending_.data(), n, buffer);
    pending_.erase(0, n);
    total_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }
  uint64_t bytes_read() const override { return total_; }
  uint64_t total_bytes() const override { return 0; }

 private:
  int hosts_;
  int next_ = 0;
  std::string pending_;
  std::string name_ = "generated";
  uint64_t total_ = 0;
};

class CountingSink final : public ReportSink {
 public:
  Status OnHeader(const ReportHeader&) override { return Status::Ok(); }
  Status OnHost(HostObservation& host) override {
    items += static_cast<int64_t>(host.items.size());
    return Status::Ok();
  }
  int64_t items = 0;
};

long PeakRssKb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

TEST(NessusParser, MemoryDoesNotGrowWithTheFile) {
  GeneratedSource source(12000);  // about 110 MB of XML
  CountingSink sink;
  Diagnostics diagnostics;
  long before = PeakRssKb();
  ASSERT_TRUE(ParseNessus(source, sink, diagnostics).ok());
  EXPECT_EQ(sink.items, 12000 * 20);
  EXPECT_GT(source.bytes_read(), 100u << 20);
#ifndef __SANITIZE_ADDRESS__  // ASan's quarantine keeps freed memory; release builds check
  EXPECT_LT(PeakRssKb() - before, 40 * 1024) << "peak RSS grew by more than 40 MB";
#else
  (void)before;
#endif
}

}  // namespace
}  // namespace vigil
