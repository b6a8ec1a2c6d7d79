#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"
#include "core/time.h"

namespace vigil::cli {
namespace {

// `vigil check`: exit 0 when nothing needs a person, 1 when something does.
class CheckCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--window", window_,
                   "Assets unseen this long are stale; reappearances this recent are listed "
                   "(default: the config's [check] stale_after, else 30d)");
    sub.add_option("--coverage-window", coverage_window_,
                   "Expected assets must have been scanned this recently (default: [check] "
                   "coverage_window, else 90d)");
    sub.add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kRead));
    ASSIGN_OR_RETURN(
        Table items,
        app->service().Check(app->identity(),
                             CheckInput{.window = window_, .coverage_window = coverage_window_}));
    if (format == OutputFormat::kTable && items.rows.empty()) {
      std::cout << "nothing needs attention at " << FormatIso8601(app->service().Now()) << "\n";
    } else {
      PrintTable(items, format, std::cout);
    }
    return items.rows.empty() ? Status::Ok() : Status(ErrorCode::kAttention, "");
  }

 private:
  std::string window_;           // default: [check] stale_after, else 30d
  std::string coverage_window_;  // default: [check] coverage_window, else 90d
  std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeCheckCommand() {
  return std::make_unique<CheckCommand>();
}

}  // namespace vigil::cli
