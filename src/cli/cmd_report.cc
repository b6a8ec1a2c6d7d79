#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "report/evidence_pack.h"

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
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(Timestamp from, ParseBound("--from", from_, false));
    ASSIGN_OR_RETURN(Timestamp to, ParseBound("--to", to_, true));
    // Writing the pack appends its manifest to the log and signs a checkpoint.
    ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kWrite));
    ASSIGN_OR_RETURN(EvidencePackSummary s, WriteEvidencePack(app->store(), app->config(),
                                                              {.from = from,
                                                               .to = to,
                                                               .now = app->clock().Now(),
                                                               .out_dir = out_,
                                                               .key_path = app->AuditKeyPath(),
                                                               .actor = app->user()}));
    std::cout << "evidence pack " << out_ << ": " << s.scans << " scans, " << s.vulnerabilities
              << " vulnerabilities, " << s.decisions << " decisions, " << s.clocks << " clocks, "
              << s.events << " events with inclusion proofs; open " << out_
              << "/index.html, check with: vigil audit verify --bundle " << out_ << "\n";
    return Status::Ok();
  }

 private:
  static Result<Timestamp> ParseBound(const char* name, const std::string& text, bool end) {
    bool date_only = text.size() == 10;
    auto t = ParseIso8601(date_only ? text + "T00:00:00Z" : text);
    if (!t.ok()) {
      return UsageError(std::string(name) + ": " + t.status().message());
    }
    return date_only && end ? *t + std::chrono::hours(24) - std::chrono::seconds(1) : *t;
  }

  std::string from_, to_, out_;
};

}  // namespace

std::unique_ptr<Command> MakeReportCommand() {
  return std::make_unique<ReportCommand>();
}

}  // namespace vigil::cli
