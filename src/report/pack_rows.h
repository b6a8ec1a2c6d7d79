// The rows of the evidence pack's decisions and class-history tables, made one way for the
// writer (from the database, which it verified first) and for `verify --bundle` (from the
// pack's own events), so that the verifier can re-derive every row and name one that differs.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/records.h"

namespace vigil::report {

// The decisions table: every decision made, decided or in effect in the period, as a read at
// the period's end sees it.
// (Which decisions belong to the period: DecisionInPeriod of report/period.h.)
const std::vector<std::string>& DecisionColumns();
std::vector<nlohmann::json> DecisionRow(const DecisionRecord& d);

// A decision as the row its latest event carries (engine/logged_rows.h) and the key of its
// vulnerability.
Result<DecisionRecord> DecisionFromLoggedRow(const nlohmann::json& row, const std::string& key);

// The class-history table: for each vulnerability of the register, every change of its class
// in the period and the last one before it (how the class in force at the start was set).
const std::vector<std::string>& ClassHistoryColumns();

// One row of the class history, from its class.changed event; nullopt for an event that
// changed a score only (no row of the history).
struct ClassHistoryRow {
  int64_t seq = 0;  // the event
  std::string vulnerability;
  Timestamp at{};
  std::vector<nlohmann::json> row;  // in ClassHistoryColumns() order
};
std::optional<ClassHistoryRow> ClassHistoryRowOf(const EventRecord& e);

// The rows the table keeps, in event order: `rows` is every class.changed row up to the
// period's end, in event order; `keys` the vulnerabilities of the register.
std::vector<ClassHistoryRow> SelectClassHistory(const std::vector<ClassHistoryRow>& rows,
                                                const std::set<std::string>& keys, Timestamp from,
                                                Timestamp to);

}  // namespace vigil::report
