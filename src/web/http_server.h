// The HTTP server under `vigil serve`: libmicrohttpd (docs/decisions/0007-http-server.md) with
// epoll and a small pool of threads, so that a thousand idle keep-alive connections cost
// memory, not threads. Every limit is set here: header size (the connection's memory),
// body size (per route, checked while the body arrives), connections in all and per client
// address, the time a connection may stay silent (idle keep-alive) and the time a request's
// headers may take to arrive (slow-header clients, cut off by a watchdog thread).
//
// A handler sees a whole request: method, path, query, the headers it asks for and the body
// (in memory, or spooled to a temporary file for the routes that take large bodies). One
// access-log line per request. Stop() stops accepting, lets the requests in flight finish
// (up to a deadline) and closes the rest.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <ostream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "core/status.h"

struct MHD_Daemon;
struct MHD_Connection;

namespace vigil::web {

struct ServerLimits {
  size_t max_header_bytes = size_t{64} << 10;  // the request line and headers
  size_t max_body_bytes = size_t{1} << 20;     // routes with a small body
  size_t max_upload_bytes = size_t{1} << 30;   // routes that spool their body (scan reports)
  unsigned connection_timeout_seconds = 30;    // silence before a connection is closed
  // A request's line and headers must have arrived this long after the connection opened or
  // its previous response was sent, however steadily they trickle in (slow-header clients).
  unsigned header_timeout_seconds = 30;
  unsigned max_connections = 4096;
  unsigned max_connections_per_address = 2048;
  unsigned threads = 4;
};

struct Request {
  std::string method;
  std::string path;  // decoded, without the query
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // lower-case names; those the server keeps
  std::string body;                            // small bodies
  std::string body_file;                       // spooled bodies: a temporary file, or empty
  uint64_t body_bytes = 0;
  std::string remote;  // the client's address

  // The query parameter's last value, or empty.
  std::string Param(const std::string& name) const;
  std::optional<std::string> Header(const std::string& lower_name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Instead of `body`: a text kept elsewhere (a cached page), sent without a copy.
  std::shared_ptr<const std::string> shared_body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string user;  // who acted, for the access log
  // A file to send instead of `body` (a download): read as it is sent, never held in memory.
  std::string body_file;
};

// Decides per request whether its body is spooled to a file (large uploads).
using SpoolPredicate = std::function<bool(const std::string& method, const std::string& path)>;
using Handler = std::function<Response(const Request&)>;

class HttpServer {
 public:
  HttpServer(ServerLimits limits, Handler handler, SpoolPredicate spool, std::ostream& access_log);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Listens on HOST:PORT (an IPv4 or IPv6 literal, or localhost); port 0 picks a free one.
  Status Start(const std::string& host, uint16_t port);
  uint16_t port() const { return port_; }
  // Stops accepting, waits up to `grace` for the requests in flight, then closes everything.
  void Stop(std::chrono::seconds grace);
  int64_t in_flight() const { return in_flight_.load(); }
  // Connections closed because their request's headers took longer than the limit.
  int64_t headers_cut() const { return headers_cut_.load(); }

  // libmicrohttpd's callbacks (public for the C trampolines only).
  struct Context;
  int OnRequest(MHD_Connection* connection, const char* url, const char* method,
                const char* upload_data, size_t* upload_data_size, void** con_cls);
  void OnCompleted(MHD_Connection* connection, void** con_cls);
  void OnConnection(MHD_Connection* connection, bool opened);

 private:
  // The first call for a request: its line, headers and query; a Content-Length over the
  // route's limit is refused at once.
  int Begin(MHD_Connection* connection, const char* url, const char* method, void** con_cls);
  // A piece of the body: kept, spooled, or refused past the limit.
  int Receive(MHD_Connection* connection, Context& ctx, const char* data, size_t n);
  int Refuse(MHD_Connection* connection, Context& ctx, int status, const std::string& title,
             const std::string& detail);
  void Log(const Context& ctx, int status) const;
  // Marks the connection as reading a request's body and handling it (the header clock
  // stops), or as waiting for its next request (the clock starts again).
  void HeadersArrived(MHD_Connection* connection, bool arrived);
  // Every second or so: shuts down the connections whose headers are overdue.
  void Watch();
  void StopWatching();

  ServerLimits limits_;
  Handler handler_;
  SpoolPredicate spool_;
  std::ostream& access_log_;
  mutable std::mutex log_mutex_;
  MHD_Daemon* daemon_ = nullptr;
  uint16_t port_ = 0;
  std::atomic<int64_t> in_flight_{0};

  struct Connection {
    int fd = -1;
    std::chrono::steady_clock::time_point since;  // opened, or its last response sent
    bool in_request = false;                      // headers arrived, the response not yet sent
    bool cut = false;
    std::string remote;
  };
  // Guards `connections_`: a connection's socket is shut down only while it is listed, and
  // libmicrohttpd unlists it (OnConnection) before closing it.
  std::mutex connections_mutex_;
  std::unordered_map<MHD_Connection*, Connection> connections_;
  std::condition_variable watch_wake_;
  bool watch_stop_ = false;
  std::thread watchdog_;
  std::atomic<int64_t> headers_cut_{0};
};

// RFC 9457 problem details: {"type","title","status","detail"} plus extra members.
Response Problem(int status, const std::string& title, const std::string& detail,
                 const std::string& extra_json_members = "");

}  // namespace vigil::web
