#include "engine/classifier.h"

namespace vigil {

Classification Classify(const VulnerabilityDef& def, const ClassScale& scale) {
  if (def.cvss3_score) {
    return {scale.ForScore(*def.cvss3_score), "auto:scanner-cvss-v3"};
  }
  if (def.cvss4_score) {
    return {scale.ForScore(*def.cvss4_score), "auto:scanner-cvss-v4"};
  }
  if (def.cvss2_score) {
    return {scale.ForScore(*def.cvss2_score), "auto:scanner-cvss-v2"};
  }
  if (def.scanner_severity) {
    return {scale.ForScannerSeverity(*def.scanner_severity), "auto:scanner-severity"};
  }
  return {std::string(kUnclassified), "none"};
}

bool IsManualClassification(const std::string& source) {
  return source.rfind("auto:", 0) != 0 && source != "none";
}

}  // namespace vigil
