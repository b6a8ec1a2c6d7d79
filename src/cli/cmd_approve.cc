#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "engine/decisions.h"
#include "store/store.h"

namespace vigil::cli {
namespace {

// `vigil approve ID [--note TEXT]` and `vigil reject ID --basis TEXT`: the second pair of
// eyes. Both need the approver role and a different person from the decision's author.
class ApproveCommand final : public Command {
 public:
  explicit ApproveCommand(bool approve) : approve_(approve) {}

  void AddOptions(CLI::App& sub) override {
    sub.add_option("id", id_, "Decision number (vigil decisions)")->required();
    if (approve_) {
      sub.add_option("--note", text_, "A note kept with the approval");
    } else {
      sub.add_option("--basis", text_, "Why the decision is rejected (kept)")->required();
    }
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kApprove));
    Store& store = app->store();
    DecisionContext ctx{.store = store,
                        .policy = app->config().policy,
                        .scale = app->scale(),
                        .user = app->user(),
                        .now = app->clock().Now(),
                        .login = app->identity().login};
    DecisionRecord d;
    RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
      ASSIGN_OR_RETURN(d, approve_ ? Approve(ctx, id_, text_) : Reject(ctx, id_, text_));
      return Status::Ok();
    }));
    std::cout << "decision #" << d.id << " (" << ToString(d.type) << " of " << d.vuln_key << " by "
              << d.author << ") " << ToString(d.state) << " by " << d.decided_by << " at "
              << FormatIso8601(*d.decided_at) << "\n";
    return Status::Ok();
  }

 private:
  bool approve_;
  int64_t id_ = 0;
  std::string text_;
};

}  // namespace

std::unique_ptr<Command> MakeApproveCommand() {
  return std::make_unique<ApproveCommand>(true);
}

std::unique_ptr<Command> MakeRejectCommand() {
  return std::make_unique<ApproveCommand>(false);
}

}  // namespace vigil::cli
