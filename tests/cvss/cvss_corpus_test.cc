// The published score test vectors in $VIGIL_CORPUS/cvss (skipped, saying so, when the
// variable is unset): every line must match.
//   cvss/vectors_*: RedHatProductSecurity/cvss test files, "<vector> - <expected>", where
//     <expected> is "(base, temporal, environmental)" (v2, v3; "None" when undefined),
//     "(score,)" or "score" (v4).
//   cvss/first/macro-vectors + macro-scores: FIRST's highest-severity vector of each of the
//     270 v4.0 MacroVectors and its score, one Python dict per line.
#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cvss/cvss.h"
#include "cvss/cvss2.h"
#include "cvss/cvss3.h"
#include "cvss/cvss4.h"

namespace vigil::cvss {
namespace {

namespace fs = std::filesystem;

constexpr int kMismatchesShown = 10;

std::optional<fs::path> CorpusDir(const char* sub) {
  const char* corpus = std::getenv("VIGIL_CORPUS");
  if (corpus == nullptr || *corpus == '\0') {
    return std::nullopt;
  }
  return fs::path(corpus) / sub;
}

std::vector<std::string> Lines(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    lines.push_back(line);
  }
  return lines;
}

std::optional<double> Number(std::string_view text) {
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// One expected field: a number or None (nullopt). False when the text is neither.
bool Field(std::string_view text, std::optional<double>& out) {
  if (text == "None") {
    out.reset();
    return true;
  }
  out = Number(text);
  return out.has_value();
}

// "(a, b, c)", "(a,)" or "a".
bool Expected(std::string_view text, std::vector<std::optional<double>>& out) {
  out.clear();
  if (text.size() >= 2 && text.front() == '(' && text.back() == ')') {
    text = text.substr(1, text.size() - 2);
    if (!text.empty() && text.back() == ',') {
      text.remove_suffix(1);
    }
  }
  while (true) {
    size_t comma = text.find(", ");
    std::optional<double> field;
    if (!Field(text.substr(0, comma), field)) {
      return false;
    }
    out.push_back(field);
    if (comma == std::string_view::npos) {
      return true;
    }
    text.remove_prefix(comma + 2);
  }
}

std::string Show(const std::optional<double>& v) {
  if (!v) {
    return "None";
  }
  std::ostringstream out;
  out << *v;
  return out.str();
}

// "" when `vector` scores `expected`, else what differs.
std::string Compare(std::string_view vector, const std::vector<std::optional<double>>& expected) {
  auto parsed = ParseVector(vector);
  if (!parsed.ok()) {
    return parsed.status().message();
  }
  std::vector<std::optional<double>> got;
  switch (parsed->version) {
    case Version::kV2: {
      Cvss2Scores s = ScoreCvss2(*parsed);
      got = {s.base, s.temporal, s.environmental};
      break;
    }
    case Version::kV30:
    case Version::kV31: {
      Cvss3Scores s = ScoreCvss3(*parsed);
      got = {s.base, s.temporal, s.environmental};
      break;
    }
    case Version::kV40:
      got = {ScoreCvss4(*parsed).score};
      break;
  }
  auto facade = ScoreVector(vector);
  if (!facade.ok() || facade->overall != got[0]) {
    return "ScoreVector disagrees with the version's scorer";
  }
  // -0.0 == 0.0, and None == None, as upstream's Python comparison.
  if (got == expected) {
    return "";
  }
  std::string message = "got (";
  for (size_t i = 0; i < got.size(); ++i) {
    message += (i > 0 ? ", " : "") + Show(got[i]);
  }
  return message + ")";
}

struct FileResult {
  int lines = 0;
  int checked = 0;
  int mismatches = 0;
};

FileResult CheckVectorFile(const fs::path& path) {
  FileResult result;
  std::vector<std::optional<double>> expected;
  for (const std::string& line : Lines(path)) {
    ++result.lines;
    size_t sep = line.find(" - ");
    std::string problem;
    if (sep == std::string::npos || !Expected(std::string_view(line).substr(sep + 3), expected)) {
      problem = "not '<vector> - <expected scores>'";
    } else {
      ++result.checked;
      problem = Compare(std::string_view(line).substr(0, sep), expected);
    }
    if (!problem.empty() && ++result.mismatches <= kMismatchesShown) {
      ADD_FAILURE() << path.filename().string() << ":" << result.lines << ": " << line << ": "
                    << problem;
    }
  }
  return result;
}

TEST(CvssCorpus, EveryRedHatVectorLineMatches) {
  auto dir = CorpusDir("cvss");
  if (!dir) {
    GTEST_SKIP() << "VIGIL_CORPUS is not set; the CVSS test vectors of $VIGIL_CORPUS/cvss were "
                    "not run";
  }
  ASSERT_TRUE(fs::is_directory(*dir)) << *dir;
  std::set<fs::path> files;
  for (const auto& entry : fs::directory_iterator(*dir)) {
    if (entry.is_regular_file() && entry.path().extension() != ".md") {
      files.insert(entry.path());
    }
  }
  ASSERT_FALSE(files.empty()) << "no vector files in " << *dir;
  FileResult total;
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    FileResult r = CheckVectorFile(file);
    std::cout << "[ cvss     ] " << file.filename().string() << ": " << r.lines << " lines, "
              << r.checked << " vectors checked, " << r.mismatches << " mismatches\n";
    EXPECT_GT(r.lines, 0);
    EXPECT_EQ(r.mismatches, 0);
    EXPECT_EQ(r.checked, r.lines);
    total.lines += r.lines;
    total.checked += r.checked;
  }
  std::cout << "[ cvss     ] " << files.size() << " files, " << total.checked << " vectors\n";
}

// "{'vector': '<v>', 'score': <n>, 'severity': '<s>'}" -> the text after `key`'s ": ".
std::string_view DictValue(std::string_view line, std::string_view key) {
  std::string needle = "'" + std::string(key) + "': ";
  size_t at = line.find(needle);
  if (at == std::string_view::npos) {
    return "";
  }
  std::string_view rest = line.substr(at + needle.size());
  if (!rest.empty() && rest.front() == '\'') {
    return rest.substr(1, rest.find('\'', 1) - 1);
  }
  return rest.substr(0, rest.find_first_of(",}"));
}

TEST(CvssCorpus, FirstMacroVectorScoresMatchTheTable) {
  auto dir = CorpusDir("cvss/first");
  if (!dir) {
    GTEST_SKIP() << "VIGIL_CORPUS is not set; $VIGIL_CORPUS/cvss/first was not run";
  }
  std::vector<std::string> vectors = Lines(*dir / "macro-vectors");
  std::vector<std::string> scores = Lines(*dir / "macro-scores");
  ASSERT_EQ(vectors.size(), 270u);
  ASSERT_EQ(scores.size(), vectors.size());
  std::set<std::string> macro_vectors;
  int checked = 0;
  int mismatches = 0;
  for (size_t i = 0; i < vectors.size(); ++i) {
    std::string_view line = scores[i];
    std::optional<double> expected = Number(DictValue(line, "score"));
    auto parsed = ParseVector(vectors[i]);
    std::string problem;
    if (DictValue(line, "vector") != vectors[i] || !expected) {
      problem = "macro-scores line does not match macro-vectors";
    } else if (!parsed.ok()) {
      problem = parsed.status().message();
    } else {
      ++checked;
      Cvss4Score s = ScoreCvss4(*parsed);
      macro_vectors.insert(s.macro_vector.ToString());
      if (s.score != *expected ||
          MacroVectorScoreTenths(s.macro_vector) != std::lround(*expected * 10) ||
          SeverityName(SeverityOf(s.score, Version::kV40)) != DictValue(line, "severity")) {
        problem = "got " + std::to_string(s.score) + " in MacroVector " +
                  s.macro_vector.ToString() + " (table " +
                  std::to_string(MacroVectorScoreTenths(s.macro_vector)) + ")";
      }
    }
    if (!problem.empty() && ++mismatches <= kMismatchesShown) {
      ADD_FAILURE() << "first/macro-scores:" << i + 1 << ": " << line << ": " << problem;
    }
  }
  std::cout << "[ cvss     ] first/macro-vectors: " << checked << " vectors checked, "
            << macro_vectors.size() << " distinct MacroVectors, " << mismatches << " mismatches\n";
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(checked, 270);
  EXPECT_EQ(macro_vectors.size(), 270u);
}

}  // namespace
}  // namespace vigil::cvss
