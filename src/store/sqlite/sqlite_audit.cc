// SqliteStore: the audit log's events and checkpoints.
#include "core/base64.h"
#include "store/sqlite/sqlite_store.h"

namespace vigil::sqlite {

Status SqliteStore::InsertEvent(const EventRecord& e) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT INTO events (seq, at, actor, type, subject, payload, "
                                "leaf_hash, root_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
  st->Bind(1, e.seq).Bind(2, e.at).Bind(3, e.actor).Bind(4, e.type).Bind(5, e.subject);
  st->Bind(6, e.payload).Bind(7, e.leaf_hash).Bind(8, e.root_hash);
  return st->Run();
}

Status SqliteStore::ForEachEvent(int64_t from, int64_t to,
                                 const std::function<Status(const EventRecord&)>& visit) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT seq, at, actor, type, subject, payload, leaf_hash, "
                                "root_hash FROM events WHERE seq >= ?1 AND (?2 = 0 OR seq <= ?2) "
                                "ORDER BY seq"));
  st->Bind(1, from).Bind(2, to);
  EventRecord e;
  while (true) {
    auto row = st->Step();
    if (!row.ok()) {
      st->Reset();
      return row.status();
    }
    if (!*row) {
      break;
    }
    e.seq = st->Int(0);
    e.at = st->Time(1);
    e.actor = st->Text(2);
    e.type = st->Text(3);
    e.subject = st->Text(4);
    e.payload = st->Text(5);
    e.leaf_hash = st->Text(6);
    e.root_hash = st->Text(7);
    Status s = visit(e);
    if (!s.ok()) {
      st->Reset();
      return s;
    }
  }
  st->Reset();
  return Status::Ok();
}

Result<int64_t> SqliteStore::LastEventSeq() {
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare("SELECT COALESCE(MAX(seq), 0) FROM events"));
  ASSIGN_OR_RETURN(auto rows, st->Rows([](const Statement& row) { return row.Int(0); }));
  return rows.empty() ? int64_t{0} : rows.front();
}

Result<std::optional<EventRecord>> SqliteStore::LastEvent() {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT seq, at, actor, type, subject, payload, leaf_hash, "
                                "root_hash FROM events ORDER BY seq DESC LIMIT 1"));
  ASSIGN_OR_RETURN(auto rows, st->Rows([](const Statement& row) {
    return EventRecord{.seq = row.Int(0),
                       .at = row.Time(1),
                       .actor = row.Text(2),
                       .type = row.Text(3),
                       .subject = row.Text(4),
                       .payload = row.Text(5),
                       .leaf_hash = row.Text(6),
                       .root_hash = row.Text(7)};
  }));
  std::optional<EventRecord> out;
  if (!rows.empty()) {
    out = std::move(rows.front());
  }
  return out;
}

namespace {

Cell CellAt(const Statement& st, int col) {
  switch (st.Type(col)) {
    case Statement::ColumnType::kNull:
      return Cell::Null();
    case Statement::ColumnType::kInt:
      return Cell::Int(st.Int(col));
    case Statement::ColumnType::kReal:
      return Cell::Real(st.Double(col));
    case Statement::ColumnType::kText:
      return Cell::Text(st.Text(col));
  }
  return Cell::Null();
}

}  // namespace

Status SqliteStore::ForEachRow(std::string_view table, const std::vector<std::string>& columns,
                               const RowFilter& where,
                               const std::function<Status(const std::vector<Cell>&)>& visit) {
  if (!IsSqlIdentifier(table) || columns.empty()) {
    return Internal("ForEachRow: bad table name");
  }
  std::string sql = "SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!IsSqlIdentifier(columns[i])) {
      return Internal("ForEachRow: bad column name");
    }
    sql += (i == 0 ? "" : ", ") + columns[i];
  }
  sql += " FROM " + std::string(table);
  for (size_t i = 0; i < where.size(); ++i) {
    if (!IsSqlIdentifier(where[i].first)) {
      return Internal("ForEachRow: bad column name");
    }
    std::string param = "?" + std::to_string(i + 1);
    sql += (i == 0 ? " WHERE " : " AND ") + where[i].first +
           (std::holds_alternative<std::vector<int64_t>>(where[i].second)
                ? " IN (SELECT value FROM json_each(" + param + "))"
                : " = " + param);
  }
  sql += " ORDER BY 1";
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare(sql));
  std::vector<std::string> lists(where.size());  // bound without a copy: kept until the end
  for (size_t i = 0; i < where.size(); ++i) {
    int index = static_cast<int>(i + 1);
    if (const auto* ids = std::get_if<std::vector<int64_t>>(&where[i].second)) {
      lists[i] = "[";
      for (int64_t id : *ids) {
        lists[i] += (lists[i].size() > 1 ? "," : "") + std::to_string(id);
      }
      lists[i] += "]";
      st->Bind(index, lists[i]);
      continue;
    }
    std::visit(
        [&](const auto& value) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(value)>, std::vector<int64_t>>) {
            st->Bind(index, value);
          }
        },
        where[i].second);
  }
  std::vector<Cell> row(columns.size());
  while (true) {
    auto more = st->Step();
    if (!more.ok()) {
      st->Reset();
      return more.status();
    }
    if (!*more) {
      break;
    }
    for (size_t i = 0; i < columns.size(); ++i) {
      row[i] = CellAt(*st, static_cast<int>(i));
    }
    Status s = visit(row);
    if (!s.ok()) {
      st->Reset();
      return s;
    }
  }
  st->Reset();
  return Status::Ok();
}

Status SqliteStore::InsertCheckpoint(const CheckpointRecord& c) {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("INSERT INTO checkpoints (size, root_hash, at, note, "
                                "tsa_response, tsa_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
  std::string tsa = c.tsa_response.empty() ? std::string() : Base64Encode(c.tsa_response);
  st->Bind(1, c.size).Bind(2, c.root_hash).Bind(3, c.at).Bind(4, c.note);
  st->BindText(5, tsa).Bind(6, c.tsa_time);
  return st->Run();
}

Result<std::vector<CheckpointRecord>> SqliteStore::QueryCheckpoints() {
  ASSIGN_OR_RETURN(Statement * st,
                   db_->Prepare("SELECT id, size, root_hash, at, note, tsa_response, tsa_time "
                                "FROM checkpoints ORDER BY id"));
  return st->Rows([](const Statement& row) {
    // A token that is not base64 is kept as its text, so verification reports it as damaged.
    std::string tsa = row.Text(5);
    auto der = Base64Decode(tsa);
    return CheckpointRecord{.id = row.Int(0),
                            .size = row.Int(1),
                            .root_hash = row.Text(2),
                            .at = row.Time(3),
                            .note = row.Text(4),
                            .tsa_response = der.ok() ? *der : tsa,
                            .tsa_time = row.OptTime(6)};
  });
}

}  // namespace vigil::sqlite
