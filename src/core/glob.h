// Shell-style name patterns for asset rules: '*' any run of characters, '?' one character,
// everything else literal; ASCII case is ignored, as in host names.
#pragma once

#include <string_view>

namespace vigil {

bool GlobMatch(std::string_view pattern, std::string_view text);

}  // namespace vigil
