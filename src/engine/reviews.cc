#include "engine/reviews.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "core/duration.h"
#include "core/text.h"
#include "engine/audit_log.h"
#include "engine/check.h"
#include "engine/logged_rows.h"
#include "store/store.h"

namespace vigil {

Result<ReviewRecord> RecordReview(Store& store, const std::vector<std::string>& participants,
                                  const std::string& notes, const std::string& recorded_by,
                                  Timestamp now) {
  if (participants.empty()) {
    return FieldError("participants", "must name who took part, e.g. alice,bob");
  }
  std::set<std::string> seen;
  for (const auto& p : participants) {
    if (!seen.insert(p).second) {
      return FieldError("participants", "names " + p + " twice");
    }
    ASSIGN_OR_RETURN(auto user, store.FindUser(p));
    if (!user) {
      return FieldError(ErrorCode::kNotFound, "participants",
                        "names '" + p + "', who is not a registered user");
    }
  }
  if (TrimSpace(notes).empty()) {
    return FieldError("notes", "must say what the review covered and concluded");
  }
  ASSIGN_OR_RETURN(auto reviews, store.QueryReviews());
  ReviewRecord r{.at = now,
                 .recorded_by = recorded_by,
                 .participants = participants,
                 .notes = std::string(TrimSpace(notes))};
  for (const auto& earlier : reviews) {
    if (earlier.at <= now) {
      r.covered_since = std::max(r.covered_since.value_or(earlier.at), earlier.at);
    }
  }
  ASSIGN_OR_RETURN(auto vulns,
                   store.QueryVulnerabilities({.include_closed = true, .with_scanners = false}));
  std::vector<std::string> keys;
  for (const auto& v : vulns) {
    if (v.first_seen && *v.first_seen <= now &&
        (!r.covered_since || *v.first_seen > *r.covered_since)) {
      r.vuln_ids.push_back(v.id);
      keys.push_back(v.key);
    }
  }
  ASSIGN_OR_RETURN(r.id, store.InsertReview(r));
  nlohmann::json payload = {{"review", r.id},
                            {"participants", r.participants},
                            {"notes", r.notes},
                            {"covered_since", JsonTime(r.covered_since)},
                            {"vulnerabilities", keys}};
  ASSIGN_OR_RETURN(payload["row"], RowOf(store, logged::Reviews(), {{"id", r.id}}));
  ASSIGN_OR_RETURN(auto items, RowsOf(store, logged::ReviewItems(), {{"review_id", r.id}}));
  payload["items"] = std::move(items);
  RETURN_IF_ERROR(AppendEvent(store, now, recorded_by, "review.recorded",
                              "review #" + std::to_string(r.id), payload)
                      .status());
  return r;
}

namespace {

std::string Percent(double share) {
  char pct[16];
  std::snprintf(pct, sizeof pct, "%.0f%%", share * 100);
  return pct;
}

// One person's share of one role in the window's decisions, when it is more than allowed.
void ConcentrationOf(const std::map<std::string, int>& by_person, int total, const char* role,
                     const ReviewPolicy& policy, std::vector<CheckItem>& out) {
  for (const auto& [person, n] : by_person) {
    double share = static_cast<double>(n) / total;
    if (share <= policy.max_share) {
      continue;
    }
    out.push_back({"decision-concentration", person,
                   person + " " + role + " " + std::to_string(n) + " of the " +
                       std::to_string(total) + " decisions of the last " +
                       FormatDuration(policy.share_window) + " (" + Percent(share) +
                       ", more than the " + Percent(policy.max_share) +
                       " the policy allows): analysis by one person",
                   std::nullopt});
  }
}

}  // namespace

void ConcentrationItems(const std::vector<DecisionRecord>& decisions, const ReviewPolicy& policy,
                        Timestamp now, std::vector<CheckItem>& out) {
  std::map<std::string, int> authors;
  std::map<std::string, int> approvers;
  int total = 0;
  int decided = 0;
  for (const auto& d : decisions) {
    if (d.created_at > now || now - d.created_at > policy.share_window) {
      continue;
    }
    ++authors[d.author];
    ++total;
    if (!d.decided_by.empty() && d.decided_at && *d.decided_at <= now) {
      ++approvers[d.decided_by];
      ++decided;
    }
  }
  if (total >= policy.min_decisions) {
    ConcentrationOf(authors, total, "made", policy, out);
  }
  if (decided >= policy.min_decisions) {
    ConcentrationOf(approvers, decided, "approved or rejected", policy, out);
  }
}

Status ReviewCheckItems(Store& store, const ReviewPolicy& policy, Timestamp now,
                        std::vector<CheckItem>& out) {
  ASSIGN_OR_RETURN(auto reviews, store.QueryReviews());
  const ReviewRecord* last = nullptr;
  for (const auto& r : reviews) {
    if (r.at <= now) {
      last = &r;
    }
  }
  ASSIGN_OR_RETURN(auto vulns,
                   store.QueryVulnerabilities({.include_closed = true, .with_scanners = false}));
  std::optional<Timestamp> first_vuln;
  for (const auto& v : vulns) {
    if (v.first_seen && *v.first_seen <= now) {
      first_vuln = std::min(first_vuln.value_or(*v.first_seen), *v.first_seen);
    }
  }
  // A review is due `every` after the previous one, or after the first vulnerability arrived.
  std::optional<Timestamp> due;
  if (last != nullptr) {
    due = last->at + policy.every;
  } else if (first_vuln) {
    due = *first_vuln + policy.every;
  }
  if (due && now > *due) {
    out.push_back({"review-overdue", "review",
                   last != nullptr ? "no review since " + FormatIso8601(last->at) +
                                         " (one is due every " + FormatDuration(policy.every) +
                                         "): vigil review record --participants A,B --notes TEXT"
                                   : "no review was ever recorded (one is due every " +
                                         FormatDuration(policy.every) + ")",
                   due});
  }
  if (last != nullptr && last->participants.size() < 2) {
    out.push_back({"review-single-person", "review #" + std::to_string(last->id),
                   "the latest review (" + FormatIso8601(last->at) + ") had only " +
                       Join(last->participants, ", ") + ": reviews need two people or more",
                   last->at});
  }
  ASSIGN_OR_RETURN(auto decisions, store.QueryDecisions({}));
  ConcentrationItems(decisions, policy, now, out);
  return Status::Ok();
}

}  // namespace vigil
