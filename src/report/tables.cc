#include "report/tables.h"

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

}  // namespace

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

std::string HtmlSection(const Table& t) {
  std::string out = "<section id=\"" + HtmlEscape(t.name) + "\">\n<h2>" + HtmlEscape(t.title) +
                    "</h2>\n<p>" + HtmlEscape(t.intro) + " (" + std::to_string(t.rows.size()) +
                    (t.rows.size() == 1 ? " row" : " rows") + "; also <a href=\"" +
                    HtmlEscape(t.name) + ".csv\">CSV</a> and <a href=\"" + HtmlEscape(t.name) +
                    ".json\">JSON</a>)</p>\n";
  if (t.rows.empty()) {
    return out + "<p class=\"none\">None in this period.</p>\n</section>\n";
  }
  out += "<table>\n<thead><tr>";
  for (const auto& c : t.columns) {
    out += "<th>" + HtmlEscape(c) + "</th>";
  }
  out += "</tr></thead>\n<tbody>\n";
  for (const auto& row : t.rows) {
    out += "<tr>";
    for (const auto& cell : row) {
      out += "<td>" + HtmlEscape(Text(cell)) + "</td>";
    }
    out += "</tr>\n";
  }
  return out + "</tbody>\n</table>\n</section>\n";
}

std::string Csv(const Table& t) {
  std::string out;
  for (size_t i = 0; i < t.columns.size(); ++i) {
    out += (i ? "," : "") + CsvField(t.columns[i]);
  }
  out += "\r\n";
  for (const auto& row : t.rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      out += (i ? "," : "") + CsvField(Text(row[i]));
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
