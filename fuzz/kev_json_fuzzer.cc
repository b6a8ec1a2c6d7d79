// Fuzz target: CISA's KEV catalog (ingest/kev_json.h). Every entry has a CVE id; every text
// is valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz/fuzz_check.h"
#include "ingest/byte_source.h"
#include "ingest/kev_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  StringSource source(std::string(reinterpret_cast<const char*>(data), size), "kev.json");
  auto items = ParseKevCatalog(source);
  if (!items.ok()) {
    fuzz::Check(items.status().code() == ErrorCode::kInvalidInput,
                "a KEV error that is not InvalidInput", items.status().message());
    return 0;
  }
  for (const KevItem& item : *items) {
    fuzz::CheckKey(item.cve, "a KEV CVE id");
    fuzz::CheckText(item.name, "the name of " + item.cve);
    fuzz::CheckText(item.ransomware, "knownRansomwareCampaignUse of " + item.cve);
  }
  return 0;
}
