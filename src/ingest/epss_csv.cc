#include "ingest/epss_csv.h"

#include <charconv>
#include <unordered_set>

#include "core/cve_id.h"
#include "core/text.h"

namespace vigil {
namespace {

bool ParseUnit(std::string_view s, double& out) {
  s = TrimSpace(s);
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && ptr == s.data() + s.size() && !s.empty() && out >= 0 && out <= 1;
}

// "#model_version:v2023.03.01,score_date:2023-03-20T00:00:00+0000"
Status ReadComment(std::string_view line, const std::string& where, EpssFile& out) {
  line.remove_prefix(1);
  for (const auto& part : SplitNonEmpty(line, ",")) {
    size_t colon = part.find(':');
    if (colon == std::string::npos) {
      continue;
    }
    std::string key = std::string(TrimSpace(std::string_view(part).substr(0, colon)));
    std::string value = std::string(TrimSpace(std::string_view(part).substr(colon + 1)));
    if (key == "model_version") {
      if (value.empty() || value.size() > 64 ||
          value.find_first_not_of(
              "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
              std::string::npos) {
        return InvalidInput(where + "model_version: '" + value.substr(0, 40) +
                            "' is not a model version such as v2025.03.14");
      }
      out.model_version = value;
    } else if (key == "score_date") {
      // "+0000" is read as "+00:00".
      if (value.size() > 5 && (value[value.size() - 5] == '+' || value[value.size() - 5] == '-') &&
          value.find(':', value.size() - 5) == std::string::npos) {
        value.insert(value.size() - 2, ":");
      }
      auto t = ParseIso8601(value);
      if (!t.ok()) {
        return InvalidInput(where + "score_date: " + t.status().message());
      }
      out.score_date = *t;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<EpssFile> ParseEpssCsv(std::string_view text, const std::string& path) {
  EpssFile out;
  std::unordered_set<std::string> seen;
  size_t line_no = 0;
  bool header = false;
  size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    pos = 3;
  }
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    std::string where = path + ":" + std::to_string(line_no) + ": ";
    if (TrimSpace(line).empty()) {
      continue;
    }
    if (line.front() == '#') {
      if (!header) {
        RETURN_IF_ERROR(ReadComment(line, where, out));
      }
      continue;
    }
    if (!header) {
      if (AsciiLower(line) != "cve,epss,percentile") {
        return InvalidInput(where + "expected the header 'cve,epss,percentile', found '" +
                            std::string(line.substr(0, 80)) + "'");
      }
      header = true;
      continue;
    }
    size_t c1 = line.find(',');
    size_t c2 = c1 == std::string_view::npos ? c1 : line.find(',', c1 + 1);
    if (c2 == std::string_view::npos || line.find(',', c2 + 1) != std::string_view::npos) {
      return InvalidInput(where + "expected three fields: cve,epss,percentile");
    }
    EpssScore s;
    s.cve = std::string(TrimSpace(line.substr(0, c1)));
    if (!IsCveId(s.cve)) {
      return InvalidInput(where + "'" + s.cve.substr(0, 40) + "' is not a CVE id");
    }
    if (!seen.insert(s.cve).second) {
      return InvalidInput(where + s.cve + " appears twice");
    }
    if (!ParseUnit(line.substr(c1 + 1, c2 - c1 - 1), s.score)) {
      return InvalidInput(where + "epss must be a number 0..1");
    }
    if (!ParseUnit(line.substr(c2 + 1), s.percentile)) {
      return InvalidInput(where + "percentile must be a number 0..1");
    }
    out.scores.push_back(std::move(s));
  }
  if (!header) {
    return InvalidInput(path + ":1: not an EPSS file: no 'cve,epss,percentile' header");
  }
  if (out.scores.empty()) {
    // Loading it would replace every score with none.
    return InvalidInput(path + ":" + std::to_string(line_no) +
                        ": no scores after the header: not a day's EPSS scores (the previous "
                        "scores are kept)");
  }
  return out;
}

}  // namespace vigil
