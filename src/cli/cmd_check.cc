#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"
#include "core/duration.h"
#include "engine/check.h"

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
    ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kRead));
    CheckOptions options = CheckOptionsFrom(app->config());
    if (!window_.empty()) {
      ASSIGN_OR_RETURN(auto window, DurationOption("--window", window_));
      options.window = window;
    }
    if (!coverage_window_.empty()) {
      ASSIGN_OR_RETURN(auto coverage_window, DurationOption("--coverage-window", coverage_window_));
      options.coverage_window = coverage_window;
    }
    ASSIGN_OR_RETURN(auto items,
                     RunChecks(app->store(), app->config(), app->clock().Now(), options));
    if (format == OutputFormat::kTable && items.empty()) {
      std::cout << "nothing needs attention at " << FormatIso8601(app->clock().Now()) << "\n";
    } else {
      Table t;
      t.columns = {
          {"kind", "KIND"}, {"subject", "SUBJECT"}, {"since", "SINCE"}, {"detail", "DETAIL"}};
      for (const auto& i : items) {
        t.rows.push_back({i.kind, i.subject, TimeCell(i.since), i.detail});
      }
      PrintTable(t, format, std::cout);
    }
    return items.empty() ? Status::Ok() : Status(ErrorCode::kAttention, "");
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
