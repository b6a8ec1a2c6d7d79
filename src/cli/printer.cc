#include "cli/printer.h"

#include "core/text.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

namespace vigil::cli {
namespace {

std::string ToText(const Cell& cell, const char* list_separator, const char* null_text) {
  return std::visit(
      [&](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) {
          return null_text;
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "yes" : "no";
        } else if constexpr (std::is_same_v<T, int64_t>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<T, double>) {
          std::ostringstream s;
          s << v;
          return s.str();
        } else if constexpr (std::is_same_v<T, std::string>) {
          return v;
        } else {
          std::string out;
          for (const auto& item : v) {
            out += (out.empty() ? "" : list_separator) + item;
          }
          return out;
        }
      },
      cell);
}

// Integers and scores are numbers vigil formats itself; everything else is text.
CsvCell CsvKind(const Cell& cell) {
  bool number = std::holds_alternative<int64_t>(cell) || std::holds_alternative<double>(cell);
  return number ? CsvCell::kNumber : CsvCell::kText;
}

// Display width of UTF-8 text: one column per code point (good enough for Latin text).
size_t Width(const std::string& s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string Truncate(const std::string& s, size_t max) {
  if (max == 0 || Width(s) <= max) {
    return s;
  }
  size_t cols = 0;
  size_t i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80 && ++cols > max - 1) {
      break;
    }
  }
  return s.substr(0, i) + "…";
}

// Control characters from scan text would garble a terminal.
std::string Printable(std::string s) {
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      c = ' ';
    }
  }
  return s;
}

void PrintText(const Table& t, std::ostream& out) {
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> widths;
  for (const auto& c : t.columns) {
    widths.push_back(Width(c.heading));
  }
  for (const auto& row : t.rows) {
    std::vector<std::string> line;
    for (size_t i = 0; i < row.size(); ++i) {
      line.push_back(Truncate(Printable(ToText(row[i], ", ", "-")), t.columns[i].max_width));
      widths[i] = std::max(widths[i], Width(line.back()));
    }
    cells.push_back(std::move(line));
  }
  auto print_line = [&](const std::vector<std::string>& line) {
    std::string text;
    for (size_t i = 0; i < line.size(); ++i) {
      text += line[i];
      if (i + 1 < line.size()) {
        text += std::string(widths[i] - Width(line[i]) + 2, ' ');
      }
    }
    out << text << '\n';
  };
  std::vector<std::string> headings;
  for (const auto& c : t.columns) {
    headings.push_back(c.heading);
  }
  print_line(headings);
  for (const auto& line : cells) {
    print_line(line);
  }
}

}  // namespace

Result<OutputFormat> ParseOutputFormat(const std::string& name) {
  if (name == "table") {
    return OutputFormat::kTable;
  }
  if (name == "json") {
    return OutputFormat::kJson;
  }
  if (name == "csv") {
    return OutputFormat::kCsv;
  }
  return UsageError("--format must be table, json or csv, not '" + name + "'");
}

void PrintTable(const Table& t, OutputFormat format, std::ostream& out) {
  switch (format) {
    case OutputFormat::kJson: {
      nlohmann::ordered_json array = view::ToJson(t);
      out << array.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
      break;
    }
    case OutputFormat::kCsv: {
      std::string line;
      for (const auto& c : t.columns) {
        line += (line.empty() ? "" : ",") + CsvField(c.key);
      }
      out << line << "\r\n";
      for (const auto& row : t.rows) {
        line.clear();
        for (size_t i = 0; i < row.size(); ++i) {
          line += (i == 0 ? "" : ",") + CsvField(ToText(row[i], ";", ""), CsvKind(row[i]));
        }
        out << line << "\r\n";
      }
      break;
    }
    case OutputFormat::kTable:
      PrintText(t, out);
      break;
  }
}

void PrintObject(const Table& t, OutputFormat format, std::ostream& out) {
  if (format != OutputFormat::kJson || t.rows.empty()) {
    PrintTable(t, format, out);
    return;
  }
  nlohmann::ordered_json obj = view::RowToJson(t, 0);
  out << obj.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
}

}  // namespace vigil::cli
