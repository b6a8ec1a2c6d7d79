#include <malloc.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <thread>

#include "cli/command.h"
#include "core/database_url.h"
#include "web/api.h"
#include "web/http_server.h"

namespace vigil::cli {
namespace {

// --listen HOST:PORT.
Result<std::pair<std::string, uint16_t>> ParseListen(const std::string& listen) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon + 1 >= listen.size()) {
    return UsageError("--listen must be HOST:PORT, e.g. 127.0.0.1:8080, not '" + listen + "'");
  }
  std::string port = listen.substr(colon + 1);
  try {
    size_t used = 0;
    unsigned long p = std::stoul(port, &used);
    if (used == port.size() && p <= 65535) {
      return std::pair(listen.substr(0, colon), static_cast<uint16_t>(p));
    }
  } catch (const std::exception&) {
  }
  return UsageError("--listen: the port must be 0..65535, not '" + port + "'");
}

// `vigil serve [--listen HOST:PORT]` (docs/server.md): the JSON API over the database, until
// SIGTERM or SIGINT; then the requests in flight finish and the server exits.
// Each line of `lines` to stderr, prefixed; one write each, as two threads print.
void PrintLines(const std::string& lines) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  for (size_t start = 0; start < lines.size();) {
    size_t end = std::min(lines.find('\n', start), lines.size());
    std::cerr << "vigil serve: " << lines.substr(start, end - start) << std::endl;
    start = end + 1;
  }
}

// The notification dispatcher's thread (docs/notifications.md): at start, soon after every
// change made through the server (sending what the change queued), and every minute (also
// queueing what time made due), until Api::StopWork.
void DispatchUntilStopped(web::Api& api) {
  auto last_full = std::chrono::steady_clock::now() - std::chrono::hours(1);
  bool woken = false;
  while (api.WaitForWork(std::chrono::seconds(60), woken)) {
    auto now = std::chrono::steady_clock::now();
    bool full = !woken || now - last_full >= std::chrono::seconds(60);
    if (full) {
      last_full = now;
    }
    try {
      PrintLines(api.Dispatch(full));
    } catch (const std::exception& e) {
      PrintLines(std::string("notifications failed: ") + e.what());
    }
  }
}

class ServeCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--listen", listen_,
                   "Address and port (default 127.0.0.1:8080; port 0 picks a free one)");
    sub.add_option("--threads", threads_, "Threads serving connections (default 4)");
    sub.add_option("--public-url", public_url_,
                   "The URL people reach the server at (through a TLS proxy: https://...); "
                   "session cookies are Secure when it is https");
    sub.add_option("--trusted-proxy", trusted_proxies_,
                   "A reverse proxy's address whose X-Forwarded-For names the client (for "
                   "counting failed sign-ins per client); repeatable");
    sub.add_option("--header-timeout", header_timeout_,
                   "Seconds a request's line and headers may take to arrive (default 30)");
    sub.add_option("--reports-dir", reports_dir_,
                   "Where evidence packs made through the server are kept (default: reports/ "
                   "beside an SQLite database; on PostgreSQL, reports/ in the working "
                   "directory)");
    sub.add_flag("--routes", routes_, "Print every route the server answers, and exit");
  }

  Status Run(const GlobalOptions& global) override {
    if (routes_) {
      for (const auto& r : web::Api::Routes()) {
        std::cout << r.method << " " << r.pattern << "\n";
      }
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(auto address, ParseListen(listen_));
    const auto& [host, port] = address;
    if (threads_ < 1 || threads_ > 64) {
      return UsageError("--threads must be 1..64");
    }
    if (header_timeout_ < 1 || header_timeout_ > 3600) {
      return UsageError("--header-timeout must be 1..3600 seconds");
    }
    bool https = public_url_.rfind("https://", 0) == 0;
    if (!public_url_.empty() && !https && public_url_.rfind("http://", 0) != 0) {
      return UsageError("--public-url must start with https:// or http://, not '" + public_url_ +
                        "'");
    }
    if (global.now) {
      return UsageError("--now: the server takes its time from the system clock");
    }
    // Requests reach the database one at a time, and a cold read at a million findings builds
    // hundreds of MiB that are freed at once: one malloc arena per pool thread would keep a
    // copy of that peak each. Two arenas, and free memory returned every minute (tick).
    mallopt(M_ARENA_MAX, 2);
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kWrite));
    // The server's threads inherit this mask: only this thread takes the signals.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    // Evidence packs made through the server: beside an SQLite database (the service may write
    // there); a PostgreSQL URL names no directory.
    std::string reports = reports_dir_;
    if (reports.empty()) {
      reports = IsPostgresUrl(app->db_path())
                    ? std::string("reports")
                    : (std::filesystem::path(app->db_path()).parent_path() / "reports").string();
    }
    web::Api api(*app, web::ApiOptions{.secure_cookies = https,
                                       .trusted_proxies = trusted_proxies_,
                                       .reports_dir = reports});
    web::ServerLimits limits;
    limits.threads = static_cast<unsigned>(threads_);
    limits.header_timeout_seconds = static_cast<unsigned>(header_timeout_);
    web::HttpServer server(
        limits, [&](const web::Request& r) { return api.Handle(r); }, &web::Api::Spools, std::cout);
    RETURN_IF_ERROR(server.Start(host, port));
    std::cerr << "vigil serve: listening on http://"
              << (host.find(':') != std::string::npos ? "[" + host + "]" : host) << ":"
              << server.port() << " (database " << RedactedUrl(app->db_path()) << ")" << std::endl;
    auto tick = [&] {
      malloc_trim(0);
      PrintLines(api.Tick());
    };
    tick();
    std::thread dispatcher([&] { DispatchUntilStopped(api); });
    timespec minute{.tv_sec = 60, .tv_nsec = 0};
    int sig = 0;
    while ((sig = sigtimedwait(&signals, nullptr, &minute)) < 0) {
      tick();
    }
    std::cerr << "vigil serve: " << (sig == SIGTERM ? "SIGTERM" : "SIGINT")
              << ": finishing the requests in flight" << std::endl;
    server.Stop(std::chrono::seconds(30));
    // A notification being sent finishes; one claimed and cut off would be sent again later.
    api.StopWork();
    dispatcher.join();
    std::cerr << "vigil serve: stopped" << std::endl;
    return Status::Ok();
  }

 private:
  std::string listen_ = "127.0.0.1:8080";
  std::string public_url_;
  std::vector<std::string> trusted_proxies_;
  int threads_ = 4;
  int header_timeout_ = 30;
  std::string reports_dir_;
  bool routes_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeServeCommand() {
  return std::make_unique<ServeCommand>();
}

}  // namespace vigil::cli
