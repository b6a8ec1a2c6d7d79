#include "engine/reviews.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "core/duration.h"
#include "core/text.h"
#include "engine/audit_log.h"
#include "engine/check.h"
#include "store/store.h"

namespace vigil {

Result<ReviewRecord> RecordReview(Store& store, const std::vector<std::string>& participants,
                                  const std::string& notes, const std::string& recorded_by,
                                  Timestamp now) {
  if (participants.empty()) {
    return InvalidInput("--participants must name who took part, e.g. alice,bob");
  }
  std::set<std::string> seen;
  for (const auto& p : participants) {
    if (!seen.insert(p).second) {
      return InvalidInput("--participants names " + p + " twice");
    }
    ASSIGN_OR_RETURN(auto user, store.FindUser(p));
    if (!user) {
      return NotFound("--participants: '" + p + "' is not a registered user (vigil users)");
    }
  }
  if (TrimSpace(notes).empty()) {
    return InvalidInput("--notes must say what the review covered and concluded");
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
  RETURN_IF_ERROR(AppendEvent(store, now, recorded_by, "review.recorded",
                              "review #" + std::to_string(r.id),
                              {{"participants", r.participants},
                               {"notes", r.notes},
                               {"covered_since", JsonTime(r.covered_since)},
                               {"vulnerabilities", keys}})
                      .status());
  return r;
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
  std::map<std::string, int> by_author;
  int total = 0;
  for (const auto& d : decisions) {
    if (d.created_at <= now && now - d.created_at <= policy.share_window) {
      ++by_author[d.author];
      ++total;
    }
  }
  for (const auto& [author, n] : by_author) {
    double share = static_cast<double>(n) / total;
    if (share > policy.max_share) {
      char pct[16];
      std::snprintf(pct, sizeof pct, "%.0f%%", share * 100);
      out.push_back({"decision-concentration", author,
                     author + " made " + std::to_string(n) + " of the " + std::to_string(total) +
                         " decisions of the last " + FormatDuration(policy.share_window) + " (" +
                         pct + "; at most " +
                         std::to_string(static_cast<int>(policy.max_share * 100)) +
                         "% allowed): analysis by one person",
                     std::nullopt});
    }
  }
  return Status::Ok();
}

}  // namespace vigil
