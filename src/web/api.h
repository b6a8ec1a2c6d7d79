// The JSON API under /api/v1 (docs/api.md, docs/api/openapi.yaml): each route turns a
// request into one call of the application layer (app/service.h) and its result into JSON;
// every error is an RFC 9457 problem (application/problem+json), an error about a field
// names it as a JSON pointer (body) or a parameter (query). Clients authenticate with
// `Authorization: Bearer TOKEN` (the tokens `vigil user add` and `vigil user token` print, or
// a pipeline token), or with the session cookie a password login sets (then every unsafe
// request sends the session's CSRF token in X-CSRF-Token); who may do what is decided by the
// application layer, never here. Failed logins, enrolments and tokens are throttled per user
// name and per client address.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "app/app.h"
#include "web/http_server.h"
#include "web/metrics.h"
#include "web/server_state.h"
#include "web/sessions.h"
#include "web/ui.h"

namespace vigil::web {

// A route: its method and its path pattern, {name} standing for one path segment.
struct ApiRoute {
  std::string method;
  std::string pattern;
};

// docs/api/openapi.yaml, built into the binary and served at /api/v1/openapi.yaml.
extern const char* const kOpenApiYaml;

class Api {
 public:
  explicit Api(App& app, ApiOptions options = {})
      : app_(app), options_(std::move(options)), ui_(app_, mutex_, state_) {}

  Response Handle(const Request& request);
  // Every route the server answers (`vigil serve --routes`); a test checks that the OpenAPI
  // document describes exactly these.
  static std::vector<ApiRoute> Routes();
  // True for the routes whose body is spooled to a file (scan reports).
  static bool Spools(const std::string& method, const std::string& path);
  // Scheduled work between requests: the daily signed checkpoint. A line for the log, or
  // empty when nothing was due.
  std::string Tick();

  // The notification dispatcher (docs/notifications.md), run by a thread of its own: Dispatch
  // queues and sends what is due (lines for the log); WaitForWork returns at once the first
  // time, then when a request changed something (its notifications go out at once) or after
  // `timeout`, and false once StopWork was called.
  // `queue`: also queue what time made due (the minute's run); false: only send (after a
  // change, which queued its own notifications). `woken`: set when a change ended the wait.
  std::string Dispatch(bool queue);
  bool WaitForWork(std::chrono::seconds timeout, bool& woken);
  void StopWork();

 private:
  // Who sent the request (a token or a session), or the response that refuses it.
  struct Caller {
    Identity who;
    std::optional<Session> session;
    std::string session_id;
  };
  std::variant<Caller, Response> Identify(const Request& request);
  // Handle without the metrics; `route` is set to the pattern that answered.
  Response Route(const Request& request, std::string& route);
  Response Health();

  App& app_;
  ApiOptions options_;
  // One request at a time reaches the store (SQLite has one writer; reads are short).
  std::mutex mutex_;
  TokenCache tokens_;
  SessionStore sessions_;
  Metrics metrics_;
  ReadCache cache_;
  // Failed logins per user name: 5 in 15 minutes; failed credentials of any kind per client
  // address: 20 in 15 minutes.
  Throttle user_failures_{5, std::chrono::minutes(15)};
  Throttle address_failures_{20, std::chrono::minutes(15)};
  HashSlots hash_slots_{2};
  // The dispatcher's wake-up: set by every request that may have changed something.
  std::mutex work_mutex_;
  std::condition_variable work_ready_;
  bool work_ = false;
  bool first_wait_ = true;  // the first wait returns at once
  std::atomic<bool> stopping_ = false;
  ServerState state_{.sessions = sessions_,
                     .user_failures = user_failures_,
                     .address_failures = address_failures_,
                     .options = options_,
                     .metrics = metrics_,
                     .cache = cache_,
                     .hash_slots = hash_slots_};
  Ui ui_;

 public:
  using Shared = ServerState;
};

// The problem a Status becomes: 400 for bad input, 403 for a refused identity, 404, 409 for a
// state that does not allow it, 500 for the rest. `body`: the field is a JSON pointer into
// the request body; otherwise it is a query parameter.
Response ProblemFor(const Status& status, bool body);

}  // namespace vigil::web
