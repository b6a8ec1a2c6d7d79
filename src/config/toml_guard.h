// What toml++ 3.3.0 (Debian 12) cannot be given: asked whether a code point in U+00A1..U+0499
// (Latin-1 to Cyrillic) or U+FB06..U+FEFE is whitespace, its generated table reaches
// __builtin_unreachable, which is undefined behaviour (marzer/tomlplusplus#295, fixed upstream
// by #305). It asks where TOML allows only ASCII (between keys, values and brackets) and at
// the first character after a line-ending backslash in a multi-line basic string (#190).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil {

// InvalidInput "PATH:LINE:COLUMN: ..." for the first such code point in such a place; Ok
// otherwise (including for text that is not TOML, which toml++ then reports).
Status CheckTomlppCanParse(std::string_view text, const std::string& path);

}  // namespace vigil
