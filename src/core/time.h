// Time values and the date formats vigil reads and writes.
//
// vigil keeps every time as UTC seconds. Formats read:
//  - ISO-8601: "2024-03-12", "2024-03-12T10:00", "2024-03-12T10:00:01Z",
//    "2024-03-12 10:00:01.123+02:00" (no zone means UTC);
//  - Nessus HOST_START/HOST_END: "Mon Jul  1 11:40:48 2013" (scanner local time, no zone:
//    read as UTC; the *_TIMESTAMP epoch tags are preferred when present);
//  - Nessus *_TIMESTAMP tags and other epoch seconds: "1648042311";
//  - Nessus publication dates: "2014/04/08".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil {

using Timestamp = std::chrono::sys_seconds;

Timestamp FromUnixSeconds(int64_t seconds);
int64_t ToUnixSeconds(Timestamp t);

Result<Timestamp> ParseIso8601(std::string_view text);
Result<Timestamp> ParseNessusHostTime(std::string_view text);
Result<Timestamp> ParseEpochSeconds(std::string_view text);
Result<Timestamp> ParseSlashDate(std::string_view text);

// "2024-03-12T10:00:01Z".
std::string FormatIso8601(Timestamp t);

// The same time of day `months` calendar months later (UTC); a day the month lacks becomes
// its last day (31 January + 1 month = 28 or 29 February).
Timestamp AddMonths(Timestamp t, int months);
// "2024-03-12".
std::string FormatDate(Timestamp t);

}  // namespace vigil
