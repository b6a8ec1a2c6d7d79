// Distinct vulnerabilities with their materialized class, the findings on each
// asset, and which scanner reported each finding with what evidence.
// Part of the Store (store/store.h); its contract on transactions applies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/finding.h"
#include "core/status.h"
#include "core/vulnerability.h"
#include "store/records.h"

namespace vigil {

class FindingStore {
 public:
  virtual ~FindingStore() = default;

  // Vulnerabilities: definitions with their materialized class.
  virtual Result<std::optional<VulnStamp>> FindVulnerability(const std::string& key) = 0;
  // FindVulnerability of each of `keys` at once, in their order.
  virtual Result<std::vector<std::optional<VulnStamp>>> FindVulnerabilities(
      const std::vector<std::string>& keys) = 0;
  virtual Result<int64_t> InsertVulnerability(const VulnerabilityDef& def, const VulnClass& cls,
                                              Timestamp defined_at) = 0;
  virtual Status UpdateVulnerability(int64_t id, const VulnerabilityDef& def, const VulnClass& cls,
                                     Timestamp defined_at) = 0;
  // Sets the effective and derived classes only.
  virtual Status SetVulnerabilityClass(int64_t id, const VulnClass& cls) = 0;
  // Every stored definition with its classes, for reclassification.
  virtual Result<std::vector<std::pair<VulnerabilityDef, VulnStamp>>> AllVulnerabilities() = 0;
  // The highest vulnerability id given so far (0 for none): ids only grow, so what is newer
  // than a moment has a higher id than this answered then.
  virtual Result<int64_t> MaxVulnerabilityId() = 0;
  // One vulnerability's stored definition, by key.
  virtual Result<std::optional<std::pair<VulnerabilityDef, VulnStamp>>> LoadVulnerability(
      const std::string& key) = 0;

  // Findings and their per-scanner attributions.
  virtual Result<std::vector<FindingOnAsset>> FindingsOnAsset(int64_t asset_id,
                                                              int64_t scanner_id) = 0;
  virtual Result<int64_t> InsertFinding(const FindingRecord& finding) = 0;
  virtual Status UpdateFinding(const FindingRecord& finding) = 0;
  // Inserts new findings in order, each with its attribution and that attribution's output
  // as evidence, as InsertFinding and InsertAttribution one by one would, and sets each
  // finding's id and its attribution's finding_id. An import's host at once: a backend may
  // write the rows in bulk.
  virtual Status InsertFindings(std::vector<NewFinding>& rows) = 0;
  // Inserts an attribution with its output as new evidence.
  virtual Status InsertAttribution(const AttributionRecord& attribution) = 0;
  // Updates a stored attribution; with `with_output` its output is stored as new evidence
  // (earlier evidence is kept).
  virtual Status UpdateAttribution(const AttributionRecord& attribution, bool with_output) = 0;
  // Records that `scanner_id`'s pass `scan_id` at `seen` over `asset_id` saw again every
  // finding it holds present there: last_seen and last_scan_id of those attributions, and
  // last_seen of their findings. One statement per table instead of one per finding.
  virtual Status TouchPresent(int64_t asset_id, int64_t scanner_id, int64_t scan_id,
                              Timestamp seen) = 0;
  // Sets every finding on `asset_id` whose state is one of `from` to `to`; returns how many.
  virtual Result<int64_t> SetFindingStates(int64_t asset_id, const std::vector<FindingState>& from,
                                           FindingState to) = 0;
};

}  // namespace vigil
