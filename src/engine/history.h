// A vulnerability's history as one timeline (`vigil vulns show KEY`): where and when it was
// found and fixed, every change of its class, every step of every decision, and the reviews
// that covered it; each with who and when.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/vulnerability.h"
#include "store/queries.h"
#include "store/records.h"

namespace vigil {

class Store;

struct HistoryEntry {
  Timestamp at{};
  std::string actor;  // empty for what a scanner observed
  std::string kind;   // found | fixed | reopened | class | decision | review
  std::string text;
};

struct VulnerabilityHistory {
  VulnerabilityDef def;
  VulnStamp stamp;
  std::vector<FindingView> findings;
  std::vector<DecisionRecord> decisions;
  std::vector<HistoryEntry> timeline;  // oldest first
};

// nullopt when no vulnerability has the key.
Result<std::optional<VulnerabilityHistory>> LoadHistory(Store& store, const std::string& key,
                                                        Timestamp now);

}  // namespace vigil
