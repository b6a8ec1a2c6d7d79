#include "report/pack_rows.h"

#include <map>

#include "core/text.h"
#include "engine/audit_log.h"

namespace vigil::report {
namespace {

using nlohmann::json;

json TextOrNull(const std::string& s) {
  return s.empty() ? json() : json(s);
}

std::optional<Timestamp> TimeAt(const json& row, const char* key) {
  auto it = row.find(key);
  if (it == row.end() || !it->is_string()) {
    return std::nullopt;
  }
  auto t = ParseIso8601(it->get<std::string>());
  return t.ok() ? std::optional<Timestamp>(*t) : std::nullopt;
}

std::string TextAt(const json& row, const char* key) {
  auto it = row.find(key);
  return it != row.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

const std::vector<std::string>& DecisionColumns() {
  static const std::vector<std::string> kColumns = {
      "id",         "vulnerability", "type",          "reason",       "basis",
      "new_class",  "assets",        "author",        "created_at",   "state",
      "decided_by", "decided_at",    "decided_basis", "effective_at", "expires_at",
      "ended_at"};
  return kColumns;
}

std::vector<json> DecisionRow(const DecisionRecord& d) {
  return {d.id,
          d.vuln_key,
          std::string(ToString(d.type)),
          std::string(ToString(d.reason)),
          d.basis,
          TextOrNull(d.new_class),
          d.assets.empty() ? json("all") : json(d.assets),
          d.author,
          FormatIso8601(d.created_at),
          std::string(ToString(d.state)),
          TextOrNull(d.decided_by),
          JsonTime(d.decided_at),
          TextOrNull(d.decided_basis),
          JsonTime(d.effective_at),
          JsonTime(d.expires_at),
          JsonTime(d.ended_at)};
}

Result<DecisionRecord> DecisionFromLoggedRow(const json& row, const std::string& key) {
  auto id = row.find("id");
  auto created = TimeAt(row, "created_at");
  auto type = ParseDecisionType(TextAt(row, "type"));
  auto reason = ParseReasonCategory(TextAt(row, "reason"));
  auto state = ParseDecisionState(TextAt(row, "state"));
  if (id == row.end() || !id->is_number_integer() || !created || !type || !reason || !state) {
    return InvalidInput("a decision row lacks its id, times, type, reason or state");
  }
  DecisionRecord d{.id = id->get<int64_t>(),
                   .vuln_key = key,
                   .type = *type,
                   .reason = *reason,
                   .basis = TextAt(row, "basis"),
                   .new_class = TextAt(row, "new_class"),
                   .assets = SplitNonEmpty(TextAt(row, "assets"), "\n"),
                   .expires_at = TimeAt(row, "expires_at"),
                   .target_at = TimeAt(row, "target_at"),
                   .author = TextAt(row, "author"),
                   .created_at = *created,
                   .state = *state,
                   .decided_by = TextAt(row, "decided_by"),
                   .decided_at = TimeAt(row, "decided_at"),
                   .decided_basis = TextAt(row, "decided_basis"),
                   .effective_at = TimeAt(row, "effective_at"),
                   .ended_at = TimeAt(row, "ended_at")};
  return d;
}

const std::vector<std::string>& ClassHistoryColumns() {
  static const std::vector<std::string> kColumns = {
      "vulnerability", "at", "actor", "from_class", "to_class", "source", "decision", "note"};
  return kColumns;
}

std::optional<ClassHistoryRow> ClassHistoryRowOf(const EventRecord& e) {
  if (e.type != "class.changed") {
    return std::nullopt;
  }
  json payload = json::parse(e.payload, nullptr, false);
  if (!payload.is_object() || !payload.contains("change") || !payload["change"].is_object()) {
    return std::nullopt;
  }
  const json& change = payload["change"];
  std::string vuln = TextAt(payload, "vulnerability");
  json decision = change.value("decision_id", json(0));
  return ClassHistoryRow{
      .seq = e.seq,
      .vulnerability = vuln,
      .at = e.at,
      .row = {vuln, FormatIso8601(e.at), e.actor, TextOrNull(TextAt(change, "from_class")),
              TextAt(change, "to_class"), TextAt(change, "source"),
              decision.is_number_integer() && decision.get<int64_t>() != 0 ? decision : json(),
              TextAt(change, "note")}};
}

std::vector<ClassHistoryRow> SelectClassHistory(const std::vector<ClassHistoryRow>& rows,
                                                const std::set<std::string>& keys, Timestamp from,
                                                Timestamp to) {
  std::map<std::string, size_t> last_before;
  std::set<size_t> keep;
  for (size_t i = 0; i < rows.size(); ++i) {
    const ClassHistoryRow& r = rows[i];
    if (keys.count(r.vulnerability) == 0 || r.at > to) {
      continue;
    }
    if (r.at < from) {
      last_before[r.vulnerability] = i;
    } else {
      keep.insert(i);
    }
  }
  for (const auto& [key, i] : last_before) {
    keep.insert(i);
  }
  std::vector<ClassHistoryRow> out;
  out.reserve(keep.size());
  for (size_t i : keep) {
    out.push_back(rows[i]);
  }
  return out;
}

Status PackLog::Apply(const EventRecord& e) {
  if (e.at > to_) {
    return Status::Ok();
  }
  bool adopted = e.type == "state.adopted";
  bool decision = e.type.rfind("decision.", 0) == 0;
  if (e.type == "class.changed") {
    if (auto row = ClassHistoryRowOf(e)) {
      class_rows_.push_back(std::move(*row));
    }
  }
  if (!adopted && !decision) {
    return Status::Ok();
  }
  json payload = json::parse(e.payload, nullptr, false);
  if (!payload.is_object()) {
    return InvalidInput("event " + std::to_string(e.seq) + " has no JSON payload");
  }
  if (adopted) {
    auto tables = payload.find("tables");
    return tables != payload.end() && tables->is_object()
               ? Adopt(e, *tables)
               : InvalidInput("event " + std::to_string(e.seq) + " holds no tables");
  }
  return Decide(e, payload);
}

Status PackLog::Decide(const EventRecord& e, const json& payload) {
  auto row = payload.find("row");
  if (row == payload.end()) {
    return Status::Ok();  // an older vigil's event: its decision is in the adoption
  }
  auto d = DecisionFromLoggedRow(*row, TextAt(payload, "vulnerability"));
  if (!d.ok()) {
    return InvalidInput("event " + std::to_string(e.seq) + ": " + d.status().message());
  }
  events_[d->id].push_back(e.seq);
  decisions_[d->id] = std::move(*d);
  return Status::Ok();
}

Status PackLog::Adopt(const EventRecord& e, const json& tables) {
  for (const auto& v : tables.value("vulnerabilities", json::array())) {
    if (v.is_object() && v.value("id", json()).is_number_integer()) {
      keys_[v["id"].get<int64_t>()] = TextAt(v, "key");
    }
  }
  for (const auto& row : tables.value("decisions", json::array())) {
    auto vuln = row.is_object() ? row.value("vuln_id", json()) : json();
    std::string key = vuln.is_number_integer() ? keys_[vuln.get<int64_t>()] : "";
    auto d = DecisionFromLoggedRow(row, key);
    if (!d.ok()) {
      return InvalidInput("event " + std::to_string(e.seq) + ": " + d.status().message());
    }
    events_[d->id] = {e.seq};
    decisions_[d->id] = std::move(*d);
  }
  for (const auto& row : tables.value("class_changes", json::array())) {
    auto vuln = row.is_object() ? row.value("vuln_id", json()) : json();
    auto at = TimeAt(row, "at");
    if (!vuln.is_number_integer() || !at) {
      continue;
    }
    std::string key = keys_[vuln.get<int64_t>()];
    json decision = row.value("decision_id", json(0));
    class_rows_.push_back(ClassHistoryRow{
        .seq = e.seq,
        .vulnerability = key,
        .at = *at,
        .row = {key, FormatIso8601(*at), TextAt(row, "actor"),
                TextOrNull(TextAt(row, "from_class")), TextAt(row, "to_class"),
                TextAt(row, "source"),
                decision.is_number_integer() && decision.get<int64_t>() != 0 ? decision : json(),
                TextAt(row, "note")}});
  }
  return Status::Ok();
}

std::vector<DecisionRecord> PackLog::Decisions() const {
  std::vector<DecisionRecord> out;
  for (const auto& [id, d] : decisions_) {
    out.push_back(d);
  }
  return out;
}

std::vector<int64_t> PackLog::EventsOf(int64_t decision_id) const {
  auto it = events_.find(decision_id);
  return it == events_.end() ? std::vector<int64_t>() : it->second;
}

}  // namespace vigil::report
