#include "engine/scanner_health.h"

#include <algorithm>
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

PeriodCadence JudgeCadence(const ScannerView& scanner, const std::vector<Timestamp>& scan_times,
                           Timestamp from, Timestamp to) {
  PeriodCadence p{.cadence_set = scanner.cadence.has_value()};
  for (Timestamp t : scan_times) {
    p.scans += t >= from && t <= to ? 1 : 0;
  }
  // The moments a gap starts: the registration (when it precedes every scan), then each scan.
  std::vector<Timestamp> starts;
  if (scan_times.empty() || scanner.created_at < scan_times.front()) {
    starts.push_back(scanner.created_at);
  }
  starts.insert(starts.end(), scan_times.begin(), scan_times.end());
  for (size_t i = 0; i < starts.size() && starts[i] <= to; ++i) {
    bool next = i + 1 < starts.size();
    if (next && starts[i + 1] <= from) {
      continue;  // over when the period began
    }
    Timestamp end = next ? std::min(starts[i + 1], to) : to;
    p.judged = true;
    if (!p.gap_start || end - starts[i] > p.longest_gap) {
      p.longest_gap = std::chrono::duration_cast<std::chrono::seconds>(end - starts[i]);
      p.gap_start = starts[i];
      p.gap_end = end;
    }
  }
  p.missed = p.cadence_set && p.judged && p.longest_gap > *scanner.cadence + scanner.grace;
  return p;
}

}  // namespace vigil
