// What both SQL backends share: the domain's open finding states as SQL, and the names a
// statement built from table and column names (ForEachRow, migrate's copy) may hold.
#pragma once

#include <string>
#include <string_view>

namespace vigil {

// The open finding states as an SQL list, "('open', 'reopened')", for statements fixed when
// they are built: what counts as open is core's IsOpen, not a backend's SQL.
std::string OpenStatesSql();

// Whether `name` is a plain identifier (lower-case letters, digits, '_'), the only table or
// column names a statement is built from: never a way to put SQL in.
bool IsSqlIdentifier(std::string_view name);
// The name in double quotes, so that names a database reserves (api_tokens.user) read as names.
std::string QuotedIdentifier(std::string_view name);

}  // namespace vigil
