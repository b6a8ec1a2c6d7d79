#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"

namespace vigil::cli {
namespace {

class AssetsCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--state", state_, "active|decommissioned|all (default all)");
    sub.add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
    AssetQuery q;
    if (state_ != "all") {
      q.state = ParseAssetState(state_);
      if (!q.state) {
        return UsageError("--state must be active, decommissioned or all, not '" + state_ + "'");
      }
    }
    ASSIGN_OR_RETURN(auto app, OpenApp(global));
    ASSIGN_OR_RETURN(auto assets, app->store().QueryAssets(q));
    Table t;
    t.columns = {{"name", "NAME"},
                 {"ip", "IP"},
                 {"fqdn", "FQDN"},
                 {"agent_id", "AGENT ID"},
                 {"os", "OS", 40},
                 {"state", "STATE"},
                 {"first_seen", "FIRST SEEN"},
                 {"last_seen", "LAST SEEN"},
                 {"open_findings", "OPEN"}};
    for (const auto& a : assets) {
      t.rows.push_back({a.name, TextCell(a.ip), TextCell(a.fqdn), TextCell(a.agent_id),
                        TextCell(a.os), std::string(ToString(a.state)), TimeCell(a.first_seen),
                        TimeCell(a.last_seen), a.open_findings});
    }
    PrintTable(t, format, std::cout);
    return Status::Ok();
  }

 private:
  std::string state_ = "all";
  std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeAssetsCommand() {
  return std::make_unique<AssetsCommand>();
}

}  // namespace vigil::cli
