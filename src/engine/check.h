// `vigil check`: everything that needs a person now, as one list. So far: scanners without a
// cadence, stale scanners, silent agents, stale assets, recently reappeared assets and
// unclassified vulnerabilities (docs/health.md). Deadlines join when the policy exists.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace vigil {

class Store;

struct CheckItem {
  std::string kind;                // cadence-unset | stale-scanner | silent-agent | stale-asset |
                                   // reappeared-asset | coverage-gap | unexpected-asset |
                                   // unclassified
  std::string subject;             // scanner, asset or vulnerability key
  std::string detail;              // one sentence for a person
  std::optional<Timestamp> since;  // when the problem began, when known
};

struct CheckOptions {
  // Active assets unseen for longer are stale; reappearances within it are reported.
  std::chrono::seconds window = std::chrono::hours(24 * 30);
  // An expected asset must have been scanned within this (by each expected scanner).
  std::chrono::seconds coverage_window = std::chrono::hours(24 * 90);
};

// Evaluates every check at `now`. Items are ordered by kind, then subject.
Result<std::vector<CheckItem>> RunChecks(Store& store, Timestamp now, const CheckOptions& options);

}  // namespace vigil
