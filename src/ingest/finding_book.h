// The findings of one scanned target while a package scanner's report is read (Trivy,
// Grype): items with the same vulnerability key and location are one finding, and each
// vulnerability's definition is kept once, not once per package.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "ingest/output_merge.h"
#include "ingest/report.h"

namespace vigil {

class FindingBook {
 public:
  // Adds an item. A repeat of a (vuln.key, location) already here is merged into the first:
  // its output is appended when it differs ("\n\n" between texts), a VEX statement or
  // package the first lacks is taken. The first definition seen for a key is kept; later
  // ones only add references it lacks.
  void Add(ItemObservation item);

  size_t size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }

  // The items in order of first appearance: the first of each key with its vulnerability's
  // definition, the later ones with a shared, thin copy (shared_definitions.h). Leaves the
  // book empty.
  std::vector<ItemObservation> Take();

 private:
  std::vector<ItemObservation> items_;             // definitions hold only the key until Take()
  std::unordered_map<std::string, size_t> index_;  // key '\x1f' location -> items_
  std::unordered_map<std::string, VulnerabilityDef> defs_;
  std::unordered_map<size_t, OutputMerge> outputs_;  // of the items merged into
};

}  // namespace vigil
