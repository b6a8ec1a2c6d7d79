#include "app/view.h"

namespace vigil::view {

Cell TimeCell(const std::optional<Timestamp>& t) {
  if (!t) {
    return nullptr;
  }
  return FormatIso8601(*t);
}

Cell TextCell(const std::string& s) {
  if (s.empty()) {
    return nullptr;
  }
  return s;
}

nlohmann::ordered_json ToJson(const Cell& cell) {
  return std::visit(
      [](const auto& v) -> nlohmann::ordered_json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::nullptr_t>) {
          return nullptr;
        } else {
          return v;
        }
      },
      cell);
}

nlohmann::ordered_json RowToJson(const Table& table, size_t row) {
  nlohmann::ordered_json obj = nlohmann::ordered_json::object();
  const auto& cells = table.rows[row];
  for (size_t i = 0; i < cells.size(); ++i) {
    obj[table.columns[i].key] = ToJson(cells[i]);
  }
  return obj;
}

nlohmann::ordered_json ToJson(const Table& table) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (size_t i = 0; i < table.rows.size(); ++i) {
    array.push_back(RowToJson(table, i));
  }
  return array;
}

}  // namespace vigil::view
