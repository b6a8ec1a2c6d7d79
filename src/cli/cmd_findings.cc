#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"

namespace vigil::cli {
namespace {

class FindingsCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--state", state_,
                   "Comma-separated states: open,fixed,reopened,inactive or all "
                   "(default open,reopened)");
    sub.add_option("--asset", asset_, "Only this asset (name, FQDN or IP)");
    sub.add_option("--vuln", vuln_, "Only this vulnerability key (e.g. tenable:19506)");
    sub.add_option("--scanner", scanner_, "Only findings this scanner reported");
    sub.add_option("--cve", cve_,
                   "Only findings of vulnerabilities that name this CVE, from every scanner");
    sub.add_flag("--absent-unverified", absent_unverified_,
                 "Only findings a rescan did not report but could not verify as fixed");
    sub.add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kRead));
    ASSIGN_OR_RETURN(
        Table t, app->service().Findings(app->identity(),
                                         FindingFilter{.state = state_,
                                                       .asset = asset_,
                                                       .vuln = vuln_,
                                                       .scanner = scanner_,
                                                       .cve = cve_,
                                                       .absent_unverified = absent_unverified_}));
    PrintTable(t, format, std::cout);
    return Status::Ok();
  }

 private:
  std::string state_, asset_, vuln_, scanner_, cve_;
  bool absent_unverified_ = false;
  std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeFindingsCommand() {
  return std::make_unique<FindingsCommand>();
}

}  // namespace vigil::cli
