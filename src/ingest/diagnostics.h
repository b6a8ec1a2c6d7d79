// Problems with single records in an otherwise readable report: the record is skipped or a
// field ignored, the import goes on, and the user is told where and why.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil {

struct Diagnostic {
  uint64_t line = 0;
  uint64_t column = 0;
  std::string record;   // e.g. "ReportHost 10.0.0.5 / ReportItem 19506"
  std::string field;    // e.g. "port"
  std::string message;  // what is wrong and what vigil did about it
};

class Diagnostics {
 public:
  explicit Diagnostics(size_t max_kept = 100) : max_kept_(max_kept) {}

  void Add(Diagnostic d);
  // Every problem is counted; only the first max_kept are kept.
  size_t count() const { return count_; }
  const std::vector<Diagnostic>& kept() const { return kept_; }
  // "scan.nessus:12:5: ReportHost a / ReportItem 1: port: not a number, item skipped".
  static std::string Format(const std::string& file, const Diagnostic& d);

 private:
  size_t max_kept_;
  size_t count_ = 0;
  std::vector<Diagnostic> kept_;
};

}  // namespace vigil
