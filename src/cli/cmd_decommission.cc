#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "core/time.h"

namespace vigil::cli {
namespace {

// `vigil decommission ASSET --reason TEXT`: the asset leaves the live picture; its open
// findings become inactive (out of open counts and clocks, kept in history).
class DecommissionCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("asset", asset_, "Asset name, FQDN or IP")->required();
    sub.add_option("--reason", reason_, "Why it was taken out of service (recorded)")->required();
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kWrite));
    ASSIGN_OR_RETURN(DecommissionOutcome out,
                     app->service().Decommission(app->identity(), asset_, reason_));
    if (!out.changed) {
      std::cout << out.asset.name << " is already decommissioned since " << FormatIso8601(out.at)
                << "; nothing changed\n";
      return Status::Ok();
    }
    std::cout << "decommissioned " << out.asset.name << " at " << FormatIso8601(out.at) << " by "
              << app->user() << "; its open findings are now inactive\n";
    return Status::Ok();
  }

 private:
  std::string asset_, reason_;
};

}  // namespace

std::unique_ptr<Command> MakeDecommissionCommand() {
  return std::make_unique<DecommissionCommand>();
}

}  // namespace vigil::cli
