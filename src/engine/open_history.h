// Open vulnerabilities by class at past times (the evidence pack's summary and its chart).
//
// A vulnerability is open at time t when one of its findings was open at t: first seen at or
// before t, not fixed at or before t, and its asset not decommissioned at t. Its class at t is
// the class it had then (the last class change at or before t; before its first recorded
// class, that first class).
//
// What the store keeps bounds the answer: a finding keeps its latest fix only, so a reopened
// finding counts as open from its first sighting on (an earlier fix and reopening are not
// kept per finding), and an asset keeps its latest decommissioning and reappearance only.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/class_scale.h"
#include "core/status.h"
#include "store/queries.h"
#include "store/records.h"

namespace vigil {

class Store;

// What decommissioning did to an asset, for the findings on it.
struct AssetSpan {
  std::optional<Timestamp> decommissioned_at;
  std::optional<Timestamp> reappeared_at;
};

struct OpenHistoryFacts {
  const std::vector<FindingFact>& findings;    // every state
  const std::map<int64_t, AssetSpan>& assets;  // by id; assets without an entry never left
  const std::vector<ClassChange>& changes;     // as Store::AllClassChanges orders them
  const std::unordered_map<int64_t, std::string>& classes;  // the current class, by vuln id
};

struct OpenByClass {
  std::vector<Timestamp> times;
  // The scale's classes, most severe first, then any other class that occurs (unclassified,
  // a class of an earlier scale), by name.
  std::vector<std::string> classes;
  size_t scale_classes = 0;                  // how many of `classes` are the scale's
  std::vector<std::vector<int64_t>> counts;  // [class][time]: open vulnerabilities
};

// `times` ascending.
OpenByClass CountOpenByClass(const OpenHistoryFacts& facts, const ClassScale& scale,
                             std::vector<Timestamp> times);

// How long the findings fixed in [from, to] took, from first seen to fixed, grouped by the
// class their vulnerability has now (the dashboard's time-to-remediate chart). A reopened
// finding is not counted: it is not fixed.
struct RemediationTimes {
  struct Bucket {
    std::string label;
    std::chrono::seconds up_to;  // the bucket holds times at most this long (the last: any)
    int64_t fixed = 0;
  };
  std::vector<Bucket> buckets;
  struct PerClass {
    std::string class_name;
    int64_t fixed = 0;
    std::chrono::seconds median{};
    std::chrono::seconds p90{};  // the nearest-rank 90th percentile
  };
  std::vector<PerClass> by_class;  // the scale's classes first, then others by name; no empty ones
};

RemediationTimes SummarizeRemediation(const OpenHistoryFacts& facts, const ClassScale& scale,
                                      Timestamp from, Timestamp to);

// The same, with the facts read from the store (every finding, asset and class change).
Result<OpenByClass> LoadOpenByClass(Store& store, const ClassScale& scale,
                                    std::vector<Timestamp> times);

struct Trends {
  OpenByClass open;
  RemediationTimes remediation;
};

// Both, from one reading of the facts: open vulnerabilities at `times`, and the remediation
// times of the findings fixed in [fixed_from, fixed_to].
Result<Trends> LoadTrends(Store& store, const ClassScale& scale, std::vector<Timestamp> times,
                          Timestamp fixed_from, Timestamp fixed_to);

}  // namespace vigil
