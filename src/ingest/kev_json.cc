#include "ingest/kev_json.h"

#include <nlohmann/json.hpp>
#include <set>

namespace vigil {
namespace {

bool Digits(std::string_view s) {
  if (s.empty()) {
    return false;
  }
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

// YYYY-MM-DD
bool IsDay(std::string_view s) {
  return s.size() == 10 && Digits(s.substr(0, 4)) && s[4] == '-' && Digits(s.substr(5, 2)) &&
         s[7] == '-' && Digits(s.substr(8, 2));
}

// CVE-YYYY-NNNN with four or more digits at the end.
bool IsCve(std::string_view s) {
  return s.size() >= 13 && s.substr(0, 4) == "CVE-" && Digits(s.substr(4, 4)) && s[8] == '-' &&
         Digits(s.substr(9));
}

Result<Timestamp> Day(const nlohmann::json& item, const char* field, const std::string& where) {
  auto it = item.find(field);
  if (it == item.end() || !it->is_string()) {
    return InvalidInput(where + ": '" + field + "' is missing or not a string");
  }
  std::string text = it->get<std::string>();
  if (!IsDay(text)) {
    return InvalidInput(where + ": '" + field + "' must be YYYY-MM-DD, not '" + text + "'");
  }
  auto t = ParseIso8601(text + "T00:00:00Z");
  if (!t.ok()) {
    return InvalidInput(where + ": '" + field + "': " + t.status().message());
  }
  return *t;
}

}  // namespace

Result<std::vector<KevItem>> ParseKevCatalog(std::string_view text, const std::string& path) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    return InvalidInput(path + ": byte " + std::to_string(e.byte) + ": not JSON: " + e.what());
  }
  if (!doc.is_object() || !doc.contains("vulnerabilities") || !doc["vulnerabilities"].is_array()) {
    return InvalidInput(path +
                        ": not a KEV catalog: expected an object with a "
                        "'vulnerabilities' array");
  }
  std::vector<KevItem> out;
  std::set<std::string> seen;
  size_t index = 0;
  for (const auto& item : doc["vulnerabilities"]) {
    std::string where = path + ": vulnerabilities[" + std::to_string(index++) + "]";
    if (!item.is_object()) {
      return InvalidInput(where + ": not an object");
    }
    auto cve = item.find("cveID");
    if (cve == item.end() || !cve->is_string() || !IsCve(cve->get<std::string>())) {
      return InvalidInput(where + ": 'cveID' must be a CVE id such as CVE-2021-44228");
    }
    KevItem k{.cve = cve->get<std::string>()};
    if (!seen.insert(k.cve).second) {
      return InvalidInput(where + ": " + k.cve + " appears twice");
    }
    if (auto name = item.find("vulnerabilityName"); name != item.end() && name->is_string()) {
      k.name = name->get<std::string>();
    }
    if (auto r = item.find("knownRansomwareCampaignUse"); r != item.end() && r->is_string()) {
      k.ransomware = r->get<std::string>();
    }
    ASSIGN_OR_RETURN(k.date_added, Day(item, "dateAdded", where));
    ASSIGN_OR_RETURN(k.due_date, Day(item, "dueDate", where));
    out.push_back(std::move(k));
  }
  return out;
}

}  // namespace vigil
