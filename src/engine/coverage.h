// Coverage against the expected inventory (docs/health.md): expected assets that the scanners
// expected to scan them have not scanned within the window, and scanned assets nobody expected.
// A pure function of the stored facts and "now".
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/inventory.h"
#include "store/queries.h"
#include "store/records.h"

namespace vigil {

struct CoverageGap {
  std::string expected;  // the inventory entry's name
  std::string scanner;   // the scanner that should have scanned it; empty: any scanner
  std::optional<Timestamp> last_scanned;  // unset: never
};

struct Coverage {
  std::vector<CoverageGap> gaps;
  std::vector<std::string> unexpected;  // active scanned assets no entry names
};

// `last_scans` holds, per scanner name, every asset it scanned with its latest scan time.
Coverage EvaluateCoverage(const std::vector<InventoryEntry>& inventory,
                          const std::vector<AssetView>& assets,
                          const std::map<std::string, std::vector<AssetLastScan>>& last_scans,
                          Timestamp now, std::chrono::seconds window);

}  // namespace vigil
