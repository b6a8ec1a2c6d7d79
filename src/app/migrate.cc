#include "app/migrate.h"

#include <algorithm>

#include "app/app.h"
#include "core/database_url.h"
#include "store/store.h"

namespace vigil {
namespace {

Result<LogHead> ReadLogHead(Store& store) {
  ASSIGN_OR_RETURN(auto last, store.LastEvent());
  if (!last) {
    return LogHead{};
  }
  return LogHead{.size = last->seq, .root_hash = last->root_hash};
}

// The target signs with the source's key and origin, or its new checkpoints would be of
// another log: both come from the recorded configuration, or from the database's file/name.
Status CheckSameSigner(const App& source, const MigrateInput& in) {
  std::string key = source.AuditKeyPath();
  std::string target_key = App::AuditKeyPathFor(in.to, source.config());
  if (target_key != key) {
    return FailedPrecondition(
        "the log of " + RedactedUrl(in.from) + " is signed with the key file " + key + ", which " +
        RedactedUrl(in.to) + " would not find (it would use " +
        (target_key.empty() ? std::string("none") : target_key) +
        "): record it first with [audit] key_file = \"" + key +
        "\" in the configuration (vigil --db SOURCE config apply FILE; docs/deployment.md)");
  }
  std::string origin = source.AuditOrigin();
  std::string target_origin = App::AuditOriginFor(in.to, source.config());
  if (target_origin != origin) {
    return FailedPrecondition("the log of " + RedactedUrl(in.from) + " has the origin " + origin +
                              ", which " + RedactedUrl(in.to) + " would name " + target_origin +
                              ": record it first with [audit] origin = \"" + origin +
                              "\" in the configuration (vigil --db SOURCE config apply FILE; "
                              "docs/deployment.md)");
  }
  return Status::Ok();
}

// The target has this vigil's schema (created when it had none) and no rows at all.
Status PrepareTarget(Store& target, const std::string& url, MigrateOutcome& out) {
  ASSIGN_OR_RETURN(int version, target.SchemaVersion());
  if (version != 0 && version != target.LatestSchemaVersion()) {
    return FailedPrecondition(
        RedactedUrl(url) + " already holds a vigil database (schema version " +
        std::to_string(version) + "); migrate copies into an empty database only");
  }
  out.created_schema = version == 0;
  RETURN_IF_ERROR(target.Initialize());
  ASSIGN_OR_RETURN(auto tables, target.Tables());
  for (const TableColumns& t : tables) {
    bool any = false;
    Status st = target.ForEachRow(t.table, {t.columns.front()}, {},
                                  [&](const std::vector<Cell>&) -> Status {
                                    any = true;
                                    return Internal("stop");  // one row tells
                                  });
    if (!any) {
      RETURN_IF_ERROR(st);
      continue;
    }
    return FailedPrecondition(RedactedUrl(url) + " already holds data (table " + t.table +
                              "); migrate copies into an empty database only, and changed "
                              "nothing");
  }
  return Status::Ok();
}

// Both databases have the same tables with the same columns (by name).
Status CheckSameTables(const std::vector<TableColumns>& source,
                       const std::vector<TableColumns>& target) {
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  if (source.size() != target.size()) {
    return Internal("the source has " + std::to_string(source.size()) + " tables, the target " +
                    std::to_string(target.size()));
  }
  for (const TableColumns& t : target) {
    auto s = std::find_if(source.begin(), source.end(),
                          [&](const TableColumns& c) { return c.table == t.table; });
    if (s == source.end() || sorted(s->columns) != sorted(t.columns)) {
      return Internal("the source's table " + t.table + " differs from the target's");
    }
  }
  return Status::Ok();
}

Status CopyTables(Store& source, Store& target, MigrateOutcome& out) {
  ASSIGN_OR_RETURN(auto from_tables, source.Tables());
  ASSIGN_OR_RETURN(auto tables, target.Tables());
  RETURN_IF_ERROR(CheckSameTables(from_tables, tables));
  for (const TableColumns& t : tables) {
    TableCopy copied{.table = t.table};
    RETURN_IF_ERROR(target.InsertRows(t.table, t.columns, [&](const RowPut& put) {
      return source.ForEachRow(t.table, t.columns, {}, [&](const std::vector<Cell>& row) {
        ++copied.rows;
        return put(row);
      });
    }));
    out.tables.push_back(copied);
  }
  return Status::Ok();
}

}  // namespace

Result<MigrateOutcome> MigrateDatabase(const MigrateInput& input) {
  if (input.from.empty() || input.to.empty()) {
    return UsageError("give both --from URL and --to URL");
  }
  if (SqlitePathOf(input.from) == SqlitePathOf(input.to)) {
    return UsageError("--from and --to name the same database");
  }
  auto opened = App::Create(AppOptions{.db_url = input.from, .user = input.user});
  if (!opened.ok()) {
    return opened.status().WithPrefix("the source");
  }
  std::unique_ptr<App> source = std::move(*opened);
  RETURN_IF_ERROR(CheckSameSigner(*source, input));
  MigrateOutcome out{.schema_version = source->store().LatestSchemaVersion(),
                     .key_path = source->AuditKeyPath(),
                     .origin = source->AuditOrigin()};
  ASSIGN_OR_RETURN(out.source, ReadLogHead(source->store()));
  ASSIGN_OR_RETURN(
      auto target,
      App::Create(AppOptions{.db_url = input.to, .user = input.user, .access = Access::kInit}));
  Store& to = target->store();
  RETURN_IF_ERROR(PrepareTarget(to, input.to, out));
  RETURN_IF_ERROR(InTransaction(to, [&]() -> Status {
    RETURN_IF_ERROR(CopyTables(source->store(), to, out));
    ASSIGN_OR_RETURN(LogHead after, ReadLogHead(source->store()));
    if (after.size != out.source.size) {
      return FailedPrecondition("the source changed during the copy (its log grew from " +
                                std::to_string(out.source.size) + " to " +
                                std::to_string(after.size) +
                                " events): stop every vigil using it and migrate again");
    }
    ASSIGN_OR_RETURN(out.target, ReadLogHead(to));
    if (out.target.size != out.source.size || out.target.root_hash != out.source.root_hash) {
      return Internal("the copied log differs from the source's (root " + out.target.root_hash +
                      " at size " + std::to_string(out.target.size) + ")");
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace vigil
