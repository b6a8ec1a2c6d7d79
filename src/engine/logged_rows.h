// The rows the audit log carries (docs/audit.md#the-log-is-the-source-of-truth): for every
// table whose rows a person's action or an import sets, which columns the log records and how
// a value is written in JSON. A writer reads the row it just wrote (RowOf) into its event, so
// the event holds exactly what the database held; verification reads the table the same way
// and compares. Both sides go through one conversion, whatever the backend stores.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/records.h"

namespace vigil {

class Store;

enum class ColumnKind {
  kText,     // text; NULL reads as ""
  kInt,      // integer or null
  kId,       // a reference; NULL reads as 0
  kTime,     // Unix seconds, written as ISO-8601; null when unset
  kReal,     // a score, written as its shortest decimal text; null when unset
  kTextSha,  // a secret's stored form, written as its SHA-256 (key "<name>_sha256")
};

struct LoggedColumn {
  std::string name;
  ColumnKind kind = ColumnKind::kText;
};

struct LoggedTable {
  std::string table;
  std::vector<LoggedColumn> columns;
  // The key of a row: the values of these columns joined with '/'; none: rows are compared
  // in order (history tables, whose rows are only ever appended).
  std::vector<std::string> key;
  // A row the log never mentions must equal this (e.g. an asset nobody decommissioned);
  // unset: such a row is an extra row.
  std::optional<nlohmann::json> default_row;
  // Columns read only to order the rows, not compared (the history tables' ids).
  std::string order_by;
};

namespace logged {
const LoggedTable& Decisions();
const LoggedTable& DecisionEvents();
const LoggedTable& ClassChanges();
const LoggedTable& VulnClasses();
const LoggedTable& Users();
const LoggedTable& ApiTokens();
const LoggedTable& Scanners();
const LoggedTable& Scans();
const LoggedTable& AssetStates();
const LoggedTable& Reviews();
const LoggedTable& ReviewItems();
const LoggedTable& Inventory();
const LoggedTable& Kev();
// Every table above, in the order verification reports them.
const std::vector<const LoggedTable*>& All();
}  // namespace logged

// The JSON key of a column (a secret's column gets "_sha256").
std::string JsonKey(const LoggedColumn& column);

// A row of cells (in the table's column order, after `order_by` when set) as JSON.
nlohmann::json RowJson(const LoggedTable& table, const std::vector<Cell>& cells);

// The key of a row as JSON.
std::string RowKey(const LoggedTable& table, const nlohmann::json& row);

// The rows of `table` matching `where`, as JSON, ordered by the table's first column.
Result<std::vector<nlohmann::json>> RowsOf(Store& store, const LoggedTable& table,
                                           const RowFilter& where);
// The one row matching `where`; an error when there is none.
Result<nlohmann::json> RowOf(Store& store, const LoggedTable& table, const RowFilter& where);

// The shortest decimal text that reads back as `value` ("7.5", "9.8").
std::string ScoreText(double value);

}  // namespace vigil
