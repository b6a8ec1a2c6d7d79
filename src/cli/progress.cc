#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace vigil::cli {

ProgressLine::ProgressLine()
    : enabled_(isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

ProgressLine::~ProgressLine() {
  Clear();
}

void ProgressLine::Clear() {
  if (shown_) {
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
    shown_ = false;
  }
}

std::function<void(const ImportProgress&)> ProgressLine::Callback() {
  if (!enabled_) {
    return {};
  }
  return [this](const ImportProgress& p) { Show(p); };
}

void ProgressLine::Show(const ImportProgress& p) {
  auto now = std::chrono::steady_clock::now();
  if (shown_ && now - last_ < std::chrono::milliseconds(250)) {
    return;  // the first host is shown at once, then at most four updates a second
  }
  last_ = now;
  shown_ = true;
  double seconds = std::chrono::duration<double>(now - start_).count();
  double mb = static_cast<double>(p.bytes_read) / 1e6;
  double total = static_cast<double>(p.total_bytes) / 1e6;
  std::fprintf(
      stderr, "\r\033[K%s: %.1f/%.1f MB (%.0f%%), %lld hosts, %lld findings, %.0f findings/s",
      p.file != nullptr ? p.file->c_str() : "", mb, total, total > 0 ? 100.0 * mb / total : 0.0,
      static_cast<long long>(p.hosts), static_cast<long long>(p.findings),
      seconds > 0 ? static_cast<double>(p.findings) / seconds : 0.0);
  std::fflush(stderr);
}

}  // namespace vigil::cli
