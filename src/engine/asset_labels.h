// Zone, site and owner of each asset (docs/health.md): the expected inventory's entry for the
// asset gives its labels first; the configuration's asset rules fill what is still empty, the
// first matching rule for each label. Computed when asked, never stored, so a changed rule or
// inventory applies to every asset at once.
#pragma once

#include <string>
#include <vector>

#include "core/config.h"
#include "core/inventory.h"
#include "store/queries.h"

namespace vigil {

struct AssetLabels {
  std::string zone;
  std::string site;
  std::string owner;
  const InventoryEntry* expected = nullptr;  // the inventory entry naming the asset, if any
};

// True when the entry names the asset: its name or one of its addresses is the asset's name,
// FQDN or IP (ASCII case ignored).
bool InventoryNames(const InventoryEntry& entry, const AssetView& asset);

// True when the rule matches the asset: one of its networks holds the asset's IP, or one of
// its name patterns matches the asset's name or FQDN.
bool RuleMatches(const AssetRule& rule, const AssetView& asset);

// Labels for every asset, in the same order. `inventory` must outlive the result.
std::vector<AssetLabels> LabelAssets(const std::vector<AssetView>& assets,
                                     const std::vector<InventoryEntry>& inventory,
                                     const std::vector<AssetRule>& rules);

}  // namespace vigil
