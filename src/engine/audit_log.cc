#include "engine/audit_log.h"

#include "audit/audit_event.h"
#include "audit/canonical_json.h"
#include "audit/merkle.h"
#include "core/text.h"
#include "store/store.h"

namespace vigil {
namespace {

constexpr const char* kRangeSetting = "audit.range";
constexpr const char* kLatestSetting = "audit.latest";

bool HasFloat(const nlohmann::json& j) {
  if (j.is_number_float()) {
    return true;
  }
  if (j.is_structured()) {
    for (const auto& item : j) {
      if (HasFloat(item)) {
        return true;
      }
    }
  }
  return false;
}

// "size:hex,hex,..." (largest subtree first)
std::string EncodeRange(const merkle::CompactRange& r) {
  std::vector<std::string> parts;
  for (const auto& h : r.parts()) {
    parts.push_back(merkle::ToHex(h));
  }
  return std::to_string(r.size()) + ":" + Join(parts, ",");
}

// A damaged range is damaged database state (Internal), whichever part of it is wrong.
Result<merkle::CompactRange> DecodeRange(const std::string& text) {
  auto damaged = [&](const std::string& why) {
    return Internal("the stored audit log state (setting " + std::string(kRangeSetting) +
                    ") is damaged: " + why);
  };
  size_t colon = text.find(':');
  if (colon == std::string::npos) {
    return damaged("no size in '" + text.substr(0, 80) + "'");
  }
  auto size = ParseUint64(std::string_view(text).substr(0, colon));
  if (!size.ok()) {
    return damaged("its size " + size.status().message());
  }
  std::vector<merkle::Hash> parts;
  for (const auto& hex : SplitNonEmpty(text.substr(colon + 1), ",")) {
    auto h = merkle::FromHex(hex);
    if (!h.ok()) {
      return damaged(h.status().message());
    }
    parts.push_back(*h);
  }
  auto range = merkle::CompactRange::FromParts(*size, std::move(parts));
  if (!range.ok()) {
    return damaged(range.status().message());
  }
  return range;
}

}  // namespace

nlohmann::json JsonTime(const std::optional<Timestamp>& t) {
  return t ? nlohmann::json(FormatIso8601(*t)) : nlohmann::json();
}

AuditEvent EventOf(const EventRecord& r) {
  return {.seq = r.seq,
          .at = r.at,
          .actor = r.actor,
          .type = r.type,
          .subject = r.subject,
          .payload = r.payload};
}

Result<std::string> CanonicalPayload(const nlohmann::json& payload) {
  if (!payload.is_object()) {
    return Internal("an audit event's payload must be a JSON object");
  }
  if (HasFloat(payload)) {
    return Internal("an audit event's payload must hold integers only (scores as strings)");
  }
  // nlohmann::json keeps object keys in a std::map: sorted by their bytes.
  return payload.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<Timestamp> LatestLoggedTime(Store& store) {
  ASSIGN_OR_RETURN(auto stored, store.GetSetting(kLatestSetting));
  if (stored) {
    auto seconds = ParseInt64(*stored);
    if (!seconds.ok()) {
      return Internal("the stored time of the audit log's latest entry is damaged");
    }
    return FromUnixSeconds(*seconds);
  }
  // A log from before the setting existed: its last event.
  ASSIGN_OR_RETURN(auto last, store.LastEvent());
  return last ? last->at : FromUnixSeconds(0);
}

Status AdvanceLoggedTime(Store& store, Timestamp at) {
  ASSIGN_OR_RETURN(Timestamp latest, LatestLoggedTime(store));
  if (at < latest) {
    return FailedPrecondition(
        "the time of this change, " + FormatIso8601(at) +
        ", is before the latest time the audit log already holds, " + FormatIso8601(latest) +
        ": vigil never records evidence whose time runs backwards (check the system clock)");
  }
  return store.PutSetting(kLatestSetting, std::to_string(ToUnixSeconds(at)));
}

Result<int64_t> AppendEvent(Store& store, Timestamp at, const std::string& actor,
                            const std::string& type, const std::string& subject,
                            const nlohmann::json& payload) {
  RETURN_IF_ERROR(AdvanceLoggedTime(store, at));
  ASSIGN_OR_RETURN(std::string canonical, CanonicalPayload(payload));
  ASSIGN_OR_RETURN(auto stored, store.GetSetting(kRangeSetting));
  merkle::CompactRange range;
  if (stored) {
    ASSIGN_OR_RETURN(range, DecodeRange(*stored));
  }
  // Stored texts are valid UTF-8, so the leaf encoding is the same for whoever recomputes it.
  AuditEvent e{.seq = static_cast<int64_t>(range.size()) + 1,
               .at = at,
               .actor = ValidUtf8(actor),
               .type = ValidUtf8(type),
               .subject = ValidUtf8(subject),
               .payload = std::move(canonical)};
  merkle::Hash leaf = merkle::LeafHash(CanonicalLeaf(e));
  range.Append(leaf);
  RETURN_IF_ERROR(store.InsertEvent({.seq = e.seq,
                                     .at = e.at,
                                     .actor = e.actor,
                                     .type = e.type,
                                     .subject = e.subject,
                                     .payload = e.payload,
                                     .leaf_hash = merkle::ToHex(leaf),
                                     .root_hash = merkle::ToHex(range.Root())}));
  RETURN_IF_ERROR(store.PutSetting(kRangeSetting, EncodeRange(range)));
  return e.seq;
}

}  // namespace vigil
