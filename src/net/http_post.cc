#include "net/http_post.h"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace vigil {
namespace {

// A reply's body, up to a limit: a server streaming more is cut off (the transfer fails).
struct Body {
  std::string* text;
  size_t limit;
};

size_t Collect(char* data, size_t size, size_t n, void* out) {
  auto* body = static_cast<Body*>(out);
  if (body->text->size() + size * n > body->limit) {
    return 0;
  }
  body->text->append(data, size * n);
  return size * n;
}

// Retry-After: NUMBER (seconds); an HTTP date is left to the caller's own backoff.
size_t Header(char* data, size_t size, size_t n, void* out) {
  std::string_view line(data, size * n);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size() && strncasecmp(line.data(), kName.data(), kName.size()) == 0) {
    std::string_view value = line.substr(kName.size());
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    int seconds = 0;
    size_t digits = 0;
    while (digits < value.size() && digits < 7 && value[digits] >= '0' && value[digits] <= '9') {
      seconds = seconds * 10 + (value[digits] - '0');
      ++digits;
    }
    if (digits > 0) {
      static_cast<HttpResponse*>(out)->retry_after = seconds;
    }
  }
  return size * n;
}

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

using Easy = std::unique_ptr<CURL, void (*)(CURL*)>;
using Slist = std::unique_ptr<curl_slist, void (*)(curl_slist*)>;

Result<Easy> NewEasy() {
  GlobalInit();
  Easy curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    return Internal("cannot start a network client");
  }
  return curl;
}

std::string CurlError(CURLcode rc, const char* buffer) {
  return buffer[0] != 0 ? std::string(buffer) : curl_easy_strerror(rc);
}

}  // namespace

Result<HttpResponse> HttpSend(const HttpCall& call) {
  ASSIGN_OR_RETURN(Easy curl, NewEasy());
  Slist headers(nullptr, curl_slist_free_all);
  for (const auto& h : call.headers) {
    curl_slist* next = curl_slist_append(headers.get(), h.c_str());
    if (next == nullptr) {
      return Internal("cannot build the request's headers");
    }
    static_cast<void>(headers.release());
    headers.reset(next);
  }
  HttpResponse out;
  char error[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, call.url.c_str());
  if (call.method == "POST" || call.method == "PUT") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, call.body.data());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(call.body.size()));
    if (call.method == "PUT") {
      curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PUT");
    }
  } else if (call.method != "GET") {
    return Internal("unsupported HTTP method " + call.method);
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(call.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  Body body{.text = &out.body, .limit = call.max_body};
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, Header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &out);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  if (!call.ca_file.empty()) {
    // Only this file's CAs: the CA directory libcurl was built with is cleared too.
    curl_easy_setopt(c, CURLOPT_CAINFO, call.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_CAPATH, nullptr);
  }
  if (!call.user.empty()) {
    curl_easy_setopt(c, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(c, CURLOPT_USERNAME, call.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, call.password.c_str());
  }
  CURLcode rc = curl_easy_perform(c);
  if (rc == CURLE_WRITE_ERROR) {
    return IoError(call.url + ": the answer is larger than " + std::to_string(call.max_body) +
                   " bytes");
  }
  if (rc != CURLE_OK) {
    return IoError(call.url + ": " + CurlError(rc, error));
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  char* type = nullptr;
  curl_easy_getinfo(c, CURLINFO_CONTENT_TYPE, &type);
  if (type != nullptr) {
    out.content_type = type;
  }
  return out;
}

Result<HttpResponse> HttpPost(const std::string& url, std::string_view content_type,
                              std::string_view body, std::chrono::seconds timeout) {
  return HttpSend(HttpCall{.method = "POST",
                           .url = url,
                           .headers = {"Content-Type: " + std::string(content_type)},
                           .body = std::string(body),
                           .timeout = timeout});
}

namespace {

struct Upload {
  std::string_view rest;
};

size_t Feed(char* buffer, size_t size, size_t n, void* in) {
  auto* upload = static_cast<Upload*>(in);
  size_t len = std::min(size * n, upload->rest.size());
  std::memcpy(buffer, upload->rest.data(), len);
  upload->rest.remove_prefix(len);
  return len;
}

}  // namespace

Status SendMail(const SmtpCall& call, long* reply) {
  ASSIGN_OR_RETURN(Easy curl, NewEasy());
  Slist rcpts(nullptr, curl_slist_free_all);
  for (const auto& to : call.to) {
    curl_slist* next = curl_slist_append(rcpts.get(), ("<" + to + ">").c_str());
    if (next == nullptr) {
      return Internal("cannot build the recipients");
    }
    static_cast<void>(rcpts.release());
    rcpts.reset(next);
  }
  std::string from = "<" + call.from + ">";
  Upload upload{call.message};
  char error[CURL_ERROR_SIZE] = {0};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, call.url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, Feed);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(call.message.size()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(call.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  if (call.url.rfind("smtp://", 0) == 0) {
    long level = call.starttls == "required"        ? CURLUSESSL_ALL
                 : call.starttls == "opportunistic" ? CURLUSESSL_TRY
                                                    : CURLUSESSL_NONE;
    curl_easy_setopt(c, CURLOPT_USE_SSL, level);
  }
  if (!call.ca_file.empty()) {
    // Only this file's CAs: the CA directory libcurl was built with is cleared too.
    curl_easy_setopt(c, CURLOPT_CAINFO, call.ca_file.c_str());
    curl_easy_setopt(c, CURLOPT_CAPATH, nullptr);
  }
  if (!call.user.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, call.user.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, call.password.c_str());
  }
  CURLcode rc = curl_easy_perform(c);
  if (reply != nullptr) {
    *reply = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, reply);
  }
  if (rc != CURLE_OK) {
    return IoError(call.url + ": " + CurlError(rc, error));
  }
  return Status::Ok();
}

}  // namespace vigil
