#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"

namespace vigil::cli {
namespace {

class ScannersCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--window", window_, "Count the scans of this trailing window (default 30d)");
    sub.add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kRead));
    ASSIGN_OR_RETURN(Table t, app->service().Scanners(app->identity(), window_));
    PrintTable(t, format, std::cout);
    return Status::Ok();
  }

 private:
  std::string window_ = "30d";
  std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeScannersCommand() {
  return std::make_unique<ScannersCommand>();
}

}  // namespace vigil::cli
