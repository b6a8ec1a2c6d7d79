#include "engine/kev_loader.h"

#include <fstream>
#include <sstream>

#include "core/sha256.h"
#include "engine/audit_log.h"
#include "engine/logged_rows.h"
#include "ingest/kev_json.h"
#include "store/store.h"

namespace vigil {

Result<size_t> LoadKevCatalog(Store& store, const std::string& path, Timestamp now,
                              const std::string& actor) {
  constexpr size_t kMaxBytes = 256 << 20;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return IoError("cannot read '" + path + "'");
  }
  std::string text;
  text.resize(kMaxBytes + 1);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kMaxBytes) {
    return InvalidInput(path + ": larger than 256 MiB, not a KEV catalog");
  }
  ASSIGN_OR_RETURN(auto items, ParseKevCatalog(text, path));
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
                        {"sha256", Sha256Hex(text)},
                        {"entries", entries.size()},
                        {"rows", std::move(rows)}})
        .status();
  }));
  return entries.size();
}

}  // namespace vigil
