// Host names as an inventory or a report may give them: DNS names (RFC 1123 labels of
// letters, digits and hyphens, with '_' accepted for the NetBIOS-style names Windows hosts
// carry), at most 253 bytes, whose last label is not all digits (so "999.1.1.1" is a broken
// IP address, not a name).
#pragma once

#include <string_view>

namespace vigil {

bool IsHostName(std::string_view text);

}  // namespace vigil
