#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>

#include "cli/command.h"

namespace vigil::cli {
namespace {

// `vigil export vex --out FILE`: decisions about package vulnerabilities as CycloneDX VEX.
class ExportCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.require_subcommand(1);
    CLI::App* vex = sub.add_subcommand(
        "vex", "Decisions in effect about package vulnerabilities as a CycloneDX 1.5 VEX document");
    vex->add_option("--out", out_, "The file to write (- for standard output)")->required();
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kRead));
    ASSIGN_OR_RETURN(VexExport vex, app->service().ExportVex(app->identity()));
    std::string text = vex.document.dump(2) + "\n";
    if (out_ == "-") {
      std::cout << text;
      return Status::Ok();
    }
    std::ofstream out(out_, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      return IoError("cannot write " + out_);
    }
    std::cerr << "wrote " << out_ << ": " << vex.statements << " VEX statements about "
              << vex.components << " package components\n";
    return Status::Ok();
  }

 private:
  std::string out_;
};

}  // namespace

std::unique_ptr<Command> MakeExportCommand() {
  return std::make_unique<ExportCommand>();
}

}  // namespace vigil::cli
