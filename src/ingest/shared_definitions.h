// For parsers whose items share one definition: many CycloneDX affects of one vulnerability,
// many SARIF results of one rule, many Qualys detections of one glossary QID, many Greenbone
// results of one NVT. Copying the definition into every item let a 1 MB file with a long
// description and many items take gigabytes (issue 13). The engine reads a vulnerability's
// definition from the first item of its key in a report (report.h), so the first item a
// parser emits carries it whole and the later ones carry a thin copy, marked shared.
#pragma once

#include <string>
#include <unordered_set>

#include "core/vulnerability.h"
#include "ingest/report.h"

namespace vigil {

class SharedDefinitions {
 public:
  // Fills `item.vuln` for emission: a copy of `def` the first time its key is emitted, a thin
  // copy (ThinDefinition) with item.shared_definition set afterwards. Call in emission order.
  void Attach(const VulnerabilityDef& def, ItemObservation& item);
  // True the first time `key` is asked for: that item carries the whole definition.
  bool FirstUse(const std::string& key) { return sent_.insert(key).second; }

 private:
  std::unordered_set<std::string> sent_;
};

// `def` without its texts and references (title, family, synopsis, description, solution,
// refs): what identifies it and its scores.
VulnerabilityDef ThinDefinition(const VulnerabilityDef& def);

}  // namespace vigil
