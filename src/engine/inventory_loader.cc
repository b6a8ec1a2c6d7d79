#include "engine/inventory_loader.h"

#include <fstream>
#include <sstream>

#include "ingest/inventory_csv.h"
#include "store/store.h"

namespace vigil {

Result<size_t> LoadInventory(Store& store, const std::string& path, Timestamp now) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return IoError(path + ": cannot open");
  }
  std::stringstream text;
  text << in.rdbuf();
  ASSIGN_OR_RETURN(auto entries, ParseInventoryCsv(text.str(), path));
  RETURN_IF_ERROR(InTransaction(store, [&] { return store.ReplaceInventory(entries, now); }));
  return entries.size();
}

}  // namespace vigil
