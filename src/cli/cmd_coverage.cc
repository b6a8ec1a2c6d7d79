#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"

namespace vigil::cli {
namespace {

// `vigil coverage`: the zone scan-cadence rules of the configuration, met or missed per asset.
class CoverageCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--zone", zone_, "Only this zone");
    sub.add_flag("--missed", missed_only_, "Only assets whose required scan is missed");
    sub.add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kRead));
    ASSIGN_OR_RETURN(
        Table t, app->service().Coverage(
                     app->identity(), CoverageFilter{.zone = zone_, .missed_only = missed_only_}));
    PrintTable(t, format, std::cout);
    return Status::Ok();
  }

 private:
  std::string zone_;
  bool missed_only_ = false;
  std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeCoverageCommand() {
  return std::make_unique<CoverageCommand>();
}

}  // namespace vigil::cli
