#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"

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
    Table t;
    t.columns = {{"name", "NAME"},
                 {"kind", "KIND"},
                 {"scans", "SCANS"},
                 {"assets", "ASSETS"},
                 {"last_import", "LAST IMPORT"},
                 {"last_scan", "LAST SCAN"}};
    for (const auto& s : scanners) {
      t.rows.push_back(
          {s.name, s.kind, s.scans, s.assets, TimeCell(s.last_import), TimeCell(s.last_scan)});
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
