#include "ingest/kev_json.h"

#include <nlohmann/json.hpp>
#include <unordered_set>

#include "core/cve_id.h"
#include "ingest/byte_source.h"
#include "ingest/json_stream.h"
#include "ingest/json_value.h"

namespace vigil {
namespace {

using json = nlohmann::json;

bool Digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') {
      return false;
    }
  }
  return !s.empty();
}

// YYYY-MM-DD
bool IsDay(std::string_view s) {
  return s.size() == 10 && Digits(s.substr(0, 4)) && s[4] == '-' && Digits(s.substr(5, 2)) &&
         s[7] == '-' && Digits(s.substr(8, 2));
}

Result<Timestamp> Day(const json& item, const char* field, const std::string& where) {
  auto it = item.find(field);
  if (it == item.end() || !it->is_string()) {
    return InvalidInput(where + "'" + field + "' is missing or not a string");
  }
  const std::string& text = it->get_ref<const std::string&>();
  if (!IsDay(text)) {
    return InvalidInput(where + "'" + field + "' must be YYYY-MM-DD, not '" + text.substr(0, 40) +
                        "'");
  }
  auto t = ParseIso8601(text + "T00:00:00Z");
  if (!t.ok()) {
    return InvalidInput(where + "'" + field + "': " + t.status().message());
  }
  return *t;
}

// An optional text field: absent, or a string of at most `max` bytes.
Result<std::string> Text(const json& item, const char* field, size_t max,
                         const std::string& where) {
  auto it = item.find(field);
  if (it == item.end() || it->is_null()) {
    return std::string();
  }
  if (!it->is_string()) {
    return InvalidInput(where + "'" + field + "' must be a string, not " + JsonKind(*it));
  }
  if (it->get_ref<const std::string&>().size() > max) {
    return InvalidInput(where + "'" + field + "' is longer than " + std::to_string(max) + " bytes");
  }
  return it->get<std::string>();
}

class KevReader {
 public:
  explicit KevReader(const std::string& name) : name_(name) {}

  Status OnItem(json& item, const std::vector<std::string>& where, JsonPosition at) {
    std::string prefix = name_ + ":" + JsonAt(at) + "vulnerabilities[" + where.back() + "]: ";
    if (items_.size() >= kMaxKevEntries) {
      return InvalidInput(prefix + "more than " + std::to_string(kMaxKevEntries) +
                          " entries: not the KEV catalog (docs/security.md)");
    }
    if (!item.is_object()) {
      return InvalidInput(prefix + "not an object");
    }
    auto cve = item.find("cveID");
    if (cve == item.end() || !cve->is_string() || !IsCveId(cve->get_ref<const std::string&>())) {
      return InvalidInput(prefix + "'cveID' must be a CVE id such as CVE-2021-44228");
    }
    KevItem k{.cve = cve->get<std::string>()};
    if (!seen_.insert(k.cve).second) {
      return InvalidInput(prefix + k.cve + " appears twice");
    }
    ASSIGN_OR_RETURN(k.name, Text(item, "vulnerabilityName", kMaxKevNameBytes, prefix));
    ASSIGN_OR_RETURN(k.ransomware,
                     Text(item, "knownRansomwareCampaignUse", kMaxKevRansomwareBytes, prefix));
    ASSIGN_OR_RETURN(k.date_added, Day(item, "dateAdded", prefix));
    ASSIGN_OR_RETURN(k.due_date, Day(item, "dueDate", prefix));
    items_.push_back(std::move(k));
    return Status::Ok();
  }

  // The rest of the document, the entries taken out: an object whose vulnerabilities is an
  // (emptied) array.
  Status OnRoot(json& root, JsonPosition at) {
    auto list = root.is_object() ? root.find("vulnerabilities") : root.end();
    if (!root.is_object() || list == root.end() || !list->is_array()) {
      return InvalidInput(name_ + ":" + JsonAt(at) +
                          "not a KEV catalog: expected an object with a 'vulnerabilities' "
                          "array");
    }
    return Status::Ok();
  }

  std::vector<KevItem>& items() { return items_; }

 private:
  const std::string& name_;
  std::vector<KevItem> items_;
  std::unordered_set<std::string> seen_;
};

}  // namespace

Result<std::vector<KevItem>> ParseKevCatalog(ByteSource& source) {
  KevReader reader(source.name());
  std::vector<JsonStreamPath> paths;
  paths.push_back({.steps = {"vulnerabilities", "*"},
                   .on_value = [&](json& v, const std::vector<std::string>& where,
                                   JsonPosition at) { return reader.OnItem(v, where, at); }});
  paths.push_back(
      {.steps = {}, .on_value = [&](json& v, const std::vector<std::string>&, JsonPosition at) {
         return reader.OnRoot(v, at);
       }});
  Status st = StreamJson(source, std::move(paths));
  if (!st.ok()) {
    // Syntax errors come without the file's name; the entries' own errors carry it.
    const std::string& m = st.message();
    return m.rfind(source.name() + ":", 0) == 0 ? st : Status(st.code(), source.name() + ":" + m);
  }
  return std::move(reader.items());
}

}  // namespace vigil
