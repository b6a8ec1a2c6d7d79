#include "notify/filter.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace vigil::notify {

bool ClassMatches(const NotifyFilter& f, const ClassScale& scale, const VulnSummary& v) {
  if (f.min_class.empty() && f.classes.empty() && !f.kev) {
    return true;
  }
  if (f.kev && v.kev_due) {
    return true;
  }
  if (std::find(f.classes.begin(), f.classes.end(), v.class_name) != f.classes.end()) {
    return true;
  }
  if (!f.min_class.empty()) {
    auto rank = scale.Rank(v.class_name);
    auto min = scale.Rank(f.min_class);
    return rank && min && *rank <= *min;
  }
  return false;
}

bool ScannerMatches(const NotifyFilter& f, const std::vector<std::string>& scanners) {
  if (f.scanners.empty()) {
    return true;
  }
  return std::any_of(scanners.begin(), scanners.end(), [&](const std::string& s) {
    return std::find(f.scanners.begin(), f.scanners.end(), s) != f.scanners.end();
  });
}

bool ZoneMatches(const NotifyFilter& f, const std::map<std::string, std::string>& zones,
                 const std::vector<std::string>& assets) {
  if (f.zones.empty()) {
    return true;
  }
  return std::any_of(assets.begin(), assets.end(), [&](const std::string& a) {
    auto z = zones.find(a);
    return z != zones.end() &&
           std::find(f.zones.begin(), f.zones.end(), z->second) != f.zones.end();
  });
}

std::string PercentEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof(buf), "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

std::string VulnLink(const std::string& link_base, const std::string& vuln_key) {
  if (link_base.empty() || vuln_key.empty()) {
    return "";
  }
  return link_base + "/vulnerabilities/" + PercentEncode(vuln_key);
}

}  // namespace vigil::notify
