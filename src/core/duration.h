// Durations as people write them in configuration and on the command line: "90s", "15m",
// "24h", "7d", "2w", and sums of them ("1d12h"). A month or a year is not a fixed length, so
// they are not accepted; write "90d" or "365d".
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil {

Result<std::chrono::seconds> ParseDuration(std::string_view text);
// ParseDuration of a request's field: its error names `field` (Status::field()).
Result<std::chrono::seconds> ParseDurationField(const std::string& field, std::string_view text);

// The shortest exact form: "7d", "36h", "1d12h", "90s"; "0s" for zero.
std::string FormatDuration(std::chrono::seconds d);

}  // namespace vigil
