#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"
#include "core/duration.h"
#include "engine/scanner_health.h"

namespace vigil::cli {
namespace {

class ScannersCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
    ASSIGN_OR_RETURN(auto app, OpenApp(global));
    ASSIGN_OR_RETURN(auto scanners, app->store().QueryScanners());
    Timestamp now = app->clock().Now();
    Table t;
    t.columns = {{"name", "NAME"},
                 {"kind", "KIND"},
                 {"cadence", "CADENCE"},
                 {"grace", "GRACE"},
                 {"scans", "SCANS"},
                 {"assets", "ASSETS"},
                 {"last_scan", "LAST SCAN"},
                 {"last_import", "LAST IMPORT"},
                 {"due_by", "DUE BY"},
                 {"stale", "STALE"},
                 {"silent_agents", "SILENT AGENTS"},
                 {"silent_agent_names", "SILENT", 40}};
    for (const auto& s : scanners) {
      ASSIGN_OR_RETURN(auto last_scans, app->store().LastScansByScanner(s.name));
      ScannerHealth h = EvaluateScanner(s, last_scans, now);
      std::vector<std::string> silent;
      for (const auto& a : h.silent_agents) {
        silent.push_back(a.asset);
      }
      t.rows.push_back({s.name, s.kind,
                        s.cadence ? Cell(FormatDuration(*s.cadence)) : Cell(nullptr),
                        FormatDuration(s.grace), s.scans, s.assets, TimeCell(s.last_scan),
                        TimeCell(s.last_import), TimeCell(h.due_by), h.stale,
                        static_cast<int64_t>(h.silent_agents.size()), silent});
    }
    PrintTable(t, format, std::cout);
    return Status::Ok();
  }

 private:
  std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeScannersCommand() {
  return std::make_unique<ScannersCommand>();
}

}  // namespace vigil::cli
