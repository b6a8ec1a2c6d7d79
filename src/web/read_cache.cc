#include "web/read_cache.h"

#include <algorithm>

namespace vigil::web {

std::shared_ptr<const void> ReadCache::Find(const std::string& key, int64_t version,
                                            std::chrono::seconds lag) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  auto now = std::chrono::steady_clock::now();
  if (it == entries_.end() || now - it->second.at >= kMaxAge ||
      (it->second.version != version && now - it->second.at >= lag)) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  it->second.used = now;
  return it->second.value;
}

void ReadCache::Put(const std::string& key, int64_t version, std::shared_ptr<const void> value,
                    std::chrono::seconds lag) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  // Entries of an older version are of no use any more, but for lagging ones still young.
  std::erase_if(entries_, [&](const auto& e) {
    return now - e.second.at >= kMaxAge ||
           (e.second.version != version && now - e.second.at >= e.second.lag);
  });
  if (entries_.size() >= kMaxEntries) {
    entries_.erase(std::min_element(entries_.begin(), entries_.end(), [](auto& a, auto& b) {
      return a.second.used < b.second.used;
    }));
  }
  entries_[key] =
      Entry{.version = version, .at = now, .used = now, .value = std::move(value), .lag = lag};
}

}  // namespace vigil::web
