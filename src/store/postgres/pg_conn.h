// A thin RAII layer over libpq: a connection, results with typed cell readers, and parameter
// lists. Every value travels as a parameter ($1, $2, ...), never inside the SQL text.
#pragma once

// A backend's header: only the PostgreSQL backend, the opener (store/open_store.cc) and the
// store's own tests may include it; everything else goes through store/store.h.
#ifndef VIGIL_STORE_BACKEND
#error "store/postgres/ is the PostgreSQL backend's own: include store/store.h instead"
#endif

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "store/records.h"

struct pg_conn;
struct pg_result;

namespace vigil::postgres {

// The values of $1, $2, ... in the order they are added, as text (libpq's text format).
// Empty optionals add NULL; AddText adds NULL for an empty string (optional text columns, as
// the SQLite backend stores them).
class Params {
 public:
  Params& Add(int64_t value);
  Params& Add(int value) { return Add(static_cast<int64_t>(value)); }
  Params& Add(double value);
  Params& Add(std::string_view value);
  Params& Add(const std::string& value) { return Add(std::string_view(value)); }
  Params& Add(const char* value) { return Add(std::string_view(value)); }
  Params& Add(Timestamp value) { return Add(ToUnixSeconds(value)); }
  Params& Add(bool value) = delete;  // store 0/1 explicitly, as SQLite does
  template <typename T>
  Params& Add(const std::optional<T>& value) {
    return value ? Add(*value) : AddNull();
  }
  Params& AddNull();
  Params& AddText(std::string_view value);
  // A text[] array literal of `values` (each quoted).
  Params& AddArray(const std::vector<std::string>& values);

  int size() const { return static_cast<int>(values_.size()); }
  // The pointers libpq reads; valid while this object is unchanged.
  std::vector<const char*> Pointers() const;

 private:
  std::vector<std::optional<std::string>> values_;
};

// A query's result: rows of text cells (libpq's text format), read by row and column.
class PgResult {
 public:
  explicit PgResult(pg_result* result) : result_(result) {}
  PgResult(PgResult&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  PgResult& operator=(PgResult&& other) noexcept;
  PgResult(const PgResult&) = delete;
  PgResult& operator=(const PgResult&) = delete;
  ~PgResult();

  int Rows() const;
  int Columns() const;
  // Rows changed by an INSERT, UPDATE or DELETE.
  int64_t Affected() const;
  // The command tag ("INSERT 0 1", "ROLLBACK").
  std::string CommandTag() const;
  bool IsNull(int row, int col) const;
  int64_t Int(int row, int col) const;  // 0 for NULL
  double Double(int row, int col) const;
  std::string Text(int row, int col) const;  // "" for NULL
  Timestamp Time(int row, int col) const { return FromUnixSeconds(Int(row, col)); }
  std::optional<Timestamp> OptTime(int row, int col) const;
  std::optional<int64_t> OptInt(int row, int col) const;
  std::optional<double> OptDouble(int row, int col) const;
  // The value as the SQLite backend would hand it out: by the column's type, integers as Int,
  // floating point as Real, anything else as Text, NULL as Null.
  Cell CellAt(int row, int col) const;

 private:
  pg_result* result_;
};

// A row of a result, so that row readers look like the SQLite backend's.
class Row {
 public:
  Row(const PgResult& result, int row) : r_(result), row_(row) {}
  bool IsNull(int col) const { return r_.IsNull(row_, col); }
  int64_t Int(int col) const { return r_.Int(row_, col); }
  double Double(int col) const { return r_.Double(row_, col); }
  std::string Text(int col) const { return r_.Text(row_, col); }
  Timestamp Time(int col) const { return r_.Time(row_, col); }
  std::optional<Timestamp> OptTime(int col) const { return r_.OptTime(row_, col); }
  std::optional<int64_t> OptInt(int col) const { return r_.OptInt(row_, col); }
  std::optional<double> OptDouble(int col) const { return r_.OptDouble(row_, col); }
  Cell CellAt(int col) const { return r_.CellAt(row_, col); }

 private:
  const PgResult& r_;
  int row_;
};

// Every row of `result` turned into a value with `read(Row)`.
template <typename Read>
auto MapRows(const PgResult& result, Read read) -> std::vector<decltype(read(Row(result, 0)))> {
  std::vector<decltype(read(Row(result, 0)))> out;
  out.reserve(static_cast<size_t>(result.Rows()));
  for (int i = 0; i < result.Rows(); ++i) {
    out.push_back(read(Row(result, i)));
  }
  return out;
}

class Connection {
 public:
  // Connects with `conninfo` (a postgresql:// URL or key=value pairs). Errors name the host
  // or socket directory and database, never the password.
  static Result<std::unique_ptr<Connection>> Open(const std::string& conninfo);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs SQL without parameters (may hold several statements).
  Status Exec(const std::string& sql);
  // Runs one statement with parameters, planned for these values (listings).
  Result<PgResult> Query(const std::string& sql, const Params& params);
  // Runs one statement with parameters through a prepared statement kept for the connection's
  // lifetime (the hot paths of an import).
  Result<PgResult> Prepared(const std::string& sql, const Params& params);
  // Queues a write whose result is not needed (an import's inserts and updates, inside a
  // transaction). The queued statements go to the server together, in libpq's pipeline mode,
  // when kMaxQueued wait or before anything else runs on the connection: one round trip for a
  // batch instead of one per row. The first error of a batch is returned by the call that sent
  // it (Flush, or the next statement), and the server has then aborted the transaction.
  Status Queue(const std::string& sql, Params params);
  // Sends the queued statements and waits for their results.
  Status Flush();
  // Forgets the queued statements, unsent (before a ROLLBACK).
  void Discard() { queued_.clear(); }
  // Runs a SELECT through a cursor, handing `visit` each row in batches, so a large table is
  // never held in memory whole and `visit` may itself use the connection. `in_transaction`
  // says whether a transaction is open (else the cursor is held past its own).
  Status ForEach(const std::string& sql, const Params& params, bool in_transaction,
                 const std::function<Status(const Row&)>& visit);
  // Connects again when the connection was lost (the server restarted, a failover, an idle
  // timeout): prepared statements and session settings are made anew. Only between
  // transactions: work of a transaction the connection lost is lost with it, never continued
  // on another.
  Status Revive();
  // Whether the connection is lost (libpq learns it when a statement fails).
  bool Lost() const;
  // Runs a COPY ... FROM STDIN statement, `produce` handing each line of its text format
  // (without the newline) to the function it is given; one statement, so that foreign keys are
  // checked when it ends.
  Status CopyIn(
      const std::string& sql,
      const std::function<Status(const std::function<Status(std::string_view)>&)>& produce);
  // Where the connection goes ("host H port P database D" or the socket directory).
  const std::string& Describe() const { return where_; }

 private:
  Connection(pg_conn* conn, std::string where) : conn_(conn), where_(std::move(where)) {}
  Result<PgResult> Check(pg_result* result);
  Status Configure();

  // The name of the prepared statement for `sql`, prepared on first use.
  Result<const std::string*> PreparedName(const std::string& sql);

  // At most this many statements wait: their results (a few dozen bytes each) fit the socket's
  // buffer, so the server never blocks on a client that is still sending.
  static constexpr size_t kMaxQueued = 1000;
  struct Queued {
    const std::string* name;  // the prepared statement (a value of prepared_, which is stable)
    Params params;
  };

  pg_conn* conn_;
  std::string where_;
  std::vector<Queued> queued_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
  int cursors_ = 0;                                        // open cursors, for unique names
};

}  // namespace vigil::postgres
