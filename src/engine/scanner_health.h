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

// How a scanner kept its cadence over a period [from, to] (the evidence pack's summary): the
// same rule as `stale`, applied at every moment of the period. At each moment the scanner is
// judged against its latest scan before it (end time, else start time; before any scan, its
// registration), so a gap that began before the period counts, and the gap still open at `to`
// counts up to `to`.
struct PeriodCadence {
  bool cadence_set = false;
  bool judged = false;  // registered (or scanning) by `to`; false: nothing to judge
  int64_t scans = 0;    // scans whose time lies in [from, to]
  // The longest time the scanner went without a scan at any moment of the period, and when
  // that gap began and ended (its end is `to` when it was still open then).
  std::chrono::seconds longest_gap{0};
  std::optional<Timestamp> gap_start;
  std::optional<Timestamp> gap_end;
  bool missed = false;  // longest_gap > cadence + grace (strictly, as `stale`)
};

// `scan_times` as Store::ScanTimes gives them (oldest first).
PeriodCadence JudgeCadence(const ScannerView& scanner, const std::vector<Timestamp>& scan_times,
                           Timestamp from, Timestamp to);

// An active asset no scanner has seen for longer than `after`: a candidate for
// decommissioning.
bool IsStaleAsset(const AssetView& asset, Timestamp now, std::chrono::seconds after);

}  // namespace vigil
