#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"

namespace vigil::cli {
namespace {

// `vigil report --from DATE --to DATE --out DIR`: the evidence pack of an audit period.
class ReportCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--from", from_, "Start of the period (ISO-8601; a date is its midnight UTC)")
        ->required();
    sub.add_option("--to", to_, "End of the period (a date means the end of that day, UTC)")
        ->required();
    sub.add_option("--out", out_, "Directory to write (created; must be empty)")->required();
    sub.add_flag("--dry-run", dry_run_,
                 "A preview: the tables only, read-only, nothing recorded or signed (not "
                 "evidence)");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(auto app, OpenService(global, dry_run_ ? Access::kRead : Access::kWrite));
    ASSIGN_OR_RETURN(
        EvidencePackSummary s,
        app->service().Report(
            app->identity(),
            ReportInput{.from = from_, .to = to_, .out_dir = out_, .dry_run = dry_run_}));
    if (dry_run_) {
      std::cout << "dry run " << out_ << ": " << s.scans << " scans, " << s.vulnerabilities
                << " vulnerabilities, " << s.decisions << " decisions, " << s.clocks
                << " clocks; not recorded in the log and not signed: not evidence\n";
      return Status::Ok();
    }
    std::cout << "evidence pack " << out_ << ": " << s.scans << " scans, " << s.vulnerabilities
              << " vulnerabilities, " << s.decisions << " decisions, " << s.clocks << " clocks, "
              << s.events << " events with inclusion proofs; open " << out_
              << "/index.html, check with: vigil audit verify --bundle " << out_ << "\n";
    return Status::Ok();
  }

 private:
  std::string from_, to_, out_;
  bool dry_run_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeReportCommand() {
  return std::make_unique<ReportCommand>();
}

}  // namespace vigil::cli
