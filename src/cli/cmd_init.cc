#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>

#include "audit/ed25519.h"
#include "cli/command.h"
#include "config/config_file.h"
#include "engine/adoption.h"
#include "engine/audit_trust.h"
#include "engine/config_apply.h"

namespace vigil::cli {
namespace {

// The schema that first carries whole rows in the log's events (engine/adoption.h).
constexpr int kRowCarryingSchema = 7;

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
    std::string path = ConfigPath(global);
    std::optional<ConfigFile> file;
    if (!path.empty()) {
      ASSIGN_OR_RETURN(file, ReadConfigFile(path));  // validated before anything is written
    }
    // A key file that others can read or replace would sign for them: it is checked before
    // the database is created or migrated, so that a refusal leaves everything as it was.
    RETURN_IF_ERROR(
        CheckKeyFileIsPrivate(App::AuditKeyPathFor(global.db, file ? file->config : Config{})));
    ASSIGN_OR_RETURN(auto app, App::Create(AppOptions{.db_url = global.db,
                                                      .now = global.now,
                                                      .user = global.as,
                                                      .token = global.token,
                                                      .access = Access::kInit,
                                                      .test_clock = test_clock_}));
    if (file) {
      app->set_config(file->config);
    }
    Store& store = app->store();
    ASSIGN_OR_RETURN(int before, store.SchemaVersion());
    if (before > 0 && test_clock_ && !app->test_clock()) {
      return FailedPrecondition(
          "--test-clock: this database was made with the system clock; a database becomes a "
          "test-clock one only when it is created");
    }
    RETURN_IF_ERROR(store.Initialize());
    ASSIGN_OR_RETURN(int after, store.SchemaVersion());
    Timestamp now = app->clock().Now();
    // The log's first event names its key; everything after it is recorded.
    ASSIGN_OR_RETURN(std::string verifier_key,
                     InitializeAudit(store, app->AuditKeyPath(), app->AuditOrigin(), now,
                                     app->user(), test_clock_));
    ASSIGN_OR_RETURN(LogFacts facts, ReadLogFacts(store));
    bool adopted = before > 0 && before < kRowCarryingSchema && facts.format < 2;
    if (adopted) {
      RETURN_IF_ERROR(AdoptTables(store, before, app->user(), now));
    }
    std::optional<ConfigApplied> applied;
    if (file) {
      RETURN_IF_ERROR(Authorize(store, app->identity(), Action::kConfigure));
      RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
        ASSIGN_OR_RETURN(applied, ApplyConfig(store, file->config, file->text, app->user(), now));
        return Status::Ok();
      }));
    }
    Report(global, before, after, verifier_key, *app, adopted, applied);
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

  void Report(const GlobalOptions& global, int before, int after, const std::string& verifier_key,
              const App& app, bool adopted, const std::optional<ConfigApplied>& applied) const {
    std::string url = global.db.empty() ? DefaultDatabaseUrl() : global.db;
    if (before == after) {
      std::cout << "database " << url << " is up to date (schema version " << after << ")\n";
    } else if (before == 0) {
      std::cout << "created database " << url << " (schema version " << after << ")\n";
    } else {
      std::cout << "migrated database " << url << " from schema version " << before << " to "
                << after << "\n";
    }
    if (adopted) {
      std::cout << "the audit log now describes every table (state.adopted: the tables as "
                   "found, changes before this cannot be checked)\n";
    }
    if (app.test_clock()) {
      std::cout << kTestClockWarning
                << ": a test-clock database; writes may take --now and its evidence says so\n";
    }
    std::cout << "audit log signing key: " << app.AuditKeyPath() << "\n"
              << "verifier key (give it to your auditors): " << verifier_key << "\n";
    if (applied) {
      std::cout << (applied->changed ? "applied the configuration " : "configuration unchanged: ")
                << app.config().path << "\n";
      if (applied->scanners > 0) {
        std::cout << "registered " << applied->scanners << " scanners from " << app.config().path
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
