// The PostgreSQL schema as an ordered list of migrations, numbered like the SQLite backend's so
// that `vigil` reports one schema version whatever the database. A PostgreSQL database starts
// at the SQLite backend's version 9 whole (there never was an older PostgreSQL schema); each
// later version adds one migration with the same number on both backends. The version is kept
// in the one-row table schema_version.
#pragma once

// A backend's header: only the PostgreSQL backend, the opener (store/open_store.cc) and the
// store's own tests may include it; everything else goes through store/store.h.
#ifndef VIGIL_STORE_BACKEND
#error "store/postgres/ is the PostgreSQL backend's own: include store/store.h instead"
#endif

#include <string_view>
#include <vector>

namespace vigil::postgres {

struct PgMigration {
  int version;           // the schema version the migration brings the database to
  int from;              // the version it starts from (0: an empty database)
  std::string_view sql;  // one or more statements
};

const std::vector<PgMigration>& PgMigrations();

// The newest version: must equal the SQLite backend's LatestSchemaVersion().
int PgLatestSchemaVersion();

}  // namespace vigil::postgres
