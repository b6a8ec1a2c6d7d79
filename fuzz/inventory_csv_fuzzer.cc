// Fuzz target: the expected inventory (ingest/inventory_csv.h), read whole and in small reads
// (chunked_source.h), which must agree. Every entry it accepts has a name of valid UTF-8,
// unique ignoring ASCII case, and lower-cased addresses.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "core/text.h"
#include "fuzz/chunked_source.h"
#include "fuzz/fuzz_check.h"
#include "ingest/byte_source.h"
#include "ingest/inventory_csv.h"

namespace vigil::fuzz {
namespace {

void CheckEntries(const std::vector<InventoryEntry>& entries) {
  std::set<std::string> names;
  for (const InventoryEntry& e : entries) {
    CheckKey(e.name, "an asset name");
    Check(e.name.size() <= kMaxInventoryFieldBytes, "a name over its limit", e.name);
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

bool Same(const InventoryEntry& a, const InventoryEntry& b) {
  return a.name == b.name && a.addresses == b.addresses && a.zone == b.zone && a.site == b.site &&
         a.owner == b.owner && a.scanners == b.scanners && a.line == b.line;
}

}  // namespace
}  // namespace vigil::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  std::string text(reinterpret_cast<const char*>(data), size);
  StringSource whole(text, "inventory.csv");
  auto a = ParseInventoryCsv(whole);
  fuzz::ChunkedSource chunked(text, "inventory.csv");
  auto b = ParseInventoryCsv(chunked);
  fuzz::Check(a.ok() == b.ok() && a.status().message() == b.status().message(),
              "the outcome depends on the read sizes",
              "'" + a.status().message() + "' vs '" + b.status().message() + "'");
  if (!a.ok()) {
    fuzz::Check(a.status().code() == ErrorCode::kInvalidInput,
                "an inventory error that is not InvalidInput", a.status().message());
    return 0;
  }
  fuzz::Check(std::equal(a->begin(), a->end(), b->begin(), b->end(), fuzz::Same),
              "the entries depend on the read sizes");
  fuzz::CheckEntries(*a);
  return 0;
}
