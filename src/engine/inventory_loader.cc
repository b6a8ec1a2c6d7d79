#include "engine/inventory_loader.h"

#include <fstream>
#include <sstream>

#include "core/sha256.h"
#include "engine/audit_log.h"
#include "engine/logged_rows.h"
#include "ingest/inventory_csv.h"
#include "store/store.h"

namespace vigil {

Result<size_t> LoadInventory(Store& store, const std::string& path, Timestamp now,
                             const std::string& actor) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return IoError(path + ": cannot open");
  }
  std::stringstream text;
  text << in.rdbuf();
  ASSIGN_OR_RETURN(auto entries, ParseInventoryCsv(text.str(), path));
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    RETURN_IF_ERROR(store.ReplaceInventory(entries, now));
    ASSIGN_OR_RETURN(auto rows, RowsOf(store, logged::Inventory(), {}));
    return AppendEvent(store, now, actor, "inventory.loaded", path,
                       {{"file", path},
                        {"sha256", Sha256Hex(text.str())},
                        {"entries", entries.size()},
                        {"rows", std::move(rows)}})
        .status();
  }));
  return entries.size();
}

}  // namespace vigil
