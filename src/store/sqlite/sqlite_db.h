// A thin RAII layer over the SQLite C API: a connection with a cache of prepared
// statements, and statements with typed bind and column helpers.
#pragma once

// A backend's header: only the SQLite backend, the opener (store/open_store.cc) and the store's
// own tests may include it; everything else goes through store/store.h (DESIGN.md section 3).
#ifndef VIGIL_STORE_BACKEND
#error "store/sqlite/ is the SQLite backend's own: include store/store.h instead"
#endif

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "core/time.h"

struct sqlite3;
struct sqlite3_stmt;

namespace vigil::sqlite {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds are 1-based, as in SQLite. Empty optionals bind NULL. Text is bound without a copy:
  // it must outlive the statement's execution, so temporaries are refused at compile time.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const std::string& value) {
    return Bind(index, std::string_view(value));
  }
  Statement& Bind(int index, std::string&& value) = delete;
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, Timestamp value) { return Bind(index, ToUnixSeconds(value)); }
  Statement& BindNull(int index);
  // Binds NULL for an empty string (optional text columns).
  Statement& BindText(int index, std::string_view value);
  template <typename T>
  Statement& Bind(int index, const std::optional<T>& value) {
    return value ? Bind(index, *value) : BindNull(index);
  }

  // Steps once: true when a row is available, false when done.
  Result<bool> Step();
  // Steps to completion, for statements that return no rows.
  Status Run();
  // Resets for reuse and clears bindings.
  void Reset();

  // Steps through every row, turning each into a value with `read(*this)`.
  template <typename Read>
  auto Rows(Read read) -> Result<std::vector<decltype(read(*this))>> {
    std::vector<decltype(read(*this))> out;
    while (true) {
      auto row = Step();
      if (!row.ok()) {
        return row.status();
      }
      if (!*row) {
        return out;
      }
      out.push_back(read(*this));
    }
  }

  enum class ColumnType { kNull, kInt, kReal, kText };
  // The type of the value in the current row (blobs read as text).
  ColumnType Type(int col) const;
  bool IsNull(int col) const;
  int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;
  Timestamp Time(int col) const { return FromUnixSeconds(Int(col)); }
  std::optional<Timestamp> OptTime(int col) const;
  std::optional<int64_t> OptInt(int col) const;
  std::optional<double> OptDouble(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
};

class Database {
 public:
  enum class Mode { kCreate, kExisting, kReadOnly };
  // Opens the file; unless `mode` is kCreate a missing file is an error. kReadOnly opens it
  // so that SQLite refuses every write.
  static Result<std::unique_ptr<Database>> Open(const std::string& path, Mode mode);
  ~Database();

  Status Exec(const std::string& sql);
  // Returns a cached statement for `sql`, reset and ready to bind. The reference stays valid
  // for the connection's lifetime; statements are not reentrant. Lookups of the same text at
  // the same address (string literals) neither allocate nor hash the text.
  Result<Statement*> Prepare(std::string_view sql);
  int64_t LastInsertId() const;
  int Changes() const;
  // Whether a transaction is open on the connection.
  bool InTransaction() const;
  std::string ErrorMessage() const;

 private:
  explicit Database(sqlite3* db) : db_(db) {}
  struct Recent {
    std::string_view sql;  // points into cache_'s key
    Statement* statement;
  };
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
  std::unordered_map<const char*, Recent> by_address_;
};

}  // namespace vigil::sqlite
