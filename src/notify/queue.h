// Queueing what is due (docs/notifications.md): the daily digests whose time has come, the
// alerts whose condition started (or ended), and the Jira changes the vulnerabilities call
// for. Each goes into the outbox, one row per channel with its idempotency key, in the
// caller's transaction, with a notification.queued event in the audit log; sending is
// notify/deliver.h's. What was queued is never queued again: the keys are unique, a digest's
// key holds its local date, an alert's the time its condition started.
#pragma once

#include <string>

#include "core/config.h"
#include "core/status.h"
#include "core/time.h"

namespace vigil {
class Store;
}

namespace vigil::notify {

struct QueueSummary {
  int digests = 0;
  int alerts = 0;
  int tickets = 0;
};

Result<QueueSummary> QueueDue(Store& store, const Config& config, Timestamp now,
                              const std::string& actor);

// What a change queues in its own transaction (called at the end of every write of the
// application layer): the alerts a change starts (new-vulnerability, asset-reappeared) and the
// Jira changes. Time-driven conditions (stale scanners, silent agents, clocks, waiting
// decisions, coverage) and the digests are QueueDue's, which the dispatcher runs.
Result<QueueSummary> QueueChanges(Store& store, const Config& config, Timestamp now,
                                  const std::string& actor);

// What makes a key of a notification that may recur unique: the time and the log's length at
// that moment ("1796133660-42"), which every notification queued makes longer.
Result<std::string> KeyStamp(Store& store, Timestamp now);

// Queues one notification (its row and its event); false when its key was queued before.
struct Queued {
  std::string rule, channel, kind, key, subject, title;
  std::string content;  // JSON text
};
Result<bool> Enqueue(Store& store, const Queued& q, Timestamp now, const std::string& actor);

}  // namespace vigil::notify
