#include "ingest/package_advisory.h"

#include <algorithm>
#include <cctype>

#include "core/cve_id.h"
#include "core/text.h"
#include "ingest/references.h"

namespace vigil {

std::string AdvisorySource(std::string_view id, std::string_view fallback) {
  size_t dash = id.find('-');
  std::string_view prefix = id.substr(0, dash);
  if (dash == std::string_view::npos) {
    size_t n = 0;
    while (n < id.size() && std::isalpha(static_cast<unsigned char>(id[n]))) {
      ++n;
    }
    prefix = id.substr(0, n);
  }
  return prefix.empty() ? std::string(fallback) : AsciiLower(prefix);
}

bool IsCveIdAnyCase(std::string_view id) {
  return NormalizeCveId(id).has_value();
}

void AddRef(VulnerabilityDef& def, std::string_view kind, std::string_view value) {
  value = TrimSpace(value);
  if (value.empty()) {
    return;
  }
  AppendReference(def.refs, Reference{std::string(kind), std::string(value)});
}

void AddAdvisoryId(VulnerabilityDef& def, std::string_view id) {
  id = TrimSpace(id);
  if (IsCveIdAnyCase(id)) {
    AddRef(def, "cve", id);
  } else if (id != def.key) {
    AddRef(def, "alias", id);
  }
}

int CvssMajor(std::string_view version, std::string_view vector) {
  version = TrimSpace(version);
  if (!version.empty()) {
    char major = version.front();
    return major == '2' ? 2 : major == '3' ? 3 : major == '4' ? 4 : 0;
  }
  vector = TrimSpace(vector);
  if (vector.substr(0, 6) == "CVSS:3") {
    return 3;
  }
  if (vector.substr(0, 6) == "CVSS:4") {
    return 4;
  }
  if (vector.substr(0, 3) == "AV:" || vector.substr(0, 4) == "(AV:") {
    return 2;
  }
  return 0;
}

bool OfferCvss(VulnerabilityDef& def, int major, std::string_view vector,
               std::optional<double> score) {
  vector = TrimSpace(vector);
  if (vector.empty() && !score) {
    return false;
  }
  auto fill = [&](std::string& v, std::optional<double>& s) {
    if (!v.empty() || s) {
      return false;
    }
    v = std::string(vector);
    s = score;
    return true;
  };
  switch (major) {
    case 2:
      return fill(def.cvss2_vector, def.cvss2_score);
    case 3:
      return fill(def.cvss3_vector, def.cvss3_score);
    case 4:
      return fill(def.cvss4_vector, def.cvss4_score);
    default:
      return false;
  }
}

}  // namespace vigil
