// The clock seam: every time-dependent behaviour asks a Clock, so "now" is injectable
// (`vigil --now TIME`) and tests and past reports are reproducible.
#pragma once

#include "core/time.h"

namespace vigil {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
};

// The machine's clock, truncated to seconds.
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override;
};

// Always answers the time it was given.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(Timestamp now) : now_(now) {}
  Timestamp Now() const override { return now_; }

 private:
  Timestamp now_;
};

}  // namespace vigil
