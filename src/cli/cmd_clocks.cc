#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"

namespace vigil::cli {
namespace {

// `vigil clocks`: every compliance clock of the policy, per vulnerability and rule.
class ClocksCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--status", status_, "open|due-soon|overdue|met|missed");
    sub.add_option("--rule", rule_, "Only this rule (e.g. ncssr-1.7/4.f)");
    sub.add_option("--vuln", vuln_, "Only this vulnerability");
    sub.add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kRead));
    ASSIGN_OR_RETURN(Table t, app->service().Clocks(
                                  app->identity(),
                                  ClockFilter{.status = status_, .rule = rule_, .vuln = vuln_}));
    PrintTable(t, format, std::cout);
    return Status::Ok();
  }

 private:
  std::string status_, rule_, vuln_, format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeClocksCommand() {
  return std::make_unique<ClocksCommand>();
}

}  // namespace vigil::cli
