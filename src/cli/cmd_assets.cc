#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"

namespace vigil::cli {
namespace {

class AssetsCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--state", state_,
                   "active|decommissioned|stale|all (default all); stale: active assets no "
                   "scanner has seen within --stale-after");
    sub.add_option("--stale-after", stale_after_,
                   "For --state stale (default: the config's [check] stale_after, else 30d)");
    sub.add_option("--zone", zone_, "Only assets of this zone (from the inventory or asset rules)");
    sub.add_option("--format", format_, "Output: table|json|csv");
    sub.require_subcommand(0, 1);
    import_ = sub.add_subcommand(
        "import", "Load the expected inventory from a CSV file, replacing the previous one");
    import_->add_option("file", file_, "CSV: name, addresses, zone, site, owner, scanners")
        ->required();
  }

  Status Run(const GlobalOptions& global) override {
    if (import_->parsed()) {
      return ImportInventory(global);
    }
    ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kRead));
    ASSIGN_OR_RETURN(Table t,
                     app->service().Assets(
                         app->identity(),
                         AssetFilter{.state = state_, .stale_after = stale_after_, .zone = zone_}));
    PrintTable(t, format, std::cout);
    return Status::Ok();
  }

 private:
  Status ImportInventory(const GlobalOptions& global) {
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kWrite));
    ASSIGN_OR_RETURN(size_t loaded, app->service().LoadInventory(app->identity(), file_));
    std::cout << "loaded " << loaded << " expected assets from " << file_
              << " (the previous inventory is replaced); vigil check reports coverage gaps\n";
    return Status::Ok();
  }

  CLI::App* import_ = nullptr;
  std::string file_;
  std::string state_ = "all";
  std::string stale_after_;
  std::string zone_;
  std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeAssetsCommand() {
  return std::make_unique<AssetsCommand>();
}

}  // namespace vigil::cli
