#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"
#include "core/duration.h"
#include "engine/zone_cadence.h"

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
    ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kRead));
    const Config& config = app->config();
    if (config.zone_rules.empty()) {
      return FailedPrecondition(
          "no scan-cadence rules: declare [[zone]] tables in the configuration file "
          "(--config, docs/config.md)");
    }
    ASSIGN_OR_RETURN(auto scanners, app->store().QueryScanners());
    ASSIGN_OR_RETURN(auto statuses, LoadZoneCadence(app->store(), config, app->clock().Now()));
    Table t;
    t.columns = {{"zone", "ZONE"},       {"asset", "ASSET"},
                 {"status", "STATUS"},   {"last_scan", "LAST SCAN"},
                 {"due", "DUE"},         {"scan_every", "EVERY"},
                 {"scanners", "BY", 30}, {"requirement", "REQUIREMENT", 30}};
    for (const auto& st : statuses) {
      const ZoneScanRule& r = *st.rule;
      if ((!zone_.empty() && r.zone != zone_) || (missed_only_ && st.met)) {
        continue;
      }
      std::vector<std::string> by = CountingScanners(r, scanners);
      t.rows.push_back(
          {r.zone, st.asset, std::string(st.met ? "met" : "missed"), TimeCell(st.last_scan),
           TimeCell(st.due), FormatDuration(r.every),
           by.empty() && r.kinds.empty() ? Cell(std::vector<std::string>{"any"}) : Cell(by),
           TextCell(r.requirement)});
    }
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
