#include "engine/zone_cadence.h"

#include <algorithm>

#include "store/store.h"

namespace vigil {

std::vector<std::string> CountingScanners(const ZoneScanRule& rule,
                                          const std::vector<ScannerView>& scanners) {
  std::vector<std::string> out = rule.scanners;
  for (const auto& s : scanners) {
    if (std::find(rule.kinds.begin(), rule.kinds.end(), s.kind) != rule.kinds.end() &&
        std::find(out.begin(), out.end(), s.name) == out.end()) {
      out.push_back(s.name);
    }
  }
  return out;
}

std::vector<ZoneScanStatus> EvaluateZoneCadence(const std::vector<ZoneScanRule>& rules,
                                                const ZoneScanInput& in, Timestamp now) {
  std::vector<ZoneScanStatus> out;
  for (const auto& rule : rules) {
    bool any_scanner = rule.scanners.empty() && rule.kinds.empty();
    std::vector<std::string> counting = CountingScanners(rule, in.scanners);
    std::vector<ZoneScanStatus> statuses;
    for (size_t i = 0; i < in.assets.size(); ++i) {
      const AssetView& a = in.assets[i];
      if (a.state != AssetState::kActive || in.labels[i].zone != rule.zone) {
        continue;
      }
      ZoneScanStatus st{.rule = &rule, .asset = a.name};
      if (any_scanner) {
        st.last_scan = a.last_seen;
      }
      for (const auto& scanner : counting) {
        auto it = in.last_scans.find(scanner);
        if (it == in.last_scans.end()) {
          continue;
        }
        for (const auto& s : it->second) {
          if (s.asset == a.name) {
            st.last_scan = std::max(st.last_scan.value_or(s.last_scanned), s.last_scanned);
          }
        }
      }
      statuses.push_back(std::move(st));
    }
    for (const auto& e : in.inventory) {
      if (e.zone != rule.zone) {
        continue;
      }
      bool scanned = false;
      for (const auto& a : in.assets) {
        scanned = scanned || InventoryNames(e, a);
      }
      if (!scanned) {
        statuses.push_back({.rule = &rule, .asset = e.name});
      }
    }
    for (auto& st : statuses) {
      if (st.last_scan) {
        st.due = *st.last_scan + rule.every;
        st.met = now <= *st.due;
      }
    }
    std::sort(statuses.begin(), statuses.end(),
              [](const ZoneScanStatus& x, const ZoneScanStatus& y) { return x.asset < y.asset; });
    out.insert(out.end(), statuses.begin(), statuses.end());
  }
  return out;
}

Result<std::vector<ZoneScanStatus>> LoadZoneCadence(Store& store, const Config& config,
                                                    Timestamp now) {
  if (config.zone_rules.empty()) {
    return std::vector<ZoneScanStatus>();
  }
  ASSIGN_OR_RETURN(auto scanners, store.QueryScanners());
  ASSIGN_OR_RETURN(auto assets, store.QueryAssets({}));
  ASSIGN_OR_RETURN(auto inventory, store.QueryInventory());
  std::map<std::string, std::vector<AssetLastScan>> last_scans;
  for (const auto& rule : config.zone_rules) {
    for (const auto& name : CountingScanners(rule, scanners)) {
      if (!last_scans.count(name)) {
        ASSIGN_OR_RETURN(last_scans[name], store.LastScansByScanner(name));
      }
    }
  }
  std::vector<AssetLabels> labels = LabelAssets(assets, inventory, config.asset_rules);
  return EvaluateZoneCadence(config.zone_rules,
                             {.assets = assets,
                              .labels = labels,
                              .inventory = inventory,
                              .scanners = scanners,
                              .last_scans = last_scans},
                             now);
}

}  // namespace vigil
