#include "engine/scanner_config.h"

#include <map>

#include "engine/registry.h"
#include "store/store.h"

namespace vigil {

Result<int> ApplyScannerConfig(Store& store, const std::vector<ScannerConfig>& scanners,
                               Timestamp now, const std::string& actor, const std::string& source) {
  if (scanners.empty()) {
    return 0;
  }
  ASSIGN_OR_RETURN(auto stored, store.QueryScanners());
  std::map<std::string, const ScannerView*> by_name;
  for (const auto& s : stored) {
    by_name[s.name] = &s;
  }
  std::vector<const ScannerConfig*> changed;
  for (const auto& s : scanners) {
    auto it = by_name.find(s.name);
    if (it == by_name.end() || it->second->kind != s.kind || it->second->cadence != s.cadence ||
        it->second->grace != s.grace) {
      changed.push_back(&s);
    }
  }
  if (changed.empty()) {
    return 0;
  }
  for (const ScannerConfig* s : changed) {
    RETURN_IF_ERROR(SetScanner(store,
                               ScannerRecord{.name = s->name,
                                             .kind = s->kind,
                                             .created_at = now,
                                             .cadence = s->cadence,
                                             .grace = s->grace},
                               actor, source, now));
  }
  return static_cast<int>(changed.size());
}

}  // namespace vigil
