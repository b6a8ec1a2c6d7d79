// FIRST's EPSS scores (https://www.first.org/epss/data_stats): the daily CSV
// ("epss_scores-YYYY-MM-DD.csv", gzip accepted by the caller), whose first line names the
// model and the score date ("#model_version:v2025.03.14,score_date:2025-03-14T00:00:00+0000"),
// then "cve,epss,percentile" and a row per CVE. Untrusted input: a malformed row, a CVE twice
// and a file without a score are refused with the line number and nothing is loaded.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cve_record.h"
#include "core/status.h"
#include "core/time.h"
#include "ingest/byte_source.h"

namespace vigil {

struct EpssFile {
  std::string model_version;            // "v2025.03.14"; empty when the file does not say
  std::optional<Timestamp> score_date;  // empty when the file does not say
  std::vector<EpssScore> scores;        // model_version and score_date left empty per row
};

// Reads an EPSS file one line at a time, so that a file of any length takes little memory
// (vigil epss import streams the scores into the database; a repeated CVE is found there).
class EpssReader {
 public:
  explicit EpssReader(std::string path) : path_(std::move(path)) {}

  // Line `line_no` (from 1, without its line break); true when it is a score, then in
  // `score` (model version and date left to the caller, from model_version()/score_date()).
  Result<bool> Line(std::string_view line, size_t line_no, EpssScore& score);
  // After the last line: refuses a file without its header or without a score.
  Status Finish(size_t last_line, size_t scores) const;

  const std::string& model_version() const { return file_.model_version; }
  std::optional<Timestamp> score_date() const { return file_.score_date; }
  // "FILE:LINE: ", for messages.
  std::string Where(size_t line_no) const;

 private:
  std::string path_;
  EpssFile file_;  // model version and date only
  bool header_ = false;
};

// The longest line an EPSS file may have: a row is about 40 bytes, the comment about 70.
inline constexpr size_t kMaxEpssLineBytes = 4096;

// Calls `on_line` for every line of `source` (a UTF-8 byte-order mark dropped, "\r\n" read as
// a line break), refusing a line longer than `max_line` bytes with its number.
Status ForEachLine(ByteSource& source, size_t max_line,
                   const std::function<Status(std::string_view line, size_t line_no)>& on_line);

// The whole file at once (tests, fuzzing): also refuses a CVE listed twice.
Result<EpssFile> ParseEpssCsv(std::string_view text, const std::string& path);

}  // namespace vigil
