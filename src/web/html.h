// The web UI's HTML (docs/ui.md): escaping, the page around every view, tables from the
// application layer's views and from JSON arrays, forms. Every text that reaches a page goes
// through Escape (scan data is hostile: host names, plugin output, titles); nothing here
// emits a script, a style attribute or an event handler, so the Content-Security-Policy can
// forbid them all.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/view.h"

namespace vigil::web::html {

// The policy every page is served with: nothing but this server's own stylesheet and images;
// no script at all; forms post only here; never framed.
extern const char* const kContentSecurityPolicy;
// The stylesheet (served at /static/vigil.css).
extern const char* const kStylesheet;

std::string Escape(std::string_view text);
// For a path segment or a query value.
std::string UrlEncode(std::string_view text);

// What the page around a view needs: who is signed in (empty on the sign-in pages), their
// role, the session's CSRF token (for the sign-out form), and which menu entry is current.
struct Frame {
  std::string title;
  std::string user;
  std::string role;
  std::string csrf;
  std::string current;  // a path of the menu
};
std::string Page(const Frame& frame, const std::string& body);

// A cell as text ("–" for none).
std::string CellText(const view::Cell& cell);

struct TableOptions {
  std::string caption;
  // Links the values of `link_column` to `link_prefix` + the URL-encoded value.
  std::string link_column;
  std::string link_prefix;
  // Only these columns, in this order (empty: all).
  std::vector<std::string> columns;
  size_t first_row = 0;
  size_t max_rows = static_cast<size_t>(-1);
};
std::string Table(const view::Table& table, const TableOptions& options = {});
// An array of flat objects as a table (the vulnerability detail's ratings, timeline, ...).
std::string JsonTable(const nlohmann::ordered_json& rows, const std::string& caption);

// A hidden input carrying the session's CSRF token.
std::string CsrfField(const std::string& csrf);
// An alert block for a message (role="alert" for errors).
std::string Notice(const std::string& text, bool error);

}  // namespace vigil::web::html
