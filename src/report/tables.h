// The tables of an evidence pack and their three renderings: an HTML section (every text
// escaped: scan output and decisions are untrusted), CSV (RFC 4180, formula-leading
// text neutralised: CsvField) and JSON.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::report {

struct Table {
  std::string name;   // file stem: scans, vulnerabilities, decisions, clocks, open-items
  std::string title;  // section heading
  std::string intro;  // one paragraph
  std::vector<std::string> columns;
  std::vector<std::vector<nlohmann::json>> rows;  // strings, integers, null
};

// At most this many rows of a table go into the HTML page: a browser cannot print tens of
// thousands of rows (Chromium gives up on an 8 MB page of 11,000). The CSV and JSON files
// always hold every row; a cut table says so and names them.
inline constexpr size_t kHtmlRowLimit = 1000;

std::string HtmlEscape(const std::string& text);
// `text` escaped, with each word of fewer than 24 characters that a browser could break inside
// (at a hyphen, a slash: anything but letters and digits) kept whole on its line, except
// between the date and the time of an ISO-8601 time, after a colon between letters ("auto:"
// "scanner-severity"), and in words of 16 characters or more after a hyphen between letters
// ("compensating-" "controls"). Longer words are left to break.
std::string HtmlWords(const std::string& text);
// A <section> with the table's first `max_rows` rows. Cells keep their words whole
// (HtmlWords); a cell with a word of 24 characters or more (a hash, a key, a path) may break
// that word anywhere.
std::string HtmlSection(const Table& table, size_t max_rows = kHtmlRowLimit);
// The style the sections need.
std::string_view TableStyle();
std::string Csv(const Table& table);
nlohmann::ordered_json Json(const Table& table);  // array of objects keyed by column

}  // namespace vigil::report
