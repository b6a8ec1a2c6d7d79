// The SQLite schema as an ordered list of migrations. Migration N brings a database from
// schema version N-1 to N; the version is kept in PRAGMA user_version.
#pragma once

// A backend's header: only the SQLite backend, the opener (store/open_store.cc) and the store's
// own tests may include it; everything else goes through store/store.h (DESIGN.md section 3).
#ifndef VIGIL_STORE_BACKEND
#error "store/sqlite/ is the SQLite backend's own: include store/store.h instead"
#endif

#include <string_view>
#include <vector>

namespace vigil::sqlite {

const std::vector<std::string_view>& Migrations();

}  // namespace vigil::sqlite
