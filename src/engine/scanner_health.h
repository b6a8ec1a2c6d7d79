// Scanner health (docs/health.md): whether a scanner still delivers, and which agents went
// silent. Pure functions of the stored facts and "now".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/scanner_kind.h"
#include "store/queries.h"
#include "store/records.h"

namespace vigil {

struct ScannerHealth {
  bool cadence_set = false;
  // When the next scan is due at the latest: last scan (or registration, before any scan) +
  // cadence + grace. Unset without a cadence.
  std::optional<Timestamp> due_by;
  bool stale = false;  // now is past due_by
  // For agent scanners: active assets it used to scan whose latest scan by it is older than
  // cadence + grace.
  std::vector<AssetLastScan> silent_agents;
};

ScannerHealth EvaluateScanner(const ScannerView& scanner,
                              const std::vector<AssetLastScan>& last_scans, Timestamp now);

// An active asset no scanner has seen for longer than `after`: a candidate for
// decommissioning.
bool IsStaleAsset(const AssetView& asset, Timestamp now, std::chrono::seconds after);

}  // namespace vigil
