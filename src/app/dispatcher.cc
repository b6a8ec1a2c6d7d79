#include "app/dispatcher.h"

namespace vigil {

Result<DispatchSummary> Dispatcher::Run(const std::string& actor, const Options& options) {
  DispatchSummary out;
  const Config& config = app_.config();
  if (options.queue) {
    ASSIGN_OR_RETURN(out.queued, Locked([&] { return app_.service().QueueNotifications(actor); }));
  }
  // Secrets are read once a run, so that a rotated password file takes effect at the next.
  std::optional<notify::Secrets> secrets;
  for (int i = 0; i < options.max_sends && !(options.stopping && options.stopping()); ++i) {
    ASSIGN_OR_RETURN(auto claimed, Locked([&] { return app_.service().ClaimNotification(); }));
    if (!claimed) {
      break;
    }
    if (!secrets) {
      secrets = notify::LoadSecrets(config.notify);
    }
    notify::Delivery delivery = notify::Send(config.notify, *secrets, *claimed, app_.clock().Now());
    RETURN_IF_ERROR(
        Locked([&] { return app_.service().RecordNotification(*claimed, delivery, actor); }));
    const NotificationRecord& n = claimed->notification;
    std::string what = n.kind + " " + n.channel + " " + n.key;
    switch (delivery.outcome) {
      case notify::Delivery::Outcome::kSent:
        ++out.sent;
        out.lines.push_back("sent " + what + ": " + delivery.result);
        break;
      case notify::Delivery::Outcome::kWaiting:
        if (n.attempts >= notify::kMaxAttempts) {
          ++out.failed;
          out.lines.push_back("gave up " + what + ": " + delivery.error);
        } else {
          ++out.waiting;
        }
        break;
      case notify::Delivery::Outcome::kRetry:
        if (n.attempts >= notify::kMaxAttempts) {
          ++out.failed;
          out.lines.push_back("gave up " + what + " after " + std::to_string(n.attempts) +
                              " attempts: " + delivery.error);
        } else {
          ++out.retrying;
          out.lines.push_back("will retry " + what + ": " + delivery.error);
        }
        break;
      case notify::Delivery::Outcome::kFailed:
        ++out.failed;
        out.lines.push_back("failed " + what + ": " + delivery.error);
        break;
    }
  }
  return out;
}

}  // namespace vigil
