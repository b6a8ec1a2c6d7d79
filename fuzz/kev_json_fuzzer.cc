// Fuzz target: CISA's KEV catalog (ingest/kev_json.h), read whole and in small reads
// (chunked_source.h), which must agree. Every entry has a CVE id, unique; every text is valid
// UTF-8 and within its limit.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "fuzz/chunked_source.h"
#include "fuzz/fuzz_check.h"
#include "ingest/byte_source.h"
#include "ingest/kev_json.h"

namespace vigil::fuzz {
namespace {

void CheckItems(const std::vector<KevItem>& items) {
  Check(items.size() <= kMaxKevEntries, "more entries than kMaxKevEntries");
  std::set<std::string> seen;
  for (const KevItem& item : items) {
    CheckKey(item.cve, "a KEV CVE id");
    Check(seen.insert(item.cve).second, "a CVE listed twice", item.cve);
    CheckText(item.name, "the name of " + item.cve);
    CheckText(item.ransomware, "knownRansomwareCampaignUse of " + item.cve);
    Check(item.name.size() <= kMaxKevNameBytes, "a name over its limit", item.cve);
    Check(item.ransomware.size() <= kMaxKevRansomwareBytes, "a ransomware use over its limit",
          item.cve);
  }
}

bool Same(const KevItem& a, const KevItem& b) {
  return a.cve == b.cve && a.name == b.name && a.date_added == b.date_added &&
         a.due_date == b.due_date && a.ransomware == b.ransomware;
}

}  // namespace
}  // namespace vigil::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  std::string text(reinterpret_cast<const char*>(data), size);
  StringSource whole(text, "kev.json");
  auto a = ParseKevCatalog(whole);
  fuzz::ChunkedSource chunked(text, "kev.json");
  auto b = ParseKevCatalog(chunked);
  fuzz::Check(a.ok() == b.ok() && a.status().message() == b.status().message(),
              "the outcome depends on the read sizes",
              "'" + a.status().message() + "' vs '" + b.status().message() + "'");
  if (!a.ok()) {
    fuzz::Check(a.status().code() == ErrorCode::kInvalidInput,
                "a KEV error that is not InvalidInput", a.status().message());
    return 0;
  }
  fuzz::Check(std::equal(a->begin(), a->end(), b->begin(), b->end(), fuzz::Same),
              "the entries depend on the read sizes");
  fuzz::CheckItems(*a);
  return 0;
}
