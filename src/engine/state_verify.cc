#include "engine/state_verify.h"

#include "engine/projection.h"
#include "engine/state_commitment.h"
#include "store/store.h"

namespace vigil {
namespace {

using nlohmann::json;

std::string Shown(const json& v) {
  std::string text = v.is_null() ? "null" : v.dump(-1, ' ', false, json::error_handler_t::replace);
  return text.size() > 200 ? text.substr(0, 200) + "..." : text;
}

std::string ByEvent(int64_t seq) {
  return seq > 0 ? " (written by event " + std::to_string(seq) + ")" : "";
}

// The first column whose values differ, as "column C: stored X, logged Y"; empty when none.
std::string FirstDifference(const LoggedTable& table, const json& stored, const json& logged) {
  for (const auto& column : table.columns) {
    std::string key = JsonKey(column);
    json s = stored.contains(key) ? stored[key] : json();
    json l = logged.contains(key) ? logged[key] : json();
    if (s != l) {
      return "column " + key + ": stored " + Shown(s) + ", logged " + Shown(l);
    }
  }
  return {};
}

// A row the log never names, compared with the table's default (its key columns aside).
std::string DefaultDifference(const LoggedTable& table, const json& stored) {
  for (const auto& [key, value] : table.default_row->items()) {
    json s = stored.contains(key) ? stored[key] : json();
    if (s != value) {
      return "column " + key + ": stored " + Shown(s) + ", but the log never changed it from " +
             Shown(value);
    }
  }
  return {};
}

Result<std::string> CompareKeyed(Store& store, const LoggedTable& table,
                                 const Projection::Rows& logged) {
  ASSIGN_OR_RETURN(auto rows, RowsOf(store, table, {}));
  std::map<std::string, json> stored;
  for (auto& row : rows) {
    stored.emplace(RowKey(table, row), std::move(row));
  }
  for (const auto& [key, row] : logged.keyed) {
    int64_t by = logged.keyed_by.at(key);
    auto it = stored.find(key);
    if (it == stored.end()) {
      return table.table + " " + key + " is in the log but not in the table" + ByEvent(by) +
             ": the row was deleted behind vigil's back";
    }
    std::string diff = FirstDifference(table, it->second, row);
    if (!diff.empty()) {
      return table.table + " " + key + ", " + diff + ByEvent(by);
    }
  }
  for (const auto& [key, row] : stored) {
    if (logged.keyed.count(key) != 0) {
      continue;
    }
    if (!table.default_row) {
      return table.table + " " + key +
             " is in the table but in no event: the row was added behind vigil's back";
    }
    std::string diff = DefaultDifference(table, row);
    if (!diff.empty()) {
      return table.table + " " + key + ", " + diff;
    }
  }
  return std::string();
}

Result<std::string> CompareOrdered(Store& store, const LoggedTable& table,
                                   const Projection::Rows& logged) {
  ASSIGN_OR_RETURN(auto rows, RowsOf(store, table, {}));
  size_t n = std::min(rows.size(), logged.ordered.size());
  for (size_t i = 0; i < n; ++i) {
    std::string diff = FirstDifference(table, rows[i], logged.ordered[i]);
    if (!diff.empty()) {
      return table.table + " row " + std::to_string(i + 1) + ", " + diff +
             ByEvent(logged.ordered_by[i]);
    }
  }
  if (rows.size() < logged.ordered.size()) {
    return table.table + " holds " + std::to_string(rows.size()) + " rows but the log " +
           std::to_string(logged.ordered.size()) + ": row " + std::to_string(rows.size() + 1) +
           ByEvent(logged.ordered_by[rows.size()]) + " was deleted behind vigil's back";
  }
  if (rows.size() > logged.ordered.size()) {
    return table.table + " holds " + std::to_string(rows.size()) + " rows but the log " +
           std::to_string(logged.ordered.size()) + ": row " +
           std::to_string(logged.ordered.size() + 1) + " was added behind vigil's back";
  }
  return std::string();
}

Result<std::string> CompareConfig(Store& store, const Projection& log) {
  ASSIGN_OR_RETURN(auto text, store.GetSetting("config.text"));
  ASSIGN_OR_RETURN(auto sha, store.GetSetting("config.sha256"));
  std::string logged_text = log.config() ? log.config()->value("text", "") : "";
  std::string logged_sha = log.config() ? log.config()->value("sha256", "") : "";
  if (text.value_or("") != logged_text || sha.value_or("") != logged_sha) {
    return std::string(
        "the configuration in force is not the one the last config.applied event holds: it was "
        "changed behind vigil's back");
  }
  return std::string();
}

Result<std::vector<std::string>> CompareCommitment(Store& store, const Projection& log) {
  std::vector<std::string> problems;
  ASSIGN_OR_RETURN(StateCommitment now, StateCommitment::Compute(store));
  json digests = now.Digests();
  // Before any event committed to them the tables are empty.
  json expected = log.state_seq() > 0 ? log.state() : StateCommitment().Digests();
  for (const auto& table : CommittedTables()) {
    if (log.state_seq() > 0 && !expected.contains(table.name)) {
      continue;  // a log from before this table's commitment: the next change takes it as found
    }
    json recorded = expected.contains(table.name) ? expected[table.name] : json();
    if (digests[table.name] == recorded) {
      continue;
    }
    problems.push_back(
        table.name + ": the rows do not match the state " +
        (log.state_seq() > 0 ? "event " + std::to_string(log.state_seq()) + " committed to"
                             : std::string("of an empty database, and no event commits to them")) +
        ": a row was changed, added or removed behind vigil's back (the commitment covers " +
        std::to_string(table.columns.size()) + " columns of every row)");
  }
  problems.insert(problems.end(), log.state_problems().begin(), log.state_problems().end());
  return problems;
}

}  // namespace

Result<std::vector<std::string>> CompareTablesWithLog(Store& store, const Projection& log) {
  std::vector<std::string> problems;
  if (!log.describes_tables()) {
    return problems;
  }
  for (const LoggedTable* table : logged::All()) {
    const Projection::Rows& rows = log.rows(*table);
    ASSIGN_OR_RETURN(std::string problem, table->key.empty() ? CompareOrdered(store, *table, rows)
                                                             : CompareKeyed(store, *table, rows));
    if (!problem.empty()) {
      problems.push_back(problem);
    }
  }
  ASSIGN_OR_RETURN(std::string config, CompareConfig(store, log));
  if (!config.empty()) {
    problems.push_back(config);
  }
  ASSIGN_OR_RETURN(auto committed, CompareCommitment(store, log));
  problems.insert(problems.end(), committed.begin(), committed.end());
  return problems;
}

}  // namespace vigil
