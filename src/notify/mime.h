// Internet mail messages (RFC 5322, MIME): a multipart/alternative message with a plain text
// and an HTML part, RFC 2047 encoded words for non-ASCII header text, an RFC 5322 Date and a
// Message-ID. Pure functions: sending is net/http_post.h's SendMail.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/time.h"

namespace vigil::notify {

struct MailMessage {
  std::string from;  // an address (validated by the configuration)
  std::string from_name = "vigil";
  std::vector<std::string> to;
  std::string subject;     // UTF-8; control characters become spaces
  std::string text;        // UTF-8 plain text
  std::string html;        // UTF-8 HTML document
  std::string message_id;  // "LOCAL@DOMAIN", without angle brackets
  Timestamp date{};
  // Further headers, e.g. {"X-Vigil-Notification", key}; values are encoded like the subject.
  std::vector<std::pair<std::string, std::string>> headers;
};

// RFC 5322 date-time in UTC: "Mon, 07 Dec 2026 14:00:00 +0000".
std::string FormatMailDate(Timestamp t);

// Header text as it may appear in a header: printable ASCII as it is (folded at spaces when
// long), anything else as RFC 2047 "=?UTF-8?B?...?=" words of at most 75 characters, each
// holding whole UTF-8 characters. Control characters (CR, LF) become spaces, invalid UTF-8
// becomes U+FFFD. `used` is how much of the first line the header's name takes.
std::string EncodeHeaderText(std::string_view utf8, size_t used);

// The whole message, CRLF line ends, bodies base64 in lines of 76.
std::string BuildMessage(const MailMessage& m);

// The Message-ID for a notification's idempotency key: the same key, the same id, so that a
// message sent again after a crash is recognisably the same message.
std::string MessageIdFor(std::string_view key, std::string_view from);

}  // namespace vigil::notify
