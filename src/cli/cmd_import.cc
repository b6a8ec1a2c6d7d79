#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"
#include "cli/progress.h"
#include "core/terminal_text.h"

namespace vigil::cli {
namespace {

// "partial re-export of scan 3: 2 findings it left out were not judged, none fixed".
std::string ReexportLine(const ImportOutcome& o) {
  std::string scans;
  for (int64_t id : o.reexport.of_scans) {
    scans += (scans.empty() ? "scan " : ", ") + std::to_string(id);
  }
  return "partial re-export of " + scans +
         " (same scanner, hosts and start times): " + std::to_string(o.reexport.omitted) +
         " findings that scan reported are left out; they were not judged, none is fixed";
}

void PrintSummary(const ImportOutcome& o) {
  if (o.already_imported) {
    std::cout << o.file << ": already imported as scan " << o.scan.id << " on "
              << FormatIso8601(o.scan.imported_at) << " by " << o.scan.imported_by
              << "; nothing changed\n";
    return;
  }
  const ImportCounts& c = o.scan.counts;
  std::cout << o.file << ": scan " << o.scan.id << " (" << o.format << ", scanner " << o.scanner
            << "): " << c.hosts << " hosts, " << c.findings << " findings of " << c.vulnerabilities
            << " vulnerabilities: " << c.new_findings << " new, " << c.fixed << " fixed, "
            << c.reopened << " reopened, " << c.unchanged << " unchanged, " << c.absent_unverified
            << " absent but unverified";
  if (c.stale_hosts > 0) {
    std::cout << "; " << c.stale_hosts << " hosts older than a newer scan (history only)";
  }
  if (c.reappeared > 0) {
    std::cout << "; " << c.reappeared << " decommissioned assets reappeared (see ALARM)";
  }
  if (o.reexport.partial()) {
    std::cout << "; PARTIAL RE-EXPORT: " << o.reexport.omitted
              << " findings left out, none fixed (see warning)";
  } else if (o.reexport.hosts > 0) {
    std::cout << "; " << o.reexport.hosts << " hosts re-exported from an earlier scan";
  }
  if (o.low_qod > 0) {
    std::cout << "; " << o.low_qod << " results below the QoD threshold, kept and flagged low-qod";
  }
  if (!o.proposals.empty()) {
    std::cout << "; " << o.proposals.size()
              << " VEX statements proposed as decisions, awaiting approval (vigil decisions)";
  }
  std::cout << '\n';
}

class ImportCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--scanner", scanner_, "Scanner name (default: the format's name)");
    sub.add_option("--parser", parser_,
                   "auto|" + KnownFormatNames() + " (default auto: detect from the content)");
    sub.add_option("--asset", asset_,
                   "Name the report's target: every host of the report is this asset (for code "
                   "and SBOM scans whose target the report does not name)");
    sub.add_option("--format", format_, "Output: table|json|csv");
    sub.add_option("files", files_, "Report files")->required();
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kWrite));
    ProgressLine progress;
    auto outcomes =
        app->service().Import(app->identity(), ImportInput{.files = files_,
                                                           .scanner = scanner_,
                                                           .parser = parser_,
                                                           .asset = asset_,
                                                           .progress = progress.Callback()});
    progress.Clear();
    if (!outcomes.ok()) {
      return Status(outcomes.status().code(),
                    outcomes.status().message() + " (nothing was imported)");
    }
    for (const auto& o : *outcomes) {
      for (const auto& a : o.alarms) {
        std::cerr << "ALARM: " << o.file << ": " << ForTerminal(a) << '\n';
      }
      if (o.reexport.partial()) {
        std::cerr << "warning: " << o.file << ": " << ReexportLine(o) << '\n';
      }
      for (const auto& w : o.warnings) {
        std::cerr << "warning: " << ForTerminal(w) << '\n';
      }
      if (o.warning_count > o.warnings.size()) {
        std::cerr << "warning: " << o.file << ": " << o.warning_count - o.warnings.size()
                  << " more warnings not shown\n";
      }
    }
    if (format == OutputFormat::kTable) {
      for (const auto& o : *outcomes) {
        PrintSummary(o);
      }
      return Status::Ok();
    }
    Table t = ImportTable(*outcomes);
    if (t.rows.size() == 1) {
      PrintObject(t, format, std::cout);
    } else {
      PrintTable(t, format, std::cout);
    }
    return Status::Ok();
  }

 private:
  std::string scanner_;
  std::string parser_ = "auto";
  std::string asset_;
  std::string format_ = "table";
  std::vector<std::string> files_;
};

}  // namespace

std::unique_ptr<Command> MakeImportCommand() {
  return std::make_unique<ImportCommand>();
}

}  // namespace vigil::cli
