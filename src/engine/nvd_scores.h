// Which of NVD's scores classification may use (the engine's rule, not the store's).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/cve_record.h"
#include "core/status.h"
#include "store/feed_store.h"

namespace vigil {

// One CVE's score per CVSS version: NVD's own (Primary) where it has one, else the highest
// a CNA published (Secondary). Versions other than 2.0, 3.0, 3.1 and 4.0 are left out.
NvdScores ScoresOfCve(const std::vector<CvssMetric>& metrics);

// A vulnerability's NVD scores: per version, the highest over its CVEs of ScoresOfCve.
Result<NvdScores> NvdScoresOf(FeedStore& store, const std::vector<std::string>& cves);
// The same from metrics read already (FeedStore::CvssMetricsOfEach of at least `cves`).
NvdScores NvdScoresFrom(const std::map<std::string, std::vector<CvssMetric>>& metrics,
                        const std::vector<std::string>& cves);

}  // namespace vigil
