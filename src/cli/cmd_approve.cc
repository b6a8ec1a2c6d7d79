#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "core/decision.h"
#include "core/time.h"

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
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kWrite));
    Service service = app->service();
    ASSIGN_OR_RETURN(DecisionRecord d, approve_ ? service.Approve(app->identity(), id_, text_)
                                                : service.Reject(app->identity(), id_, text_));
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
