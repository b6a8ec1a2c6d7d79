#include "engine/projection.h"

#include "core/time.h"

namespace vigil {
namespace {

using nlohmann::json;

Status Malformed(const EventRecord& e, const std::string& what) {
  return InvalidInput("event " + std::to_string(e.seq) + " (" + e.type + ") " + what);
}

bool HasObject(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_object();
}

bool HasArray(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_array();
}

std::string Text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

const Projection::Rows& Projection::rows(const LoggedTable& table) const {
  static const Rows kEmpty;
  auto it = tables_.find(table.table);
  return it == tables_.end() ? kEmpty : it->second;
}

Status Projection::Put(const LoggedTable& table, const json& row) {
  if (!row.is_object()) {
    return InvalidInput("a row of " + table.table + " is not an object");
  }
  Rows& rows = tables_[table.table];
  std::string key = RowKey(table, row);
  rows.keyed[key] = row;
  rows.keyed_by[key] = current_;
  return Status::Ok();
}

Status Projection::Append(const LoggedTable& table, json row) {
  if (!row.is_object()) {
    return InvalidInput("a row of " + table.table + " is not an object");
  }
  Rows& rows = tables_[table.table];
  rows.ordered.push_back(std::move(row));
  rows.ordered_by.push_back(current_);
  return Status::Ok();
}

void Projection::Commit(const EventRecord& e, const json& payload) {
  if (!HasObject(payload, "state")) {
    return;
  }
  // A table is taken as found only when no earlier event committed to it (a database older
  // than the table's commitment); otherwise the hash kept of it was removed behind vigil's back.
  auto adopted = payload.find("state_adopted");
  if (adopted != payload.end() && adopted->is_array()) {
    for (const json& table : *adopted) {
      if (!table.is_string()) {
        continue;
      }
      auto since = committed_since_.find(table.get<std::string>());
      if (since != committed_since_.end()) {
        state_problems_.push_back(
            table.get<std::string>() + ": event " + std::to_string(e.seq) +
            " took the rows as found, though event " + std::to_string(since->second) +
            " had committed to them: the state hash vigil keeps was removed behind vigil's back, "
            "and what changed before event " +
            std::to_string(e.seq) + " cannot be detected");
      }
    }
  }
  for (const auto& [table, digest] : payload["state"].items()) {
    committed_since_.emplace(table, e.seq);
  }
  state_ = payload["state"];
  state_seq_ = e.seq;
}

Status Projection::Apply(const EventRecord& e) {
  current_ = e.seq;
  json payload = json::parse(e.payload, nullptr, false);
  if (!payload.is_object()) {
    return Malformed(e, "has a payload that is not a JSON object");
  }
  if (e.type == "audit.key") {
    auto format = payload.find("log_format");
    if (format != payload.end() && format->is_number_integer() &&
        format->get<int>() >= kLogFormat) {
      since_ = e.seq;
    }
    auto clock = payload.find("test_clock");
    test_clock_ = clock != payload.end() && clock->is_boolean() && clock->get<bool>();
    return Status::Ok();
  }
  if (e.type == "state.adopted") {
    return Adopt(e, payload);
  }
  if (since_ == 0) {
    return Status::Ok();  // an older log: nothing to rebuild until it is adopted
  }
  Status s = ApplyFormat2(e, payload);
  return s.ok() ? s : Malformed(e, s.message());
}

Status Projection::Adopt(const EventRecord& e, const json& payload) {
  if (!HasObject(payload, "tables")) {
    return Malformed(e, "holds no tables");
  }
  tables_.clear();
  for (const LoggedTable* t : logged::All()) {
    auto rows = payload["tables"].find(t->table);
    if (rows == payload["tables"].end() && t == &logged::ApiTokens()) {
      continue;  // snapshots written before pipeline tokens existed
    }
    if (rows == payload["tables"].end() || !rows->is_array()) {
      return Malformed(e, "holds no rows of " + t->table);
    }
    for (const auto& row : *rows) {
      Status s = t->key.empty() ? Append(*t, row) : Put(*t, row);
      if (!s.ok()) {
        return Malformed(e, s.message());
      }
    }
  }
  config_.reset();
  if (HasObject(payload, "config")) {
    config_ = payload["config"];
  }
  Commit(e, payload);
  since_ = e.seq;
  return Status::Ok();
}

// NOLINTNEXTLINE(readability-function-size): one short branch per event type, read as a table
Status Projection::ApplyFormat2(const EventRecord& e, const json& payload) {
  const std::string& type = e.type;
  if (type == "config.applied") {
    config_ = json{{"file", Text(payload, "file")},
                   {"sha256", Text(payload, "sha256")},
                   {"text", Text(payload, "text")}};
    return Status::Ok();
  }
  if (type == "scanner.set" || type.rfind("user.", 0) == 0) {
    if (!HasObject(payload, "row")) {
      return InvalidInput("holds no row");
    }
    return Put(type == "scanner.set" ? logged::Scanners() : logged::Users(), payload["row"]);
  }
  if (type.rfind("token.", 0) == 0) {
    if (!HasObject(payload, "row")) {
      return InvalidInput("holds no row");
    }
    return Put(logged::ApiTokens(), payload["row"]);
  }
  if (type == "scan.imported") {
    if (!HasObject(payload, "row")) {
      return InvalidInput("holds no row");
    }
    RETURN_IF_ERROR(Put(logged::Scans(), payload["row"]));
    if (HasObject(payload, "scanner_row")) {
      RETURN_IF_ERROR(Put(logged::Scanners(), payload["scanner_row"]));
    }
    if (HasArray(payload, "asset_rows")) {
      for (const auto& row : payload["asset_rows"]) {
        RETURN_IF_ERROR(Put(logged::AssetStates(), row));
      }
    }
    Commit(e, payload);
    return Status::Ok();
  }
  if (type == "asset.decommissioned") {
    if (!HasObject(payload, "row")) {
      return InvalidInput("holds no row");
    }
    RETURN_IF_ERROR(Put(logged::AssetStates(), payload["row"]));
    Commit(e, payload);
    return Status::Ok();
  }
  if (type.rfind("decision.", 0) == 0) {
    if (!HasObject(payload, "row")) {
      return InvalidInput("holds no row");
    }
    const json& row = payload["row"];
    RETURN_IF_ERROR(Put(logged::Decisions(), row));
    return Append(logged::DecisionEvents(), json{{"decision_id", row.value("id", json())},
                                                 {"at", FormatIso8601(e.at)},
                                                 {"actor", e.actor},
                                                 {"action", type.substr(9)},
                                                 {"note", Text(payload, "note")}});
  }
  if (type == "class.changed") {
    if (!HasObject(payload, "row")) {
      return InvalidInput("holds no row");
    }
    const json& row = payload["row"];
    RETURN_IF_ERROR(Put(logged::VulnClasses(), row));
    if (!HasObject(payload, "change")) {
      return Status::Ok();  // a change of the score alone: no row of the class history
    }
    json change = payload["change"];
    change["vuln_id"] = row.value("id", json());
    change["at"] = FormatIso8601(e.at);
    change["actor"] = e.actor;
    return Append(logged::ClassChanges(), std::move(change));
  }
  if (type == "review.recorded") {
    if (!HasObject(payload, "row") || !HasArray(payload, "items")) {
      return InvalidInput("holds no row and items");
    }
    RETURN_IF_ERROR(Put(logged::Reviews(), payload["row"]));
    for (const auto& item : payload["items"]) {
      RETURN_IF_ERROR(Put(logged::ReviewItems(), item));
    }
    return Status::Ok();
  }
  if (type == "inventory.loaded" || type == "kev.loaded") {
    if (!HasArray(payload, "rows")) {
      return InvalidInput("holds no rows");
    }
    const LoggedTable& t = type == "kev.loaded" ? logged::Kev() : logged::Inventory();
    tables_[t.table] = Rows{};
    for (const auto& row : payload["rows"]) {
      RETURN_IF_ERROR(Put(t, row));
    }
    return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace vigil
