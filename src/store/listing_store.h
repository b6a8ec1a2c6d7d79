// Read models: the listings the front ends page through.
// Part of the Store (store/store.h); its contract on transactions applies.
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "store/queries.h"
#include "store/records.h"

namespace vigil {

class ListingStore {
 public:
  virtual ~ListingStore() = default;

  // Listings.
  virtual Result<std::vector<VulnSummary>> QueryVulnerabilities(const VulnQuery& q) = 0;
  virtual Result<std::vector<FindingView>> QueryFindings(const FindingQuery& q) = 0;
  // In no particular order.
  virtual Result<std::vector<FindingFact>> QueryFindingFacts(const FindingFactQuery& q) = 0;
  virtual Result<std::vector<AssetView>> QueryAssets(const AssetQuery& q) = 0;
  virtual Result<std::vector<ScannerView>> QueryScanners() = 0;
};

}  // namespace vigil
