// The backends the Store conformance suite (tests/store/conformance_test.cc) runs over, and
// how each test gets a database of its own. Only OpenStore and the Store interface are used:
// nothing here knows how a backend keeps its data.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace vigil::conformance {

// Every backend the suite knows: "sqlite", "postgres".
const std::vector<std::string>& Backends();

// Why `backend` cannot run here (for GTEST_SKIP); empty when it can. postgres needs
// VIGIL_PG_URL.
std::string SkipReason(const std::string& backend);

// The URL of a test's database: for sqlite "sqlite:" and a new file `name`.db in `dir` (so
// every test, and every `name`, has a database of its own); for postgres the value of
// VIGIL_PG_URL (one database, emptied by ResetForTest before each use). Empty when the backend
// is not configured.
std::string BackendUrl(const std::string& backend, const std::filesystem::path& dir,
                       const std::string& name = "store");

// Brings the database `url` names, opened as `store`, back to a database nothing ever wrote
// (no schema: SchemaVersion() is 0 afterwards): nothing to do for sqlite, whose databases are
// new files; PostgresReset for postgres.
Status ResetForTest(const std::string& backend, const std::string& url, Store& store);

// A store for one test: OpenStore(url, kCreate), ResetForTest, and Initialize() unless
// `initialize` is false.
Result<std::unique_ptr<Store>> FreshStore(const std::string& backend, const std::string& url,
                                          bool initialize = true);

// The PostgreSQL reset hook, in tests/store/conformance_postgres.cc: drops everything the
// database `url` holds, so that the next Initialize() starts from schema version 0. Called
// once per test, after OpenStore(url, kCreate) and before Initialize(), and only when
// VIGIL_PG_URL is set. The pg-backend branch supplies the real one.
Status PostgresReset(const std::string& url, Store& store);

}  // namespace vigil::conformance
