#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"

namespace vigil::cli {
namespace {

// `vigil config apply FILE` (admin) and `vigil config show`: the configuration is recorded
// state. Applying validates the file, stores its text and appends it to the audit log; every
// other command uses the stored one.
class ConfigCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.require_subcommand(1);
    apply_ = sub.add_subcommand("apply", "Validate a configuration file and put it in force");
    apply_->add_option("file", file_, "The TOML file (docs/config.md)");
    show_ = sub.add_subcommand("show", "Print the configuration in force, as applied");
  }

  Status Run(const GlobalOptions& global) override {
    if (show_->parsed()) {
      return Show(global);
    }
    std::string path = !file_.empty() ? file_ : global.config;
    if (path.empty()) {
      return UsageError("config apply needs the file: vigil config apply FILE");
    }
    GlobalOptions without_config = global;
    without_config.config.clear();
    ASSIGN_OR_RETURN(auto app, OpenService(without_config, Access::kWrite));
    ASSIGN_OR_RETURN(Service::ConfigOutcome applied,
                     app->service().ApplyConfig(app->identity(), path));
    if (!applied.changed) {
      std::cout << "configuration unchanged: " << path << " is already in force\n";
      return Status::Ok();
    }
    std::cout << "applied " << path << " (sha256 " << applied.sha256 << ")";
    if (applied.scanners > 0) {
      std::cout << "; " << applied.scanners << " scanners registered or changed";
    }
    if (applied.reclassified > 0) {
      std::cout << "; " << applied.reclassified << " vulnerabilities reclassified";
    }
    std::cout << "\n";
    return Status::Ok();
  }

 private:
  Status Show(const GlobalOptions& global) {
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kRead));
    ASSIGN_OR_RETURN(Service::ConfigText stored, app->service().ShowConfig(app->identity()));
    if (stored.text.empty()) {
      std::cout << "# no configuration applied: the defaults are in force, with no compliance "
                   "clock rules (vigil config apply FILE)\n";
      return Status::Ok();
    }
    std::cout << "# applied from " << stored.file << " (sha256 " << stored.sha256 << ")\n"
              << stored.text;
    if (stored.text.back() != '\n') {
      std::cout << "\n";
    }
    return Status::Ok();
  }

  CLI::App* apply_ = nullptr;
  CLI::App* show_ = nullptr;
  std::string file_;
};

}  // namespace

std::unique_ptr<Command> MakeConfigCommand() {
  return std::make_unique<ConfigCommand>();
}

}  // namespace vigil::cli
