// What the server read, kept for the next request that asks the same (web/api.h, web/ui.h):
// a listing of a million findings takes seconds to build and a page of it milliseconds to send.
// An entry holds while the data is at the same version (the last event's sequence number:
// every change appends one, whoever makes it) and for at most kMaxAge, because a read also
// depends on the time (an expiry passing, a clock falling due): what only time changes shows
// at most a minute late. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "core/status.h"

namespace vigil::web {

class ReadCache {
 public:
  static constexpr std::chrono::seconds kMaxAge{60};
  // Listings and the pages of them sent (a page of a listing is small, the listing large): when
  // full, the entry used longest ago goes.
  static constexpr size_t kMaxEntries = 512;

  // The value under `key` read at `version` less than kMaxAge ago, or `compute`'s (kept when
  // it succeeds). A key names one type of value: callers prefix their keys.
  template <typename T>
  Result<std::shared_ptr<const T>> Get(const std::string& key, int64_t version,
                                       const std::function<Result<T>()>& compute) {
    return GetLagging<T>(key, version, std::chrono::seconds(0), compute);
  }

  // Like Get, but a value read at another version is still served while younger than `lag`:
  // for reads that cost much and change slowly, such as the dashboard's 90-day charts, which
  // would otherwise be read again after every import.
  template <typename T>
  Result<std::shared_ptr<const T>> GetLagging(const std::string& key, int64_t version,
                                              std::chrono::seconds lag,
                                              const std::function<Result<T>()>& compute) {
    if (auto hit = Find(key, version, lag)) {
      return std::static_pointer_cast<const T>(hit);
    }
    ASSIGN_OR_RETURN(T value, compute());
    auto kept = std::make_shared<const T>(std::move(value));
    Put(key, version, kept, lag);
    return kept;
  }

  size_t hits() const { return hits_; }
  size_t misses() const { return misses_; }

 private:
  struct Entry {
    int64_t version = 0;
    std::chrono::steady_clock::time_point at;    // read from the store
    std::chrono::steady_clock::time_point used;  // last served
    std::shared_ptr<const void> value;
    std::chrono::seconds lag{0};  // GetLagging's: served at other versions while this young
  };
  std::shared_ptr<const void> Find(const std::string& key, int64_t version,
                                   std::chrono::seconds lag = std::chrono::seconds(0));
  void Put(const std::string& key, int64_t version, std::shared_ptr<const void> value,
           std::chrono::seconds lag = std::chrono::seconds(0));

  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
  size_t hits_ = 0;
  size_t misses_ = 0;
};

}  // namespace vigil::web
