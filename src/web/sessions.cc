#include "web/sessions.h"

#include <openssl/crypto.h>

#include <algorithm>
#include <vector>

#include "core/credential.h"
#include "core/sha256.h"

namespace vigil::web {

SessionStore::Opened SessionStore::Open(const std::string& user, Timestamp password_set_at,
                                        SteadyTime now) {
  Opened out;
  // NewToken fails only when the system has no randomness; a session is then refused by
  // Find (an empty id is never stored).
  auto id = NewToken("");
  auto csrf = NewToken("");
  out.id = id.ok() ? *id : std::string();
  out.session = Session{.user = user,
                        .password_set_at = password_set_at,
                        .csrf = csrf.ok() ? *csrf : std::string(),
                        .started = now,
                        .last_seen = now};
  if (out.id.empty() || out.session.csrf.empty()) {
    out.id.clear();
    return out;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (sessions_.size() >= kMaxSessions) {
    auto oldest = std::min_element(sessions_.begin(), sessions_.end(), [](auto& a, auto& b) {
      return a.second.last_seen < b.second.last_seen;
    });
    sessions_.erase(oldest);
  }
  sessions_[Sha256Hex(out.id)] = out.session;
  return out;
}

std::optional<Session> SessionStore::Find(const std::string& id, SteadyTime now) {
  if (id.empty()) {
    return std::nullopt;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = sessions_.find(Sha256Hex(id));
  if (it == sessions_.end()) {
    return std::nullopt;
  }
  Session& s = it->second;
  if (now - s.last_seen >= kIdle || now - s.started >= kLifetime) {
    sessions_.erase(it);
    return std::nullopt;
  }
  s.last_seen = now;
  return s;
}

void SessionStore::Close(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  sessions_.erase(Sha256Hex(id));
}

size_t SessionStore::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return sessions_.size();
}

std::chrono::seconds Throttle::RetryAfter(const std::string& key, SteadyTime now) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = failures_.find(key);
  if (it == failures_.end()) {
    return std::chrono::seconds(0);
  }
  auto& times = it->second;
  std::erase_if(times, [&](SteadyTime t) { return now - t >= window_; });
  if (times.size() < limit_) {
    return std::chrono::seconds(0);
  }
  // Refused until enough failures have left the window for one more try.
  SteadyTime free_at = times[times.size() - limit_] + window_;
  return std::max(std::chrono::seconds(1), std::chrono::ceil<std::chrono::seconds>(free_at - now));
}

void Throttle::Fail(const std::string& key, SteadyTime now) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (failures_.size() >= kMaxKeys) {
    Prune(now);
  }
  auto& times = failures_[key];
  times.push_back(now);
  if (times.size() > limit_ * 2) {
    times.erase(times.begin(), times.end() - static_cast<std::ptrdiff_t>(limit_));
  }
}

void Throttle::Forget(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  failures_.erase(key);
}

void Throttle::Prune(SteadyTime now) {
  for (auto it = failures_.begin(); it != failures_.end();) {
    if (it->second.empty() || now - it->second.back() >= window_) {
      it = failures_.erase(it);
    } else {
      ++it;
    }
  }
  // Still full (failures from many keys): keep the keys that are refused, so that spraying
  // names or addresses does not lift a refusal.
  if (failures_.size() >= kMaxKeys) {
    std::erase_if(failures_, [&](const auto& entry) { return entry.second.size() < limit_; });
  }
  if (failures_.size() >= kMaxKeys) {
    failures_.clear();
  }
}

bool SameSecret(const std::string& a, const std::string& b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace vigil::web
