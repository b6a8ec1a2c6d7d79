#include "web/html.h"

#include <cstdio>

#include "report/tables.h"

namespace vigil::web::html {

const char* const kContentSecurityPolicy =
    "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

const char* const kStylesheet = R"css(
:root { --fg: #1b1f24; --muted: #4b5563; --line: #d0d7de; --bg: #ffffff; --band: #f4f6f8;
        --accent: #0b57d0; --bad: #b42318; --warn: #8a5300; --ok: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
       color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
a:focus, button:focus, input:focus, select:focus, textarea:focus {
  outline: 3px solid #7aa7ff; outline-offset: 1px; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: 1rem;
         padding: .6rem 1rem; background: #16213a; color: #fff; }
header a { color: #fff; text-decoration: none; padding: .2rem .4rem; border-radius: 4px; }
header a[aria-current="page"] { background: #2f4270; text-decoration: underline; }
header .brand { font-weight: 700; font-size: 1.1rem; margin-right: .5rem; }
header nav ul { display: flex; flex-wrap: wrap; gap: .3rem; list-style: none; margin: 0;
                padding: 0; }
header form { margin-left: auto; display: flex; gap: .5rem; align-items: center; }
header button { background: #fff; color: #16213a; }
main { padding: 1rem; max-width: 1400px; }
h1 { font-size: 1.5rem; margin: .3rem 0 1rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; text-align: left;
         vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--band); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(12rem, 1fr));
         gap: .8rem; padding: 0; list-style: none; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .7rem; }
.card .n { font-size: 1.8rem; font-weight: 700; display: block; }
.bad { color: var(--bad); } .warn { color: var(--warn); } .ok { color: var(--ok); }
.notice { border: 1px solid var(--line); border-left: 5px solid var(--accent);
          padding: .5rem .8rem; margin: .5rem 0 1rem; }
.notice.error { border-left-color: var(--bad); }
form.stacked { display: grid; gap: .6rem; max-width: 36rem; }
form.inline { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
label { display: grid; gap: .2rem; font-weight: 600; }
input, select, textarea, button { font: inherit; padding: .35rem .5rem;
                                  border: 1px solid #6b7280; border-radius: 4px; }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.pager { display: flex; gap: 1rem; }
svg text { font: 12px system-ui, sans-serif; fill: #1b1f24; }
@media print {
  header, form, .pager, .noprint { display: none; }
  main { padding: 0; max-width: none; }
  body { font-size: 11px; }
}
)css";

std::string Escape(std::string_view text) {
  return report::HtmlEscape(std::string(text));
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~' || c == ':') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

namespace {

struct MenuEntry {
  const char* path;
  const char* label;
};

constexpr MenuEntry kMenu[] = {
    {"/", "Dashboard"},          {"/vulnerabilities", "Vulnerabilities"},
    {"/approvals", "Approvals"}, {"/assets", "Assets"},
    {"/scanners", "Scanners"},   {"/upload", "Upload"},
    {"/reviews", "Reviews"},     {"/reports", "Reports"},
    {"/audit", "Audit"},         {"/users", "Users"},
};

}  // namespace

std::string Page(const Frame& frame, const std::string& body) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
      "<title>" +
      Escape(frame.title) +
      " · vigil</title><link rel=\"stylesheet\" href=\"/static/vigil.css\"></head><body>"
      "<header><span class=\"brand\">vigil</span>";
  if (!frame.user.empty()) {
    out += "<nav aria-label=\"Main\"><ul>";
    for (const auto& m : kMenu) {
      if (std::string_view(m.path) == "/users" && frame.role != "admin" &&
          frame.role != "auditor") {
        continue;
      }
      if (std::string_view(m.path) == "/upload" && frame.role == "auditor") {
        continue;
      }
      out += "<li><a href=\"" + std::string(m.path) + "\"";
      if (frame.current == m.path) {
        out += " aria-current=\"page\"";
      }
      out += ">" + std::string(m.label) + "</a></li>";
    }
    out += "</ul></nav><form method=\"post\" action=\"/logout\"><span>" + Escape(frame.user) +
           " (" + Escape(frame.role) + ")</span>" + CsrfField(frame.csrf) +
           "<button type=\"submit\">Sign out</button></form>";
  }
  out += "</header><main id=\"main\"><h1>" + Escape(frame.title) + "</h1>" + body +
         "</main></body></html>\n";
  return out;
}

std::string CellText(const view::Cell& cell) {
  struct Visitor {
    std::string operator()(std::nullptr_t) const { return "–"; }
    std::string operator()(bool b) const { return b ? "yes" : "no"; }
    std::string operator()(int64_t i) const { return std::to_string(i); }
    std::string operator()(double d) const {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%g", d);
      return buf;
    }
    std::string operator()(const std::string& s) const { return s.empty() ? "–" : s; }
    std::string operator()(const std::vector<std::string>& v) const {
      std::string out;
      for (const auto& s : v) {
        out += (out.empty() ? "" : ", ") + s;
      }
      return out.empty() ? "–" : out;
    }
  };
  return std::visit(Visitor{}, cell);
}

std::string Table(const view::Table& table, const TableOptions& options) {
  std::vector<size_t> shown;
  if (options.columns.empty()) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      shown.push_back(i);
    }
  } else {
    for (const auto& key : options.columns) {
      for (size_t i = 0; i < table.columns.size(); ++i) {
        if (table.columns[i].key == key) {
          shown.push_back(i);
        }
      }
    }
  }
  std::string out = "<table>";
  if (!options.caption.empty()) {
    out += "<caption>" + Escape(options.caption) + "</caption>";
  }
  out += "<thead><tr>";
  for (size_t i : shown) {
    out += "<th scope=\"col\">" + Escape(table.columns[i].heading) + "</th>";
  }
  out += "</tr></thead><tbody>";
  size_t end = std::min(table.rows.size(),
                        options.first_row + std::min(options.max_rows, table.rows.size()));
  for (size_t r = options.first_row; r < end; ++r) {
    out += "<tr>";
    for (size_t i : shown) {
      std::string text = CellText(table.rows[r][i]);
      if (table.columns[i].key == options.link_column &&
          std::holds_alternative<std::string>(table.rows[r][i])) {
        out += "<td><a href=\"" + Escape(options.link_prefix) +
               Escape(UrlEncode(std::get<std::string>(table.rows[r][i]))) + "\">" + Escape(text) +
               "</a></td>";
      } else {
        out += "<td>" + Escape(text) + "</td>";
      }
    }
    out += "</tr>";
  }
  if (end <= options.first_row) {
    out += "<tr><td colspan=\"" + std::to_string(std::max<size_t>(shown.size(), 1)) +
           "\">None.</td></tr>";
  }
  out += "</tbody></table>";
  return out;
}

std::string JsonTable(const nlohmann::ordered_json& rows, const std::string& caption) {
  std::string out = "<table><caption>" + Escape(caption) + "</caption>";
  if (!rows.is_array() || rows.empty() || !rows[0].is_object()) {
    return out + "<tbody><tr><td>None.</td></tr></tbody></table>";
  }
  out += "<thead><tr>";
  for (const auto& [key, value] : rows[0].items()) {
    out += "<th scope=\"col\">" + Escape(key) + "</th>";
  }
  out += "</tr></thead><tbody>";
  for (const auto& row : rows) {
    out += "<tr>";
    for (const auto& [key, value] : row.items()) {
      std::string text;
      if (value.is_null()) {
        text = "–";
      } else if (value.is_string()) {
        text = value.get<std::string>();
      } else if (value.is_array()) {
        for (const auto& v : value) {
          text +=
              (text.empty() ? "" : ", ") +
              (v.is_string() ? v.get<std::string>()
                             : v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        }
      } else {
        text = value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      }
      out += "<td>" + Escape(text.empty() ? "–" : text) + "</td>";
    }
    out += "</tr>";
  }
  return out + "</tbody></table>";
}

std::string CsrfField(const std::string& csrf) {
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + Escape(csrf) + "\">";
}

std::string Notice(const std::string& text, bool error) {
  return std::string("<div class=\"notice") + (error ? " error\" role=\"alert\"" : "\"") + ">" +
         Escape(text) + "</div>";
}

}  // namespace vigil::web::html
