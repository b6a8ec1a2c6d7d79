// The application layer's notification use cases: the dispatcher's steps and the outbox
// listing (docs/notifications.md).
#include <algorithm>

#include "app/service.h"
#include "store/store.h"

namespace vigil {

Result<notify::QueueSummary> Service::QueueNotifications(const std::string& actor) {
  Timestamp now = clock_.Now();
  notify::QueueSummary out;
  if (config_.notify.Empty()) {
    return out;
  }
  RETURN_IF_ERROR(InTransaction(store_, [&]() -> Status {
    ASSIGN_OR_RETURN(out, notify::QueueDue(store_, config_, now, actor));
    return Status::Ok();
  }));
  return out;
}

Status Service::QueueChanges(const std::string& actor) {
  if (config_.notify.alerts.empty() && !config_.notify.jira) {
    return Status::Ok();
  }
  return notify::QueueChanges(store_, config_, clock_.Now(), actor).status();
}

Result<std::optional<notify::Claimed>> Service::ClaimNotification() {
  Timestamp now = clock_.Now();
  std::optional<notify::Claimed> out;
  RETURN_IF_ERROR(InTransaction(store_, [&]() -> Status {
    ASSIGN_OR_RETURN(out, notify::ClaimNext(store_, config_.notify, now));
    return Status::Ok();
  }));
  return out;
}

Status Service::RecordNotification(const notify::Claimed& claimed, const notify::Delivery& delivery,
                                   const std::string& actor) {
  Timestamp now = clock_.Now();
  return InTransaction(
      store_, [&] { return notify::RecordOutcome(store_, claimed, delivery, now, actor); });
}

Status Service::CanNotify(const Identity& who) {
  return Authorize(store_, who, Action::kWrite);
}

Result<view::Table> Service::NotificationLog(const Identity& who,
                                             const NotificationFilter& filter) {
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  static const std::vector<std::string> kStates = {"pending", "sending", "sent", "failed"};
  if (!filter.state.empty() &&
      std::find(kStates.begin(), kStates.end(), filter.state) == kStates.end()) {
    return FieldError("state",
                      "must be pending, sending, sent or failed, not '" + filter.state + "'");
  }
  if (filter.limit < 1 || filter.limit > 100000) {
    return FieldError("limit", "must be 1..100000");
  }
  NotificationQuery q{
      .rule = filter.rule, .kind = filter.kind, .newest_first = true, .limit = filter.limit};
  if (!filter.state.empty()) {
    q.states = {filter.state};
  }
  ASSIGN_OR_RETURN(auto rows, store_.QueryNotifications(q));
  view::Table t;
  t.columns = {{"id", "ID"},
               {"created_at", "QUEUED"},
               {"rule", "RULE"},
               {"kind", "KIND"},
               {"channel", "CHANNEL"},
               {"state", "STATE"},
               {"attempts", "TRIES"},
               {"sent_at", "SENT"},
               {"next_attempt_at", "NEXT TRY"},
               {"result", "RESULT", 40},
               {"title", "TITLE", 60},
               {"key", "KEY"},
               {"last_error", "LAST ERROR", 60},
               {"history", "HISTORY"}};
  for (const auto& n : rows) {
    ASSIGN_OR_RETURN(auto attempts, store_.NotificationAttemptsOf(n.id));
    std::vector<std::string> history;
    history.reserve(attempts.size());
    for (const auto& a : attempts) {
      history.push_back(FormatIso8601(a.at) + " " + a.outcome +
                        (a.detail.empty() ? "" : ": " + a.detail));
    }
    bool waiting = n.state == "pending" || n.state == "sending";
    t.rows.push_back({n.id, view::TimeCell(n.created_at), n.rule, n.kind, n.channel, n.state,
                      static_cast<int64_t>(n.attempts), view::TimeCell(n.sent_at),
                      view::TimeCell(waiting ? std::optional(n.next_attempt_at) : std::nullopt),
                      view::TextCell(n.result), n.title, n.key, view::TextCell(n.last_error),
                      history});
  }
  return t;
}

Result<std::string> Service::JiraIssueOf(const std::string& vuln_key) {
  ASSIGN_OR_RETURN(auto link, store_.FindJiraLink(vuln_key));
  return link ? link->issue_key : std::string();
}

}  // namespace vigil
