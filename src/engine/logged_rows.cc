#include "engine/logged_rows.h"

#include <charconv>

#include "core/sha256.h"
#include "core/time.h"
#include "store/store.h"

namespace vigil {
namespace {

using nlohmann::json;
using K = ColumnKind;

json TextCell(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::kNull:
      return "";
    case Cell::Kind::kInt:
      return std::to_string(c.i);
    case Cell::Kind::kReal:
      return ScoreText(c.r);
    case Cell::Kind::kText:
      return c.text;
  }
  return "";
}

json IntCell(const Cell& c, bool null_is_zero) {
  switch (c.kind) {
    case Cell::Kind::kNull:
      return null_is_zero ? json(0) : json();
    case Cell::Kind::kInt:
      return c.i;
    default:
      return TextCell(c);  // not an integer: shown as text, so it never matches one
  }
}

json TimeCell(const Cell& c) {
  if (c.kind == Cell::Kind::kInt) {
    return FormatIso8601(FromUnixSeconds(c.i));
  }
  return c.kind == Cell::Kind::kNull ? json()
                                     : json("not a time: " + TextCell(c).get<std::string>());
}

json RealCell(const Cell& c) {
  switch (c.kind) {
    case Cell::Kind::kNull:
      return json();
    case Cell::Kind::kInt:
      return ScoreText(static_cast<double>(c.i));
    case Cell::Kind::kReal:
      return ScoreText(c.r);
    case Cell::Kind::kText:
      return "not a number: " + c.text;
  }
  return json();
}

json CellJson(ColumnKind kind, const Cell& c) {
  switch (kind) {
    case K::kText:
      return TextCell(c);
    case K::kInt:
      return IntCell(c, false);
    case K::kId:
      return IntCell(c, true);
    case K::kTime:
      return TimeCell(c);
    case K::kReal:
      return RealCell(c);
    case K::kTextSha: {
      // An unset secret (no password yet, a used enrolment code) is null.
      std::string text = TextCell(c).get<std::string>();
      return text.empty() ? json() : json(Sha256Hex(text));
    }
  }
  return json();
}

LoggedTable Make(std::string table, std::vector<LoggedColumn> columns, std::vector<std::string> key,
                 std::string order_by = {}) {
  return LoggedTable{.table = std::move(table),
                     .columns = std::move(columns),
                     .key = std::move(key),
                     .order_by = std::move(order_by)};
}

}  // namespace

namespace logged {

const LoggedTable& Decisions() {
  static const LoggedTable t = Make("decisions",
                                    {{"id", K::kInt},
                                     {"vuln_id", K::kInt},
                                     {"type"},
                                     {"reason"},
                                     {"basis"},
                                     {"new_class"},
                                     {"new_score", K::kReal},
                                     {"assets"},
                                     {"port", K::kInt},
                                     {"expires_at", K::kTime},
                                     {"target_at", K::kTime},
                                     {"author"},
                                     {"created_at", K::kTime},
                                     {"state"},
                                     {"decided_by"},
                                     {"decided_at", K::kTime},
                                     {"decided_basis"},
                                     {"effective_at", K::kTime},
                                     {"ended_at", K::kTime},
                                     {"superseded_by", K::kId}},
                                    {"id"});
  return t;
}

const LoggedTable& DecisionEvents() {
  static const LoggedTable t =
      Make("decision_events",
           {{"decision_id", K::kInt}, {"at", K::kTime}, {"actor"}, {"action"}, {"note"}}, {}, "id");
  return t;
}

const LoggedTable& ClassChanges() {
  static const LoggedTable t = Make("class_changes",
                                    {{"vuln_id", K::kInt},
                                     {"at", K::kTime},
                                     {"actor"},
                                     {"from_class"},
                                     {"to_class"},
                                     {"source"},
                                     {"decision_id", K::kId},
                                     {"note"}},
                                    {}, "id");
  return t;
}

const LoggedTable& VulnClasses() {
  static const LoggedTable t = Make("vulnerabilities",
                                    {{"id", K::kInt},
                                     {"key"},
                                     {"class"},
                                     {"class_source"},
                                     {"auto_class"},
                                     {"auto_class_source"},
                                     {"rating_score", K::kReal}},
                                    {"id"});
  return t;
}

const LoggedTable& Users() {
  static const LoggedTable t = Make("users",
                                    {{"name"},
                                     {"role"},
                                     {"created_at", K::kTime},
                                     {"created_by"},
                                     {"token_hash", K::kTextSha},
                                     {"token_issued_by"},
                                     {"role_granted_by"},
                                     {"password_hash", K::kTextSha},
                                     {"password_set_at", K::kTime},
                                     {"enrolment_hash", K::kTextSha},
                                     {"enrolment_expires_at", K::kTime}},
                                    {"name"});
  return t;
}

const LoggedTable& ApiTokens() {
  static const LoggedTable t = Make("api_tokens",
                                    {{"id", K::kInt},
                                     {"user"},
                                     {"label"},
                                     {"scopes"},
                                     {"token_hash", K::kTextSha},
                                     {"created_at", K::kTime},
                                     {"created_by"},
                                     {"expires_at", K::kTime},
                                     {"revoked_at", K::kTime},
                                     {"revoked_by"}},
                                    {"id"});
  return t;
}

const LoggedTable& Scanners() {
  static const LoggedTable t = Make("scanners",
                                    {{"id", K::kInt},
                                     {"name"},
                                     {"kind"},
                                     {"created_at", K::kTime},
                                     {"cadence_seconds", K::kInt},
                                     {"grace_seconds", K::kInt}},
                                    {"name"});
  return t;
}

const LoggedTable& Scans() {
  static const LoggedTable t = Make("scans",
                                    {{"id", K::kInt},
                                     {"scanner_id", K::kInt},
                                     {"digest"},
                                     {"quick_digest"},
                                     {"size", K::kInt},
                                     {"file_name"},
                                     {"format"},
                                     {"report_name"},
                                     {"policy_name"},
                                     {"tool"},
                                     {"started_at", K::kTime},
                                     {"ended_at", K::kTime},
                                     {"imported_at", K::kTime},
                                     {"imported_by"},
                                     {"has_check_set", K::kInt},
                                     {"check_set", K::kTextSha},
                                     {"hosts", K::kInt},
                                     {"findings", K::kInt},
                                     {"vulnerabilities", K::kInt},
                                     {"new_findings", K::kInt},
                                     {"fixed", K::kInt},
                                     {"reopened", K::kInt},
                                     {"unchanged", K::kInt},
                                     {"absent_unverified", K::kInt},
                                     {"stale_hosts", K::kInt},
                                     {"warnings", K::kInt},
                                     {"reappeared", K::kInt}},
                                    {"id"});
  return t;
}

const LoggedTable& AssetStates() {
  static const LoggedTable t = [] {
    LoggedTable a = Make("assets",
                         {{"id", K::kInt},
                          {"state"},
                          {"decommissioned_at", K::kTime},
                          {"decommissioned_by"},
                          {"decommission_reason"},
                          {"reappeared_at", K::kTime}},
                         {"id"});
    a.default_row = json{{"state", "active"},
                         {"decommissioned_at", nullptr},
                         {"decommissioned_by", ""},
                         {"decommission_reason", ""},
                         {"reappeared_at", nullptr}};
    return a;
  }();
  return t;
}

const LoggedTable& Reviews() {
  static const LoggedTable t = Make("reviews",
                                    {{"id", K::kInt},
                                     {"at", K::kTime},
                                     {"recorded_by"},
                                     {"participants"},
                                     {"notes"},
                                     {"covered_since", K::kTime}},
                                    {"id"});
  return t;
}

const LoggedTable& ReviewItems() {
  static const LoggedTable t = Make("review_items", {{"review_id", K::kInt}, {"vuln_id", K::kInt}},
                                    {"review_id", "vuln_id"});
  return t;
}

const LoggedTable& Inventory() {
  static const LoggedTable t = Make("inventory",
                                    {{"name"},
                                     {"addresses"},
                                     {"zone"},
                                     {"site"},
                                     {"owner"},
                                     {"scanners"},
                                     {"loaded_at", K::kTime}},
                                    {"name"});
  return t;
}

const LoggedTable& Kev() {
  static const LoggedTable t = Make("kev",
                                    {{"cve"},
                                     {"name"},
                                     {"date_added", K::kTime},
                                     {"due_date", K::kTime},
                                     {"ransomware"},
                                     {"loaded_at", K::kTime}},
                                    {"cve"});
  return t;
}

const std::vector<const LoggedTable*>& All() {
  static const std::vector<const LoggedTable*> all = {
      &Users(),       &ApiTokens(),    &Scanners(),  &Scans(),          &AssetStates(),
      &VulnClasses(), &ClassChanges(), &Decisions(), &DecisionEvents(), &Reviews(),
      &ReviewItems(), &Inventory(),    &Kev()};
  return all;
}

}  // namespace logged

std::string JsonKey(const LoggedColumn& column) {
  return column.kind == ColumnKind::kTextSha ? column.name + "_sha256" : column.name;
}

json RowJson(const LoggedTable& table, const std::vector<Cell>& cells) {
  json row = json::object();
  size_t first = table.order_by.empty() ? 0 : 1;
  for (size_t i = 0; i < table.columns.size() && first + i < cells.size(); ++i) {
    row[JsonKey(table.columns[i])] = CellJson(table.columns[i].kind, cells[first + i]);
  }
  return row;
}

std::string RowKey(const LoggedTable& table, const json& row) {
  std::string key;
  for (const auto& k : table.key) {
    auto it = row.find(k);
    std::string part = it == row.end()   ? "?"
                       : it->is_string() ? it->get<std::string>()
                                         : it->dump();
    key += (key.empty() ? "" : "/") + part;
  }
  return key;
}

Result<std::vector<json>> RowsOf(Store& store, const LoggedTable& table, const RowFilter& where) {
  std::vector<std::string> names;
  if (!table.order_by.empty()) {
    names.push_back(table.order_by);
  }
  for (const auto& c : table.columns) {
    names.push_back(c.name);
  }
  std::vector<json> rows;
  RETURN_IF_ERROR(store.ForEachRow(table.table, names, where, [&](const std::vector<Cell>& cells) {
    rows.push_back(RowJson(table, cells));
    return Status::Ok();
  }));
  return rows;
}

Result<json> RowOf(Store& store, const LoggedTable& table, const RowFilter& where) {
  ASSIGN_OR_RETURN(auto rows, RowsOf(store, table, where));
  if (rows.size() != 1) {
    return Internal("expected one row of " + table.table + ", found " +
                    std::to_string(rows.size()));
  }
  return std::move(rows.front());
}

std::string ScoreText(double value) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  return ec == std::errc() ? std::string(buf, end) : std::to_string(value);
}

}  // namespace vigil
