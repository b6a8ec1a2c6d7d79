#include "ingest/epss_csv.h"

#include <charconv>
#include <unordered_set>
#include <vector>

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

std::string EpssReader::Where(size_t line_no) const {
  return path_ + ":" + std::to_string(line_no) + ": ";
}

Result<bool> EpssReader::Line(std::string_view line, size_t line_no, EpssScore& s) {
  if (!line.empty() && line.back() == '\r') {
    line.remove_suffix(1);
  }
  if (TrimSpace(line).empty()) {
    return false;
  }
  if (line.front() == '#') {
    if (!header_) {
      RETURN_IF_ERROR(ReadComment(line, Where(line_no), file_));
    }
    return false;
  }
  if (!header_) {
    if (AsciiLower(line) != "cve,epss,percentile") {
      return InvalidInput(Where(line_no) + "expected the header 'cve,epss,percentile', found '" +
                          std::string(line.substr(0, 80)) + "'");
    }
    header_ = true;
    return false;
  }
  size_t c1 = line.find(',');
  size_t c2 = c1 == std::string_view::npos ? c1 : line.find(',', c1 + 1);
  if (c2 == std::string_view::npos || line.find(',', c2 + 1) != std::string_view::npos) {
    return InvalidInput(Where(line_no) + "expected three fields: cve,epss,percentile");
  }
  s = EpssScore{};
  s.cve = std::string(TrimSpace(line.substr(0, c1)));
  if (!IsCveId(s.cve)) {
    return InvalidInput(Where(line_no) + "'" + s.cve.substr(0, 40) + "' is not a CVE id");
  }
  if (!ParseUnit(line.substr(c1 + 1, c2 - c1 - 1), s.score)) {
    return InvalidInput(Where(line_no) + "epss must be a number 0..1");
  }
  if (!ParseUnit(line.substr(c2 + 1), s.percentile)) {
    return InvalidInput(Where(line_no) + "percentile must be a number 0..1");
  }
  return true;
}

Status EpssReader::Finish(size_t last_line, size_t scores) const {
  if (!header_) {
    return InvalidInput(path_ + ":1: not an EPSS file: no 'cve,epss,percentile' header");
  }
  if (scores == 0) {
    // Loading it would replace every score with none.
    return InvalidInput(Where(last_line) +
                        "no scores after the header: not a day's EPSS scores (the previous "
                        "scores are kept)");
  }
  return Status::Ok();
}

Status ForEachLine(ByteSource& source, size_t max_line,
                   const std::function<Status(std::string_view line, size_t line_no)>& on_line) {
  std::string pending;  // the start of a line whose end is not read yet
  std::vector<char> buffer(1 << 16);
  size_t line_no = 0;
  bool first = true;
  while (true) {
    ASSIGN_OR_RETURN(size_t n, source.Read(buffer.data(), buffer.size()));
    std::string_view chunk(buffer.data(), n);
    if (first && n > 0) {
      pending.append(chunk);
      if (pending.size() < 3 && n > 0) {
        continue;
      }
      if (pending.compare(0, 3, "\xEF\xBB\xBF") == 0) {
        pending.erase(0, 3);
      }
      first = false;
      chunk = {};
    }
    if (n == 0) {
      if (!pending.empty()) {
        RETURN_IF_ERROR(on_line(pending, ++line_no));
      }
      return Status::Ok();
    }
    // Lines wholly inside what is pending plus this chunk.
    size_t start = 0;
    if (!chunk.empty()) {
      pending.append(chunk);
    }
    while (true) {
      size_t nl = pending.find('\n', start);
      if (nl == std::string::npos) {
        break;
      }
      if (nl - start > max_line) {
        return InvalidInput(source.name() + ":" + std::to_string(line_no + 1) +
                            ": a line longer than " + std::to_string(max_line) + " bytes");
      }
      RETURN_IF_ERROR(on_line(std::string_view(pending).substr(start, nl - start), ++line_no));
      start = nl + 1;
    }
    pending.erase(0, start);
    if (pending.size() > max_line) {
      return InvalidInput(source.name() + ":" + std::to_string(line_no + 1) +
                          ": a line longer than " + std::to_string(max_line) + " bytes");
    }
  }
}

Result<EpssFile> ParseEpssCsv(std::string_view text, const std::string& path) {
  EpssReader reader(path);
  EpssFile out;
  std::unordered_set<std::string> seen;
  StringSource source(std::string(text), path);
  size_t last = 0;
  RETURN_IF_ERROR(
      ForEachLine(source, text.size() + 1, [&](std::string_view line, size_t line_no) -> Status {
        last = line_no;
        EpssScore s;
        ASSIGN_OR_RETURN(bool is_score, reader.Line(line, line_no, s));
        if (!is_score) {
          return Status::Ok();
        }
        if (!seen.insert(s.cve).second) {
          return InvalidInput(reader.Where(line_no) + s.cve + " appears twice");
        }
        out.scores.push_back(std::move(s));
        return Status::Ok();
      }));
  RETURN_IF_ERROR(reader.Finish(last, out.scores.size()));
  out.model_version = reader.model_version();
  out.score_date = reader.score_date();
  return out;
}

}  // namespace vigil
