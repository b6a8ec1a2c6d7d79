// When a daily digest is due: its time of day on the local calendar of its time zone, so that
// it keeps its local time across daylight-saving changes (IANA time zones, date::tz).
#pragma once

#include <string>

#include "core/config.h"
#include "core/status.h"
#include "core/time.h"

namespace vigil::notify {

struct DigestSlot {
  std::string local_date;  // the local day the slot belongs to: "2026-12-08"
  Timestamp at{};          // when it is due
  std::string local_text;  // "2026-12-08 07:00 CET", for people
};

// The slot of `rule` on the local day that holds `now`. A time of day that does not exist that
// day (a daylight-saving gap) is due when the gap ends; one that exists twice, at the first.
Result<DigestSlot> DigestSlotAt(const DigestRule& rule, Timestamp now);

}  // namespace vigil::notify
