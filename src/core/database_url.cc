#include "core/database_url.h"

#include <vector>

namespace vigil {
namespace {

struct UrlParts {
  std::string_view scheme;     // "postgresql://"
  std::string_view authority;  // user:password@host:port
  std::string_view path;       // database name
  std::string_view query;      // after '?', without it
};

UrlParts Split(std::string_view url) {
  UrlParts p;
  size_t scheme_end = url.find("://");
  p.scheme = url.substr(0, scheme_end + 3);
  std::string_view rest = url.substr(scheme_end + 3);
  size_t q = rest.find('?');
  if (q != std::string_view::npos) {
    p.query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  size_t slash = rest.find('/');
  p.authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) {
    p.path = rest.substr(slash + 1);
  }
  return p;
}

std::vector<std::string_view> Params(std::string_view query) {
  std::vector<std::string_view> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    out.push_back(query.substr(0, amp));
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
  }
  return out;
}

std::string Sanitized(std::string_view name) {
  std::string out(name);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x21 || c == '+') {
      c = '_';
    }
  }
  return out;
}

}  // namespace

bool IsPostgresUrl(std::string_view url) {
  return url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0;
}

std::string SqlitePathOf(std::string_view url) {
  return std::string(url.rfind("sqlite:", 0) == 0 ? url.substr(7) : url);
}

std::string RedactedUrl(std::string_view url) {
  if (!IsPostgresUrl(url)) {
    return std::string(url);
  }
  UrlParts p = Split(url);
  std::string out(p.scheme);
  size_t at = p.authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view user = p.authority.substr(0, at);
    size_t colon = user.find(':');
    out += colon == std::string_view::npos ? std::string(user)
                                           : std::string(user.substr(0, colon)) + ":***";
    out += p.authority.substr(at);
  } else {
    out += p.authority;
  }
  if (url.substr(p.scheme.size() + p.authority.size()).rfind('/', 0) == 0) {
    out += "/" + std::string(p.path);
  }
  if (!p.query.empty()) {
    std::string query;
    for (std::string_view param : Params(p.query)) {
      query += query.empty() ? "?" : "&";
      query += param.rfind("password=", 0) == 0 ? std::string("password=***") : std::string(param);
    }
    out += query;
  }
  return out;
}

std::string DatabaseNameOf(std::string_view url) {
  if (!IsPostgresUrl(url)) {
    std::string path = SqlitePathOf(url);
    return Sanitized(std::string_view(path).substr(path.find_last_of('/') + 1));
  }
  UrlParts p = Split(url);
  if (!p.path.empty()) {
    return Sanitized(p.path);
  }
  for (std::string_view param : Params(p.query)) {
    if (param.rfind("dbname=", 0) == 0 && param.size() > 7) {
      return Sanitized(param.substr(7));
    }
  }
  return "postgresql";
}

}  // namespace vigil
