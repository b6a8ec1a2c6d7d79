// Reads a whole feed file into memory, gunzipping it when it is gzip-compressed (told by its
// first bytes, not its name). For feeds read as a whole (an NVD page, the EPSS list); scan
// reports are streamed instead (byte_source.h).
#pragma once

#include <string>

#include "core/status.h"

namespace vigil {

// Fails with the path and the reason (missing, unreadable, a corrupt gzip stream).
Result<std::string> ReadFileText(const std::string& path);

}  // namespace vigil
