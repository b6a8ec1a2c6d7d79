#include "engine/kev_loader.h"

#include "engine/audit_log.h"
#include "engine/logged_rows.h"
#include "ingest/input_file.h"
#include "ingest/kev_json.h"
#include "store/store.h"

namespace vigil {

Result<size_t> LoadKevCatalog(Store& store, const std::string& path, Timestamp now,
                              const std::string& actor) {
  // Streamed: the catalog's tree is never held whole (docs/security.md).
  ASSIGN_OR_RETURN(auto file, FileSource::Open(path, InputKind::kKev));
  HashingSource hashing(*file);
  ASSIGN_OR_RETURN(auto items, ParseKevCatalog(hashing));
  std::string sha256 = hashing.FinishHex();
  std::vector<KevEntry> entries;
  entries.reserve(items.size());
  for (auto& k : items) {
    entries.push_back({.cve = std::move(k.cve),
                       .name = std::move(k.name),
                       .date_added = k.date_added,
                       .due_date = k.due_date,
                       .ransomware = std::move(k.ransomware)});
  }
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    RETURN_IF_ERROR(store.ReplaceKev(entries, now));
    ASSIGN_OR_RETURN(auto rows, RowsOf(store, logged::Kev(), {}));
    return AppendEvent(store, now, actor, "kev.loaded", path,
                       {{"file", path},
                        {"sha256", sha256},
                        {"entries", entries.size()},
                        {"rows", std::move(rows)}})
        .status();
  }));
  return entries.size();
}

}  // namespace vigil
