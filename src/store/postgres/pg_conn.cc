#include "store/postgres/pg_conn.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>

namespace vigil::postgres {
namespace {

// Type OIDs (pg_type.h): the integer and floating point types; everything else reads as text.
constexpr Oid kInt8 = 20;
constexpr Oid kInt2 = 21;
constexpr Oid kInt4 = 23;
constexpr Oid kFloat4 = 700;
constexpr Oid kFloat8 = 701;
constexpr Oid kBool = 16;

std::string Trimmed(const char* message) {
  std::string s = message != nullptr ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) {
    s.pop_back();
  }
  return s;
}

// "host H port P database D user U" from the connection options, never the password.
std::string DescribeTarget(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(conninfo.c_str(), &err);
  if (opts == nullptr) {
    PQfreemem(err);
    return "the PostgreSQL server";
  }
  std::string host;
  std::string port;
  std::string db;
  std::string user;
  for (PQconninfoOption* o = opts; o->keyword != nullptr; ++o) {
    std::string key = o->keyword;
    std::string value = o->val != nullptr ? o->val : "";
    if (key == "host" || key == "hostaddr") {
      host = host.empty() ? value : host;
    } else if (key == "port") {
      port = value;
    } else if (key == "dbname") {
      db = value;
    } else if (key == "user") {
      user = value;
    }
  }
  PQconninfoFree(opts);
  std::string out;
  if (host.empty()) {
    out = "the default PostgreSQL socket";
  } else if (host.front() == '/') {
    out = "the PostgreSQL socket in " + host;
  } else {
    out = "PostgreSQL at " + host;
  }
  if (!port.empty()) {
    out += " port " + port;
  }
  if (!db.empty()) {
    out += ", database " + db;
  }
  if (!user.empty()) {
    out += ", user " + user;
  }
  return out;
}

void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

std::string QuoteArrayElement(const std::string& v) {
  std::string out = "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
    }
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace

Params& Params::Add(int64_t value) {
  values_.emplace_back(std::to_string(value));
  return *this;
}

Params& Params::Add(double value) {
  // The shortest text that reads back as the same double: the stored value is exact.
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), value);
  values_.emplace_back(ec == std::errc() ? std::string(buf, end) : std::to_string(value));
  return *this;
}

Params& Params::Add(std::string_view value) {
  values_.emplace_back(std::string(value));
  return *this;
}

Params& Params::AddNull() {
  values_.emplace_back(std::nullopt);
  return *this;
}

Params& Params::AddText(std::string_view value) {
  return value.empty() ? AddNull() : Add(value);
}

Params& Params::AddArray(const std::vector<std::string>& values) {
  std::string out = "{";
  for (size_t i = 0; i < values.size(); ++i) {
    out += (i == 0 ? "" : ",") + QuoteArrayElement(values[i]);
  }
  out += "}";
  values_.emplace_back(std::move(out));
  return *this;
}

std::vector<const char*> Params::Pointers() const {
  std::vector<const char*> out;
  out.reserve(values_.size());
  for (const auto& v : values_) {
    out.push_back(v ? v->c_str() : nullptr);
  }
  return out;
}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    PQclear(result_);
    result_ = other.result_;
    other.result_ = nullptr;
  }
  return *this;
}

PgResult::~PgResult() {
  PQclear(result_);
}

int PgResult::Rows() const {
  return PQntuples(result_);
}
int PgResult::Columns() const {
  return PQnfields(result_);
}

int64_t PgResult::Affected() const {
  const char* n = PQcmdTuples(result_);
  return n != nullptr && *n != '\0' ? std::strtoll(n, nullptr, 10) : 0;
}

std::string PgResult::CommandTag() const {
  const char* tag = PQcmdStatus(result_);
  return tag != nullptr ? tag : "";
}

bool PgResult::IsNull(int row, int col) const {
  return PQgetisnull(result_, row, col) != 0;
}

int64_t PgResult::Int(int row, int col) const {
  const char* v = PQgetvalue(result_, row, col);
  if (PQftype(result_, col) == kBool) {
    return v[0] == 't' ? 1 : 0;
  }
  int64_t out = 0;
  std::from_chars(v, v + PQgetlength(result_, row, col), out);
  return out;
}

double PgResult::Double(int row, int col) const {
  const char* v = PQgetvalue(result_, row, col);
  double out = 0;
  std::from_chars(v, v + PQgetlength(result_, row, col), out);
  return out;
}

std::string PgResult::Text(int row, int col) const {
  return std::string(PQgetvalue(result_, row, col),
                     static_cast<size_t>(PQgetlength(result_, row, col)));
}

std::optional<Timestamp> PgResult::OptTime(int row, int col) const {
  return IsNull(row, col) ? std::nullopt : std::optional(Time(row, col));
}
std::optional<int64_t> PgResult::OptInt(int row, int col) const {
  return IsNull(row, col) ? std::nullopt : std::optional(Int(row, col));
}
std::optional<double> PgResult::OptDouble(int row, int col) const {
  return IsNull(row, col) ? std::nullopt : std::optional(Double(row, col));
}

Cell PgResult::CellAt(int row, int col) const {
  if (IsNull(row, col)) {
    return Cell::Null();
  }
  switch (PQftype(result_, col)) {
    case kInt8:
    case kInt4:
    case kInt2:
    case kBool:
      return Cell::Int(Int(row, col));
    case kFloat8:
    case kFloat4:
      return Cell::Real(Double(row, col));
    default:
      return Cell::Text(Text(row, col));
  }
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& conninfo) {
  std::string where = DescribeTarget(conninfo);
  PGconn* conn = PQconnectdb(conninfo.c_str());
  if (conn == nullptr) {
    return Internal("cannot connect to " + where + ": out of memory");
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = Trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    // A database failure, not rejected input: exit code 3, as for SQLite.
    return Internal("cannot connect to " + where + ": " + msg);
  }
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  auto out = std::unique_ptr<Connection>(new Connection(conn, where));
  RETURN_IF_ERROR(out->Configure());
  return out;
}

Status Connection::Configure() {
  // Floats travel as the shortest text that reads back exactly; the client's encoding is
  // UTF-8 like every string vigil keeps.
  return Exec(
      "SET extra_float_digits = 3; SET client_encoding = 'UTF8'; "
      "SET client_min_messages = warning");
}

bool Connection::Lost() const {
  return PQstatus(conn_) != CONNECTION_OK;
}

Status Connection::Revive() {
  if (PQstatus(conn_) == CONNECTION_OK) {
    return Status::Ok();
  }
  queued_.clear();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Internal("database error: lost the connection to " + where_ +
                    " and cannot connect again: " + Trimmed(PQerrorMessage(conn_)));
  }
  prepared_.clear();
  cursors_ = 0;
  return Configure();
}

Connection::~Connection() {
  PQfinish(conn_);
}

Result<PgResult> Connection::Check(pg_result* raw) {
  PgResult result(raw);
  ExecStatusType st = PQresultStatus(raw);
  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
    return result;
  }
  std::string msg = raw != nullptr ? Trimmed(PQresultErrorMessage(raw)) : "";
  if (msg.empty()) {
    msg = Trimmed(PQerrorMessage(conn_));
  }
  if (PQstatus(conn_) != CONNECTION_OK) {
    return Internal("database error: lost the connection to " + where_ + ": " + msg);
  }
  return Internal("database error: " + msg);
}

Status Connection::Exec(const std::string& sql) {
  RETURN_IF_ERROR(Flush());
  auto r = Check(PQexec(conn_, sql.c_str()));
  return r.ok() ? Status::Ok() : r.status();
}

Result<PgResult> Connection::Query(const std::string& sql, const Params& params) {
  RETURN_IF_ERROR(Flush());
  auto values = params.Pointers();
  return Check(
      PQexecParams(conn_, sql.c_str(), params.size(), nullptr, values.data(), nullptr, nullptr, 0));
}

Result<const std::string*> Connection::PreparedName(const std::string& sql) {
  auto it = prepared_.find(sql);
  if (it == prepared_.end()) {
    std::string name = "vigil_" + std::to_string(prepared_.size() + 1);
    ASSIGN_OR_RETURN(PgResult prep, Check(PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr)));
    (void)prep;
    it = prepared_.emplace(sql, std::move(name)).first;
  }
  return &it->second;
}

Result<PgResult> Connection::Prepared(const std::string& sql, const Params& params) {
  RETURN_IF_ERROR(Flush());
  ASSIGN_OR_RETURN(const std::string* name, PreparedName(sql));
  auto values = params.Pointers();
  return Check(
      PQexecPrepared(conn_, name->c_str(), params.size(), values.data(), nullptr, nullptr, 0));
}

Status Connection::Queue(const std::string& sql, Params params) {
  if (queued_.size() >= kMaxQueued) {
    RETURN_IF_ERROR(Flush());
  }
  const std::string* name = nullptr;
  auto known = prepared_.find(sql);
  if (known != prepared_.end()) {
    name = &known->second;
  } else {
    RETURN_IF_ERROR(Flush());  // preparing is a statement of its own
    ASSIGN_OR_RETURN(name, PreparedName(sql));
  }
  queued_.push_back(Queued{.name = name, .params = std::move(params)});
  return Status::Ok();
}

Status Connection::Flush() {
  if (queued_.empty()) {
    return Status::Ok();
  }
  std::vector<Queued> batch;
  batch.swap(queued_);
  if (PQenterPipelineMode(conn_) != 1) {
    return Internal("database error: " + Trimmed(PQerrorMessage(conn_)));
  }
  Status out = Status::Ok();
  size_t sent = 0;
  for (const Queued& q : batch) {
    auto values = q.params.Pointers();
    if (PQsendQueryPrepared(conn_, q.name->c_str(), q.params.size(), values.data(), nullptr,
                            nullptr, 0) != 1) {
      out = Internal("database error: " + Trimmed(PQerrorMessage(conn_)));
      break;
    }
    ++sent;
  }
  bool synced = PQpipelineSync(conn_) == 1;
  if (!synced && out.ok()) {
    out = Internal("database error: " + Trimmed(PQerrorMessage(conn_)));
  }
  // Each statement's results end with a null; after the first failure the server skips the
  // rest of the batch (PGRES_PIPELINE_ABORTED), up to the sync point.
  for (size_t i = 0; i < sent; ++i) {
    for (pg_result* raw = PQgetResult(conn_); raw != nullptr; raw = PQgetResult(conn_)) {
      if (PQresultStatus(raw) == PGRES_PIPELINE_ABORTED) {
        PQclear(raw);
        continue;
      }
      auto r = Check(raw);  // takes the result
      if (out.ok() && !r.ok()) {
        out = r.status();
      }
    }
  }
  if (synced) {
    PQclear(PQgetResult(conn_));  // PGRES_PIPELINE_SYNC
  }
  if (PQexitPipelineMode(conn_) != 1 && out.ok()) {
    out = Internal("database error: " + Trimmed(PQerrorMessage(conn_)));
  }
  return out;
}

Status Connection::ForEach(const std::string& sql, const Params& params, bool in_transaction,
                           const std::function<Status(const Row&)>& visit) {
  RETURN_IF_ERROR(Flush());
  std::string cursor = "vigil_cursor_" + std::to_string(++cursors_);
  // Outside a transaction the cursor outlives the statement that declares it (WITH HOLD).
  ASSIGN_OR_RETURN(PgResult declared,
                   Query("DECLARE " + cursor + " NO SCROLL CURSOR" +
                             (in_transaction ? "" : " WITH HOLD") + " FOR " + sql,
                         params));
  (void)declared;
  Status out = Status::Ok();
  while (out.ok()) {
    auto batch = Query("FETCH FORWARD 2000 FROM " + cursor, Params());
    if (!batch.ok()) {
      out = batch.status();
      break;
    }
    for (int i = 0; i < batch->Rows() && out.ok(); ++i) {
      out = visit(Row(*batch, i));
    }
    if (batch->Rows() == 0) {
      break;
    }
  }
  --cursors_;
  // After a failed statement the transaction is aborted and the cursor with it.
  (void)Exec("CLOSE " + cursor);
  return out;
}

Status Connection::CopyIn(
    const std::string& sql,
    const std::function<Status(const std::function<Status(std::string_view)>&)>& produce) {
  RETURN_IF_ERROR(Flush());
  pg_result* start = PQexec(conn_, sql.c_str());
  if (PQresultStatus(start) != PGRES_COPY_IN) {
    auto r = Check(start);  // takes the result
    return r.ok() ? Internal("database error: COPY did not start") : r.status();
  }
  PQclear(start);
  std::string buffer;
  auto flush = [&]() -> Status {
    if (!buffer.empty() &&
        PQputCopyData(conn_, buffer.data(), static_cast<int>(buffer.size())) != 1) {
      return Internal("database error: " + Trimmed(PQerrorMessage(conn_)));
    }
    buffer.clear();
    return Status::Ok();
  };
  Status produced = produce([&](std::string_view line) -> Status {
    buffer.append(line);
    buffer.push_back('\n');
    return buffer.size() >= (1U << 16) ? flush() : Status::Ok();
  });
  if (produced.ok()) {
    produced = flush();
  }
  PQputCopyEnd(conn_, produced.ok() ? nullptr : "vigil: the copy was abandoned");
  Status ended = Status::Ok();
  for (pg_result* raw = PQgetResult(conn_); raw != nullptr; raw = PQgetResult(conn_)) {
    auto r = Check(raw);
    if (ended.ok() && !r.ok()) {
      ended = r.status();
    }
  }
  return produced.ok() ? ended : produced;
}

}  // namespace vigil::postgres
