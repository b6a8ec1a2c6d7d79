// What the feeds say: the KEV catalog, NVD's CVE records, EPSS scores. Which
// of NVD's scores counts for classification is the engine's rule (engine/nvd_scores.h).
// Part of the Store (store/store.h); its contract on transactions applies.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/cve_record.h"
#include "core/status.h"
#include "store/records.h"

namespace vigil {

class FeedStore {
 public:
  virtual ~FeedStore() = default;

  // The KEV catalog: replaced whole, read whole.
  virtual Status ReplaceKev(const std::vector<KevEntry>& entries, Timestamp at) = 0;
  virtual Result<std::vector<KevEntry>> QueryKev() = 0;

  // NVD records. Stores `record` unless a record of that CVE at least as new is there
  // (lastModified); returns whether it was stored. Its metrics replace the old ones.
  virtual Result<bool> UpsertCve(const CveRecord& record, Timestamp loaded_at) = 0;
  virtual Result<std::optional<CveRecord>> FindCve(const std::string& cve) = 0;
  virtual Result<int64_t> CountCves() = 0;
  // Every CVSS metric stored for `cve` (NVD's and the CNAs'), in no particular order; empty when
  // the CVE has no record.
  virtual Result<std::vector<CvssMetric>> CvssMetricsOf(const std::string& cve) = 0;
  // CvssMetricsOf of each of `cves` at once (an import's new vulnerabilities of one host): the
  // CVEs without a record are absent from the map.
  virtual Result<std::map<std::string, std::vector<CvssMetric>>> CvssMetricsOfEach(
      const std::vector<std::string>& cves) = 0;
  // The ids of the vulnerabilities that name any of `cves` (as key or reference).
  virtual Result<std::vector<int64_t>> VulnerabilitiesWithCves(
      const std::vector<std::string>& cves) = 0;
  // EPSS: the scores of one day replace the previous day's: every score is removed, then the
  // day's are added one at a time (a file of any length is streamed in). AddEpss is false,
  // and adds nothing, when the CVE already has a score.
  virtual Status ClearEpss() = 0;
  virtual Result<bool> AddEpss(const EpssScore& score) = 0;
  virtual Result<std::optional<EpssScore>> FindEpss(const std::string& cve) = 0;
};

}  // namespace vigil
