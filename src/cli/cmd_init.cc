#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "app/init.h"
#include "cli/command.h"
#include "core/database_url.h"
#include "engine/audit_trust.h"

namespace vigil::cli {
namespace {

// `vigil init [--config FILE] [--test-clock]`: creates the database, or migrates it to this
// version's schema; starts the audit log; applies the configuration when one is given.
class InitCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--config", config_,
                   "Configuration to apply (TOML, docs/config.md; default $VIGIL_CONFIG)");
    sub.add_flag("--test-clock", test_clock_,
                 "A database for tests: its writes may take --now, and all its evidence says "
                 "'NOT EVIDENCE: times set by hand'");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(InitOutcome out,
                     InitializeDatabase(InitInput{.app = AppOptions{.db_url = global.db,
                                                                    .now = global.now,
                                                                    .user = global.as,
                                                                    .token = global.token,
                                                                    .access = Access::kInit,
                                                                    .test_clock = test_clock_},
                                                  .config_path = ConfigPath(global)}));
    Report(global, out);
    return Status::Ok();
  }

 private:
  std::string ConfigPath(const GlobalOptions& global) const {
    if (!config_.empty()) {
      return config_;
    }
    if (!global.config.empty()) {
      return global.config;
    }
    const char* env = std::getenv("VIGIL_CONFIG");
    return env != nullptr ? env : "";
  }

  static void Report(const GlobalOptions& global, const InitOutcome& out) {
    std::string url = RedactedUrl(global.db.empty() ? DefaultDatabaseUrl() : global.db);
    if (out.schema_before == out.schema_after) {
      std::cout << "database " << url << " is up to date (schema version " << out.schema_after
                << ")\n";
    } else if (out.schema_before == 0) {
      std::cout << "created database " << url << " (schema version " << out.schema_after << ")\n";
    } else {
      std::cout << "migrated database " << url << " from schema version " << out.schema_before
                << " to " << out.schema_after << "\n";
    }
    if (out.adopted) {
      std::cout << "the audit log now describes every table (state.adopted: the tables as "
                   "found, changes before this cannot be checked)\n";
    }
    if (out.test_clock) {
      std::cout << kTestClockWarning
                << ": a test-clock database; writes may take --now and its evidence says so\n";
    }
    std::cout << "audit log signing key: " << out.key_path << "\n"
              << "verifier key (give it to your auditors): " << out.verifier_key << "\n";
    if (out.applied) {
      std::cout << (out.applied->changed ? "applied the configuration "
                                         : "configuration unchanged: ")
                << out.config_path << "\n";
      if (out.applied->scanners > 0) {
        std::cout << "registered " << out.applied->scanners << " scanners from " << out.config_path
                  << "\n";
      }
    }
  }

  std::string config_;
  bool test_clock_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeInitCommand() {
  return std::make_unique<InitCommand>();
}

}  // namespace vigil::cli
