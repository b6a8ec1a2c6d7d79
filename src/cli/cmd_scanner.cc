#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "core/duration.h"
#include "engine/registry.h"
#include "engine/scanner_health.h"
#include "store/store.h"

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
    if (!IsScannerKind(kind_)) {
      return UsageError("--kind must be agent, network, external, container or code, not '" +
                        kind_ + "'");
    }
    ASSIGN_OR_RETURN(auto cadence, DurationOption("--cadence", cadence_));
    if (cadence.count() <= 0) {
      return UsageError("--cadence must be longer than zero");
    }
    ASSIGN_OR_RETURN(auto grace, DurationOption("--grace", grace_));
    ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kWrite));
    for (const auto& declared : app->config().scanners) {
      if (declared.name == name_) {
        return FailedPrecondition("scanner " + name_ + " is declared in " + app->config().path +
                                  "; change it there and apply it again: vigil config apply FILE");
      }
    }
    Store& store = app->store();
    Timestamp now = app->clock().Now();
    RETURN_IF_ERROR(InTransaction(store, [&] {
      return SetScanner(
          store,
          ScannerRecord{
              .name = name_, .kind = kind_, .created_at = now, .cadence = cadence, .grace = grace},
          app->user(), "command", now);
    }));
    std::cout << "scanner " << name_ << ": kind " << kind_ << ", cadence "
              << FormatDuration(cadence) << ", grace " << FormatDuration(grace) << "\n";
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
