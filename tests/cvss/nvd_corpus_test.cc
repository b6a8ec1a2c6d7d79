// NVD records in $VIGIL_CORPUS/nvd (api_pages/ and cve/, NVD CVE API 2.0 JSON, some gzipped;
// skipped, saying so, when the variable is unset): every cvssMetricV2/V30/V31/V40 baseScore
// must be what vigil computes from the metric's vectorString, and its severity must agree.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>

#include "cvss/cvss.h"

namespace vigil::cvss {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kMismatchesShown = 10;

// NVD scores that genuinely disagree with the specifications, with the reason. None so far:
// every NVD score in the corpus agrees.
struct KnownException {
  std::string_view cve;
  std::string_view vector;
  double nvd_score;
  double spec_score;
  std::string_view reason;
};
constexpr std::array<KnownException, 0> kKnownExceptions{};

const KnownException* FindException(std::string_view cve, std::string_view vector) {
  for (const KnownException& e : kKnownExceptions) {
    if (e.cve == cve && e.vector == vector) {
      return &e;
    }
  }
  return nullptr;
}

// The file's text; .gz files through gzip(1), which every Debian system has.
std::optional<std::string> ReadText(const fs::path& path) {
  if (path.extension() != ".gz") {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return in ? std::optional(text.str()) : std::nullopt;
  }
  std::string quoted = "'";
  for (char c : path.string()) {
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  FILE* pipe = popen(("gzip -dc -- " + quoted + "'").c_str(), "r");
  if (pipe == nullptr) {
    return std::nullopt;
  }
  std::string text;
  char buffer[65536];
  for (size_t n; (n = fread(buffer, 1, sizeof buffer, pipe)) > 0;) {
    text.append(buffer, n);
  }
  return pclose(pipe) == 0 ? std::optional(text) : std::nullopt;
}

struct MetricKind {
  std::string_view key;
  Version version;
};
constexpr MetricKind kKinds[] = {{"cvssMetricV2", Version::kV2},
                                 {"cvssMetricV30", Version::kV30},
                                 {"cvssMetricV31", Version::kV31},
                                 {"cvssMetricV40", Version::kV40}};

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

struct Tally {
  std::map<std::string, int> checked;  // per metric kind
  int mismatches = 0;
  int known = 0;
};

// "" when the metric agrees with vigil, else what differs.
std::string CheckMetric(const json& metric, const MetricKind& kind, const std::string& cve,
                        Tally& tally) {
  const json& data = metric.value("cvssData", json::object());
  if (!data.contains("vectorString") || !data["vectorString"].is_string() ||
      !data.contains("baseScore") || !data["baseScore"].is_number()) {
    return "no cvssData.vectorString or baseScore";
  }
  std::string vector = data["vectorString"].get<std::string>();
  double nvd = data["baseScore"].get<double>();
  ++tally.checked[std::string(kind.key)];
  auto scores = ScoreVector(vector);
  if (!scores.ok()) {
    return scores.status().message();
  }
  if (scores->version != kind.version) {
    return vector + ": version " + std::string(VersionName(scores->version)) + " under " +
           std::string(kind.key);
  }
  // v2 keeps baseSeverity beside cvssData, the later versions inside it.
  const json& holder = kind.version == Version::kV2 ? metric : data;
  std::string nvd_severity = holder.value("baseSeverity", "");
  std::string severity = Upper(SeverityName(scores->severity));
  bool agrees = std::lround(nvd * 10) == std::lround(scores->overall * 10) &&
                (nvd_severity.empty() || nvd_severity == severity);
  if (agrees) {
    return "";
  }
  if (const KnownException* e = FindException(cve, vector);
      e != nullptr && e->nvd_score == nvd && e->spec_score == scores->overall) {
    ++tally.known;
    return "";
  }
  return vector + ": NVD " + std::to_string(nvd) + " " + nvd_severity + ", vigil " +
         std::to_string(scores->overall) + " " + severity;
}

// The `cve` objects of an API page ({"vulnerabilities": [{"cve": ...}]}) or a single record.
std::vector<const json*> Records(const json& doc) {
  std::vector<const json*> out;
  if (doc.contains("vulnerabilities") && doc["vulnerabilities"].is_array()) {
    for (const json& v : doc["vulnerabilities"]) {
      if (v.contains("cve")) {
        out.push_back(&v["cve"]);
      }
    }
  } else if (doc.contains("id")) {
    out.push_back(&doc);
  }
  return out;
}

TEST(NvdCorpus, EveryBaseScoreMatchesNvd) {
  const char* corpus = std::getenv("VIGIL_CORPUS");
  if (corpus == nullptr || *corpus == '\0') {
    GTEST_SKIP() << "VIGIL_CORPUS is not set; the NVD records of $VIGIL_CORPUS/nvd were not "
                    "rescored";
  }
  std::set<fs::path> files;
  for (const char* sub : {"api_pages", "cve"}) {
    fs::path dir = fs::path(corpus) / "nvd" / sub;
    ASSERT_TRUE(fs::is_directory(dir)) << dir;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      std::string name = entry.path().filename().string();
      if (entry.is_regular_file() && (name.ends_with(".json") || name.ends_with(".json.gz"))) {
        files.insert(entry.path());
      }
    }
  }
  ASSERT_FALSE(files.empty());
  Tally tally;
  int records = 0;
  for (const fs::path& file : files) {
    std::optional<std::string> text = ReadText(file);
    ASSERT_TRUE(text.has_value()) << "cannot read " << file;
    json doc = json::parse(*text, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(doc.is_discarded()) << file << " is not JSON";
    for (const json* cve : Records(doc)) {
      ++records;
      std::string id = cve->value("id", "?");
      const json& metrics = cve->value("metrics", json::object());
      for (const MetricKind& kind : kKinds) {
        if (!metrics.contains(kind.key)) {
          continue;
        }
        for (const json& metric : metrics[std::string(kind.key)]) {
          std::string problem = CheckMetric(metric, kind, id, tally);
          if (!problem.empty() && ++tally.mismatches <= kMismatchesShown) {
            ADD_FAILURE() << file.filename().string() << ": " << id << " " << kind.key << ": "
                          << problem;
          }
        }
      }
    }
  }
  int checked = 0;
  std::cout << "[ nvd      ] " << files.size() << " files, " << records << " records;";
  for (const auto& [kind, n] : tally.checked) {
    std::cout << " " << kind << " " << n;
    checked += n;
  }
  std::cout << "; " << tally.known << " known exceptions, " << tally.mismatches << " mismatches\n";
  EXPECT_GT(checked, 0);
  EXPECT_EQ(tally.mismatches, 0);
}

}  // namespace
}  // namespace vigil::cvss
