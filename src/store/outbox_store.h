// The notification outbox (docs/notifications.md).
// Part of the Store (store/store.h); its contract on transactions applies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/queries.h"
#include "store/records.h"

namespace vigil {

class OutboxStore {
 public:
  virtual ~OutboxStore() = default;

  // Notifications: the outbox, each attempt, the conditions alert rules watch, and the Jira
  // issue of each vulnerability (docs/notifications.md). InsertNotification is nullopt, and
  // adds nothing, when a notification with that key exists.
  virtual Result<std::optional<int64_t>> InsertNotification(const NotificationRecord& n) = 0;
  // Writes the delivery fields (state, attempts, next_attempt_at, last_error, sent_at, result)
  // when the stored row still has `state` and `attempts` as given (what its writer read): false,
  // and nothing written, when another dispatcher changed it meanwhile.
  virtual Result<bool> UpdateNotification(const NotificationRecord& n, const std::string& state,
                                          int attempts) = 0;
  virtual Result<std::vector<NotificationRecord>> QueryNotifications(
      const NotificationQuery& q) = 0;
  virtual Status InsertNotificationAttempt(const NotificationAttempt& a) = 0;
  virtual Result<std::vector<NotificationAttempt>> NotificationAttemptsOf(int64_t id) = 0;
  virtual Result<std::vector<AlertConditionRecord>> QueryAlertConditions() = 0;
  // Inserts or replaces the condition (rule, condition).
  virtual Status PutAlertCondition(const AlertConditionRecord& c) = 0;
  virtual Result<std::vector<JiraLinkRecord>> QueryJiraLinks() = 0;
  virtual Result<std::optional<JiraLinkRecord>> FindJiraLink(const std::string& vuln_key) = 0;
  // Inserts or replaces the link of `vuln_key`.
  virtual Status PutJiraLink(const JiraLinkRecord& link) = 0;
};

}  // namespace vigil
