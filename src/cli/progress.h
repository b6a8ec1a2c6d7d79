// The progress line a long import shows on a terminal (stderr only, and only when stderr is
// a terminal): bytes read, hosts and findings per second.
#pragma once

#include <chrono>
#include <functional>

#include "engine/importer.h"

namespace vigil::cli {

class ProgressLine {
 public:
  // Enabled only when stderr is a terminal.
  ProgressLine();
  ~ProgressLine();

  // A callback for ImportOptions::progress, or an empty function when disabled.
  std::function<void(const ImportProgress&)> Callback();
  // Erases the line, so what follows starts on a clean line.
  void Clear();

 private:
  void Show(const ImportProgress& p);

  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace vigil::cli
