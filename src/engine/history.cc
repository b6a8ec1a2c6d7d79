#include "engine/history.h"

#include <algorithm>

#include "core/text.h"
#include "engine/decisions.h"
#include "store/store.h"

namespace vigil {

namespace {

// Decisions whose expiry passed since the last write: a read shows them lapsed (and a class
// they set back at the derived one), as the next write will record them.
Status ReadTimeLapses(Store& store, const std::string& key, Timestamp now,
                      VulnerabilityHistory& h) {
  ASSIGN_OR_RETURN(
      auto stored,
      store.QueryDecisions(
          {.vuln_key = key, .states = {DecisionState::kApproved, DecisionState::kPending}}));
  for (const auto& d : stored) {
    if (!d.expires_at || *d.expires_at > now) {
      continue;
    }
    h.timeline.push_back({*d.expires_at, "", "decision",
                          "decision #" + std::to_string(d.id) + " " +
                              std::string(ToString(d.type)) +
                              " expired (recorded as lapsed by the next change)"});
    if (d.state == DecisionState::kApproved && ChangesClass(d.type) &&
        h.stamp.cls.class_source == "manual") {
      h.stamp.cls.class_name = h.stamp.cls.auto_class;
      h.stamp.cls.class_source = h.stamp.cls.auto_source;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<VulnerabilityHistory>> LoadHistory(Store& store, const std::string& key,
                                                        Timestamp now) {
  ASSIGN_OR_RETURN(auto loaded, store.LoadVulnerability(key));
  if (!loaded) {
    return std::optional<VulnerabilityHistory>();
  }
  VulnerabilityHistory h{.def = std::move(loaded->first), .stamp = loaded->second};
  ASSIGN_OR_RETURN(h.findings,
                   store.QueryFindings({.states = {FindingState::kOpen, FindingState::kReopened,
                                                   FindingState::kFixed, FindingState::kInactive},
                                        .vuln_key = key}));
  for (const auto& f : h.findings) {
    std::string where = f.asset + ":" + std::to_string(f.port) + "/" + f.protocol;
    h.timeline.push_back(
        {f.first_seen, "", "found", "found on " + where + " by " + Join(f.scanners, ", ")});
    if (f.fixed_at) {
      h.timeline.push_back(
          {*f.fixed_at, "", "fixed", "fixed on " + where + ", verified by rescan"});
    }
    if (f.times_reopened > 0) {
      h.timeline.push_back({f.last_seen, "", "reopened",
                            "reopened " + std::to_string(f.times_reopened) + " time(s) on " +
                                where + " (latest seen)"});
    }
  }
  ASSIGN_OR_RETURN(h.decisions, QueryDecisionsAt(store, {.vuln_key = key}, now));
  RETURN_IF_ERROR(ReadTimeLapses(store, key, now, h));
  ASSIGN_OR_RETURN(auto events, store.DecisionEventsOf(h.stamp.id));
  for (const auto& e : events) {
    const DecisionRecord* d = nullptr;
    for (const auto& candidate : h.decisions) {
      if (candidate.id == e.decision_id) {
        d = &candidate;
      }
    }
    std::string text = "decision #" + std::to_string(e.decision_id);
    if (d != nullptr) {
      text += " " + std::string(ToString(d->type));
      if (e.action == "created") {
        text += " (" + std::string(ToString(d->reason)) + ") " + e.action + ": " + d->basis;
      } else {
        text += " " + e.action;
      }
    } else {
      text += " " + e.action;
    }
    if (!e.note.empty() && e.action != "created") {
      text += ": " + e.note;
    }
    h.timeline.push_back({e.at, e.actor, "decision", text});
  }
  ASSIGN_OR_RETURN(auto changes, store.ClassChangesOf(h.stamp.id));
  for (const auto& c : changes) {
    std::string text = c.from_class.empty()
                           ? "class " + c.to_class + " (" + c.source + ")"
                           : "class " + c.from_class + " -> " + c.to_class + " (" + c.source + ")";
    if (!c.note.empty()) {
      text += ": " + c.note;
    }
    h.timeline.push_back({c.at, c.actor, "class", text});
  }
  ASSIGN_OR_RETURN(auto reviews, store.QueryReviews());
  for (const auto& r : reviews) {
    if (std::find(r.vuln_ids.begin(), r.vuln_ids.end(), h.stamp.id) != r.vuln_ids.end()) {
      h.timeline.push_back({r.at, r.recorded_by, "review",
                            "covered by review #" + std::to_string(r.id) + " (" +
                                Join(r.participants, ", ") + "): " + r.notes});
    }
  }
  std::stable_sort(h.timeline.begin(), h.timeline.end(),
                   [](const HistoryEntry& a, const HistoryEntry& b) { return a.at < b.at; });
  return std::optional(std::move(h));
}

}  // namespace vigil
