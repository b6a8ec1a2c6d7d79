// Applies one parsed report to the store: the finding lifecycle (docs/lifecycle.md).
//
// Receives the parser's records host by host (it is the parser's ReportSink), resolves each
// host to an asset, stores vulnerability definitions once, and moves findings between open,
// fixed and reopened. Runs inside the caller's transaction; memory does not grow with the
// report (only a map of the distinct vulnerabilities seen).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "core/class_scale.h"
#include "core/config.h"
#include "core/cve_record.h"
#include "engine/asset_resolver.h"
#include "engine/classifier.h"
#include "engine/reexport.h"
#include "engine/state_commitment.h"
#include "engine/vex_proposals.h"
#include "ingest/report.h"
#include "store/records.h"

namespace vigil {

class Store;

class ScanApplier final : public ReportSink {
 public:
  // `state` is the running commitment the import moves by every row it changes.
  ScanApplier(Store& store, const ClassificationConfig& classification,
              const ScannerRecord& scanner, int64_t scan_id, Timestamp import_time,
              std::string actor, StateCommitment& state);

  Status OnHeader(const ReportHeader& header) override;
  Status OnHost(HostObservation& host) override;

  const ReportHeader& header() const { return header_; }
  const ImportCounts& counts() const { return counts_; }
  // One line per decommissioned asset that showed up in this report (an alarm).
  const std::vector<std::string>& reappeared() const { return reappeared_; }
  // The ids of those assets.
  const std::vector<int64_t>& reactivated() const { return reactivated_; }
  // The host passes that repeat an earlier scan's (rule 10).
  const Reexport& reexport() const { return reexport_; }
  // The VEX statements that came with the report's items, for ProposeFromVex.
  const std::vector<VexStatement>& vex_statements() const { return vex_; }
  // How many items carried a Greenbone QoD below `min_qod`.
  int64_t low_qod(int min_qod) const;
  // Earliest host start and latest host end in the report.
  std::optional<Timestamp> started() const { return started_; }
  std::optional<Timestamp> ended() const { return ended_; }

 private:
  struct HostPass;
  Status ApplyHost(HostPass& pass, HostObservation& host);
  // Stores the definitions of the host's items not seen yet in this report that are new or
  // changed, all before its findings: the rows the state commitment and the class history
  // read about them are read once for all of them (on a database server, three round trips
  // per definition became three per host). Every item's vulnerability then has its id.
  Status DefineAll(const std::vector<ItemObservation*>& items, Timestamp seen);
  // A definition DefineAll writes: new (no stamp) or changed, with its classes and its id.
  struct DefinitionWrite {
    const VulnerabilityDef* def = nullptr;
    std::optional<VulnStamp> stamp;
    VulnClass cls;
    int64_t id = 0;
  };
  Result<std::vector<DefinitionWrite>> DefinitionsToWrite(
      const std::vector<ItemObservation*>& items, Timestamp seen);
  // Stores them, moving the commitment by their rows and references; sets their ids.
  Status WriteDefinitions(std::vector<DefinitionWrite>& writes, Timestamp seen);
  Status LogClassChanges(const std::vector<DefinitionWrite>& writes);
  // The classes NVD's scores and the configuration give a definition about to be written.
  Result<Classification> Derive(const VulnerabilityDef& def);
  // Reads at once what DefineAll will need for the host's vulnerabilities not seen
  // yet in this report: their stored stamps and the NVD metrics of their CVEs (one round trip
  // each on a database server, instead of several per vulnerability).
  Status Prefetch(const std::vector<ItemObservation*>& items);
  Status ReopenInactive(HostPass& pass);
  Status ApplyItem(HostPass& pass, ItemObservation& item);
  Status ApplyNew(HostPass& pass, ItemObservation& item, int64_t vuln_id);
  Status ApplyKnown(HostPass& pass, const FindingOnAsset& known, ItemObservation& item);
  // Counts a reported, known finding and moves its state (reopen; undo a fix made by another
  // pass of the same report, or by an earlier, filtered export of this very pass).
  void MoveReported(const HostPass& pass, FindingRecord& finding, bool repeat);
  Status ApplyAbsences(HostPass& pass);
  // A re-exported pass judges no absence: it counts what it left out.
  void CountOmitted(const HostPass& pass);
  Status CreateFromStaleObservation(HostPass& pass, FindingRecord& finding, AttributionRecord& mine,
                                    const VulnerabilityDef& def);

  Store& store_;
  const ClassificationConfig& classification_;
  ScannerRecord scanner_;
  int64_t scan_id_;
  Timestamp import_time_;
  std::string actor_;  // who imported: recorded in the class history
  AssetResolver assets_;
  ReportHeader header_;
  std::unordered_map<std::string, int64_t> vuln_ids_;  // distinct vulnerabilities seen
  // Prefetch's answers for the current host: stamps (taken by DefineAll), and the
  // NVD metrics of the CVEs in `prefetched_cves_`.
  std::unordered_map<std::string, std::optional<VulnStamp>> stamps_;
  std::set<std::string> prefetched_cves_;
  std::map<std::string, std::vector<CvssMetric>> nvd_;
  ImportCounts counts_;
  std::vector<std::string> reappeared_;
  std::vector<int64_t> reactivated_;
  StateCommitment& state_;
  Reexport reexport_;
  std::vector<VexStatement> vex_;
  std::vector<int> qods_;  // every QoD reported, to count those below a threshold
  std::optional<Timestamp> started_;
  std::optional<Timestamp> ended_;
};

// Whether a scan that ran `check_set` (sorted; every check when `has_check_set` is false), on
// a host logged into or not, would have reported a finding of this check had it been there.
bool CouldDetect(bool has_check_set, const std::vector<std::string>& check_set,
                 const std::string& source_id, const std::string& check_type,
                 std::optional<bool> credentialed);
// The check id a check set lists for a vulnerability's source id ("21156:check" -> "21156").
std::string CheckIdOf(const std::string& source_id);
// Finding identity within an asset: vulnerability, port, protocol, location.
std::string FindingKey(const std::string& vuln_key, int port, const std::string& protocol,
                       const std::string& location);

}  // namespace vigil
