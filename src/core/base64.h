// Standard base64 (RFC 4648 section 4, with padding), strict: decoding refuses anything that
// is not its canonical encoding.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil {

std::string Base64Encode(std::string_view bytes);
Result<std::string> Base64Decode(std::string_view text);

}  // namespace vigil
