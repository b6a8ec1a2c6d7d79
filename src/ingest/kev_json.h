// CISA's Known Exploited Vulnerabilities catalog (known_exploited_vulnerabilities.json, the
// schema of cisagov/kev-data): cveID, vulnerabilityName, dateAdded, dueDate and
// knownRansomwareCampaignUse of each entry. Untrusted input, streamed: one entry at a time is
// held as a tree, never the file. A malformed file is refused with its position and nothing is
// loaded.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace vigil {

class ByteSource;

struct KevItem {
  std::string cve;
  std::string name;
  Timestamp date_added{};
  Timestamp due_date{};
  std::string ransomware;
};

// More entries than this is not the catalog (it had about 1,500 in 2025).
inline constexpr size_t kMaxKevEntries = 10000;
// vulnerabilityName (at most 136 bytes in 2025) and knownRansomwareCampaignUse ("Known").
inline constexpr size_t kMaxKevNameBytes = 1024;
inline constexpr size_t kMaxKevRansomwareBytes = 64;

// Errors read "FILE:LINE:COLUMN: vulnerabilities[N]: ..." (FILE is source.name()).
Result<std::vector<KevItem>> ParseKevCatalog(ByteSource& source);

}  // namespace vigil
