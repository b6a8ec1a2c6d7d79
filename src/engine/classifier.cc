#include "engine/classifier.h"

#include <sstream>

#include "core/text.h"

namespace vigil {
namespace {

std::optional<double> Score(const VulnerabilityDef& def, const NvdScores& nvd,
                            const std::string& source) {
  if (source == "nvd-v4") {
    return nvd.v40;
  }
  if (source == "nvd-v3.1") {
    return nvd.v31;
  }
  if (source == "nvd-v3.0") {
    return nvd.v30;
  }
  if (source == "nvd-v2") {
    return nvd.v2;
  }
  if (source == "scanner-cvss-v3") {
    return def.cvss3_score;
  }
  if (source == "scanner-cvss-v4") {
    return def.cvss4_score;
  }
  if (source == "scanner-cvss-v2") {
    return def.cvss2_score;
  }
  return std::nullopt;
}

}  // namespace

Classification Classify(const VulnerabilityDef& def, const NvdScores& nvd,
                        const ClassificationConfig& config) {
  for (const auto& source : config.order) {
    if (source == "scanner-severity") {
      if (def.scanner_severity) {
        return {config.scale.ForScannerSeverity(*def.scanner_severity), "auto:scanner-severity",
                std::nullopt};
      }
      continue;
    }
    if (auto score = Score(def, nvd, source)) {
      return {config.scale.ForScore(*score), "auto:" + source, score};
    }
  }
  return {std::string(kUnclassified), "none", std::nullopt};
}

bool IsManualClassification(const std::string& source) {
  return source.rfind("auto:", 0) != 0 && source != "none" && !source.empty();
}

VulnClass MergeClass(const Classification& derived, const std::optional<VulnClass>& stored) {
  VulnClass out{.class_name = derived.class_name,
                .class_source = derived.source,
                .auto_class = derived.class_name,
                .auto_source = derived.source,
                .rating_score = derived.score};
  if (stored && IsManualClassification(stored->class_source)) {
    out.class_name = stored->class_name;
    out.class_source = stored->class_source;
  }
  return out;
}

std::string ClassificationFingerprint(const ClassificationConfig& config) {
  std::ostringstream out;
  for (const auto& level : config.scale.levels()) {
    out << level.name << '>' << level.min_score << ';';
  }
  out << '|' << Join(config.order, ",");
  return out.str();
}

}  // namespace vigil
