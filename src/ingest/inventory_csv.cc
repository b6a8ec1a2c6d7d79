#include "ingest/inventory_csv.h"

#include "core/text.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace vigil {
namespace {

// Splits RFC 4180 records; returns the records with the line each starts on.
Result<std::vector<std::pair<uint64_t, std::vector<std::string>>>> Records(
    const std::string& text, const std::string& source) {
  std::vector<std::pair<uint64_t, std::vector<std::string>>> out;
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  bool any = false;
  uint64_t line = 1;
  uint64_t start = 1;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        line += c == '\n' ? 1 : 0;
        field += c;
      }
    } else if (c == '"' && field.empty()) {
      quoted = true;
      any = true;
    } else if (c == ',') {
      fields.push_back(field);
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
      if (any || !field.empty()) {
        fields.push_back(field);
        out.emplace_back(start, std::move(fields));
      }
      fields.clear();
      field.clear();
      any = false;
      start = ++line;
    } else {
      field += c;
    }
  }
  if (quoted) {
    return InvalidInput(source + ":" + std::to_string(start) +
                        ": a quoted field is not closed before the end of the file");
  }
  if (any || !field.empty()) {
    fields.push_back(field);
    out.emplace_back(start, std::move(fields));
  }
  return out;
}

}  // namespace

Result<std::vector<InventoryEntry>> ParseInventoryCsv(const std::string& text,
                                                      const std::string& source) {
  std::string body = text.substr(0, 3) == "\xEF\xBB\xBF" ? text.substr(3) : text;
  ASSIGN_OR_RETURN(auto records, Records(body, source));
  if (records.empty()) {
    return InvalidInput(source + ":1: empty file: the first line must name the columns");
  }
  std::map<std::string, size_t> column;
  for (size_t i = 0; i < records[0].second.size(); ++i) {
    column[AsciiLower(TrimSpace(records[0].second[i]))] = i;
  }
  if (!column.count("name")) {
    return InvalidInput(source + ":1: no 'name' column (columns: name, addresses, zone, site, " +
                        "owner, scanners)");
  }
  auto get = [&](const std::vector<std::string>& row, const char* name) {
    auto it = column.find(name);
    return it == column.end() || it->second >= row.size() ? std::string()
                                                          : std::string(TrimSpace(row[it->second]));
  };
  std::vector<InventoryEntry> out;
  std::set<std::string> names;
  for (size_t r = 1; r < records.size(); ++r) {
    const auto& [line, row] = records[r];
    if (row.size() > records[0].second.size()) {
      return InvalidInput(source + ":" + std::to_string(line) + ": " + std::to_string(row.size()) +
                          " fields, but the header names " +
                          std::to_string(records[0].second.size()));
    }
    InventoryEntry e{.name = get(row, "name"),
                     .addresses = SplitNonEmpty(AsciiLower(get(row, "addresses")), "; ,\t"),
                     .zone = get(row, "zone"),
                     .site = get(row, "site"),
                     .owner = get(row, "owner"),
                     .scanners = SplitNonEmpty(get(row, "scanners"), "; ,\t"),
                     .line = line};
    if (e.name.empty()) {
      return InvalidInput(source + ":" + std::to_string(line) + ": the name is empty");
    }
    if (!names.insert(AsciiLower(e.name)).second) {
      return InvalidInput(source + ":" + std::to_string(line) + ": '" + e.name +
                          "' is listed twice");
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace vigil
