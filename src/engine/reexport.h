// Re-exports (docs/lifecycle.md rule 10). A scanner can export one scan many times, filtered
// differently (a Nessus export of only the critical findings). A host pass whose time equals
// the time of a pass the same scanner already made over the same asset, in an earlier scan,
// is a second export of that pass, not a rescan: what it reports is seen, what it leaves out
// was not looked at again, so nothing becomes fixed or absent-unverified because of it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "store/records.h"

namespace vigil {

// What the re-exported passes of one imported report amount to.
struct Reexport {
  int64_t hosts = 0;              // host passes that repeat an earlier scan's pass
  int64_t omitted = 0;            // findings those passes left out that the earlier one reported
  std::vector<int64_t> of_scans;  // the earlier scans, ascending

  // Partial: the export has fewer findings than the pass it repeats (filtered).
  bool partial() const { return omitted > 0; }
  void Add(int64_t scan_id) {
    ++hosts;
    if (std::find(of_scans.begin(), of_scans.end(), scan_id) == of_scans.end()) {
      of_scans.insert(std::upper_bound(of_scans.begin(), of_scans.end(), scan_id), scan_id);
    }
  }
};

// The earlier scan whose pass a pass of scan `scan_id` at `seen` repeats, given the latest
// pass of the same scanner over the same asset; nullopt for a rescan.
inline std::optional<int64_t> ReexportOf(const std::optional<HostScanRecord>& latest,
                                         int64_t scan_id, Timestamp seen) {
  if (latest && latest->scan_id != scan_id && latest->observed_at == seen) {
    return latest->scan_id;
  }
  return std::nullopt;
}

}  // namespace vigil
