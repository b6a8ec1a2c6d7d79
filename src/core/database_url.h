// What vigil reads from a --db value: which backend it names, a name for the database, and the
// value as it may be shown (a password never is).
#pragma once

#include <string>
#include <string_view>

namespace vigil {

// postgresql://... or postgres://... (libpq's URL forms); anything else is an SQLite file,
// "sqlite:PATH" or PATH.
bool IsPostgresUrl(std::string_view url);

// The file an SQLite value names: PATH of "sqlite:PATH", else the value as it is (a PostgreSQL
// URL too).
std::string SqlitePathOf(std::string_view url);

// The value with any password replaced by "***": the userinfo's ":secret@" and a "password="
// parameter of a PostgreSQL URL. What messages, logs and output may show.
std::string RedactedUrl(std::string_view url);

// A short name of the database: an SQLite database's file name, a PostgreSQL URL's database
// name (its path, else its dbname parameter, else "postgresql"). Never a host or a password.
std::string DatabaseNameOf(std::string_view url);

}  // namespace vigil
