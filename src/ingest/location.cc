#include "ingest/location.h"

#include <algorithm>
#include <array>

#include "core/text.h"
#include "ingest/report.h"

namespace vigil {
namespace {

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = HexDigitValue(s[i + 1]);
      int lo = HexDigitValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::string_view StripPathPrefix(std::string_view path) {
  while (true) {
    if (path.substr(0, 2) == "./") {
      path.remove_prefix(2);
    } else if (!path.empty() && path.front() == '/') {
      path.remove_prefix(1);
    } else {
      return path;
    }
  }
}

std::string PurlType(std::string_view purl) {
  if (purl.substr(0, 4) != "pkg:") {
    return "";
  }
  purl.remove_prefix(4);
  while (!purl.empty() && purl.front() == '/') {
    purl.remove_prefix(1);
  }
  return AsciiLower(purl.substr(0, purl.find('/')));
}

}  // namespace

std::string PurlIdentity(std::string_view purl) {
  purl = TrimSpace(purl);
  if (purl.substr(0, 4) != "pkg:") {
    return "";
  }
  purl = purl.substr(0, purl.find_first_of("?#"));
  std::string_view rest = purl.substr(4);
  while (!rest.empty() && rest.front() == '/') {
    rest.remove_prefix(1);  // "pkg://npm/x" is read as "pkg:npm/x", as the spec allows
  }
  size_t slash = rest.find('/');
  std::string type = AsciiLower(rest.substr(0, slash));
  std::string tail = slash == std::string_view::npos ? "" : PercentDecode(rest.substr(slash));
  return "pkg:" + type + tail;
}

bool IsOsPackageType(std::string_view type) {
  static constexpr std::array<std::string_view, 9> kOs = {
      "apk", "deb", "rpm", "alpm", "alpine", "debian", "ubuntu", "redhat", "opkg"};
  std::string t = AsciiLower(type);
  return std::find(kOs.begin(), kOs.end(), t) != kOs.end();
}

std::string PackageLocation(const PackageRef& package) {
  std::string id = PurlIdentity(package.purl);
  std::string type = package.type;
  if (!id.empty()) {
    type = PurlType(package.purl);
  } else {
    id = package.name;
    if (!package.version.empty()) {
      id += "@" + package.version;
    }
  }
  std::string_view path = StripPathPrefix(TrimSpace(package.path));
  if (!path.empty() && !IsOsPackageType(type)) {
    id += " in ";
    id += path;
  }
  return id;
}

}  // namespace vigil
