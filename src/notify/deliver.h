// Sending what the outbox holds (docs/notifications.md#delivery): claim the next notification
// that is due (a transaction), send it with no transaction open and no lock held, record the
// outcome (a transaction). A claimed notification is "sending" for a lease; when the process
// dies before recording the outcome, the lease passes and the notification is claimed again
// as in doubt: it is sent again with the same idempotency key (a mail's Message-ID, a
// webhook's X-Vigil-Delivery), and a Jira change first looks whether Jira already has it.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/status.h"
#include "core/time.h"
#include "store/records.h"

namespace vigil {
class Store;
struct HttpResponse;
}  // namespace vigil

namespace vigil::notify {

// The secrets the configuration names by file, read when sending. A file that cannot be read
// holds up only its own channel (its error is kept and each of its sends is retried).
struct Secrets {
  std::string smtp_password, smtp_error;
  std::string webhook_secret, webhook_error;
  std::string jira_token, jira_error;
};
Secrets LoadSecrets(const NotifyConfig& config);

struct Claimed {
  NotificationRecord notification;
  bool in_doubt = false;               // claimed before, and its outcome never recorded
  std::optional<JiraLinkRecord> link;  // a ticket's vulnerability's Jira issue, when known
};

// The X-Vigil-Delivery header of a webhook: the first 32 hex digits of the SHA-256 of the
// notification's idempotency key (keys hold names from scans; a header must not).
std::string DeliveryId(const std::string& key);

// How long a claim holds before the notification is taken to be in doubt.
std::chrono::seconds Lease(const NotifyConfig& config);

// The oldest notification due at `now` (pending and due, or sending with its lease passed),
// marked sending; nullopt when none is due. In the caller's transaction.
Result<std::optional<Claimed>> ClaimNext(Store& store, const NotifyConfig& config, Timestamp now);

struct Delivery {
  enum class Outcome { kSent, kRetry, kFailed, kWaiting } outcome = Outcome::kRetry;
  std::string result;  // sent: a Message-ID, an HTTP status, a Jira key
  std::string error;   // retry, failed, waiting: what went wrong
  std::optional<std::chrono::seconds> retry_after;  // what the receiver asked for
  std::optional<JiraLinkRecord> link;               // a ticket's link as it now is
};

// An HTTP answer as a delivery: 2xx sent; 408, 425, 429 and 5xx (and no answer) retried, with
// the Retry-After asked for; any other status failed for good.
Delivery DeliveryOf(const Result<HttpResponse>& response);

// Sends one claimed notification. Touches no store; never throws.
Delivery Send(const NotifyConfig& config, const Secrets& secrets, const Claimed& claimed,
              Timestamp now);
Delivery SendOne(const NotifyConfig& config, const Secrets& secrets, const Claimed& claimed,
                 Timestamp now);

// Records the outcome (in the caller's transaction): sent, retried later with backoff (1, 4,
// 16 minutes ... at most 6 hours; what the receiver's Retry-After asks for at least), or
// failed after the last attempt, with a notification.sent or notification.failed event.
Status RecordOutcome(Store& store, const Claimed& claimed, const Delivery& delivery, Timestamp now,
                     const std::string& actor);

// Attempts before a notification is given up (about two days with the backoff).
inline constexpr int kMaxAttempts = 12;

}  // namespace vigil::notify
