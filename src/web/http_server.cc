#include "web/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "core/time.h"

namespace vigil::web {

// What the server keeps of one request while its body arrives.
struct HttpServer::Context {
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  Request request;
  bool spool = false;
  int fd = -1;             // the spool file while it is written
  bool responded = false;  // a response was queued before the body was complete
  int status = 0;          // the status sent, for the access log
  uint64_t response_bytes = 0;
  std::string user;
};

namespace {

// The headers a handler may ask for; everything else is not kept.
constexpr const char* kKeptHeaders[] = {
    "authorization", "content-type", "content-length", "cookie",          "origin",
    "user-agent",    "accept",       "x-csrf-token",   "x-forwarded-for", "host"};

MHD_Result Trampoline(void* cls, MHD_Connection* connection, const char* url, const char* method,
                      const char* /*version*/, const char* upload_data, size_t* upload_data_size,
                      void** con_cls) {
  auto* server = static_cast<HttpServer*>(cls);
  return server->OnRequest(connection, url, method, upload_data, upload_data_size, con_cls) != 0
             ? MHD_YES
             : MHD_NO;
}

void CompletedTrampoline(void* cls, MHD_Connection* connection, void** con_cls,
                         MHD_RequestTerminationCode /*toe*/) {
  static_cast<HttpServer*>(cls)->OnCompleted(connection, con_cls);
}

void ConnectionTrampoline(void* cls, MHD_Connection* connection, void** /*socket_context*/,
                          MHD_ConnectionNotificationCode code) {
  static_cast<HttpServer*>(cls)->OnConnection(connection, code == MHD_CONNECTION_NOTIFY_STARTED);
}

// With their lengths: a decoded %00 stays in the value (and a filter refuses it) instead of
// cutting it short.
MHD_Result CollectArgument(void* cls, MHD_ValueKind /*kind*/, const char* key, size_t key_size,
                           const char* value, size_t value_size) {
  auto* query = static_cast<std::multimap<std::string, std::string>*>(cls);
  query->emplace(key != nullptr ? std::string(key, key_size) : std::string(),
                 value != nullptr ? std::string(value, value_size) : std::string());
  return MHD_YES;
}

std::string RemoteAddress(MHD_Connection* connection) {
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (info == nullptr || info->client_addr == nullptr) {
    return "-";
  }
  char text[INET6_ADDRSTRLEN] = {0};
  const sockaddr* sa = info->client_addr;
  if (sa->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, text, sizeof text);
  } else if (sa->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr, text, sizeof text);
  }
  return text;
}

// Queues `r` on the connection; MHD_NO when libmicrohttpd cannot (the connection is closed).
// A file response's descriptor and size; the descriptor is the response's, closed with it.
MHD_Response* FileResponse(const std::string& path, uint64_t& size) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    if (fd >= 0) {
      close(fd);
    }
    return nullptr;
  }
  size = static_cast<uint64_t>(st.st_size);
  MHD_Response* response = MHD_create_response_from_fd64(size, fd);
  if (response == nullptr) {
    close(fd);
  }
  return response;
}

// A kept text sent as it is: the response holds a reference to it until libmicrohttpd is done.
MHD_Response* SharedResponse(const std::shared_ptr<const std::string>& text) {
  using Held = std::shared_ptr<const std::string>;
  auto* held = new Held(text);
  MHD_Response* response = MHD_create_response_from_buffer_with_free_callback_cls(
      text->size(), const_cast<char*>(text->data()),
      [](void* cls) { delete static_cast<Held*>(cls); }, held);
  if (response == nullptr) {
    delete held;
  }
  return response;
}

int Send(MHD_Connection* connection, const Response& r, uint64_t* sent = nullptr) {
  uint64_t size = r.shared_body ? r.shared_body->size() : r.body.size();
  MHD_Response* response =
      !r.body_file.empty() ? FileResponse(r.body_file, size)
      : r.shared_body      ? SharedResponse(r.shared_body)
                           : MHD_create_response_from_buffer(
                                 r.body.size(), const_cast<char*>(r.body.data()), MHD_RESPMEM_MUST_COPY);
  if (response == nullptr) {
    return MHD_NO;
  }
  if (sent != nullptr) {
    *sent = size;
  }
  MHD_add_response_header(response, "Content-Type", r.content_type.c_str());
  MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(response, "Cache-Control", "no-store");
  for (const auto& [name, value] : r.headers) {
    MHD_add_response_header(response, name.c_str(), value.c_str());
  }
  MHD_Result ret = MHD_queue_response(connection, static_cast<unsigned>(r.status), response);
  MHD_destroy_response(response);
  return ret;
}

// The access log's quoting: no control characters, no spaces in one field.
std::string LogField(const std::string& s) {
  if (s.empty()) {
    return "-";
  }
  std::string out;
  for (unsigned char c : s) {
    out += (c < 0x21 || c == 0x7f || c == '"') ? '_' : static_cast<char>(c);
  }
  return out.size() > 512 ? out.substr(0, 512) + "..." : out;
}

}  // namespace

std::string Request::Param(const std::string& name) const {
  std::string value;
  auto [begin, end] = query.equal_range(name);
  for (auto it = begin; it != end; ++it) {
    value = it->second;
  }
  return value;
}

std::optional<std::string> Request::Header(const std::string& lower_name) const {
  auto it = headers.find(lower_name);
  if (it == headers.end()) {
    return std::nullopt;
  }
  return it->second;
}

Response Problem(int status, const std::string& title, const std::string& detail,
                 const std::string& extra_json_members) {
  nlohmann::ordered_json j;
  j["type"] = "about:blank";
  j["title"] = title;
  j["status"] = status;
  j["detail"] = detail;
  std::string body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (!extra_json_members.empty()) {
    body.pop_back();
    body += "," + extra_json_members + "}";
  }
  return Response{.status = status, .content_type = "application/problem+json", .body = body};
}

HttpServer::HttpServer(ServerLimits limits, Handler handler, SpoolPredicate spool,
                       std::ostream& access_log)
    : limits_(limits),
      handler_(std::move(handler)),
      spool_(std::move(spool)),
      access_log_(access_log) {}

HttpServer::~HttpServer() {
  StopWatching();
  if (daemon_ != nullptr) {
    MHD_stop_daemon(daemon_);
  }
}

Status HttpServer::Start(const std::string& host, uint16_t port) {
  sockaddr_storage addr{};
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC;
  std::string literal = host == "localhost" ? "127.0.0.1" : host;
  if (!literal.empty() && literal.front() == '[' && literal.back() == ']') {
    literal = literal.substr(1, literal.size() - 2);
  }
  auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
  if (inet_pton(AF_INET, literal.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(port);
  } else if (inet_pton(AF_INET6, literal.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(port);
    flags |= MHD_USE_IPv6;
  } else {
    return FieldError("listen", "'" + host + "' is not an IPv4 or IPv6 address or localhost");
  }
  daemon_ = MHD_start_daemon(
      flags, port, nullptr, nullptr, &Trampoline, this, MHD_OPTION_SOCK_ADDR,
      reinterpret_cast<sockaddr*>(&addr), MHD_OPTION_THREAD_POOL_SIZE,
      static_cast<unsigned>(limits_.threads), MHD_OPTION_CONNECTION_LIMIT,
      static_cast<unsigned>(limits_.max_connections), MHD_OPTION_PER_IP_CONNECTION_LIMIT,
      static_cast<unsigned>(limits_.max_connections_per_address), MHD_OPTION_CONNECTION_TIMEOUT,
      static_cast<unsigned>(limits_.connection_timeout_seconds), MHD_OPTION_CONNECTION_MEMORY_LIMIT,
      static_cast<size_t>(limits_.max_header_bytes), MHD_OPTION_STRICT_FOR_CLIENT, 1,
      MHD_OPTION_NOTIFY_COMPLETED, &CompletedTrampoline, this, MHD_OPTION_NOTIFY_CONNECTION,
      &ConnectionTrampoline, this, MHD_OPTION_END);
  if (daemon_ == nullptr) {
    return IoError("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                   std::strerror(errno));
  }
  const MHD_DaemonInfo* info = MHD_get_daemon_info(daemon_, MHD_DAEMON_INFO_BIND_PORT);
  port_ = info != nullptr ? info->port : port;
  watchdog_ = std::thread([this] { Watch(); });
  return Status::Ok();
}

void HttpServer::OnConnection(MHD_Connection* connection, bool opened) {
  std::lock_guard<std::mutex> lock(connections_mutex_);
  if (!opened) {
    connections_.erase(connection);
    return;
  }
  const MHD_ConnectionInfo* info =
      MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
  if (info != nullptr) {
    connections_[connection] = Connection{.fd = info->connect_fd,
                                          .since = std::chrono::steady_clock::now(),
                                          .remote = RemoteAddress(connection)};
  }
}

void HttpServer::HeadersArrived(MHD_Connection* connection, bool arrived) {
  std::lock_guard<std::mutex> lock(connections_mutex_);
  auto it = connections_.find(connection);
  if (it != connections_.end()) {
    it->second.in_request = arrived;
    it->second.since = std::chrono::steady_clock::now();
  }
}

void HttpServer::Watch() {
  const auto limit = std::chrono::seconds(limits_.header_timeout_seconds);
  const auto every = std::clamp<std::chrono::milliseconds>(
      std::chrono::duration_cast<std::chrono::milliseconds>(limit) / 4,
      std::chrono::milliseconds(100), std::chrono::milliseconds(1000));
  std::unique_lock<std::mutex> lock(connections_mutex_);
  while (!watch_wake_.wait_for(lock, every, [this] { return watch_stop_; })) {
    auto now = std::chrono::steady_clock::now();
    for (auto& [connection, c] : connections_) {
      if (c.in_request || c.cut || now - c.since < limit) {
        continue;
      }
      // libmicrohttpd sees the connection end and closes it in its own thread.
      shutdown(c.fd, SHUT_RDWR);
      c.cut = true;
      ++headers_cut_;
      // An access-log line of its own: no request arrived, the connection was closed (408).
      auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now - c.since).count();
      std::string line = FormatIso8601(SystemClock().Now()) + " " + LogField(c.remote) +
                         " - \"- -\" 408 0 " + std::to_string(ms) + "ms\n";
      std::lock_guard<std::mutex> log(log_mutex_);
      access_log_ << line << std::flush;
    }
  }
}

void HttpServer::StopWatching() {
  {
    std::lock_guard<std::mutex> lock(connections_mutex_);
    watch_stop_ = true;
  }
  watch_wake_.notify_all();
  if (watchdog_.joinable()) {
    watchdog_.join();
  }
}

void HttpServer::Stop(std::chrono::seconds grace) {
  if (daemon_ == nullptr) {
    return;
  }
  StopWatching();
  MHD_socket listen = MHD_quiesce_daemon(daemon_);
  if (listen != MHD_INVALID_SOCKET) {
    close(listen);
  }
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (in_flight_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  MHD_stop_daemon(daemon_);
  daemon_ = nullptr;
}

int HttpServer::Begin(MHD_Connection* connection, const char* url, const char* method,
                      void** con_cls) {
  auto* ctx = new Context();
  *con_cls = ctx;
  ++in_flight_;
  HeadersArrived(connection, true);
  ctx->request.method = method != nullptr ? method : "";
  ctx->request.path = url != nullptr ? url : "";
  ctx->request.remote = RemoteAddress(connection);
  for (const char* name : kKeptHeaders) {
    const char* value = MHD_lookup_connection_value(connection, MHD_HEADER_KIND, name);
    if (value != nullptr) {
      ctx->request.headers[name] = value;
    }
  }
  MHD_get_connection_values_n(connection, MHD_GET_ARGUMENT_KIND, &CollectArgument,
                              &ctx->request.query);
  ctx->spool = spool_(ctx->request.method, ctx->request.path);
  uint64_t limit = ctx->spool ? limits_.max_upload_bytes : limits_.max_body_bytes;
  if (auto length = ctx->request.Header("content-length")) {
    uint64_t n = 0;
    auto [end, ec] = std::from_chars(length->data(), length->data() + length->size(), n);
    if (ec == std::errc() && end == length->data() + length->size() && n > limit) {
      ctx->responded = true;
      ctx->status = 413;
      return Send(connection,
                  Problem(413, "Content Too Large",
                          "the body is " + *length + " bytes; this route takes at most " +
                              std::to_string(limit)));
    }
  }
  return MHD_YES;
}

int HttpServer::Refuse(MHD_Connection* connection, Context& ctx, int status,
                       const std::string& title, const std::string& detail) {
  ctx.responded = true;
  ctx.status = status;
  return Send(connection, Problem(status, title, detail));
}

int HttpServer::Receive(MHD_Connection* connection, Context& ctx, const char* data, size_t n) {
  if (ctx.responded) {
    return MHD_YES;  // the rest of a refused body is discarded
  }
  uint64_t limit = ctx.spool ? limits_.max_upload_bytes : limits_.max_body_bytes;
  ctx.request.body_bytes += n;
  if (ctx.request.body_bytes > limit) {
    return Refuse(connection, ctx, 413, "Content Too Large",
                  "the body is longer than this route takes (" + std::to_string(limit) + " bytes)");
  }
  if (!ctx.spool) {
    ctx.request.body.append(data, n);
    return MHD_YES;
  }
  if (ctx.fd < 0) {
    const char* tmp = std::getenv("TMPDIR");
    std::string path =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/vigil-upload-XXXXXX";
    ctx.fd = mkstemp(path.data());
    if (ctx.fd < 0) {
      return Refuse(connection, ctx, 503, "Service Unavailable",
                    "cannot store the upload: " + std::string(strerror(errno)));
    }
    ctx.request.body_file = path;
  }
  for (size_t done = 0; done < n;) {
    ssize_t w = write(ctx.fd, data + done, n - done);
    if (w <= 0) {
      return Refuse(connection, ctx, 507, "Insufficient Storage",
                    "cannot store the upload: " + std::string(strerror(errno)));
    }
    done += static_cast<size_t>(w);
  }
  return MHD_YES;
}

int HttpServer::OnRequest(MHD_Connection* connection, const char* url, const char* method,
                          const char* upload_data, size_t* upload_data_size, void** con_cls) {
  if (*con_cls == nullptr) {
    return Begin(connection, url, method, con_cls);
  }
  auto* ctx = static_cast<Context*>(*con_cls);
  if (*upload_data_size > 0) {
    size_t n = *upload_data_size;
    *upload_data_size = 0;
    return Receive(connection, *ctx, upload_data, n);
  }
  if (ctx->responded) {
    return MHD_YES;
  }
  if (ctx->fd >= 0) {
    close(ctx->fd);
    ctx->fd = -1;
  }
  Response response;
  try {
    response = handler_(ctx->request);
  } catch (const std::exception& e) {
    response = Problem(500, "Internal Server Error", e.what());
  }
  ctx->responded = true;
  ctx->status = response.status;
  ctx->user = response.user;
  int queued = Send(connection, response, &ctx->response_bytes);
  if (queued == MHD_NO && !response.body_file.empty()) {
    // The file went away between the handler and here.
    ctx->status = 500;
    return Send(connection, Problem(500, "Internal Server Error", "the file to send is gone"));
  }
  return queued;
}

void HttpServer::OnCompleted(MHD_Connection* connection, void** con_cls) {
  HeadersArrived(connection, false);  // the next request's clock starts
  auto* ctx = static_cast<Context*>(*con_cls);
  if (ctx == nullptr) {
    return;
  }
  *con_cls = nullptr;
  Log(*ctx, ctx->status);
  if (ctx->fd >= 0) {
    close(ctx->fd);
  }
  if (!ctx->request.body_file.empty()) {
    unlink(ctx->request.body_file.c_str());
  }
  delete ctx;
  --in_flight_;
}

void HttpServer::Log(const Context& ctx, int status) const {
  auto ms = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                  ctx.start)
                .count();
  std::string line = FormatIso8601(SystemClock().Now()) + " " + LogField(ctx.request.remote) + " " +
                     LogField(ctx.user) + " \"" + LogField(ctx.request.method) + " " +
                     LogField(ctx.request.path) + "\" " + std::to_string(status) + " " +
                     std::to_string(ctx.response_bytes) + " " +
                     std::to_string(static_cast<double>(ms) / 1000.0) + "ms\n";
  std::lock_guard<std::mutex> lock(log_mutex_);
  access_log_ << line << std::flush;
}

}  // namespace vigil::web
