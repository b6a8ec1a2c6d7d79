// The rows of the evidence pack's decisions and class-history tables, made one way for the
// writer (from the database, which it verified first) and for `verify --bundle` (from the
// pack's own events), so that the verifier can re-derive every row and name one that differs.
#pragma once

#include <map>
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

// What the decisions and class-history tables rest on, gathered from events in order (the
// writer's whole log, or the pack's own events for the verifier): every decision as its
// latest event up to `to` left it, the events each decision rests on, every row of the class
// history up to `to`. A database an older vigil left has its earlier decisions and class
// changes in its state.adopted event.
class PackLog {
 public:
  explicit PackLog(Timestamp to) : to_(to) {}
  // An event that does not hold what its type promises is an error naming it.
  Status Apply(const EventRecord& e);

  std::vector<DecisionRecord> Decisions() const;  // by id, as they stood at `to`
  std::vector<int64_t> EventsOf(int64_t decision_id) const;
  const std::vector<ClassHistoryRow>& ClassRows() const { return class_rows_; }

 private:
  Status Adopt(const EventRecord& e, const nlohmann::json& tables);
  Status Decide(const EventRecord& e, const nlohmann::json& payload);

  Timestamp to_;
  std::map<int64_t, std::string> keys_;  // vulnerability id -> key
  std::map<int64_t, DecisionRecord> decisions_;
  std::map<int64_t, std::vector<int64_t>> events_;
  std::vector<ClassHistoryRow> class_rows_;
};

}  // namespace vigil::report
