// The tables of an evidence pack and their three renderings: an HTML section (every text
// escaped: scan output and decisions are untrusted), CSV (RFC 4180) and JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace vigil::report {

struct Table {
  std::string name;   // file stem: scans, vulnerabilities, decisions, clocks, open-items
  std::string title;  // section heading
  std::string intro;  // one paragraph
  std::vector<std::string> columns;
  std::vector<std::vector<nlohmann::json>> rows;  // strings, integers, null
};

std::string HtmlEscape(const std::string& text);
std::string HtmlSection(const Table& table);
std::string Csv(const Table& table);
nlohmann::ordered_json Json(const Table& table);  // array of objects keyed by column

}  // namespace vigil::report
