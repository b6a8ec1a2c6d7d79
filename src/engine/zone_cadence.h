// Scan-cadence requirements per zone (docs/health.md), e.g. "every Certificate System asset
// scanned at least every three months" (NCSSR 1.7 4.c, PCI DSS 11.3.1): for each rule of the
// configuration and each asset of its zone, met or missed at "now". A pure function.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/inventory.h"
#include "core/status.h"
#include "engine/asset_labels.h"
#include "store/queries.h"
#include "store/records.h"

namespace vigil {

struct ZoneScanStatus {
  const ZoneScanRule* rule = nullptr;
  std::string asset;                   // the asset, or the inventory entry never scanned
  std::optional<Timestamp> last_scan;  // by a scanner the rule counts; unset: never
  std::optional<Timestamp> due;        // last_scan + every; unset: due already
  bool met = false;                    // now <= due
};

struct ZoneScanInput {
  const std::vector<AssetView>& assets;
  const std::vector<AssetLabels>& labels;  // parallel to assets
  const std::vector<InventoryEntry>& inventory;
  const std::vector<ScannerView>& scanners;
  // Per scanner name, every asset it scanned with its latest scan; needed for the scanners
  // the rules name or whose kind they name.
  const std::map<std::string, std::vector<AssetLastScan>>& last_scans;
};

// The scanners whose passes count for `rule`: those it names, those of the kinds it names;
// empty when any scanner counts.
std::vector<std::string> CountingScanners(const ZoneScanRule& rule,
                                          const std::vector<ScannerView>& scanners);

// One status per rule and active asset of its zone, and one per inventory entry of the zone
// that matches no scanned asset (never scanned: missed). Ordered by rule, then asset.
std::vector<ZoneScanStatus> EvaluateZoneCadence(const std::vector<ZoneScanRule>& rules,
                                                const ZoneScanInput& in, Timestamp now);

class Store;

// Loads what EvaluateZoneCadence needs from the store (scanners, assets, inventory, the passes
// of the counting scanners) and evaluates the configuration's zone rules at `now`. The
// statuses point into `config`, which must outlive them.
Result<std::vector<ZoneScanStatus>> LoadZoneCadence(Store& store, const Config& config,
                                                    Timestamp now);

}  // namespace vigil
