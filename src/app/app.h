// The composition root: one App, built in main from the global options, owns the store,
// the clock, the configuration and the policy (class scale) and hands references down.
// No globals.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/class_scale.h"
#include "core/clock.h"
#include "core/config.h"
#include "engine/authorize.h"
#include "engine/importer.h"
#include "store/store.h"

namespace vigil {

struct AppOptions {
  std::string db_url;                // --db, $VIGIL_DB, or ./vigil.db
  std::optional<std::string> now;    // --now: fixes the clock
  std::string user;                  // --as, or the login name
  std::string config_path;           // --config, $VIGIL_CONFIG, or none
  std::optional<std::string> token;  // $VIGIL_TOKEN: proves the identity --as names
  OpenMode open_mode = OpenMode::kExisting;
  bool require_schema = true;  // refuse a database that was never initialized
};

class App {
 public:
  static Result<std::unique_ptr<App>> Create(const AppOptions& options);

  Store& store() { return *store_; }
  const Clock& clock() const { return *clock_; }
  const ClassScale& scale() const { return config_.classification.scale; }
  const std::string& user() const { return identity_.user; }
  const Identity& identity() const { return identity_; }
  const Config& config() const { return config_; }
  // The audit log's signing key file and the origin for a new log.
  std::string AuditKeyPath() const;
  // AuditKeyPath() of the App these options would create, without opening the database:
  // `vigil init` checks the key file before it creates or changes anything.
  static Result<std::string> AuditKeyPathFor(const AppOptions& options);
  std::string AuditOrigin() const;
  Importer importer() { return Importer(*store_, *clock_, config_); }

 private:
  App(std::unique_ptr<Store> store, std::unique_ptr<Clock> clock, Identity identity, Config config,
      std::string db_path)
      : store_(std::move(store)),
        clock_(std::move(clock)),
        identity_(std::move(identity)),
        config_(std::move(config)),
        db_path_(std::move(db_path)) {}

  std::unique_ptr<Store> store_;
  std::unique_ptr<Clock> clock_;
  Identity identity_;
  Config config_;
  std::string db_path_;
};

// The database URL when --db is not given: $VIGIL_DB, else ./vigil.db.
std::string DefaultDatabaseUrl();
// The configuration file when --config is not given: $VIGIL_CONFIG, else none.
std::string DefaultConfigPath();
// The login name of the user running vigil.
std::string LoginName();

}  // namespace vigil
