// The server's memory of who is signed in, and of who keeps failing to (docs/server.md#people-
// and-sessions). Both live in the process: a restart signs everyone out and forgets the
// failures. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace vigil::web {

using SteadyTime = std::chrono::steady_clock::time_point;

// A signed-in person. The cookie holds a random id (256 bits); the server keeps its SHA-256,
// the user, when their password was set (a new password ends the session) and the CSRF token
// every unsafe request of the session must send back.
struct Session {
  std::string user;
  Timestamp password_set_at{};
  std::string csrf;
  SteadyTime started{};
  SteadyTime last_seen{};
};

class SessionStore {
 public:
  static constexpr std::chrono::minutes kIdle{30};
  static constexpr std::chrono::hours kLifetime{12};
  static constexpr size_t kMaxSessions = 10000;

  struct Opened {
    std::string id;  // the cookie's value
    Session session;
  };
  // A new session; the oldest is dropped when kMaxSessions are open.
  Opened Open(const std::string& user, Timestamp password_set_at, SteadyTime now);
  // The session `id` names while it is fresh (idle less than kIdle, younger than kLifetime);
  // marks it seen.
  std::optional<Session> Find(const std::string& id, SteadyTime now);
  void Close(const std::string& id);
  size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Session> sessions_;  // by SHA-256 of the id
};

// Failures per key (a user name, a client address) in a sliding window: after `limit`
// failures within `window` the key is refused until the oldest of them leaves the window.
class Throttle {
 public:
  Throttle(size_t limit, std::chrono::seconds window) : limit_(limit), window_(window) {}
  // How long until `key` may try again; zero when it may now.
  std::chrono::seconds RetryAfter(const std::string& key, SteadyTime now);
  void Fail(const std::string& key, SteadyTime now);
  void Forget(const std::string& key);

 private:
  static constexpr size_t kMaxKeys = 65536;
  void Prune(SteadyTime now);

  size_t limit_;
  std::chrono::seconds window_;
  std::mutex mutex_;
  std::map<std::string, std::vector<SteadyTime>> failures_;
};

// True when `a` and `b` are equal, in time that depends on their lengths only.
bool SameSecret(const std::string& a, const std::string& b);

}  // namespace vigil::web
