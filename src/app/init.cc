#include "app/init.h"

#include "audit/ed25519.h"
#include "config/config_file.h"
#include "engine/adoption.h"
#include "engine/audit_trust.h"
#include "store/store.h"

namespace vigil {
namespace {

// The schema that first carries whole rows in the log's events (engine/adoption.h).
constexpr int kRowCarryingSchema = 7;

}  // namespace

Result<InitOutcome> InitializeDatabase(InitInput input) {
  std::optional<ConfigFile> file;
  if (!input.config_path.empty()) {
    ASSIGN_OR_RETURN(file, ReadConfigFile(input.config_path));  // validated before any write
  }
  // A key file that others can read or replace would sign for them: it is checked before
  // the database is created or migrated, so that a refusal leaves everything as it was.
  RETURN_IF_ERROR(CheckKeyFileIsPrivate(
      App::AuditKeyPathFor(input.app.db_url, file ? file->config : Config{})));
  input.app.access = Access::kInit;
  ASSIGN_OR_RETURN(auto app, App::Create(input.app));
  if (file) {
    app->set_config(file->config);
  }
  Store& store = app->store();
  InitOutcome out{.key_path = app->AuditKeyPath(), .test_clock = app->test_clock()};
  if (out.key_path.empty()) {
    return FailedPrecondition(
        "a PostgreSQL database needs [audit] key_file in the configuration (vigil init --config "
        "FILE): it has no directory to keep the signing key beside, and every server of the "
        "database must sign with the same key (docs/deployment.md)");
  }
  // The recorded configuration's key file (init without --config) is checked as a given one.
  RETURN_IF_ERROR(CheckKeyFileIsPrivate(out.key_path));
  ASSIGN_OR_RETURN(out.schema_before, store.SchemaVersion());
  if (out.schema_before > 0 && input.app.test_clock && !app->test_clock()) {
    return FieldError(ErrorCode::kFailedPrecondition, "test_clock",
                      "cannot be given for this database: it was made with the system clock; a "
                      "database becomes a test-clock one only when it is created");
  }
  RETURN_IF_ERROR(store.Initialize());
  ASSIGN_OR_RETURN(out.schema_after, store.SchemaVersion());
  Timestamp now = app->clock().Now();
  // The log's first event names its key; everything after it is recorded.
  ASSIGN_OR_RETURN(out.verifier_key, InitializeAudit(store, out.key_path, app->AuditOrigin(), now,
                                                     app->user(), input.app.test_clock));
  ASSIGN_OR_RETURN(LogFacts facts, ReadLogFacts(store));
  out.adopted = out.schema_before > 0 && out.schema_before < kRowCarryingSchema && facts.format < 2;
  if (out.adopted) {
    RETURN_IF_ERROR(AdoptTables(store, out.schema_before, app->user(), now));
  }
  if (file) {
    RETURN_IF_ERROR(Authorize(store, app->identity(), Action::kConfigure));
    RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
      ASSIGN_OR_RETURN(out.applied, ApplyConfig(store, file->config, file->text, app->user(), now));
      return Status::Ok();
    }));
    out.config_path = file->config.path;
  }
  out.test_clock = app->test_clock();
  return out;
}

}  // namespace vigil
