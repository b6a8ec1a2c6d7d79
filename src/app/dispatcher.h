// The notification dispatcher (docs/notifications.md): queue what is due, then send every
// notification that is due, one at a time, recording each outcome. `vigil notify run` runs it
// once; `vigil serve` every minute. The store is used only through the application layer,
// in short transactions under the front end's lock when it has one; sending happens with
// the lock released.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "app/app.h"

namespace vigil {

struct DispatchSummary {
  notify::QueueSummary queued;
  int sent = 0;
  int retrying = 0;                // failed this time, tried again later
  int failed = 0;                  // given up
  int waiting = 0;                 // waiting for another notification (a Jira issue to be created)
  std::vector<std::string> lines;  // one per attempt, for a person
};

class Dispatcher {
 public:
  // `store_lock`: held around each step when set (the server's lock).
  Dispatcher(App& app, std::mutex* store_lock) : app_(app), lock_(store_lock) {}

  struct Options {
    int max_sends = 1000;            // at most this many attempts in one run
    bool queue = true;               // false: only send what is queued (the server after a change)
    std::function<bool()> stopping;  // checked between sends: true ends the run
  };
  // Queues and sends what is due now.
  Result<DispatchSummary> Run(const std::string& actor, const Options& options);

 private:
  template <typename F>
  auto Locked(F&& f) {
    if (lock_ == nullptr) {
      return f();
    }
    std::lock_guard<std::mutex> guard(*lock_);
    return f();
  }

  App& app_;
  std::mutex* lock_;
};

}  // namespace vigil
