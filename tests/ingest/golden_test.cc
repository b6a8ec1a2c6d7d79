// Golden tests: every tests/testdata/<format>/<case>.<ext> (any extension but .json for
// expectations, and README.md) is parsed with the parser named by the directory ("nessus",
// "trivy", "nessus-csv", ...) and compared with <case>.expected.json. A file the parser
// refuses is expected as {"error": "<message>"}. Adding a case = adding a file.
// VIGIL_UPDATE_GOLDEN=1 rewrites the expected files (review the diff before committing).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/byte_source.h"
#include "ingest/diagnostics.h"
#include "ingest/format_detect.h"
#include "ingest/input_file.h"
#include "ingest/parse_report.h"
#include "ingest/recording_sink.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kExpected = ".expected.json";

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// "<format>/<file name>" for every input file.
std::vector<std::string> Cases() {
  std::vector<std::string> out;
  for (const auto& dir : fs::directory_iterator(fs::path(VIGIL_TESTDATA_DIR))) {
    if (!dir.is_directory() || !ParseReportFormat(dir.path().filename().string()).ok()) {
      continue;
    }
    for (const auto& e : fs::directory_iterator(dir.path())) {
      std::string name = e.path().filename().string();
      if (e.is_regular_file() && !EndsWith(name, kExpected) && name != "README.md") {
        out.push_back(dir.path().filename().string() + "/" + name);
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, MatchesExpected) {
  fs::path input = fs::path(VIGIL_TESTDATA_DIR) / GetParam();
  std::string format_name = input.parent_path().filename().string();
  fs::path expected_path = input.parent_path() / (input.stem().string() + std::string(kExpected));
  auto format = ParseReportFormat(format_name);
  ASSERT_TRUE(format.ok());
  auto source = FileSource::Open(input.string(), InputKind::kScanReport);
  ASSERT_TRUE(source.ok()) << source.status().message();
  testing::RecordingSink sink;
  Diagnostics diagnostics;
  Status st = ParseReport(*format, **source, sink, diagnostics);
  EXPECT_EQ(sink.shared_before_first, 0) << "an item marked shared came before its definition";
  nlohmann::ordered_json result;
  if (st.ok()) {
    result = sink.json;
    result["diagnostics"] = nlohmann::ordered_json::array();
    for (const auto& d : diagnostics.kept()) {
      result["diagnostics"].push_back(Diagnostics::Format(input.filename().string(), d));
    }
  } else {
    // Errors name the file as opened; keep only its name, as for diagnostics, so that the
    // expectations do not depend on where the repository is.
    std::string message = st.message();
    if (message.rfind(input.string(), 0) == 0) {
      message = input.filename().string() + message.substr(input.string().size());
    }
    result["error"] = message;
  }
  std::string actual = result.dump(2) + "\n";
  const char* update = std::getenv("VIGIL_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(expected_path) << actual;
  }
  std::ifstream in(expected_path);
  ASSERT_TRUE(in.good()) << "missing " << expected_path
                         << " (run with VIGIL_UPDATE_GOLDEN=1 to create it)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str());
}

std::string CaseName(const ::testing::TestParamInfo<std::string>& param_info) {
  std::string name = param_info.param;
  for (char& c : name) {
    c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(Files, Golden, ::testing::ValuesIn(Cases()), CaseName);

}  // namespace
}  // namespace vigil
