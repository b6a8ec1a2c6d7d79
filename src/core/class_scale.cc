#include "core/class_scale.h"

#include <array>

namespace vigil {

ClassScale ClassScale::Default() {
  return ClassScale(
      {{"CRITICAL", 9.0}, {"HIGH", 7.0}, {"MEDIUM", 4.0}, {"LOW", 0.1}, {"INFORMATIVE", 0.0}});
}

Result<ClassScale> ClassScale::Create(std::vector<ClassLevel> levels) {
  if (levels.empty()) {
    return InvalidInput("the class scale needs at least one class");
  }
  for (size_t i = 0; i < levels.size(); ++i) {
    if (levels[i].name.empty()) {
      return InvalidInput("class " + std::to_string(i + 1) + " has no name");
    }
    if (i > 0 && levels[i].min_score >= levels[i - 1].min_score) {
      return InvalidInput("class '" + levels[i].name +
                          "' must have a lower threshold than the class before it");
    }
  }
  if (levels.back().min_score != 0.0) {
    return InvalidInput("the least severe class must start at score 0.0");
  }
  return ClassScale(std::move(levels));
}

bool ClassScale::Contains(std::string_view name) const {
  return Rank(name).has_value();
}

std::optional<int> ClassScale::Rank(std::string_view name) const {
  for (size_t i = 0; i < levels_.size(); ++i) {
    if (levels_[i].name == name) {
      return static_cast<int>(i);
    }
  }
  return std::nullopt;
}

const std::string& ClassScale::ForScore(double score) const {
  for (const auto& level : levels_) {
    if (score >= level.min_score) {
      return level.name;
    }
  }
  return levels_.back().name;
}

const std::string& ClassScale::ForScannerSeverity(int severity) const {
  // The score each scanner severity stands for on the CVSS v3.1 scale.
  static constexpr std::array<double, 5> kScores = {0.0, 0.1, 4.0, 7.0, 9.0};
  if (severity < 0) {
    severity = 0;
  }
  if (severity > 4) {
    severity = 4;
  }
  return ForScore(kScores[static_cast<size_t>(severity)]);
}

}  // namespace vigil
