#include "engine/scanner_health.h"

#include <array>
#include <string_view>

namespace vigil {

bool IsStaleAsset(const AssetView& asset, Timestamp now, std::chrono::seconds after) {
  return asset.state == AssetState::kActive && now > asset.last_seen + after;
}

ScannerHealth EvaluateScanner(const ScannerView& scanner,
                              const std::vector<AssetLastScan>& last_scans, Timestamp now) {
  ScannerHealth h;
  if (!scanner.cadence) {
    return h;
  }
  h.cadence_set = true;
  std::chrono::seconds allowed = *scanner.cadence + scanner.grace;
  // Before any scan arrived, the clock runs from the scanner's registration.
  h.due_by = scanner.last_scan.value_or(scanner.created_at) + allowed;
  h.stale = now > *h.due_by;
  if (scanner.kind == "agent") {
    for (const auto& a : last_scans) {
      if (a.state == AssetState::kActive && now > a.last_scanned + allowed) {
        h.silent_agents.push_back(a);
      }
    }
  }
  return h;
}

}  // namespace vigil
