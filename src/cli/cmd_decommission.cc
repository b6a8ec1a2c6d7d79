#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "engine/registry.h"
#include "store/store.h"

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
    if (reason_.find_first_not_of(" \t\r\n") == std::string::npos) {
      return UsageError("--reason must say why the asset is decommissioned");
    }
    ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kWrite));
    Store& store = app->store();
    ASSIGN_OR_RETURN(auto matches, store.FindAssets(asset_));
    if (matches.empty()) {
      return NotFound("no asset named '" + asset_ + "' (by name, FQDN or IP; see vigil assets)");
    }
    if (matches.size() > 1) {
      std::string names;
      for (const auto& m : matches) {
        names += (names.empty() ? " " : ", ") + m.name + (m.ip.empty() ? "" : " (" + m.ip + ")");
      }
      return UsageError("'" + asset_ + "' names " + std::to_string(matches.size()) +
                        " assets; use a name that is unique:" + names);
    }
    const AssetRecord& a = matches[0];
    if (a.state == AssetState::kDecommissioned) {
      std::cout << a.name << " is already decommissioned"
                << (a.decommissioned_at ? " since " + FormatIso8601(*a.decommissioned_at) : "")
                << "; nothing changed\n";
      return Status::Ok();
    }
    Timestamp now = app->clock().Now();
    RETURN_IF_ERROR(
        InTransaction(store, [&] { return Decommission(store, a, reason_, app->user(), now); }));
    std::cout << "decommissioned " << a.name << " at " << FormatIso8601(now) << " by "
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
