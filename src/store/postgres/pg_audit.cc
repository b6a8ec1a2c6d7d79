// PgStore: the audit log's events and checkpoints, and rows as verification reads them.
#include "core/base64.h"
#include "store/postgres/pg_store.h"

namespace vigil::postgres {
namespace {

EventRecord ReadEvent(const Row& row) {
  return EventRecord{.seq = row.Int(0),
                     .at = row.Time(1),
                     .actor = row.Text(2),
                     .type = row.Text(3),
                     .subject = row.Text(4),
                     .payload = row.Text(5),
                     .leaf_hash = row.Text(6),
                     .root_hash = row.Text(7)};
}

// The SELECT of ForEachRow; empty when a name is not a plain identifier.
std::string RowsSql(std::string_view table, const std::vector<std::string>& columns,
                    const RowFilter& where) {
  if (!IsSqlIdentifier(table) || columns.empty()) {
    return {};
  }
  std::string sql = "SELECT ";
  std::string order;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!IsSqlIdentifier(columns[i])) {
      return {};
    }
    sql += (i == 0 ? "" : ", ") + QuotedIdentifier(columns[i]);
    order += (i == 0 ? "" : ", ") + std::to_string(i + 1);
  }
  sql += " FROM " + QuotedIdentifier(table);
  for (size_t i = 0; i < where.size(); ++i) {
    if (!IsSqlIdentifier(where[i].first)) {
      return {};
    }
    std::string param = "$" + std::to_string(i + 1);
    sql += (i == 0 ? " WHERE " : " AND ") + QuotedIdentifier(where[i].first) +
           (std::holds_alternative<std::vector<int64_t>>(where[i].second)
                ? " = ANY(" + param + "::bigint[])"
                : " = " + param);
  }
  // By the first column as the interface says; rows that tie on it in the order of the
  // others, which is the order of the key SQLite reads them by (host_scans, review_items).
  return sql + " ORDER BY " + order;
}

}  // namespace

Status PgStore::InsertEvent(const EventRecord& e) {
  return Queue(
      "INSERT INTO events (seq, at, actor, type, subject, payload, leaf_hash, root_hash) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      Params()
          .Add(e.seq)
          .Add(e.at)
          .Add(e.actor)
          .Add(e.type)
          .Add(e.subject)
          .Add(e.payload)
          .Add(e.leaf_hash)
          .Add(e.root_hash));
}

Status PgStore::ForEachEvent(int64_t from, int64_t to,
                             const std::function<Status(const EventRecord&)>& visit) {
  return ForEach(
      "SELECT seq, at, actor, type, subject, payload, leaf_hash, root_hash "
      "FROM events WHERE seq >= $1::bigint AND ($2::bigint = 0 OR seq <= $2::bigint) "
      "ORDER BY seq",
      Params().Add(from).Add(to), [&](const Row& row) { return visit(ReadEvent(row)); });
}

Result<int64_t> PgStore::LastEventSeq() {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT coalesce(max(seq), 0) FROM events", Params()));
  return r.Rows() > 0 ? r.Int(0, 0) : 0;
}

Result<std::optional<EventRecord>> PgStore::LastEvent() {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT seq, at, actor, type, subject, payload, leaf_hash, "
                                   "root_hash FROM events ORDER BY seq DESC LIMIT 1",
                                   Params()));
  std::optional<EventRecord> out;
  if (r.Rows() > 0) {
    out = ReadEvent(Row(r, 0));
  }
  return out;
}

Status PgStore::ForEachRow(std::string_view table, const std::vector<std::string>& columns,
                           const RowFilter& where,
                           const std::function<Status(const std::vector<Cell>&)>& visit) {
  std::string sql = RowsSql(table, columns, where);
  if (sql.empty()) {
    return Internal("ForEachRow: bad table or column name");
  }
  Params params;
  for (const auto& [column, value] : where) {
    if (const auto* ids = std::get_if<std::vector<int64_t>>(&value)) {
      std::vector<std::string> texts;
      texts.reserve(ids->size());
      for (int64_t id : *ids) {
        texts.push_back(std::to_string(id));
      }
      params.AddArray(texts);
      continue;
    }
    std::visit(
        [&](const auto& v) {
          if constexpr (!std::is_same_v<std::decay_t<decltype(v)>, std::vector<int64_t>>) {
            params.Add(v);
          }
        },
        value);
  }
  std::vector<Cell> cells(columns.size());
  auto each = [&](const Row& row) {
    for (size_t i = 0; i < columns.size(); ++i) {
      cells[i] = row.CellAt(static_cast<int>(i));
    }
    return visit(cells);
  };
  if (where.empty()) {
    return ForEach(sql, params, each);  // a whole table: through a cursor, in batches
  }
  // The rows of one key (an asset's findings, one vulnerability: what an import reads before
  // and after each change) in one round trip, where a cursor takes four.
  ASSIGN_OR_RETURN(PgResult r, Run(sql, params));
  for (int i = 0; i < r.Rows(); ++i) {
    RETURN_IF_ERROR(each(Row(r, i)));
  }
  return Status::Ok();
}

Status PgStore::InsertCheckpoint(const CheckpointRecord& c) {
  std::string tsa = c.tsa_response.empty() ? std::string() : Base64Encode(c.tsa_response);
  return Run("INSERT INTO checkpoints (id, size, root_hash, at, note, tsa_response, tsa_time) "
             "VALUES ((SELECT coalesce(max(id), 0) + 1 FROM checkpoints), $1, $2, $3, $4, $5, "
             "$6)",
             Params()
                 .Add(c.size)
                 .Add(c.root_hash)
                 .Add(c.at)
                 .Add(c.note)
                 .AddText(tsa)
                 .Add(c.tsa_time))
      .status();
}

Result<std::vector<CheckpointRecord>> PgStore::QueryCheckpoints() {
  ASSIGN_OR_RETURN(PgResult r, Run("SELECT id, size, root_hash, at, note, tsa_response, tsa_time "
                                   "FROM checkpoints ORDER BY id",
                                   Params()));
  return MapRows(r, [](const Row& row) {
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

}  // namespace vigil::postgres
