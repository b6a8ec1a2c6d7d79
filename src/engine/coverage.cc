#include "engine/coverage.h"

#include <algorithm>
#include <set>

#include "engine/asset_labels.h"

namespace vigil {

Coverage EvaluateCoverage(const std::vector<InventoryEntry>& inventory,
                          const std::vector<AssetView>& assets,
                          const std::map<std::string, std::vector<AssetLastScan>>& last_scans,
                          Timestamp now, std::chrono::seconds window) {
  Coverage out;
  std::set<std::string> expected_assets;
  for (const auto& e : inventory) {
    std::vector<const AssetView*> matched;
    bool decommissioned = false;
    for (const auto& a : assets) {
      if (InventoryNames(e, a)) {
        expected_assets.insert(a.name);
        if (a.state == AssetState::kDecommissioned) {
          decommissioned = true;
        } else {
          matched.push_back(&a);
        }
      }
    }
    if (matched.empty() && decommissioned) {
      continue;  // out of service: out of coverage
    }
    std::vector<std::string> scanners =
        e.scanners.empty() ? std::vector<std::string>{""} : e.scanners;
    for (const auto& scanner : scanners) {
      std::optional<Timestamp> last;
      for (const AssetView* a : matched) {
        if (scanner.empty()) {
          last = std::max(last.value_or(a->last_seen), a->last_seen);
          continue;
        }
        auto it = last_scans.find(scanner);
        if (it == last_scans.end()) {
          continue;
        }
        for (const auto& s : it->second) {
          if (s.asset == a->name) {
            last = std::max(last.value_or(s.last_scanned), s.last_scanned);
          }
        }
      }
      if (!last || now - *last > window) {
        out.gaps.push_back({e.name, scanner, last});
      }
    }
  }
  if (!inventory.empty()) {
    for (const auto& a : assets) {
      if (a.state == AssetState::kActive && !expected_assets.count(a.name)) {
        out.unexpected.push_back(a.name);
      }
    }
  }
  return out;
}

}  // namespace vigil
