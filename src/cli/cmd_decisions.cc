#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"

namespace vigil::cli {
namespace {

// `vigil decisions [--state S] [--vuln KEY]`: every decision with its state and people.
class DecisionsCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--state", state_, "pending|approved|rejected|lapsed|superseded|all");
    sub.add_option("--vuln", vuln_, "Only decisions on this vulnerability");
    sub.add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kRead));
    ASSIGN_OR_RETURN(Table t, app->service().Decisions(
                                  app->identity(), DecisionFilter{.state = state_, .vuln = vuln_}));
    PrintTable(t, format, std::cout);
    return Status::Ok();
  }

 private:
  std::string state_ = "all", vuln_, format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeDecisionsCommand() {
  return std::make_unique<DecisionsCommand>();
}

}  // namespace vigil::cli
