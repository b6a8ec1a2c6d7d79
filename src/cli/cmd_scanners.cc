#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"
#include "core/duration.h"
#include "engine/coverage.h"
#include "engine/scanner_health.h"

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
    ASSIGN_OR_RETURN(auto window, DurationOption("--window", window_));
    ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kRead));
    ASSIGN_OR_RETURN(auto scanners, app->store().QueryScanners());
    Timestamp now = app->clock().Now();
    ASSIGN_OR_RETURN(auto inventory, app->store().QueryInventory());
    ASSIGN_OR_RETURN(auto assets, app->store().QueryAssets({}));
    std::map<std::string, std::vector<AssetLastScan>> last_scans;
    for (const auto& s : scanners) {
      ASSIGN_OR_RETURN(last_scans[s.name], app->store().LastScansByScanner(s.name));
    }
    Coverage coverage =
        EvaluateCoverage(inventory, assets, last_scans, now, app->config().check.coverage_window);
    Table t;
    t.columns = {{"name", "NAME"},
                 {"kind", "KIND"},
                 {"cadence", "CADENCE"},
                 {"grace", "GRACE"},
                 {"scans", "SCANS"},
                 {"scans_in_window", "IN WINDOW"},
                 {"assets", "ASSETS"},
                 {"last_scan", "LAST SCAN"},
                 {"last_import", "LAST IMPORT"},
                 {"due_by", "DUE BY"},
                 {"stale", "STALE"},
                 {"silent_agents", "SILENT AGENTS"},
                 {"silent_agent_names", "SILENT", 40},
                 {"expected_assets", "EXPECTED"},
                 {"coverage_gaps", "GAPS"},
                 {"coverage_gap_names", "NOT COVERED", 40}};
    for (const auto& s : scanners) {
      ScannerHealth h = EvaluateScanner(s, last_scans[s.name], now);
      ASSIGN_OR_RETURN(auto times, app->store().ScanTimes(s.name));
      int64_t in_window = std::count_if(times.begin(), times.end(), [&](Timestamp at) {
        return at <= now && now - at <= window;
      });
      int64_t expected = 0;
      for (const auto& e : inventory) {
        expected += std::count(e.scanners.begin(), e.scanners.end(), s.name);
      }
      std::vector<std::string> gaps;
      for (const auto& g : coverage.gaps) {
        if (g.scanner == s.name) {
          gaps.push_back(g.expected);
        }
      }
      std::vector<std::string> silent;
      for (const auto& a : h.silent_agents) {
        silent.push_back(a.asset);
      }
      t.rows.push_back({s.name, s.kind,
                        s.cadence ? Cell(FormatDuration(*s.cadence)) : Cell(nullptr),
                        FormatDuration(s.grace), s.scans, in_window, s.assets,
                        TimeCell(s.last_scan), TimeCell(s.last_import), TimeCell(h.due_by), h.stale,
                        static_cast<int64_t>(h.silent_agents.size()), silent, expected,
                        static_cast<int64_t>(gaps.size()), gaps});
    }
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
