// PgStore: the notification outbox, delivery attempts, alert conditions and Jira links.
#include "store/postgres/pg_store.h"

namespace vigil::postgres {
namespace {

constexpr const char* kNotificationColumns =
    "id, rule, channel, kind, key, subject, title, content, created_at, state, attempts, "
    "next_attempt_at, last_error, sent_at, result";

NotificationRecord ReadNotification(const Row& row) {
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

Result<std::optional<int64_t>> PgStore::InsertNotification(const NotificationRecord& n) {
  Params p;
  p.Add(n.rule).Add(n.channel).Add(n.kind).Add(n.key).Add(n.subject).Add(n.title);
  p.Add(n.content).Add(n.created_at).Add(n.state).Add(n.attempts).Add(n.next_attempt_at);
  p.Add(n.last_error).Add(n.sent_at).Add(n.result);
  ASSIGN_OR_RETURN(
      PgResult r,
      Run("INSERT INTO notifications (id, rule, channel, kind, key, subject, title, content, "
          "created_at, state, attempts, next_attempt_at, last_error, sent_at, result) VALUES "
          "((SELECT coalesce(max(id), 0) + 1 FROM notifications), $1, $2, $3, $4, $5, $6, $7, "
          "$8, $9, $10, $11, $12, $13, $14) ON CONFLICT (key) DO NOTHING RETURNING id",
          p));
  if (r.Rows() == 0) {
    return std::optional<int64_t>();
  }
  return std::optional(r.Int(0, 0));
}

Result<bool> PgStore::UpdateNotification(const NotificationRecord& n, const std::string& state,
                                         int attempts) {
  Params p;
  p.Add(n.state).Add(n.attempts).Add(n.next_attempt_at).Add(n.last_error).Add(n.sent_at);
  p.Add(n.result).Add(n.id).Add(state).Add(attempts);
  ASSIGN_OR_RETURN(PgResult r,
                   Run("UPDATE notifications SET state = $1, attempts = $2, "
                       "next_attempt_at = $3, last_error = $4, sent_at = $5, result = $6 "
                       "WHERE id = $7 AND state = $8 AND attempts = $9",
                       p));
  return r.Affected() > 0;
}

Result<std::vector<NotificationRecord>> PgStore::QueryNotifications(const NotificationQuery& q) {
  // `state IN (...)` and `next_attempt_at <=` as such, so that the due index serves a claim.
  std::string sql =
      std::string("SELECT ") + kNotificationColumns + " FROM notifications WHERE true";
  Params p;
  int next = 1;
  if (!q.states.empty()) {
    sql += " AND state IN (";
    for (size_t k = 0; k < q.states.size(); ++k) {
      sql += (k == 0 ? "$" : ", $") + std::to_string(next++);
      p.Add(q.states[k]);
    }
    sql += ")";
  }
  if (q.due_by) {
    sql += " AND next_attempt_at <= $" + std::to_string(next++);
    p.Add(*q.due_by);
  }
  std::vector<std::pair<std::string, const std::string*>> texts = {
      {"rule", &q.rule}, {"kind", &q.kind}, {"channel", &q.channel}, {"subject", &q.subject}};
  for (const auto& [column, value] : texts) {
    if (!value->empty()) {
      sql += " AND " + column + " = $" + std::to_string(next++);
      p.Add(*value);
    }
  }
  // LIMIT NULL is no limit.
  sql += std::string(" ORDER BY id ") + (q.newest_first ? "DESC" : "ASC") + " LIMIT $" +
         std::to_string(next) + "::bigint";
  p.Add(q.limit > 0 ? std::optional<int64_t>(q.limit) : std::nullopt);
  ASSIGN_OR_RETURN(PgResult r, Run(sql, p));
  return MapRows(r, ReadNotification);
}

Status PgStore::InsertNotificationAttempt(const NotificationAttempt& a) {
  return Run("INSERT INTO notification_attempts (id, notification_id, at, outcome, detail) "
             "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM notification_attempts), $1, $2, $3, "
             "$4)",
             Params().Add(a.notification_id).Add(a.at).Add(a.outcome).Add(a.detail))
      .status();
}

Result<std::vector<NotificationAttempt>> PgStore::NotificationAttemptsOf(int64_t id) {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT notification_id, at, outcome, detail FROM "
                                   "notification_attempts WHERE notification_id = $1 ORDER BY id",
                                   Params().Add(id)));
  return MapRows(r, [](const Row& row) {
    return NotificationAttempt{.notification_id = row.Int(0),
                               .at = row.Time(1),
                               .outcome = row.Text(2),
                               .detail = row.Text(3)};
  });
}

Result<std::vector<AlertConditionRecord>> PgStore::QueryAlertConditions() {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT rule, condition, detail, started_at, ended_at FROM "
                                   "alert_conditions ORDER BY rule, condition",
                                   Params()));
  return MapRows(r, [](const Row& row) {
    return AlertConditionRecord{.rule = row.Text(0),
                                .condition = row.Text(1),
                                .detail = row.Text(2),
                                .started_at = row.Time(3),
                                .ended_at = row.OptTime(4)};
  });
}

Status PgStore::PutAlertCondition(const AlertConditionRecord& c) {
  return Run("INSERT INTO alert_conditions (rule, condition, detail, started_at, ended_at) "
             "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (rule, condition) DO UPDATE SET "
             "detail = excluded.detail, started_at = excluded.started_at, "
             "ended_at = excluded.ended_at",
             Params().Add(c.rule).Add(c.condition).Add(c.detail).Add(c.started_at).Add(c.ended_at))
      .status();
}

namespace {

JiraLinkRecord ReadJiraLink(const Row& row) {
  return JiraLinkRecord{.vuln_key = row.Text(0),
                        .issue_key = row.Text(1),
                        .synced_class = row.Text(2),
                        .synced_state = row.Text(3),
                        .updated_at = row.Time(4)};
}

}  // namespace

Result<std::vector<JiraLinkRecord>> PgStore::QueryJiraLinks() {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT vuln_key, issue_key, synced_class, synced_state, "
                                   "updated_at FROM jira_links ORDER BY vuln_key",
                                   Params()));
  return MapRows(r, ReadJiraLink);
}

Result<std::optional<JiraLinkRecord>> PgStore::FindJiraLink(const std::string& vuln_key) {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT vuln_key, issue_key, synced_class, synced_state, "
                                   "updated_at FROM jira_links WHERE vuln_key = $1",
                                   Params().Add(vuln_key)));
  std::optional<JiraLinkRecord> out;
  if (r.Rows() > 0) {
    out = ReadJiraLink(Row(r, 0));
  }
  return out;
}

Status PgStore::PutJiraLink(const JiraLinkRecord& link) {
  return Run("INSERT INTO jira_links (vuln_key, issue_key, synced_class, synced_state, "
             "updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (vuln_key) DO UPDATE SET "
             "issue_key = excluded.issue_key, synced_class = excluded.synced_class, "
             "synced_state = excluded.synced_state, updated_at = excluded.updated_at",
             Params()
                 .Add(link.vuln_key)
                 .Add(link.issue_key)
                 .Add(link.synced_class)
                 .Add(link.synced_state)
                 .Add(link.updated_at))
      .status();
}

}  // namespace vigil::postgres
