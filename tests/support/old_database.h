// A database as an older vigil left it, for migration tests: the schema of a given version,
// then rows written in SQL. Header-only: the tests that use it link SQLite and the store.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "store/sqlite/sqlite_schema.h"

namespace vigil::testing {

// Writes the schema of `version`, then `rows` (SQL), and sets the schema version.
inline void OldDatabase(const std::string& path, size_t version, const std::string& rows) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  for (size_t v = 0; v < version; ++v) {
    std::string sql(sqlite::Migrations().at(v));
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << v + 1;
  }
  std::string data = rows + "PRAGMA user_version = " + std::to_string(version) + ";";
  ASSERT_EQ(sqlite3_exec(db, data.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  sqlite3_close(db);
}

}  // namespace vigil::testing
