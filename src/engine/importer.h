// Importing report files: file -> format detection -> parser -> ScanApplier, all files of
// one call in one transaction. A file that fails to parse rolls everything back, so the
// database is exactly as it was.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/class_scale.h"
#include "core/clock.h"
#include "core/config.h"
#include "engine/reexport.h"
#include "ingest/format_detect.h"
#include "store/records.h"

namespace vigil {

class Store;
class ScanApplier;
class StateCommitment;

struct ImportProgress {
  const std::string* file = nullptr;
  uint64_t bytes_read = 0;
  uint64_t total_bytes = 0;
  int64_t hosts = 0;
  int64_t findings = 0;
};

struct ImportOptions {
  std::string scanner;                 // empty: named after the format ("nessus")
  std::optional<ReportFormat> format;  // empty: detected from the content
  std::string user;                    // who imports
  std::string asset;  // non-empty: every host of the report is this asset (--asset)
  std::function<void(const ImportProgress&)> progress;  // called after every host
  // Run in the import's transaction after every file (the notifications the import causes).
  std::function<Status()> before_commit;
};

struct ImportOutcome {
  std::string file;
  std::string scanner;
  std::string format;
  ScanRecord scan;  // the new scan, or the earlier one when already imported
  bool already_imported = false;
  std::vector<std::string> warnings;  // formatted diagnostics, the first 100
  size_t warning_count = 0;
  std::vector<std::string> alarms;  // things a person must look at (reappeared assets)
  std::vector<int64_t> proposals;   // decisions proposed by VEX statements in the report
  int64_t low_qod = 0;              // Greenbone results below the configured QoD (flagged)
  Reexport reexport;  // host passes that repeat an earlier scan's (docs/lifecycle.md rule 10)
};

class Importer {
 public:
  Importer(Store& store, const Clock& clock, const Config& config)
      : store_(store), clock_(clock), config_(config) {}

  // Imports every file in one transaction; on any error nothing is kept.
  Result<std::vector<ImportOutcome>> ImportFiles(const std::vector<std::string>& paths,
                                                 const ImportOptions& options);

 private:
  Result<ImportOutcome> ImportOne(const std::string& path, const ImportOptions& options);
  // The scan.imported event: the scan's row, its scanner's, reactivated assets' and the
  // digests of the state the import leaves.
  Status AppendImportEvent(const ImportOutcome& out, const ScanRecord& scan,
                           const ScanApplier& applier, StateCommitment& state, Timestamp now,
                           const std::string& user);

  Store& store_;
  const Clock& clock_;
  const Config& config_;
};

}  // namespace vigil
