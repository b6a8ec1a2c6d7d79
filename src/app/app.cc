#include "app/app.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

#include "config/config_file.h"
#include "engine/reconcile.h"

namespace vigil {

std::string DefaultDatabaseUrl() {
  const char* env = std::getenv("VIGIL_DB");
  return env != nullptr && *env != '\0' ? env : "vigil.db";
}

std::string DefaultConfigPath() {
  const char* env = std::getenv("VIGIL_CONFIG");
  return env != nullptr ? env : "";
}

std::string LoginName() {
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  const char* user = std::getenv("USER");
  return user != nullptr ? user : "unknown";
}

namespace {

std::string ConfigPathOf(const AppOptions& options) {
  return options.config_path.empty() ? DefaultConfigPath() : options.config_path;
}

std::string DatabaseUrlOf(const AppOptions& options) {
  return options.db_url.empty() ? DefaultDatabaseUrl() : options.db_url;
}

// The file of an SQLite URL ("sqlite:PATH" or PATH).
std::string DatabasePathOf(const std::string& url) {
  return url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url;
}

std::string KeyFileOf(const Config& config, const std::string& db_path) {
  return config.audit.key_file.empty() ? db_path + ".key" : config.audit.key_file;
}

}  // namespace

std::string App::AuditKeyPath() const {
  return KeyFileOf(config_, db_path_);
}

Result<std::string> App::AuditKeyPathFor(const AppOptions& options) {
  Config config;
  if (std::string path = ConfigPathOf(options); !path.empty()) {
    ASSIGN_OR_RETURN(config, LoadConfigFile(path));
  }
  return KeyFileOf(config, DatabasePathOf(DatabaseUrlOf(options)));
}

std::string App::AuditOrigin() const {
  if (!config_.audit.origin.empty()) {
    return config_.audit.origin;
  }
  std::string name = db_path_.substr(db_path_.find_last_of('/') + 1);
  for (char& c : name) {
    if (static_cast<unsigned char>(c) < 0x21 || c == '+') {
      c = '_';
    }
  }
  return "vigil/" + name;
}

Result<std::unique_ptr<App>> App::Create(const AppOptions& options) {
  std::unique_ptr<Clock> clock;
  if (options.now) {
    auto now = ParseIso8601(*options.now);
    if (!now.ok()) {
      return UsageError("--now: " + now.status().message());
    }
    clock = std::make_unique<FixedClock>(*now);
  } else {
    clock = std::make_unique<SystemClock>();
  }
  Config config;
  std::string config_path = ConfigPathOf(options);
  if (!config_path.empty()) {
    ASSIGN_OR_RETURN(config, LoadConfigFile(config_path));
  }
  std::string url = DatabaseUrlOf(options);
  ASSIGN_OR_RETURN(auto store, OpenStore(url, options.open_mode));
  if (options.require_schema) {
    ASSIGN_OR_RETURN(int version, store->SchemaVersion());
    if (version == 0) {
      return FailedPrecondition("database '" + url +
                                "' is not initialized; run 'vigil init' first");
    }
    if (version > store->LatestSchemaVersion()) {
      return FailedPrecondition("database '" + url + "' has schema version " +
                                std::to_string(version) + ", newer than this vigil knows (" +
                                std::to_string(store->LatestSchemaVersion()) + "); upgrade vigil");
    }
    if (version != store->LatestSchemaVersion()) {
      return FailedPrecondition("database '" + url + "' has schema version " +
                                std::to_string(version) + ", this vigil expects " +
                                std::to_string(store->LatestSchemaVersion()) +
                                "; run 'vigil init' to migrate it");
    }
  }
  if (options.require_schema) {
    RETURN_IF_ERROR(Reconcile(*store, config, clock->Now())
                        .status()
                        .WithPrefix("bringing the database up to date with the configuration"));
  }
  Identity identity{.user = options.user.empty() ? LoginName() : options.user,
                    .login = LoginName(),
                    .token = options.token};
  std::string db_path = DatabasePathOf(url);
  return std::unique_ptr<App>(new App(std::move(store), std::move(clock), std::move(identity),
                                      std::move(config), std::move(db_path)));
}

}  // namespace vigil
