#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"

namespace vigil::cli {
namespace {

// `vigil kev import FILE`: loads CISA's KEV catalog (the cisa-kev clocks' due dates).
class KevCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.require_subcommand(1);
    import_ = sub.add_subcommand("import",
                                 "Load known_exploited_vulnerabilities.json, "
                                 "replacing the previous catalog");
    import_->add_option("file", file_, "The KEV catalog (JSON)")->required();
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kWrite));
    ASSIGN_OR_RETURN(size_t n, app->service().LoadKev(app->identity(), file_));
    std::cout << "loaded " << n << " KEV entries from " << file_ << "\n";
    return Status::Ok();
  }

 private:
  CLI::App* import_ = nullptr;
  std::string file_;
};

}  // namespace

std::unique_ptr<Command> MakeKevCommand() {
  return std::make_unique<KevCommand>();
}

}  // namespace vigil::cli
