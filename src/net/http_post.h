// One HTTP(S) POST, for the few services vigil talks to (an RFC 3161 time-stamping
// authority). libcurl underneath; TLS certificates are checked against the system's store.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil {

struct HttpResponse {
  long status = 0;
  std::string content_type;
  std::string body;
};

// Errors name the URL and what failed (resolve, connect, timeout, TLS). A response with any
// status is returned; the caller decides what a non-2xx status means.
Result<HttpResponse> HttpPost(const std::string& url, std::string_view content_type,
                              std::string_view body, std::chrono::seconds timeout);

}  // namespace vigil
