// What the server's routes share (web/api.h, web/ui.h): its options, the sessions, the
// throttles of failed credentials and the metrics.
#pragma once

#include <atomic>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/service.h"
#include "web/http_server.h"
#include "web/metrics.h"
#include "web/read_cache.h"
#include "web/sessions.h"

namespace vigil::web {

struct ApiOptions {
  // Session cookies carry Secure (the server is reached over HTTPS, through a proxy).
  bool secure_cookies = false;
  // Reverse proxies whose X-Forwarded-For names the client (its last address): failures
  // are then counted per client, not per proxy.
  std::vector<std::string> trusted_proxies;
  // Where evidence packs made through the server are kept (one directory and one .tar each);
  // empty: making packs through the server is off.
  std::string reports_dir;
};

// Memory-hard hashes running at once (a password or an unknown token: 64 MiB and about 0.4 s
// each), outside the store lock. Past the limit a credential is refused with 503 at once
// rather than queued, so that a flood of wrong credentials costs bounded memory and never
// holds up requests whose credentials are known.
class HashSlots {
 public:
  explicit HashSlots(int max) : max_(max) {}
  bool TryAcquire() {
    int used = used_.load();
    while (used < max_) {
      if (used_.compare_exchange_weak(used, used + 1)) {
        return true;
      }
    }
    return false;
  }
  void Release() { --used_; }

  // Runs `hash` in a slot with `store_lock` released (and taken again after, if it was held);
  // nullopt, without running it, when every slot is taken.
  template <typename F>
  auto Run(std::unique_lock<std::mutex>& store_lock, F&& hash) -> std::optional<decltype(hash())> {
    if (!TryAcquire()) {
      return std::nullopt;
    }
    bool held = store_lock.owns_lock();
    if (held) {
      store_lock.unlock();
    }
    auto out = hash();
    Release();
    if (held) {
      store_lock.lock();
    }
    return out;
  }

 private:
  const int max_;
  std::atomic<int> used_{0};
};

struct ServerState {
  SessionStore& sessions;
  Throttle& user_failures;     // failed sign-ins per user name
  Throttle& address_failures;  // failed credentials per client address
  const ApiOptions& options;
  Metrics& metrics;
  ReadCache& cache;
  HashSlots& hash_slots;
};

// The session cookie's value in a request's Cookie header (empty: none), and the Set-Cookie
// value that sets it (an empty value with max_age 0 clears it): HttpOnly, SameSite=Strict,
// Secure when the server is reached over HTTPS.
std::string SessionIdOf(const Request& r);
std::string SessionCookie(const std::string& value, std::chrono::seconds max_age, bool secure);

// A password sign-in under the throttles (per user name and per client address), as the API
// and the sign-in page both do it: kOpened with the session and the role, kThrottled with how
// long to wait, kRefused (a wrong name or password, counted as a failure), kNoSession (no
// randomness for a session id) or kBusy.
struct SignInOutcome {
  enum class Kind { kOpened, kThrottled, kRefused, kNoSession, kBusy } kind = Kind::kRefused;
  std::chrono::seconds retry_after{0};
  std::string detail;  // kRefused: why, as the application layer says it
  Role role = Role::kAuditor;
  SessionStore::Opened session;
};
// `store_lock` is held on entry and on return; it is released while the password is hashed
// (kBusy: too many hashes are running, HashSlots).
SignInOutcome SignIn(ServerState& state, Service& service, const Request& r,
                     const std::string& user, const std::string& password,
                     std::unique_lock<std::mutex>& store_lock);

// Setting a password with an enrolment code, as the API and the enrolment page both do it:
// the code's check and the new password's hash run outside `store_lock` (held on entry and on
// return). nullopt: too many hashes are running (HashSlots).
std::optional<Status> EnrolUnlocked(ServerState& state, Service& service, const std::string& user,
                                    const std::string& code, const std::string& password,
                                    const std::string& from,
                                    std::unique_lock<std::mutex>& store_lock);

// A read through the cache that may lag the data by up to `lag` (ReadCache::GetLagging): `who`
// is authorized to read first, then the value of `key` is served from the cache or computed
// (and kept). A lag: the dashboard's charts over 90 days, which take a second at a million
// findings.
template <typename T>
Result<std::shared_ptr<const T>> LaggingRead(ReadCache& cache, Service& service,
                                             const Identity& who, const std::string& key,
                                             std::chrono::seconds lag,
                                             const std::function<Result<T>()>& compute) {
  RETURN_IF_ERROR(service.CanRead(who));
  ASSIGN_OR_RETURN(int64_t version, service.DataVersion());
  return cache.GetLagging<T>(key, version, lag, compute);
}

// The same at the data's current version.
template <typename T>
Result<std::shared_ptr<const T>> CachedRead(ReadCache& cache, Service& service, const Identity& who,
                                            const std::string& key,
                                            const std::function<Result<T>()>& compute) {
  return LaggingRead<T>(cache, service, who, key, std::chrono::seconds(0), compute);
}
inline constexpr std::chrono::seconds kTrendsLag{60};

// The cache keys of the listings: every filter field, so that two filters never share one.
std::string CacheKey(const VulnFilter& f);
std::string CacheKey(const FindingFilter& f);

// The client's address: the peer, or the last address a trusted proxy put in X-Forwarded-For.
std::string ClientAddress(const Request& r, const ApiOptions& options);

}  // namespace vigil::web
