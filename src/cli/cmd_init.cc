#include <CLI/CLI.hpp>
#include <iostream>

#include "audit/ed25519.h"
#include "cli/command.h"
#include "engine/audit_trust.h"
#include "engine/reconcile.h"

namespace vigil::cli {
namespace {

class InitCommand final : public Command {
 public:
  void AddOptions(CLI::App& /*sub*/) override {}

  Status Run(const GlobalOptions& global) override {
    AppOptions options{.db_url = global.db,
                       .now = global.now,
                       .user = global.as,
                       .config_path = global.config,
                       .open_mode = OpenMode::kCreate,
                       .require_schema = false};
    // A key file that others can read or replace would sign for them: it is checked before
    // the database is created or migrated, so that a refusal leaves everything as it was.
    ASSIGN_OR_RETURN(std::string key_path, App::AuditKeyPathFor(options));
    RETURN_IF_ERROR(CheckKeyFileIsPrivate(key_path));
    ASSIGN_OR_RETURN(auto app, App::Create(options));
    ASSIGN_OR_RETURN(int before, app->store().SchemaVersion());
    RETURN_IF_ERROR(app->store().Initialize());
    ASSIGN_OR_RETURN(int after, app->store().SchemaVersion());
    // The log's first event names its key; everything after it is recorded.
    ASSIGN_OR_RETURN(std::string verifier_key,
                     InitializeAudit(app->store(), app->AuditKeyPath(), app->AuditOrigin(),
                                     app->clock().Now(), app->user()));
    ASSIGN_OR_RETURN(ReconcileCounts counts,
                     Reconcile(app->store(), app->config(), app->clock().Now()));
    int scanners = counts.scanners;
    std::string url = global.db.empty() ? DefaultDatabaseUrl() : global.db;
    if (before == after) {
      std::cout << "database " << url << " is up to date (schema version " << after << ")\n";
    } else if (before == 0) {
      std::cout << "created database " << url << " (schema version " << after << ")\n";
    } else {
      std::cout << "migrated database " << url << " from schema version " << before << " to "
                << after << "\n";
    }
    std::cout << "audit log signing key: " << app->AuditKeyPath() << "\n"
              << "verifier key (give it to your auditors): " << verifier_key << "\n";
    if (scanners > 0) {
      std::cout << "registered " << scanners << " scanners from " << app->config().path << "\n";
    }
    return Status::Ok();
  }
};

}  // namespace

std::unique_ptr<Command> MakeInitCommand() {
  return std::make_unique<InitCommand>();
}

}  // namespace vigil::cli
