// `vigil init`: create the database or migrate it to this version's schema, start the audit
// log (or adopt the tables of an old schema into it), and apply a configuration when one is
// given. Everything is checked before anything is written: the configuration file, and that
// the signing key file is private to its owner.
#pragma once

#include <optional>
#include <string>

#include "app/app.h"
#include "engine/config_apply.h"

namespace vigil {

struct InitInput {
  AppOptions app;           // access is kInit; app.test_clock: vigil init --test-clock
  std::string config_path;  // empty: no configuration applied
};

struct InitOutcome {
  int schema_before = 0;  // 0: the database was created
  int schema_after = 0;
  std::string verifier_key;
  std::string key_path;
  bool adopted = false;  // the tables of an older schema were adopted into the log
  bool test_clock = false;
  std::optional<ConfigApplied> applied;
  std::string config_path;
};

Result<InitOutcome> InitializeDatabase(InitInput input);

}  // namespace vigil
