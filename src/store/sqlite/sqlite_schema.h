// The SQLite schema as an ordered list of migrations. Migration N brings a database from
// schema version N-1 to N; the version is kept in PRAGMA user_version.
#pragma once

#include <string_view>
#include <vector>

namespace vigil::sqlite {

const std::vector<std::string_view>& Migrations();

}  // namespace vigil::sqlite
