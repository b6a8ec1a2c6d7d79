#include <CLI/CLI.hpp>
#include <iostream>

#include "app/dispatcher.h"
#include "cli/command.h"
#include "cli/printer.h"

namespace vigil::cli {
namespace {

// `vigil notify run`: queue and send what is due now; `vigil notify log`: the outbox.
class NotifyCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.require_subcommand(1);
    run_ = sub.add_subcommand("run",
                              "Queue what is due now (digests, alerts, Jira changes) and send "
                              "everything due; for cron or a systemd timer");
    log_ = sub.add_subcommand("log", "The notifications queued and sent, newest first");
    log_->add_option("--state", state_, "Only this state: pending|sending|sent|failed");
    log_->add_option("--rule", rule_, "Only this rule's (\"jira\" for tickets)");
    log_->add_option("--kind", kind_, "Only this kind: digest|alert|alert-end|ticket");
    log_->add_option("--limit", limit_, "At most this many (default 100)");
    log_->add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    if (log_->parsed()) {
      ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
      ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kRead));
      ASSIGN_OR_RETURN(
          Table t,
          app->service().NotificationLog(
              app->identity(), {.state = state_, .rule = rule_, .kind = kind_, .limit = limit_}));
      PrintTable(t, format, std::cout);
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kWrite));
    RETURN_IF_ERROR(app->service().CanNotify(app->identity()));
    if (app->config().notify.Empty()) {
      std::cout << "no notification rules are configured ([notify] in the configuration); "
                   "sending what is left in the outbox\n";
    }
    Dispatcher dispatcher(*app, nullptr);
    ASSIGN_OR_RETURN(DispatchSummary s, dispatcher.Run(app->identity().user, {}));
    for (const auto& line : s.lines) {
      std::cout << line << "\n";
    }
    std::cout << "queued " << s.queued.digests << " digests, " << s.queued.alerts << " alerts, "
              << s.queued.tickets << " Jira changes; sent " << s.sent << ", retrying " << s.retrying
              << ", failed " << s.failed << "\n";
    // Exit 1 when something could not be sent, so that cron or systemd shows it.
    return s.retrying + s.failed == 0 ? Status::Ok() : Status(ErrorCode::kAttention, "");
  }

 private:
  CLI::App* run_ = nullptr;
  CLI::App* log_ = nullptr;
  std::string state_, rule_, kind_, format_ = "table";
  int64_t limit_ = 100;
};

}  // namespace

std::unique_ptr<Command> MakeNotifyCommand() {
  return std::make_unique<NotifyCommand>();
}

}  // namespace vigil::cli
