#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "engine/audit_trust.h"
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
    sub.add_flag("--dry-run", dry_run_,
                 "A preview: the tables only, read-only, nothing recorded or signed (not "
                 "evidence)");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(Timestamp from, ParseBound("--from", from_, false));
    ASSIGN_OR_RETURN(Timestamp to, ParseBound("--to", to_, true));
    // Writing the pack appends its manifest to the log and signs a checkpoint; a dry run
    // only reads.
    ASSIGN_OR_RETURN(auto app, OpenApp(global, dry_run_ ? Action::kRead : Action::kWrite));
    EvidencePackRequest request{.from = from,
                                .to = to,
                                .now = app->clock().Now(),
                                .out_dir = out_,
                                .key_path = app->AuditKeyPath(),
                                .actor = app->user(),
                                .dry_run = dry_run_};
    if (!app->config().audit.tsa_certificate.empty()) {
      ASSIGN_OR_RETURN(request.tsa_trust_pem, ReadTsaTrust(app->config().audit.tsa_certificate));
    }
    ASSIGN_OR_RETURN(EvidencePackSummary s,
                     WriteEvidencePack(app->store(), app->config(), request));
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
  static Result<Timestamp> ParseBound(const char* name, const std::string& text, bool end) {
    bool date_only = text.size() == 10;
    auto t = ParseIso8601(date_only ? text + "T00:00:00Z" : text);
    if (!t.ok()) {
      return UsageError(std::string(name) + ": " + t.status().message());
    }
    return date_only && end ? *t + std::chrono::hours(24) - std::chrono::seconds(1) : *t;
  }

  std::string from_, to_, out_;
  bool dry_run_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeReportCommand() {
  return std::make_unique<ReportCommand>();
}

}  // namespace vigil::cli
