#include "core/time.h"

#include "core/text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace vigil {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

// Reads exactly `width` digits at `pos`; advances pos.
bool ReadDigits(std::string_view s, size_t& pos, int width, int& out) {
  if (pos + width > s.size()) {
    return false;
  }
  int v = 0;
  for (int i = 0; i < width; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') {
      return false;
    }
    v = v * 10 + (c - '0');
  }
  pos += width;
  out = v;
  return true;
}

Result<Timestamp> MakeTime(int y, int mo, int d, int h, int mi, int s, std::string_view original) {
  year_month_day ymd{year(y), month(static_cast<unsigned>(mo)), day(static_cast<unsigned>(d))};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) {
    return InvalidInput("not a valid date or time: '" + std::string(original) + "'");
  }
  auto days = std::chrono::sys_days(ymd);
  return Timestamp(days) + std::chrono::hours(h) + std::chrono::minutes(mi) +
         std::chrono::seconds(s);
}

Status BadIso(std::string_view text) {
  return InvalidInput("not an ISO-8601 time: '" + std::string(text) +
                      "' (expected e.g. 2024-03-12T10:00:00Z)");
}

// Parses the optional "Z" / "+HH:MM" / "-HHMM" suffix; returns the offset east of UTC.
bool ParseZone(std::string_view s, size_t& pos, std::chrono::seconds& offset) {
  offset = std::chrono::seconds(0);
  if (pos == s.size()) {
    return true;
  }
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
    return pos == s.size();
  }
  if (s[pos] != '+' && s[pos] != '-') {
    return false;
  }
  int sign = s[pos] == '-' ? -1 : 1;
  ++pos;
  int hh = 0;
  int mm = 0;
  if (!ReadDigits(s, pos, 2, hh)) {
    return false;
  }
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
  }
  if (pos < s.size() && !ReadDigits(s, pos, 2, mm)) {
    return false;
  }
  offset = std::chrono::seconds(sign * (hh * 3600 + mm * 60));
  return pos == s.size() && hh <= 23 && mm <= 59;
}

constexpr std::array<std::string_view, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

}  // namespace

Timestamp FromUnixSeconds(int64_t seconds) {
  return Timestamp(std::chrono::seconds(seconds));
}

int64_t ToUnixSeconds(Timestamp t) {
  return t.time_since_epoch().count();
}

Result<Timestamp> ParseIso8601(std::string_view text) {
  std::string_view s = TrimSpace(text);
  size_t pos = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!ReadDigits(s, pos, 4, y) || pos >= s.size() || s[pos++] != '-' ||
      !ReadDigits(s, pos, 2, mo) || pos >= s.size() || s[pos++] != '-' ||
      !ReadDigits(s, pos, 2, d)) {
    return BadIso(text);
  }
  if (pos < s.size()) {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') {
      return BadIso(text);
    }
    ++pos;
    if (!ReadDigits(s, pos, 2, h) || pos >= s.size() || s[pos++] != ':' ||
        !ReadDigits(s, pos, 2, mi)) {
      return BadIso(text);
    }
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!ReadDigits(s, pos, 2, sec)) {
        return BadIso(text);
      }
      if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
        ++pos;
        size_t start = pos;
        while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
          ++pos;
        }
        if (pos == start) {
          return BadIso(text);
        }
      }
    }
  }
  std::chrono::seconds offset{0};
  if (!ParseZone(s, pos, offset)) {
    return BadIso(text);
  }
  auto t = MakeTime(y, mo, d, h, mi, sec, text);
  if (!t.ok()) {
    return t;
  }
  return *t - offset;
}

Result<Timestamp> ParseNessusHostTime(std::string_view text) {
  // "Mon Jul  1 11:40:48 2013": weekday, month, day (space padded), time, year.
  std::string_view s = TrimSpace(text);
  char wday[4] = {}, mon[4] = {};
  int d = 0, h = 0, mi = 0, sec = 0, y = 0;
  std::string buf(s);
  int consumed = 0;
  if (std::sscanf(buf.c_str(), "%3s %3s %d %d:%d:%d %d%n", wday, mon, &d, &h, &mi, &sec, &y,
                  &consumed) != 7 ||
      static_cast<size_t>(consumed) != buf.size()) {
    return InvalidInput("not a Nessus host time: '" + std::string(text) +
                        "' (expected e.g. 'Mon Jul  1 11:40:48 2013')");
  }
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == mon) {
      return MakeTime(y, static_cast<int>(i) + 1, d, h, mi, sec, text);
    }
  }
  return InvalidInput("unknown month in Nessus host time: '" + std::string(text) + "'");
}

Result<Timestamp> ParseEpochSeconds(std::string_view text) {
  std::string_view s = TrimSpace(text);
  int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size() || s.empty()) {
    return InvalidInput("not epoch seconds: '" + std::string(text) + "'");
  }
  return FromUnixSeconds(v);
}

Result<Timestamp> ParseSlashDate(std::string_view text) {
  std::string_view s = TrimSpace(text);
  size_t pos = 0;
  int y = 0, mo = 0, d = 0;
  if (!ReadDigits(s, pos, 4, y) || pos >= s.size() || s[pos++] != '/' ||
      !ReadDigits(s, pos, 2, mo) || pos >= s.size() || s[pos++] != '/' ||
      !ReadDigits(s, pos, 2, d) || pos != s.size()) {
    return InvalidInput("not a YYYY/MM/DD date: '" + std::string(text) + "'");
  }
  return MakeTime(y, mo, d, 0, 0, 0, text);
}

std::string FormatIso8601(Timestamp t) {
  auto days = std::chrono::floor<std::chrono::days>(t);
  year_month_day ymd(days);
  std::chrono::hh_mm_ss hms(t - days);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string FormatDate(Timestamp t) {
  return FormatIso8601(t).substr(0, 10);
}

Timestamp AddMonths(Timestamp t, int months) {
  using namespace std::chrono;
  sys_days day = floor<days>(t);
  seconds time_of_day = t - day;
  year_month_day ymd{day};
  year_month target = year_month{ymd.year(), ymd.month()} + std::chrono::months(months);
  unsigned last = static_cast<unsigned>(
      year_month_day_last{target.year(), month_day_last{target.month()}}.day());
  unsigned d = std::min(static_cast<unsigned>(ymd.day()), last);
  return sys_days{target / std::chrono::day(d)} + time_of_day;
}

}  // namespace vigil
