// Offline enrichment from feed files (the machines that run vigil often have no internet):
// NVD CVE records and FIRST EPSS scores. Each load is one transaction: a bad file leaves the
// database as it was. What changed is recorded as an audit event, and vulnerabilities whose
// CVEs got new NVD scores are reclassified (each class change recorded).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/status.h"
#include "core/time.h"

namespace vigil {

class Store;

struct NvdLoadResult {
  int64_t files = 0;
  int64_t records = 0;  // records read
  int64_t stored = 0;   // new or newer than the stored record
  int64_t older = 0;    // not newer than the stored record: kept as it was
  int reclassified = 0;
  std::vector<std::string> skipped;  // files in a directory that are not NVD documents
};

// Loads NVD CVE API 2.0 response pages and single CVE records, plain or gzip-compressed.
// A directory is read recursively (files ending in .json or .json.gz, in name order).
// Files are read and parsed on a second thread while the first writes.
Result<NvdLoadResult> LoadNvd(Store& store, const std::vector<std::string>& paths,
                              const ClassificationConfig& classification, Timestamp now,
                              const std::string& actor);

struct EpssLoadResult {
  int64_t scores = 0;
  std::string model_version;
  Timestamp score_date{};
};

// Loads one day's EPSS CSV (plain or gzip), replacing the previous day's scores.
Result<EpssLoadResult> LoadEpss(Store& store, const std::string& path, Timestamp now,
                                const std::string& actor);

}  // namespace vigil
