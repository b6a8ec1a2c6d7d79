// Golden tests: every tests/testdata/nessus/<case>.nessus is parsed and compared with
// <case>.expected.json. Adding a case = adding a file. VIGIL_UPDATE_GOLDEN=1 rewrites the
// expected files (review the diff before committing).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "ingest/byte_source.h"
#include "ingest/diagnostics.h"
#include "ingest/nessus_parser.h"
#include "ingest/recording_sink.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> Cases() {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(fs::path(VIGIL_TESTDATA_DIR) / "nessus")) {
    if (e.path().extension() == ".nessus") {
      out.push_back(e.path().stem().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

class NessusGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(NessusGolden, MatchesExpected) {
  fs::path dir = fs::path(VIGIL_TESTDATA_DIR) / "nessus";
  fs::path input = dir / (GetParam() + ".nessus");
  fs::path expected_path = dir / (GetParam() + ".expected.json");
  auto source = FileSource::Open(input.string());
  ASSERT_TRUE(source.ok()) << source.status().message();
  testing::RecordingSink sink;
  Diagnostics diagnostics;
  Status st = ParseNessus(**source, sink, diagnostics);
  ASSERT_TRUE(st.ok()) << st.message();
  sink.json["diagnostics"] = nlohmann::ordered_json::array();
  for (const auto& d : diagnostics.kept()) {
    sink.json["diagnostics"].push_back(Diagnostics::Format(input.filename().string(), d));
  }
  std::string actual = sink.json.dump(2) + "\n";
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

INSTANTIATE_TEST_SUITE_P(Files, NessusGolden, ::testing::ValuesIn(Cases()), CaseName);

}  // namespace
}  // namespace vigil
