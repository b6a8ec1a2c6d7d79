// The canonical JSON of audit events (docs/audit.md#leaf-encoding): objects with keys sorted
// by their UTF-8 bytes, no insignificant white space, integers only, strings in UTF-8 with the
// minimal escapes. Small enough to re-implement from the description.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil {

// A JSON string literal: '"' and '\' escaped, \b \f \n \r \t, other bytes below 0x20 as
// \u00xx (lower-case hex); everything else as is. Invalid UTF-8 becomes U+FFFD.
std::string JsonString(std::string_view text);

// `text` with every byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string ValidUtf8(std::string_view text);

// Appends `"key":` to `out` (the caller keeps keys sorted and adds the commas).
void JsonKey(std::string& out, std::string_view key);

}  // namespace vigil
