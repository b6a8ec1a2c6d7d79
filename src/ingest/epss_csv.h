// FIRST's EPSS scores (https://www.first.org/epss/data_stats): the daily CSV
// ("epss_scores-YYYY-MM-DD.csv", gzip accepted by the caller), whose first line names the
// model and the score date ("#model_version:v2025.03.14,score_date:2025-03-14T00:00:00+0000"),
// then "cve,epss,percentile" and a row per CVE. Untrusted input: a malformed row, a CVE twice
// and a file without a score are refused with the line number and nothing is loaded.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cve_record.h"
#include "core/status.h"
#include "core/time.h"

namespace vigil {

struct EpssFile {
  std::string model_version;            // "v2025.03.14"; empty when the file does not say
  std::optional<Timestamp> score_date;  // empty when the file does not say
  std::vector<EpssScore> scores;        // model_version and score_date left empty per row
};

Result<EpssFile> ParseEpssCsv(std::string_view text, const std::string& path);

}  // namespace vigil
