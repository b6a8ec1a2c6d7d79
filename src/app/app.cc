#include "app/app.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "config/config_file.h"
#include "core/database_url.h"
#include "engine/audit_trust.h"
#include "engine/config_apply.h"

namespace vigil {
namespace {

Status CheckSchema(Store& store, const std::string& url) {
  ASSIGN_OR_RETURN(int version, store.SchemaVersion());
  if (version == 0) {
    return FailedPrecondition("database '" + RedactedUrl(url) +
                              "' is not initialized; run 'vigil init' first");
  }
  if (version > store.LatestSchemaVersion()) {
    return FailedPrecondition("database '" + RedactedUrl(url) + "' has schema version " +
                              std::to_string(version) + ", newer than this vigil knows (" +
                              std::to_string(store.LatestSchemaVersion()) + "); upgrade vigil");
  }
  if (version != store.LatestSchemaVersion()) {
    return FailedPrecondition("database '" + RedactedUrl(url) + "' has schema version " +
                              std::to_string(version) + ", this vigil expects " +
                              std::to_string(store.LatestSchemaVersion()) +
                              "; run 'vigil init' to migrate it");
  }
  return Status::Ok();
}

// Whether the database's log says its times may be set by hand; false for a database that
// does not exist yet or has no log.
bool IsTestClockLog(Store& store) {
  auto facts = ReadLogFacts(store);
  return facts.ok() && facts->test_clock;
}

Result<std::unique_ptr<Clock>> MakeClock(const AppOptions& options, bool test_clock) {
  if (!options.now) {
    return std::unique_ptr<Clock>(std::make_unique<SystemClock>());
  }
  auto now = ParseIso8601(*options.now);
  if (!now.ok()) {
    return UsageError("--now: " + now.status().message());
  }
  if (options.access != Access::kRead && !test_clock) {
    return UsageError(
        "--now sets the time of reads only (what was due on that day); a change takes its time "
        "from the system clock. Only a database made with 'vigil init --test-clock' lets a "
        "change take --now, and all its evidence says so");
  }
  return std::unique_ptr<Clock>(std::make_unique<FixedClock>(*now));
}

// The configuration recorded in the database; the defaults when none was applied.
Result<Config> StoredConfig(Store& store) {
  ASSIGN_OR_RETURN(StoredConfigText stored, ReadStoredConfig(store));
  if (stored.text.empty()) {
    return Config{};
  }
  auto config = ParseConfig(stored.text, stored.file.empty() ? "(stored)" : stored.file);
  if (!config.ok()) {
    return Internal("the configuration stored in the database does not read back: " +
                    config.status().message() + " (apply a corrected one: vigil config apply)");
  }
  return *config;
}

OpenMode OpenModeFor(Access access) {
  switch (access) {
    case Access::kRead:
      return OpenMode::kReadOnly;
    case Access::kWrite:
      return OpenMode::kExisting;
    case Access::kInit:
      return OpenMode::kCreate;
  }
  return OpenMode::kReadOnly;
}

}  // namespace

std::string DefaultDatabaseUrl() {
  const char* env = std::getenv("VIGIL_DB");
  return env != nullptr && *env != '\0' ? env : "vigil.db";
}

std::string LoginName() {
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  return "";
}

namespace {

std::string DatabaseUrlOf(const std::string& db_url) {
  return db_url.empty() ? DefaultDatabaseUrl() : db_url;
}

// The configured key file, else the SQLite database's file + ".key". A PostgreSQL database
// has no directory of its own: without [audit] key_file there is none ("", refused where a
// key is used).
std::string KeyFileOf(const Config& config, const std::string& db_path) {
  if (!config.audit.key_file.empty()) {
    return config.audit.key_file;
  }
  return IsPostgresUrl(db_path) ? std::string() : db_path + ".key";
}

}  // namespace

std::string App::AuditKeyPath() const {
  return KeyFileOf(config_, db_path_);
}

Service App::service() {
  return Service(*store_, *clock_, config_, AuditKeyPath(), IsPostgresUrl(db_path_));
}

std::string App::AuditKeyPathFor(const std::string& db_url, const Config& config) {
  return KeyFileOf(config, SqlitePathOf(DatabaseUrlOf(db_url)));
}

std::string App::AuditOrigin() const {
  if (!config_.audit.origin.empty()) {
    return config_.audit.origin;
  }
  return "vigil/" + DatabaseNameOf(db_path_);
}

std::string App::AuditOriginFor(const std::string& db_url, const Config& config) {
  if (!config.audit.origin.empty()) {
    return config.audit.origin;
  }
  return "vigil/" + DatabaseNameOf(SqlitePathOf(DatabaseUrlOf(db_url)));
}

Result<std::unique_ptr<App>> App::Create(const AppOptions& options) {
  std::string url = DatabaseUrlOf(options.db_url);
  ASSIGN_OR_RETURN(auto store, OpenStore(url, OpenModeFor(options.access)));
  Config config;
  bool test_clock = options.test_clock;
  if (options.access != Access::kInit) {
    RETURN_IF_ERROR(CheckSchema(*store, url));
    ASSIGN_OR_RETURN(config, StoredConfig(*store));
  }
  ASSIGN_OR_RETURN(int version, store->SchemaVersion());
  if (version > 0) {
    test_clock = test_clock || IsTestClockLog(*store);
  }
  if (options.access == Access::kInit && version > 0) {
    // Re-running init keeps the recorded configuration (its key file above all) unless a new
    // one is given; one that does not read back is as good as none here.
    if (auto stored = StoredConfig(*store); stored.ok()) {
      config = *stored;
    }
  }
  ASSIGN_OR_RETURN(auto clock, MakeClock(options, test_clock));
  std::string login = LoginName();
  Identity identity{
      .user = options.user.empty() ? login : options.user, .login = login, .token = options.token};
  if (identity.user.empty()) {
    return UsageError("cannot tell who is acting: this process's user (uid " +
                      std::to_string(geteuid()) +
                      ") has no login name; name yourself with --as NAME and prove it with "
                      "your token in $VIGIL_TOKEN");
  }
  std::string db_path = SqlitePathOf(url);
  return std::unique_ptr<App>(new App(std::move(store), std::move(clock), std::move(identity),
                                      std::move(config), std::move(db_path), test_clock));
}

}  // namespace vigil
