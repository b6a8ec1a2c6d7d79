#include "engine/asset_labels.h"

#include <algorithm>

#include "core/glob.h"
#include "core/text.h"

namespace vigil {

bool InventoryNames(const InventoryEntry& entry, const AssetView& asset) {
  std::string name = AsciiLower(entry.name);
  auto listed = [&](const std::string& key) {
    if (key.empty()) {
      return false;
    }
    std::string k = AsciiLower(key);
    return k == name ||
           std::find(entry.addresses.begin(), entry.addresses.end(), k) != entry.addresses.end();
  };
  return listed(asset.name) || listed(asset.fqdn) || listed(asset.ip);
}

bool RuleMatches(const AssetRule& rule, const AssetView& asset) {
  for (const auto& network : rule.networks) {
    if (!asset.ip.empty() && network.Contains(asset.ip)) {
      return true;
    }
  }
  for (const auto& pattern : rule.name_patterns) {
    if ((!asset.name.empty() && GlobMatch(pattern, asset.name)) ||
        (!asset.fqdn.empty() && GlobMatch(pattern, asset.fqdn))) {
      return true;
    }
  }
  return false;
}

std::vector<AssetLabels> LabelAssets(const std::vector<AssetView>& assets,
                                     const std::vector<InventoryEntry>& inventory,
                                     const std::vector<AssetRule>& rules) {
  std::vector<AssetLabels> out(assets.size());
  for (size_t i = 0; i < assets.size(); ++i) {
    AssetLabels& l = out[i];
    for (const auto& e : inventory) {
      if (InventoryNames(e, assets[i])) {
        l.expected = &e;
        l.zone = e.zone;
        l.site = e.site;
        l.owner = e.owner;
        break;
      }
    }
    for (const auto& rule : rules) {
      if (!l.zone.empty() && !l.site.empty() && !l.owner.empty()) {
        break;
      }
      if (!RuleMatches(rule, assets[i])) {
        continue;
      }
      if (l.zone.empty()) {
        l.zone = rule.zone;
      }
      if (l.site.empty()) {
        l.site = rule.site;
      }
      if (l.owner.empty()) {
        l.owner = rule.owner;
      }
    }
  }
  return out;
}

}  // namespace vigil
