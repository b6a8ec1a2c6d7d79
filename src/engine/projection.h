// The tables as the audit log says they are (docs/audit.md#the-log-is-the-source-of-truth).
// Replaying the events in order rebuilds every row of the logged tables (engine/logged_rows.h):
// each event that changes such a row carries the row as it was written. A log started by an
// older vigil describes the tables only from its last `state.adopted` event, which holds them
// as they were found when the database was upgraded. The state of findings, host scans and
// assets is not rebuilt row by row: the log holds digests of it (engine/state_commitment.h).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "engine/logged_rows.h"
#include "store/records.h"

namespace vigil {

// The version of what events hold that this vigil writes: 2 carries whole rows.
constexpr int kLogFormat = 2;

class Projection {
 public:
  // Applies the next event. An event whose payload lacks what its type promises is an error
  // naming it; types that change no logged table are passed over.
  Status Apply(const EventRecord& e);

  // True when the log describes the tables (a format-2 log, or one adopted since).
  bool describes_tables() const { return since_ > 0; }
  // The first event from which it does.
  int64_t since() const { return since_; }
  bool test_clock() const { return test_clock_; }

  struct Rows {
    std::map<std::string, nlohmann::json> keyed;  // tables with a key
    std::map<std::string, int64_t> keyed_by;      // the event that last wrote each row
    std::vector<nlohmann::json> ordered;          // history tables, in the order written
    std::vector<int64_t> ordered_by;
  };
  const Rows& rows(const LoggedTable& table) const;

  // The configuration in force: {"file", "sha256", "text"}; unset before any was applied.
  const std::optional<nlohmann::json>& config() const { return config_; }
  // The digests the last committing event recorded, and that event's number (0: none).
  const nlohmann::json& state() const { return state_; }
  int64_t state_seq() const { return state_seq_; }
  // What is wrong with the state events themselves: a table an event took as found
  // ("state_adopted") although an earlier event had committed to it.
  const std::vector<std::string>& state_problems() const { return state_problems_; }

 private:
  Status ApplyFormat2(const EventRecord& e, const nlohmann::json& payload);
  Status Adopt(const EventRecord& e, const nlohmann::json& payload);
  Status Put(const LoggedTable& table, const nlohmann::json& row);
  Status Append(const LoggedTable& table, nlohmann::json row);
  void Commit(const EventRecord& e, const nlohmann::json& payload);

  std::map<std::string, Rows> tables_;
  std::optional<nlohmann::json> config_;
  nlohmann::json state_ = nlohmann::json::object();
  int64_t state_seq_ = 0;
  std::map<std::string, int64_t> committed_since_;  // table -> the first event committing to it
  std::vector<std::string> state_problems_;
  int64_t since_ = 0;
  int64_t current_ = 0;  // the event being applied
  bool test_clock_ = false;
};

}  // namespace vigil
