// Fuzz target: the expected inventory (ingest/inventory_csv.h). Every entry it accepts has a
// name of valid UTF-8, unique ignoring ASCII case, and lower-cased addresses.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "core/text.h"
#include "fuzz/fuzz_check.h"
#include "ingest/inventory_csv.h"

namespace vigil::fuzz {
namespace {

void CheckEntries(const std::vector<InventoryEntry>& entries) {
  std::set<std::string> names;
  for (const InventoryEntry& e : entries) {
    CheckKey(e.name, "an asset name");
    Check(names.insert(AsciiLower(e.name)).second, "an asset listed twice", e.name);
    Check(e.line >= 2, "an entry on the header's line");
    for (const std::string& a : e.addresses) {
      CheckKey(a, "an address of " + e.name);
      Check(a == AsciiLower(a), "an address that is not lower-cased", a);
    }
    for (const std::string& s : e.scanners) {
      CheckKey(s, "a scanner of " + e.name);
    }
    CheckText(e.zone, "the zone of " + e.name);
    CheckText(e.site, "the site of " + e.name);
    CheckText(e.owner, "the owner of " + e.name);
  }
}

}  // namespace
}  // namespace vigil::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto entries = vigil::ParseInventoryCsv(text, "inventory.csv");
  if (!entries.ok()) {
    vigil::fuzz::Check(entries.status().code() == vigil::ErrorCode::kInvalidInput,
                       "an inventory error that is not InvalidInput", entries.status().message());
    return 0;
  }
  vigil::fuzz::CheckEntries(*entries);
  return 0;
}
