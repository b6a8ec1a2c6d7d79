#include "ingest/sarif_uri.h"

#include <algorithm>
#include <cctype>

#include "core/text.h"
#include "ingest/json_value.h"

namespace vigil {
namespace {

constexpr int kMaxBaseDepth = 16;  // originalUriBaseIds chains longer than this are cycles

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  c = static_cast<char>(c | 0x20);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The length of a URI scheme with its colon ("https:" → 6), or 0. One letter before the colon
// is a Windows drive ("C:/code"), not a scheme.
size_t SchemeLength(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '+' ||
                          s[i] == '-' || s[i] == '.')) {
    ++i;
  }
  bool ok = i >= 2 && i < s.size() && s[i] == ':' && std::isalpha(static_cast<unsigned char>(s[0]));
  return ok ? i + 1 : 0;
}

bool IsAbsoluteUri(std::string_view s) {
  s = TrimSpace(s);
  return SchemeLength(s) > 0 || (!s.empty() && (s.front() == '/' || s.front() == '\\')) ||
         (s.size() >= 2 && std::isalpha(static_cast<unsigned char>(s[0])) && s[1] == ':');
}

}  // namespace

std::string NormalizeArtifactPath(std::string_view uri) {
  std::string s(TrimSpace(uri));
  std::replace(s.begin(), s.end(), '\\', '/');
  std::string prefix;
  size_t scheme = SchemeLength(s);
  if (scheme > 0 && AsciiLower(s.substr(0, scheme)) == "file:") {
    s.erase(0, scheme);
  } else if (scheme > 0) {
    prefix = s.substr(0, scheme);
    s.erase(0, scheme);
    if (s.compare(0, 2, "//") == 0) {
      prefix += "//";
      s.erase(0, 2);
    }
  }
  std::string decoded = PercentDecode(s);
  std::string out;
  size_t start = 0;
  while (start <= decoded.size()) {
    size_t end = std::min(decoded.find('/', start), decoded.size());
    std::string_view segment = std::string_view(decoded).substr(start, end - start);
    if (!segment.empty() && segment != ".") {
      out += out.empty() ? "" : "/";
      out += segment;
    }
    start = end + 1;
  }
  return prefix + out;
}

std::string NormalizeRepositoryUri(std::string_view uri) {
  std::string s(TrimSpace(uri));
  while (!s.empty() && s.back() == '/') {
    s.pop_back();
  }
  if (s.size() > 4 && AsciiLower(s.substr(s.size() - 4)) == ".git") {
    s.resize(s.size() - 4);
  }
  size_t authority = s.find("://");
  if (authority == std::string::npos) {
    return s;
  }
  authority += 3;
  size_t path = std::min(s.find('/', authority), s.size());
  size_t at = s.rfind('@', path);
  if (at != std::string::npos && at >= authority && at < path) {
    s.erase(authority, at + 1 - authority);
    path -= at + 1 - authority;
  }
  return AsciiLower(s.substr(0, path)) + s.substr(path);
}

UriResolver::UriResolver(const nlohmann::json* bases, std::string root_id)
    : bases_(bases), root_id_(std::move(root_id)) {
  if (!root_id_.empty()) {
    if (auto root = Resolve("", root_id_)) {
      root_ = NormalizeArtifactPath(*root);
    }
  }
}

bool UriResolver::Has(const std::string& id) const {
  return bases_ != nullptr && JsonGet(*bases_, id.c_str()) != nullptr;
}

std::optional<std::string> UriResolver::Resolve(std::string_view uri,
                                                const std::string& base_id) const {
  return Resolve(uri, base_id, 0);
}

std::optional<std::string> UriResolver::Resolve(std::string_view uri, const std::string& base_id,
                                                int depth) const {
  std::string u(TrimSpace(uri));
  if (base_id.empty() || IsAbsoluteUri(u)) {
    return u;
  }
  const nlohmann::json* base = bases_ != nullptr ? JsonGet(*bases_, base_id.c_str()) : nullptr;
  if (base == nullptr || depth > kMaxBaseDepth) {
    return std::nullopt;
  }
  auto parent = Resolve(JsonStringAt(*base, "uri"), JsonStringAt(*base, "uriBaseId"), depth + 1);
  if (!parent) {
    return std::nullopt;
  }
  if (!parent->empty() && parent->back() != '/') {
    *parent += '/';
  }
  return *parent + u;
}

std::string UriResolver::Location(std::string_view uri, const std::string& base_id) const {
  if (!root_id_.empty() && base_id == root_id_ && !IsAbsoluteUri(uri)) {
    return NormalizeArtifactPath(uri);
  }
  auto resolved = Resolve(uri, base_id);
  std::string path = NormalizeArtifactPath(resolved ? *resolved : std::string(uri));
  if (!root_.empty()) {
    if (path == root_) {
      return "";
    }
    if (path.size() > root_.size() && path.compare(0, root_.size(), root_) == 0 &&
        path[root_.size()] == '/') {
      return path.substr(root_.size() + 1);
    }
  }
  return path;
}

}  // namespace vigil
