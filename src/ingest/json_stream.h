// Streaming JSON: reads a document from a ByteSource and hands over the subtrees at chosen
// paths one at a time, so memory is bounded by the largest subtree, not the file.
//
// A path is a list of steps from the root: an object key, or "*" for every element of an
// array ({"Results", "*", "Vulnerabilities", "*"}). Each complete value at a chosen path is
// passed to the callback and then dropped from the document; everything else is kept, and
// the callback for the root (the empty path, if chosen) sees the rest of the document with
// the streamed subtrees removed. Errors carry "LINE:COLUMN".
//
// Untrusted input is bounded (input_policy.h): nesting deeper than kMaxJsonDepth, a string
// longer than kMaxTextBytes and a tree held at once (the values not yet handed over, and the
// rest of the document) of more than kMaxJsonTreeBytes of memory are refused with their
// position, before they are built. A key given twice in one object is refused too; "\u0000"
// is read as U+FFFD.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/status.h"

namespace vigil {

class ByteSource;

struct JsonPosition {
  uint64_t line = 1;
  uint64_t column = 1;
};

struct JsonStreamPath {
  std::vector<std::string> steps;
  // Called with the value, the keys and indices above it (indices as decimal text), and
  // where the value started. An error stops the parse and is returned by StreamJson.
  std::function<Status(nlohmann::json& value, const std::vector<std::string>& where,
                       JsonPosition start)>
      on_value;
};

struct JsonStreamLimits {
  size_t max_depth;
  size_t max_string_bytes;
  uint64_t max_tree_bytes;
};
JsonStreamLimits DefaultJsonStreamLimits();

// Parses the whole document from `source`. The root's own callback, when its path is the
// empty path, runs last. Fails on malformed JSON ("12:7: syntax error ...").
Status StreamJson(ByteSource& source, std::vector<JsonStreamPath> paths);
Status StreamJson(ByteSource& source, std::vector<JsonStreamPath> paths,
                  const JsonStreamLimits& limits);

}  // namespace vigil
