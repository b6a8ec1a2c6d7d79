// Matching a request path against the server's route patterns ({name} stands for one path
// segment).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace vigil::web {

// The segments of a path ("/a/b/" -> {"a", "b"}).
std::vector<std::string> Segments(const std::string& path);

// The values of the pattern's {parameters} when `path` (its segments) matches it.
std::optional<std::vector<std::string>> Match(const std::string& pattern,
                                              const std::vector<std::string>& path);

}  // namespace vigil::web
