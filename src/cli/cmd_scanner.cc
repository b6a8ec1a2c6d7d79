#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "core/duration.h"

namespace vigil::cli {
namespace {

// `vigil scanner set NAME --kind K --cadence D [--grace D]`
class ScannerCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.require_subcommand(1);
    set_ = sub.add_subcommand("set", "Register a scanner or change its kind, cadence and grace");
    set_->add_option("name", name_, "Scanner name, as given to import --scanner")->required();
    set_->add_option("--kind", kind_, "agent|network|external|container|code")->required();
    set_->add_option("--cadence", cadence_, "Expected time between scans, e.g. 24h, 7d, 90d")
        ->required();
    set_->add_option("--grace", grace_, "Extra time before the scanner counts as stale (0s)");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kWrite));
    ASSIGN_OR_RETURN(
        ScannerRecord s,
        app->service().SetScanner(
            app->identity(),
            ScannerInput{.name = name_, .kind = kind_, .cadence = cadence_, .grace = grace_}));
    std::cout << "scanner " << s.name << ": kind " << s.kind << ", cadence "
              << FormatDuration(s.cadence.value_or(std::chrono::seconds(0))) << ", grace "
              << FormatDuration(s.grace) << "\n";
    return Status::Ok();
  }

 private:
  CLI::App* set_ = nullptr;
  std::string name_, kind_, cadence_, grace_ = "0s";
};

}  // namespace

std::unique_ptr<Command> MakeScannerCommand() {
  return std::make_unique<ScannerCommand>();
}

}  // namespace vigil::cli
