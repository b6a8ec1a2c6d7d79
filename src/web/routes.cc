#include "web/routes.h"

namespace vigil::web {

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) {
      end = path.size();
    }
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  if (!out.empty() && out.back().empty()) {
    out.pop_back();  // a trailing slash
  }
  return out;
}

std::optional<std::vector<std::string>> Match(const std::string& pattern,
                                              const std::vector<std::string>& path) {
  std::vector<std::string> want = Segments(pattern);
  if (want.size() != path.size()) {
    return std::nullopt;
  }
  std::vector<std::string> params;
  for (size_t i = 0; i < want.size(); ++i) {
    if (want[i].size() > 2 && want[i].front() == '{' && want[i].back() == '}') {
      if (path[i].empty()) {
        return std::nullopt;
      }
      params.push_back(path[i]);
    } else if (want[i] != path[i]) {
      return std::nullopt;
    }
  }
  return params;
}

}  // namespace vigil::web
