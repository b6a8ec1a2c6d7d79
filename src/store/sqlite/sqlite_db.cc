#include "store/sqlite/sqlite_db.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace vigil::sqlite {

Statement::~Statement() {
  sqlite3_finalize(stmt_);
}

Statement& Statement::Bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
  return *this;
}

Statement& Statement::BindNull(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::BindText(int index, std::string_view value) {
  return value.empty() ? BindNull(index) : Bind(index, value);
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) {
    return true;
  }
  if (rc == SQLITE_DONE) {
    return false;
  }
  std::string msg = std::string("database error: ") + sqlite3_errmsg(db_);
  sqlite3_reset(stmt_);
  return Internal(msg);
}

Status Statement::Run() {
  while (true) {
    auto r = Step();
    if (!r.ok()) {
      return r.status();
    }
    if (!*r) {
      return Status::Ok();
    }
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement::ColumnType Statement::Type(int col) const {
  switch (sqlite3_column_type(stmt_, col)) {
    case SQLITE_NULL:
      return ColumnType::kNull;
    case SQLITE_INTEGER:
      return ColumnType::kInt;
    case SQLITE_FLOAT:
      return ColumnType::kReal;
    default:
      return ColumnType::kText;
  }
}

bool Statement::IsNull(int col) const {
  return sqlite3_column_type(stmt_, col) == SQLITE_NULL;
}
int64_t Statement::Int(int col) const {
  return sqlite3_column_int64(stmt_, col);
}
double Statement::Double(int col) const {
  return sqlite3_column_double(stmt_, col);
}

std::string Statement::Text(int col) const {
  const auto* p = sqlite3_column_text(stmt_, col);
  if (p == nullptr) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::optional<Timestamp> Statement::OptTime(int col) const {
  if (IsNull(col)) {
    return std::nullopt;
  }
  return Time(col);
}

std::optional<int64_t> Statement::OptInt(int col) const {
  if (IsNull(col)) {
    return std::nullopt;
  }
  return Int(col);
}

std::optional<double> Statement::OptDouble(int col) const {
  if (IsNull(col)) {
    return std::nullopt;
  }
  return Double(col);
}

namespace {

// A new database holds the installation's findings and its users' token hashes: it is created
// readable by its owner only. SQLite gives its -wal, -shm and -journal files the database
// file's mode, so they follow.
Status CreatePrivateFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return Status::Ok();  // created meanwhile by someone else: opened as it is
    }
    return Internal("cannot create database '" + path + "': " + std::strerror(errno));
  }
  ::close(fd);
  return Status::Ok();
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::string& path, Mode mode) {
  bool create = mode == Mode::kCreate;
  struct stat st {};
  bool exists = stat(path.c_str(), &st) == 0;
  if (!create && !exists) {
    return FailedPrecondition("database '" + path +
                              "' does not exist; create it with 'vigil init'");
  }
  if (create && !exists && path != ":memory:" && !path.empty()) {
    RETURN_IF_ERROR(CreatePrivateFile(path));
  }
  // A connection is used by one thread at a time (Store's contract), so SQLite's own
  // per-call mutexes and allocation statistics are pure cost.
  static const int configured = [] {
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return sqlite3_initialize();
  }();
  if (configured != SQLITE_OK) {
    return Internal("cannot initialize SQLite");
  }
  sqlite3* db = nullptr;
  int flags = (mode == Mode::kReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
              SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    // A database failure, not rejected input: exit code 3 (src/cli/main.cc).
    return Internal("cannot open database '" + path + "': " + msg);
  }
  sqlite3_busy_timeout(db, 10000);
  auto out = std::unique_ptr<Database>(new Database(db));
  // WAL lets readers (the web UI) run while an import writes; NORMAL sync is durable across
  // application crashes and loses at most the last commit on power loss, as SQLite documents.
  // 8 KiB pages keep most plugin outputs (evidence text, often a few KB) on one page; larger
  // pages measured slower (bench/: B-tree rebalancing buffers grow with the page). Only takes
  // effect when the file is created.
  // A reader changes nothing, not even the journal mode: it reads the last committed state
  // while a writer works (WAL).
  if (mode != Mode::kReadOnly) {
    RETURN_IF_ERROR(
        out->Exec("PRAGMA page_size=8192; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"));
  }
  RETURN_IF_ERROR(
      out->Exec("PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16384;"));
  if (mode == Mode::kReadOnly) {
    // A reader sees one state from its first query to its end: without one transaction each
    // query would read the latest commit, and a read running while an import commits would
    // mix the state before it with the state after it (audit verify would see the import's
    // rows without its event, and call them forged). Ended by closing the connection.
    RETURN_IF_ERROR(out->Exec("BEGIN"));
  }
  return out;
}

Database::~Database() {
  by_address_.clear();
  cache_.clear();
  sqlite3_close(db_);
}

Status Database::Exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    return Internal("database error: " + msg);
  }
  return Status::Ok();
}

Result<Statement*> Database::Prepare(std::string_view sql) {
  // The same address may later hold other text, so a hit is confirmed by comparing it.
  auto near = by_address_.find(sql.data());
  if (near != by_address_.end() && near->second.sql == sql) {
    near->second.statement->Reset();
    return near->second.statement;
  }
  std::string key(sql);
  auto it = cache_.find(key);
  if (it == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()),
                           SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) {
      return Internal("database error preparing statement: " + std::string(sqlite3_errmsg(db_)));
    }
    it = cache_.emplace(std::move(key), std::make_unique<Statement>(db_, stmt)).first;
  }
  it->second->Reset();
  by_address_[sql.data()] = Recent{it->first, it->second.get()};
  return it->second.get();
}

int64_t Database::LastInsertId() const {
  return sqlite3_last_insert_rowid(db_);
}
bool Database::InTransaction() const {
  return sqlite3_get_autocommit(db_) == 0;
}
int Database::Changes() const {
  return sqlite3_changes(db_);
}
std::string Database::ErrorMessage() const {
  return sqlite3_errmsg(db_);
}

}  // namespace vigil::sqlite
