#include <string>

#include "core/database_url.h"
#include "store/postgres/pg_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace vigil {

Result<std::unique_ptr<Store>> OpenStore(const std::string& url, OpenMode mode) {
  if (IsPostgresUrl(url)) {
    ASSIGN_OR_RETURN(auto store, postgres::PgStore::Open(url, mode));
    return std::unique_ptr<Store>(std::move(store));
  }
  std::string path = SqlitePathOf(url);
  if (path.empty()) {
    return UsageError("--db needs a path");
  }
  ASSIGN_OR_RETURN(auto store, sqlite::SqliteStore::Open(path, mode));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace vigil
