// The read model every listing returns: one table of typed cells with stable snake_case keys.
// The application layer builds it once; each front end renders it its own way — the CLI as
// an aligned text table, CSV or JSON (cli/printer.h), the API as JSON. Both JSON forms are
// ToJson's, so `vigil vulns --format json` and GET /api/v1/vulnerabilities agree by
// construction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace vigil::view {

using Cell =
    std::variant<std::nullptr_t, bool, int64_t, double, std::string, std::vector<std::string>>;

Cell TimeCell(const std::optional<Timestamp>& t);
Cell TextCell(const std::string& s);  // empty text is null

struct Column {
  std::string key;       // JSON/CSV name, snake_case
  std::string heading;   // table heading
  size_t max_width = 0;  // table mode truncates longer text; 0 = no limit
};

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
};

nlohmann::ordered_json ToJson(const Cell& cell);
// One row as an object keyed by the columns' keys.
nlohmann::ordered_json RowToJson(const Table& table, size_t row);
// Every row: an array of objects.
nlohmann::ordered_json ToJson(const Table& table);

}  // namespace vigil::view
