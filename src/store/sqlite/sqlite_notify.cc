// SqliteStore: the notification outbox, delivery attempts, alert conditions and Jira links.
#include "store/sqlite/sqlite_store.h"

namespace vigil::sqlite {
namespace {

constexpr const char* kNotificationColumns =
    "id, rule, channel, kind, key, subject, title, content, created_at, state, attempts, "
    "next_attempt_at, last_error, sent_at, result";

NotificationRecord ReadNotification(const Statement& row) {
  return NotificationRecord{.id = row.Int(0),
                            .rule = row.Text(1),
                            .channel = row.Text(2),
                            .kind = row.Text(3),
                            .key = row.Text(4),
                            .subject = row.Text(5),
                            .title = row.Text(6),
                            .content = row.Text(7),
                            .created_at = row.Time(8),
                            .state = row.Text(9),
                            .attempts = static_cast<int>(row.Int(10)),
                            .next_attempt_at = row.Time(11),
                            .last_error = row.Text(12),
                            .sent_at = row.OptTime(13),
                            .result = row.Text(14)};
}

}  // namespace

Result<std::optional<int64_t>> SqliteStore::InsertNotification(const NotificationRecord& n) {
  ASSIGN_OR_RETURN(
      Statement * st,
      db_->Prepare("INSERT INTO notifications (rule, channel, kind, key, subject, title, "
                   "content, created_at, state, attempts, next_attempt_at, last_error, sent_at, "
                   "result) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) "
                   "ON CONFLICT (key) DO NOTHING"));
  st->Bind(1, n.rule).Bind(2, n.channel).Bind(3, n.kind).Bind(4, n.key).Bind(5, n.subject);
  st->Bind(6, n.title).Bind(7, n.content).Bind(8, n.created_at).Bind(9, n.state);
  st->Bind(10, n.attempts).Bind(11, n.next_attempt_at).Bind(12, n.last_error);
  st->Bind(13, n.sent_at).Bind(14, n.result);
  RETURN_IF_ERROR(st->Run());
  if (db_->Changes() == 0) {
    return std::optional<int64_t>();
  }
  return std::optional(db_->LastInsertId());
}

Result<bool> SqliteStore::UpdateNotification(const NotificationRecord& n, const std::string& state,
                                             int attempts) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("UPDATE notifications SET state = ?1, attempts = ?2, "
                                "next_attempt_at = ?3, last_error = ?4, sent_at = ?5, "
                                "result = ?6 WHERE id = ?7 AND state = ?8 AND attempts = ?9"));
  st->Bind(1, n.state).Bind(2, n.attempts).Bind(3, n.next_attempt_at).Bind(4, n.last_error);
  st->Bind(5, n.sent_at).Bind(6, n.result).Bind(7, n.id).Bind(8, state).Bind(9, attempts);
  RETURN_IF_ERROR(st->Run());
  return db_->Changes() > 0;
}

Result<std::vector<NotificationRecord>> SqliteStore::QueryNotifications(
    const NotificationQuery& q) {
  // `state IN (...)` and `next_attempt_at <=` as such, so that the due index serves a claim.
  std::string sql = std::string("SELECT ") + kNotificationColumns + " FROM notifications WHERE 1";
  int next = 1;
  if (!q.states.empty()) {
    sql += " AND state IN (";
    for (size_t k = 0; k < q.states.size(); ++k) {
      sql += (k == 0 ? "?" : ", ?") + std::to_string(next++);
    }
    sql += ")";
  }
  int due = q.due_by ? next++ : 0;
  if (due != 0) {
    sql += " AND next_attempt_at <= ?" + std::to_string(due);
  }
  std::vector<std::pair<std::string, const std::string*>> texts = {
      {"rule", &q.rule}, {"kind", &q.kind}, {"channel", &q.channel}, {"subject", &q.subject}};
  std::vector<std::pair<int, const std::string*>> binds;
  for (const auto& [column, value] : texts) {
    if (!value->empty()) {
      sql += " AND " + column + " = ?" + std::to_string(next);
      binds.emplace_back(next++, value);
    }
  }
  sql += std::string(" ORDER BY id ") + (q.newest_first ? "DESC" : "ASC") + " LIMIT ?" +
         std::to_string(next);
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare(sql));
  for (size_t k = 0; k < q.states.size(); ++k) {
    st->Bind(static_cast<int>(k) + 1, q.states[k]);
  }
  if (due != 0) {
    st->Bind(due, *q.due_by);
  }
  for (const auto& [index, value] : binds) {
    st->Bind(index, *value);
  }
  st->Bind(next, q.limit > 0 ? q.limit : int64_t{-1});
  return st->Rows(ReadNotification);
}

Status SqliteStore::InsertNotificationAttempt(const NotificationAttempt& a) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT INTO notification_attempts (notification_id, at, "
                                "outcome, detail) VALUES (?1, ?2, ?3, ?4)"));
  st->Bind(1, a.notification_id).Bind(2, a.at).Bind(3, a.outcome).Bind(4, a.detail);
  return st->Run();
}

Result<std::vector<NotificationAttempt>> SqliteStore::NotificationAttemptsOf(int64_t id) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT notification_id, at, outcome, detail FROM "
                                "notification_attempts WHERE notification_id = ?1 ORDER BY id"));
  st->Bind(1, id);
  return st->Rows([](const Statement& row) {
    return NotificationAttempt{.notification_id = row.Int(0),
                               .at = row.Time(1),
                               .outcome = row.Text(2),
                               .detail = row.Text(3)};
  });
}

Result<std::vector<AlertConditionRecord>> SqliteStore::QueryAlertConditions() {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT rule, condition, detail, started_at, ended_at FROM "
                                "alert_conditions ORDER BY rule, condition"));
  return st->Rows([](const Statement& row) {
    return AlertConditionRecord{.rule = row.Text(0),
                                .condition = row.Text(1),
                                .detail = row.Text(2),
                                .started_at = row.Time(3),
                                .ended_at = row.OptTime(4)};
  });
}

Status SqliteStore::PutAlertCondition(const AlertConditionRecord& c) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT OR REPLACE INTO alert_conditions (rule, condition, "
                                "detail, started_at, ended_at) VALUES (?1, ?2, ?3, ?4, ?5)"));
  st->Bind(1, c.rule).Bind(2, c.condition).Bind(3, c.detail).Bind(4, c.started_at);
  st->Bind(5, c.ended_at);
  return st->Run();
}

namespace {

JiraLinkRecord ReadJiraLink(const Statement& row) {
  return JiraLinkRecord{.vuln_key = row.Text(0),
                        .issue_key = row.Text(1),
                        .synced_class = row.Text(2),
                        .synced_state = row.Text(3),
                        .updated_at = row.Time(4)};
}

}  // namespace

Result<std::vector<JiraLinkRecord>> SqliteStore::QueryJiraLinks() {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT vuln_key, issue_key, synced_class, synced_state, "
                                "updated_at FROM jira_links ORDER BY vuln_key"));
  return st->Rows(ReadJiraLink);
}

Result<std::optional<JiraLinkRecord>> SqliteStore::FindJiraLink(const std::string& vuln_key) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT vuln_key, issue_key, synced_class, synced_state, "
                                "updated_at FROM jira_links WHERE vuln_key = ?1"));
  st->Bind(1, vuln_key);
  ASSIGN_OR_RETURN(auto rows, st->Rows(ReadJiraLink));
  std::optional<JiraLinkRecord> out;
  if (!rows.empty()) {
    out = std::move(rows.front());
  }
  return out;
}

Status SqliteStore::PutJiraLink(const JiraLinkRecord& link) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT OR REPLACE INTO jira_links (vuln_key, issue_key, "
                                "synced_class, synced_state, updated_at) "
                                "VALUES (?1, ?2, ?3, ?4, ?5)"));
  st->Bind(1, link.vuln_key).Bind(2, link.issue_key).Bind(3, link.synced_class);
  st->Bind(4, link.synced_state).Bind(5, link.updated_at);
  return st->Run();
}

}  // namespace vigil::sqlite
