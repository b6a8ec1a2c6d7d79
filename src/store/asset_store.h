// Assets as the scans found them, and the expected inventory. Which findings
// decommissioning an asset makes inactive, and what becomes of them when it reappears, are the
// engine's rules (FindingStore::SetFindingStates).
// Part of the Store (store/store.h); its contract on transactions applies.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/inventory.h"
#include "core/status.h"
#include "store/records.h"

namespace vigil {

class AssetStore {
 public:
  virtual ~AssetStore() = default;

  // Assets. Candidates are every asset sharing the agent id, the FQDN or the IP.
  virtual Result<std::vector<AssetRecord>> FindAssetCandidates(const std::string& agent_id,
                                                               const std::string& fqdn,
                                                               const std::string& ip,
                                                               const std::string& name) = 0;
  virtual Result<int64_t> InsertAsset(const AssetRecord& asset) = 0;
  virtual Status UpdateAsset(const AssetRecord& asset) = 0;
  // Assets whose name, FQDN or IP is `key`.
  virtual Result<std::vector<AssetRecord>> FindAssets(const std::string& key) = 0;
  // Marks the asset decommissioned (who, when, why); its findings are left as they are.
  virtual Status DecommissionAsset(int64_t asset_id, Timestamp at, const std::string& by,
                                   const std::string& reason) = 0;
  // A decommissioned asset showed up in a scan: active again, the reappearance recorded.
  // (What becomes of its inactive findings is the engine's rule.)
  virtual Status ReactivateAsset(int64_t asset_id, Timestamp at) = 0;

  // The expected inventory: replaced whole, read whole.
  virtual Status ReplaceInventory(const std::vector<InventoryEntry>& entries, Timestamp at) = 0;
  virtual Result<std::vector<InventoryEntry>> QueryInventory() = 0;
};

}  // namespace vigil
