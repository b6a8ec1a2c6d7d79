// The classification scale: the ordered classes a vulnerability can have and the score
// thresholds that map a CVSS base score onto them.
//
// The default is CRITICAL (>= 9.0), HIGH (>= 7.0), MEDIUM (>= 4.0), LOW (>= 0.1) and
// INFORMATIVE (0.0), as in CVSS v3.1's qualitative rating scale with "None" named
// INFORMATIVE. A CA may rename classes or use fewer; scanner severities (0 = info .. 4 =
// critical) are mapped through the score each of them stands for.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vigil {

struct ClassLevel {
  std::string name;
  double min_score = 0.0;  // lowest CVSS base score that falls in this class
};

class ClassScale {
 public:
  static ClassScale Default();
  // Levels must be ordered from most to least severe with strictly falling thresholds,
  // the last one at 0.0.
  static Result<ClassScale> Create(std::vector<ClassLevel> levels);

  const std::vector<ClassLevel>& levels() const { return levels_; }
  bool Contains(std::string_view name) const;
  // 0 = most severe. nullopt for unknown names.
  std::optional<int> Rank(std::string_view name) const;

  // Class of a CVSS base score in [0, 10].
  const std::string& ForScore(double score) const;
  // Class of a scanner severity 0 (info) .. 4 (critical).
  const std::string& ForScannerSeverity(int severity) const;

 private:
  explicit ClassScale(std::vector<ClassLevel> levels) : levels_(std::move(levels)) {}
  std::vector<ClassLevel> levels_;
};

// The name used for a vulnerability that has no rating at all.
inline constexpr std::string_view kUnclassified = "unclassified";

}  // namespace vigil
