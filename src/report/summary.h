// The one-page summary that opens an evidence pack (docs/report.md): the period; each
// scanner's cadence, kept or missed; open vulnerabilities by class at the start and the end
// and, as a chart, over the period; the compliance clocks met and missed with the worst
// lateness; decisions by type with their four-eyes status; the number of open items. Shown
// first in index.html and written as summary.json.
#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/status.h"
#include "engine/clocks.h"
#include "engine/open_history.h"
#include "engine/scanner_health.h"
#include "report/period.h"
#include "report/tables.h"

namespace vigil {
class Store;
}

namespace vigil::report {

struct ScannerSummary {
  std::string name;
  std::string kind;
  std::optional<std::chrono::seconds> cadence;
  std::chrono::seconds grace{0};
  PeriodCadence period;
};

// The clocks of the pack's clocks table, by their status at the end of the period.
struct ClockSummary {
  int64_t total = 0;
  int64_t met = 0;       // met in time
  int64_t met_late = 0;  // missed: met, but after the due time
  int64_t overdue = 0;   // missed: past due and still not met at the end
  int64_t running = 0;   // not yet due
  // The latest of the missed clocks: met late by, or overdue by at the end of the period.
  std::optional<std::chrono::seconds> worst_late;
  std::string worst_rule;
  std::string worst_vuln;
  bool worst_still_open = false;
};

// The pack's decisions of one type by their four-eyes status at the end of the period.
struct DecisionSummary {
  DecisionType type = DecisionType::kRecast;
  int64_t approved = 0;      // approved by a second person
  int64_t pending = 0;       // awaiting approval
  int64_t rejected = 0;      // rejected by a second person
  int64_t not_required = 0;  // in effect without approval: the policy asks none
  int64_t lapsed = 0;        // expired or replaced before anyone approved it
};

struct PackSummary {
  Period period;
  std::vector<ScannerSummary> scanners;  // every scanner registered or scanning by the end
  OpenByClass open;                      // sampled from the start to the end
  ClockSummary clocks;
  std::vector<DecisionSummary> decisions;  // every decision type, in their order
  int64_t open_items = 0;
  std::vector<std::pair<std::string, int64_t>> open_items_by_kind;  // in order of appearance
};

// The times the chart samples: the start, then every step (hourly for periods under four
// days, else daily, else the shortest of 2 days, a week, 2 or 4 weeks, a quarter or a year that
// keeps it to 400 samples), then the end.
std::vector<Timestamp> SampleTimes(const Period& period);
ClockSummary SummarizeClocks(const std::vector<ComplianceClock>& clocks, const Period& period);
std::vector<DecisionSummary> SummarizeDecisions(const std::vector<DecisionRecord>& decisions,
                                                const Period& period);

// Gathers the summary: `clocks` as judged at the end of the period (the pack's), and
// `open_items` the pack's open-items table.
Result<PackSummary> GatherSummary(Store& store, const Config& config, const Period& period,
                                  const std::vector<ComplianceClock>& clocks,
                                  const Table& open_items);

// A <section id="summary">, every text escaped, with the chart as inline SVG; it ends the
// printed page. SummaryStyle is the style it needs.
// A line per class (the scale's in its colours, most severe first), as inline SVG.
std::string OpenByClassSvg(const OpenByClass& open, const std::string& title, int height);

std::string_view SummaryStyle();
std::string SummaryHtml(const PackSummary& summary);
nlohmann::ordered_json SummaryJson(const PackSummary& summary);

}  // namespace vigil::report
