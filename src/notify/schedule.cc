#include "notify/schedule.h"

#include <date/tz.h>

namespace vigil::notify {

Result<DigestSlot> DigestSlotAt(const DigestRule& rule, Timestamp now) {
  const date::time_zone* zone = nullptr;
  try {
    zone = date::locate_zone(rule.time_zone);
  } catch (const std::exception& e) {
    return InvalidInput("digest '" + rule.name + "': unknown time zone '" + rule.time_zone + "'");
  }
  auto local = zone->to_local(now);
  auto day = date::floor<date::days>(local);
  auto wanted = day + std::chrono::minutes(rule.minute_of_day);
  auto info = zone->get_info(wanted);
  Timestamp at{};
  if (info.result == date::local_info::nonexistent) {
    // The gap's end: the first instant after the clocks jumped.
    at = std::chrono::time_point_cast<std::chrono::seconds>(info.second.begin);
  } else {
    at = std::chrono::time_point_cast<std::chrono::seconds>(
        zone->to_sys(wanted, date::choose::earliest));
  }
  DigestSlot slot;
  slot.at = at;
  slot.local_date = date::format("%F", day);
  slot.local_text = date::format("%F %H:%M %Z", date::make_zoned(zone, at));
  return slot;
}

}  // namespace vigil::notify
