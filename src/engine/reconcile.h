// What vigil brings up to date at the start of every run, each in its own transaction:
// the scanners the configuration declares, the stored classes when the classification
// settings changed, and decisions whose expiry has passed (they lapse, and that is recorded).
#pragma once

#include <string>

#include "core/config.h"
#include "core/status.h"
#include "core/time.h"

namespace vigil {

class Store;

struct ReconcileCounts {
  int scanners = 0;      // registered or changed from the configuration
  int reclassified = 0;  // vulnerabilities whose class changed with the settings
  int lapsed = 0;        // decisions that lapsed
};

Result<ReconcileCounts> Reconcile(Store& store, const Config& config, Timestamp now);

// Derives every vulnerability's class again with `classification` (a person's class stays)
// and records each change; returns how many changed.
Result<int> Reclassify(Store& store, const ClassificationConfig& classification, Timestamp now,
                       const std::string& reason);

}  // namespace vigil
