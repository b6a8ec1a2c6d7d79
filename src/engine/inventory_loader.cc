#include "engine/inventory_loader.h"

#include "engine/audit_log.h"
#include "engine/logged_rows.h"
#include "ingest/input_file.h"
#include "ingest/inventory_csv.h"
#include "store/store.h"

namespace vigil {

Result<size_t> LoadInventory(Store& store, const std::string& path, Timestamp now,
                             const std::string& actor) {
  ASSIGN_OR_RETURN(auto file, FileSource::Open(path, InputKind::kInventory));
  HashingSource hashing(*file);
  ASSIGN_OR_RETURN(auto entries, ParseInventoryCsv(hashing));
  std::string sha256 = hashing.FinishHex();
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    RETURN_IF_ERROR(store.ReplaceInventory(entries, now));
    ASSIGN_OR_RETURN(auto rows, RowsOf(store, logged::Inventory(), {}));
    return AppendEvent(store, now, actor, "inventory.loaded", path,
                       {{"file", path},
                        {"sha256", sha256},
                        {"entries", entries.size()},
                        {"rows", std::move(rows)}})
        .status();
  }));
  return entries.size();
}

}  // namespace vigil
