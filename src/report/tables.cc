#include "report/tables.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"

namespace vigil::report {
namespace {

// A cell as text: a list (CVEs, assets) as its items separated by "; " (nothing when empty),
// for people and spreadsheets; the JSON rendering keeps the list.
std::string Text(const nlohmann::json& v) {
  if (v.is_null()) {
    return "";
  }
  if (v.is_string()) {
    return v.get<std::string>();
  }
  if (v.is_array()) {
    std::string out;
    for (const auto& item : v) {
      out += (out.empty() ? "" : "; ") + Text(item);
    }
    return out;
  }
  return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

// Whether `text` has a run of this many characters with no space in it.
constexpr size_t kLongToken = 24;
bool HasLongToken(const std::string& text) {
  size_t run = 0;
  for (char c : text) {
    run = IsSpace(c) ? 0 : run + 1;
    if (run >= kLongToken) {
      return true;
    }
  }
  return false;
}

bool IsAlpha(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) != 0;
}

// Compound words this long may break at a hyphen between letters.
constexpr size_t kLongCompound = 16;

// A word kept whole on its line, except where it joins two parts: between the date and the
// time of an ISO-8601 time ("2026-03-01" "T12:00:00Z"), after a colon between letters
// ("auto:" "scanner-severity"), and in a long compound after a hyphen between letters
// ("compensating-" "controls").
std::string Unbroken(const std::string& word) {
  std::string out = "<span class=\"w\">";
  for (size_t k = 0; k < word.size(); ++k) {
    bool date_time = k == 10 && word[k] == 'T' && word[4] == '-' && word[7] == '-';
    if (date_time) {
      out += "</span><wbr><span class=\"w\">";
    }
    out += HtmlEscape(word.substr(k, 1));
    bool joint = k > 0 && k + 1 < word.size() && IsAlpha(word[k - 1]) && IsAlpha(word[k + 1]) &&
                 (word[k] == ':' || (word[k] == '-' && word.size() >= kLongCompound));
    if (joint) {
      out += "</span><wbr><span class=\"w\">";
    }
  }
  return out + "</span>";
}

}  // namespace

std::string HtmlWords(const std::string& text) {
  std::string out;
  for (size_t i = 0, j = 0; i < text.size(); i = j) {
    bool space = IsSpace(text[i]);
    for (j = i; j < text.size() && IsSpace(text[j]) == space; ++j) {
    }
    std::string word = text.substr(i, j - i);
    bool plain = std::all_of(word.begin(), word.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) != 0;
    });
    out += space || plain || word.size() >= kLongToken ? HtmlEscape(word) : Unbroken(word);
  }
  return out;
}

namespace {

std::string Cell(const nlohmann::json& v) {
  std::string text = Text(v);
  return (HasLongToken(text) ? "<td class=\"x\">" : "<td>") + HtmlWords(text) + "</td>";
}

// A column name that may break after its underscores ("open_findings").
std::string Heading(const std::string& column) {
  std::string out;
  for (char c : HtmlEscape(column)) {
    out += c;
    if (c == '_') {
      out += "<wbr>";
    }
  }
  return out;
}

}  // namespace

std::string_view TableStyle() {
  return "table{border-collapse:collapse;width:100%;margin-bottom:1em}"
         "th,td{border:1px solid #999;padding:1px 3px;text-align:left;vertical-align:top}"
         "th{background:#eee}td.x{overflow-wrap:anywhere}td:first-child:not(.x){white-space:nowrap}"
         ".w{white-space:nowrap}.none{color:#666}.cut{font-style:italic}"
         // Printed, a table of a dozen columns needs the width of A4 landscape.
         "@page wide{size:A4 landscape}section.table{page:wide}"
         "@media print{tr{break-inside:avoid}section.table table{font-size:7.5pt}}";
}

std::string HtmlEscape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string HtmlSection(const Table& t, size_t max_rows) {
  std::string out = "<section class=\"table\" id=\"" + HtmlEscape(t.name) + "\">\n<h2>" +
                    HtmlEscape(t.title) + "</h2>\n<p>" + HtmlEscape(t.intro) + " (" +
                    std::to_string(t.rows.size()) + (t.rows.size() == 1 ? " row" : " rows") +
                    "; also <a href=\"" + HtmlEscape(t.name) + ".csv\">CSV</a> and <a href=\"" +
                    HtmlEscape(t.name) + ".json\">JSON</a>)</p>\n";
  if (t.rows.empty()) {
    return out + "<p class=\"none\">None in this period.</p>\n</section>\n";
  }
  out += "<table>\n<thead><tr>";
  for (const auto& c : t.columns) {
    out += "<th>" + Heading(c) + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  size_t shown = std::min(t.rows.size(), max_rows);
  for (size_t r = 0; r < shown; ++r) {
    out += "<tr>";
    for (const auto& cell : t.rows[r]) {
      out += Cell(cell);
    }
    out += "</tr>\n";
  }
  out += "</tbody>\n</table>\n";
  if (shown < t.rows.size()) {
    out += "<p class=\"cut\">This page shows the first " + std::to_string(shown) + " of " +
           std::to_string(t.rows.size()) +
           " rows. The complete table, which is the evidence, "
           "is in <a href=\"" +
           HtmlEscape(t.name) + ".csv\">" + HtmlEscape(t.name) + ".csv</a> and <a href=\"" +
           HtmlEscape(t.name) + ".json\">" + HtmlEscape(t.name) + ".json</a>.</p>\n";
  }
  return out + "</section>\n";
}

std::string Csv(const Table& t) {
  std::string out;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    out += (i ? "," : "") + CsvField(t.columns[i]);
  }
  out += "\r\n";
  for (const auto& row : t.rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      CsvCell cell = row[i].is_number() ? CsvCell::kNumber : CsvCell::kText;
      out += (i ? "," : "") + CsvField(Text(row[i]), cell);
    }
    out += "\r\n";
  }
  return out;
}

nlohmann::ordered_json Json(const Table& t) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& row : t.rows) {
    nlohmann::ordered_json obj;
    for (size_t i = 0; i < t.columns.size() && i < row.size(); ++i) {
      obj[t.columns[i]] = row[i];
    }
    out.push_back(obj);
  }
  return out;
}

}  // namespace vigil::report
