// CISA's Known Exploited Vulnerabilities catalog (known_exploited_vulnerabilities.json, the
// schema of cisagov/kev-data): cveID, vulnerabilityName, dateAdded, dueDate and
// knownRansomwareCampaignUse of each entry. Untrusted input: a malformed file is refused with
// its position and nothing is loaded.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace vigil {

struct KevItem {
  std::string cve;
  std::string name;
  Timestamp date_added{};
  Timestamp due_date{};
  std::string ransomware;
};

// `path` names the text in messages.
Result<std::vector<KevItem>> ParseKevCatalog(std::string_view text, const std::string& path);

}  // namespace vigil
