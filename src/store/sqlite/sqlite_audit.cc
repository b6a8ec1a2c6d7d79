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
