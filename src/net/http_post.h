// HTTP(S) requests for the few services vigil talks to (an RFC 3161 time-stamping authority,
// webhooks, Jira). libcurl underneath; TLS certificates are checked against the system's
// store, or the PEM file a configuration names.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vigil {

struct HttpResponse {
  long status = 0;
  std::string content_type;
  std::string body;
  // Retry-After in seconds (429, 503), when the server sent it as a number of seconds.
  std::optional<int> retry_after;
};

struct HttpCall {
  std::string method = "POST";  // GET | POST | PUT
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
  std::chrono::seconds timeout{30};
  std::string ca_file;         // PEM CAs to trust instead of the system's (empty: the system's)
  std::string user, password;  // HTTP Basic authentication, when user is set
  size_t max_body = 16 << 20;  // a longer answer is an error
};

// Errors name the URL and what failed (resolve, connect, timeout, TLS). A response with any
// status is returned; the caller decides what a non-2xx status means. Redirects are not
// followed; only http and https are allowed.
Result<HttpResponse> HttpSend(const HttpCall& call);

Result<HttpResponse> HttpPost(const std::string& url, std::string_view content_type,
                              std::string_view body, std::chrono::seconds timeout);

// One mail to an SMTP server: smtp:// (STARTTLS as `starttls` says) or smtps:// (TLS from the
// start), authenticated when `user` is set.
struct SmtpCall {
  std::string url;
  std::string starttls = "opportunistic";  // required | opportunistic | off
  std::string ca_file;
  std::string user, password;
  std::chrono::seconds timeout{30};
  std::string from;
  std::vector<std::string> to;
  std::string message;  // RFC 5322, CRLF line ends
};
// The error says what the server answered (e.g. "RCPT failed: 550"); `reply`, when given, is
// set to the server's last reply code (0 when none came).
Status SendMail(const SmtpCall& call, long* reply = nullptr);

}  // namespace vigil
