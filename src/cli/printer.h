// All command output goes through here: one table of typed cells, rendered as an aligned
// text table, a JSON array of objects (stable snake_case keys), or CSV (RFC 4180;
// text cells that a spreadsheet would run as formulas are neutralised: CsvField).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace vigil::cli {

enum class OutputFormat { kTable, kJson, kCsv };

Result<OutputFormat> ParseOutputFormat(const std::string& name);

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

// Prints all rows. JSON is an array of objects.
void PrintTable(const Table& table, OutputFormat format, std::ostream& out);
// Prints the first row as one JSON object (or a table/CSV of that row).
void PrintObject(const Table& table, OutputFormat format, std::ostream& out);

}  // namespace vigil::cli
