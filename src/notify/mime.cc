#include "notify/mime.h"

#include <array>

#include "audit/canonical_json.h"
#include "core/base64.h"
#include "core/sha256.h"

namespace vigil::notify {
namespace {

constexpr size_t kWordMax = 75;  // RFC 2047 2: an encoded word is at most 75 characters

// Length of the UTF-8 character starting with `lead` (valid input).
size_t CharLength(unsigned char lead) {
  if (lead < 0x80) {
    return 1;
  }
  if (lead >= 0xF0) {
    return 4;
  }
  return lead >= 0xE0 ? 3 : 2;
}

bool PlainAscii(std::string_view s) {
  for (char c : s) {
    if (c < 0x20 || c > 0x7e) {
      return false;
    }
  }
  // "=?" would start an encoded word when read back.
  return s.find("=?") == std::string_view::npos;
}

std::string Clean(std::string_view utf8) {
  std::string s = ValidUtf8(utf8);
  for (char& c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      c = ' ';
    }
  }
  return s;
}

// Folds ASCII text at spaces so that no line passes 78 characters where it can.
std::string FoldAscii(const std::string& s, size_t used) {
  std::string out;
  size_t line = used;
  size_t start = 0;
  while (start < s.size()) {
    size_t space = s.find(' ', start + 1);
    size_t end = space == std::string::npos ? s.size() : space;
    if (line + (end - start) > 78 && line > used && s[start] == ' ') {
      out += "\r\n";
      line = 0;
    }
    out.append(s, start, end - start);
    line += end - start;
    start = end;
  }
  return out;
}

std::string Base64Lines(std::string_view bytes) {
  std::string b64 = Base64Encode(bytes);
  std::string out;
  out.reserve(b64.size() + b64.size() / 76 * 2 + 2);
  for (size_t i = 0; i < b64.size(); i += 76) {
    out.append(b64, i, 76);
    out += "\r\n";
  }
  return out;
}

}  // namespace

std::string FormatMailDate(Timestamp t) {
  static constexpr std::array<const char*, 7> kDays = {"Sun", "Mon", "Tue", "Wed",
                                                       "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  auto days = std::chrono::floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd(days);
  std::chrono::weekday wd(days);
  std::chrono::hh_mm_ss hms(t - days);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%s, %02u %s %04d %02d:%02d:%02d +0000",
                kDays.at(wd.c_encoding()), static_cast<unsigned>(ymd.day()),
                kMonths.at(static_cast<unsigned>(ymd.month()) - 1), static_cast<int>(ymd.year()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string EncodeHeaderText(std::string_view utf8, size_t used) {
  std::string s = Clean(utf8);
  if (PlainAscii(s)) {
    return FoldAscii(s, used);
  }
  // Each word: "=?UTF-8?B?" + base64 + "?=" (12 characters), so at most 63 base64
  // characters, 45 bytes of text (a multiple of 3), cut at a character boundary.
  constexpr size_t kMaxBytes = (kWordMax - 12) / 4 * 3;
  std::string out;
  size_t i = 0;
  while (i < s.size()) {
    size_t end = i;
    while (end < s.size()) {
      size_t len = CharLength(static_cast<unsigned char>(s[end]));
      if (end + len - i > kMaxBytes) {
        break;
      }
      end += len;
    }
    if (!out.empty()) {
      out += "\r\n ";
    }
    out += "=?UTF-8?B?" + Base64Encode(std::string_view(s).substr(i, end - i)) + "?=";
    i = end;
  }
  return out;
}

std::string MessageIdFor(std::string_view key, std::string_view from) {
  size_t at = from.find('@');
  std::string domain =
      at == std::string_view::npos ? "vigil.invalid" : std::string(from.substr(at + 1));
  return "vigil." + Sha256Hex(key).substr(0, 32) + "@" + domain;
}

std::string BuildMessage(const MailMessage& m) {
  std::string boundary = "=_vigil_" + Sha256Hex(m.message_id + m.text).substr(0, 24);
  std::string to;
  for (const auto& a : m.to) {
    to += (to.empty() ? "" : ",\r\n ") + a;
  }
  std::string out;
  out += "From: " + EncodeHeaderText(m.from_name, 6) + " <" + m.from + ">\r\n";
  out += "To: " + to + "\r\n";
  out += "Subject: " + EncodeHeaderText(m.subject, 9) + "\r\n";
  out += "Date: " + FormatMailDate(m.date) + "\r\n";
  out += "Message-ID: <" + m.message_id + ">\r\n";
  // RFC 3834: sent by a program, so that auto-responders do not answer it.
  out += "Auto-Submitted: auto-generated\r\n";
  for (const auto& [name, value] : m.headers) {
    out += name + ": " + EncodeHeaderText(value, name.size() + 2) + "\r\n";
  }
  out += "MIME-Version: 1.0\r\n";
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  out += "This is a MIME message: a plain text and an HTML version of the same report.\r\n";
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  out += Base64Lines(ValidUtf8(m.text));
  out += "--" + boundary + "\r\n";
  out += "Content-Type: text/html; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n";
  out += Base64Lines(ValidUtf8(m.html));
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace vigil::notify
