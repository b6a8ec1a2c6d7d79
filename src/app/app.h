// The composition root: one App, built in main from the global options, owns the store,
// the clock, the configuration in force and the policy (class scale) and hands references
// down. No globals.
//
// Reads and writes open the database differently (docs/cli.md#time-and-access): a read opens
// it read-only, takes its time from --now when given and changes nothing; a write takes its
// time from the system clock, and refuses --now unless the database was made with
// `vigil init --test-clock`. The configuration is the one recorded in the database
// (`vigil config apply`), never a file given to a command.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "app/service.h"
#include "core/class_scale.h"
#include "core/clock.h"
#include "core/config.h"
#include "engine/authorize.h"
#include "engine/importer.h"
#include "store/store.h"

namespace vigil {

enum class Access {
  kRead,   // opened read-only; --now sets the time of the read
  kWrite,  // the system clock (or --now on a test-clock database)
  kInit,   // vigil init: creates or migrates the database; no schema or configuration yet
};

struct AppOptions {
  std::string db_url;                // --db, $VIGIL_DB, or ./vigil.db
  std::optional<std::string> now;    // --now
  std::string user;                  // --as, or the login name
  std::optional<std::string> token;  // $VIGIL_TOKEN: proves the identity --as names
  Access access = Access::kRead;
  bool test_clock = false;  // vigil init --test-clock: --now may set the time of writes
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
  // True for a database made with vigil init --test-clock (its evidence says so).
  bool test_clock() const { return test_clock_; }
  // The audit log's signing key file and the origin for a new log.
  std::string AuditKeyPath() const;
  // AuditKeyPath() of the database `db_url` with `config`, without opening the database:
  // `vigil init` checks the key file before it creates or changes anything.
  static std::string AuditKeyPathFor(const std::string& db_url, const Config& config);
  std::string AuditOrigin() const;
  // AuditOrigin() of the database `db_url` with `config`, without opening it (vigil migrate).
  static std::string AuditOriginFor(const std::string& db_url, const Config& config);
  const std::string& db_path() const { return db_path_; }
  // Replaces the configuration (vigil init --config, before anything reads it).
  void set_config(Config config) { config_ = std::move(config); }
  Importer importer() { return Importer(*store_, *clock_, config_); }
  // The application layer over this database, clock and configuration.
  Service service();

 private:
  App(std::unique_ptr<Store> store, std::unique_ptr<Clock> clock, Identity identity, Config config,
      std::string db_path, bool test_clock)
      : store_(std::move(store)),
        clock_(std::move(clock)),
        identity_(std::move(identity)),
        config_(std::move(config)),
        db_path_(std::move(db_path)),
        test_clock_(test_clock) {}

  std::unique_ptr<Store> store_;
  std::unique_ptr<Clock> clock_;
  Identity identity_;
  Config config_;
  std::string db_path_;
  bool test_clock_ = false;
};

// The database URL when --db is not given: $VIGIL_DB, else ./vigil.db.
std::string DefaultDatabaseUrl();
// The login name of the user running vigil: the passwd entry of the effective uid, never the
// environment; empty when there is none.
std::string LoginName();

}  // namespace vigil
