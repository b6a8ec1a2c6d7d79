// `vigil check`: everything that needs a person now, as one list. So far: scanners without a
// cadence, stale scanners, silent agents, stale assets, recently reappeared assets, coverage
// gaps, unexpected assets, missed zone scan cadences, unclassified vulnerabilities, compliance
// clocks, decisions awaiting approval or expiring, overdue mitigation plans and reviews
// (docs/health.md).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/status.h"
#include "core/time.h"
#include "engine/clocks.h"

namespace vigil {

class Store;

struct CheckItem {
  std::string kind;  // policy-unset | cadence-unset | stale-scanner | silent-agent | stale-asset |
                     // reappeared-asset | coverage-gap | unexpected-asset |
                     // scan-cadence-missed | unclassified | clock-overdue |
                     // clock-due-soon | clock-missed | approval-overdue |
                     // decision-expiring | plan-overdue | review-overdue |
                     // review-single-person | decision-concentration |
                     // notification-failed
  std::string subject;             // scanner, asset, vulnerability key, or key/decision #N
  std::string detail;              // one sentence for a person
  std::optional<Timestamp> since;  // when the problem began, when known
};

struct CheckOptions {
  // Active assets unseen for longer are stale; reappearances within it are reported.
  std::chrono::seconds window = std::chrono::hours(24 * 30);
  // An expected asset must have been scanned within this (by each expected scanner).
  std::chrono::seconds coverage_window = std::chrono::hours(24 * 90);
};

// The windows of the configuration's [check] table.
CheckOptions CheckOptionsFrom(const Config& config);

// Evaluates every check at `now`, with the configuration's asset rules and zone scan-cadence
// rules. Items are grouped by kind.
Result<std::vector<CheckItem>> RunChecks(Store& store, const Config& config, Timestamp now,
                                         const CheckOptions& options);
// The same, with the compliance clocks at `now` already computed by the caller (the evidence
// pack needs them for its own table; at a million findings they are the costly part).
Result<std::vector<CheckItem>> RunChecks(Store& store, const Config& config, Timestamp now,
                                         const CheckOptions& options,
                                         const std::vector<ComplianceClock>& clocks);

}  // namespace vigil
