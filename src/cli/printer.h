// All command output goes through here: one table of typed cells (app/view.h), rendered as an
// aligned text table, a JSON array of objects (stable snake_case keys), or CSV (RFC 4180; text
// cells that a spreadsheet would run as formulas are neutralised: CsvField).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "app/view.h"
#include "core/status.h"
#include "core/time.h"

namespace vigil::cli {

enum class OutputFormat { kTable, kJson, kCsv };

Result<OutputFormat> ParseOutputFormat(const std::string& name);

using view::Cell;
using view::Column;
using view::Table;
using view::TextCell;
using view::TimeCell;

// Prints all rows. JSON is an array of objects.
void PrintTable(const Table& table, OutputFormat format, std::ostream& out);
// Prints the first row as one JSON object (or a table/CSV of that row).
void PrintObject(const Table& table, OutputFormat format, std::ostream& out);

}  // namespace vigil::cli
