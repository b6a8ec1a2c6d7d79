#include "engine/scan_applier.h"

#include <algorithm>
#include <functional>

#include "core/text.h"
#include "engine/class_history.h"
#include "engine/classifier.h"
#include "engine/logged_rows.h"
#include "engine/nvd_scores.h"
#include "ingest/input_policy.h"
#include "ingest/memory_guard.h"
#include "ingest/output_merge.h"
#include "store/store.h"

namespace vigil {

struct ScanApplier::HostPass {
  const HostObservation* host = nullptr;
  AssetRecord asset;
  Timestamp seen{};
  bool stale = false;     // a newer scan by this scanner already covered the asset
  bool reexport = false;  // an earlier scan holds this very pass (rule 10)
  std::vector<FindingOnAsset> existing;
  std::unordered_map<std::string, size_t> index;  // finding key -> existing
  std::vector<bool> reported;                     // parallel to existing
  StateCommitment::Rows findings_before;          // the asset's findings before the pass
  std::vector<NewFinding> fresh;                  // first reported in this pass, stored at its end
};

namespace {

int64_t OutputHash(const std::string& output) {
  return static_cast<int64_t>(std::hash<std::string>{}(output)&0x7fffffffffffffffULL);
}

// Several items with the same finding key in one host are one finding; their outputs are
// kept together, each distinct text once.
void MergeInto(ItemObservation& into, ItemObservation& from, OutputMerge& output) {
  output.Append(into.output, from.output);
  if (into.service.empty()) {
    into.service = std::move(from.service);
  }
  if (into.package.empty()) {
    into.package = std::move(from.package);
  }
  if (!into.qod || (from.qod && *from.qod > *into.qod)) {
    into.qod = from.qod;
  }
  if (!into.vex) {
    into.vex = std::move(from.vex);
  }
}

// Equal but for last_seen (which TouchPresent maintains).
bool SameState(const FindingRecord& a, const FindingRecord& b) {
  return a.state == b.state && a.first_seen == b.first_seen && a.fixed_at == b.fixed_at &&
         a.fixed_scan_id == b.fixed_scan_id && a.times_reopened == b.times_reopened &&
         a.absent_unverified == b.absent_unverified && a.service == b.service &&
         a.package == b.package && a.qod == b.qod;
}

FindingPackage PackageOf(const ItemObservation& item) {
  return FindingPackage{.name = item.package.name,
                        .version = item.package.version,
                        .purl = item.package.purl,
                        .path = item.package.path,
                        .fixed_version = item.package.fixed_version};
}

// A decommissioned asset observed at or before its latest decommissioning: the report is older
// than the decision to retire the machine, so it is history, not a reappearance.
bool BeforeDecommissioning(const AssetRecord& a, Timestamp seen) {
  return a.state == AssetState::kDecommissioned && a.decommissioned_at &&
         seen <= *a.decommissioned_at;
}

bool SameState(const AttributionRecord& a, const AttributionRecord& b) {
  return a.presence == b.presence && a.first_seen == b.first_seen &&
         a.absent_since == b.absent_since;
}

}  // namespace

std::string CheckIdOf(const std::string& source_id) {
  return source_id.substr(0, source_id.find(':'));
}

bool CouldDetect(bool has_check_set, const std::vector<std::string>& check_set,
                 const std::string& source_id, const std::string& check_type,
                 std::optional<bool> credentialed) {
  if (has_check_set &&
      !std::binary_search(check_set.begin(), check_set.end(), CheckIdOf(source_id))) {
    return false;
  }
  return check_type != "local" || credentialed.value_or(false);
}

std::string FindingKey(const std::string& vuln_key, int port, const std::string& protocol,
                       const std::string& location) {
  return vuln_key + '\x1f' + std::to_string(port) + '\x1f' + protocol + '\x1f' + location;
}

ScanApplier::ScanApplier(Store& store, const ClassificationConfig& classification,
                         const ScannerRecord& scanner, int64_t scan_id, Timestamp import_time,
                         std::string actor, StateCommitment& state)
    : store_(store),
      classification_(classification),
      scanner_(scanner),
      scan_id_(scan_id),
      import_time_(import_time),
      actor_(std::move(actor)),
      assets_(store),
      state_(state) {}

Status ScanApplier::OnHeader(const ReportHeader& header) {
  header_ = header;
  return Status::Ok();
}

Result<Classification> ScanApplier::Derive(const VulnerabilityDef& def) {
  std::vector<std::string> cves = def.Cves();
  NvdScores nvd;
  if (std::all_of(cves.begin(), cves.end(),
                  [&](const std::string& c) { return prefetched_cves_.count(c) > 0; })) {
    nvd = NvdScoresFrom(nvd_, cves);
  } else {
    ASSIGN_OR_RETURN(nvd, NvdScoresOf(store_, cves));
  }
  return Classify(def, nvd, classification_);
}

Status ScanApplier::DefineAll(const std::vector<ItemObservation*>& items, Timestamp seen) {
  ASSIGN_OR_RETURN(std::vector<DefinitionWrite> writes, DefinitionsToWrite(items, seen));
  if (writes.empty()) {
    return Status::Ok();
  }
  RETURN_IF_ERROR(WriteDefinitions(writes, seen));
  return LogClassChanges(writes);
}

Result<std::vector<ScanApplier::DefinitionWrite>> ScanApplier::DefinitionsToWrite(
    const std::vector<ItemObservation*>& items, Timestamp seen) {
  std::vector<DefinitionWrite> writes;
  std::set<std::string> writing;
  for (const ItemObservation* item : items) {
    const VulnerabilityDef& def = item->vuln;
    if (vuln_ids_.count(def.key) > 0 || writing.count(def.key) > 0) {
      continue;
    }
    if (item->shared_definition) {
      // The parser broke the contract of ingest/report.h: the whole definition comes first.
      return Internal("the " + def.key +
                      " item that should carry its definition came after a shared one");
    }
    std::optional<VulnStamp> stamp;
    if (auto prefetched = stamps_.find(def.key); prefetched != stamps_.end()) {
      stamp = std::move(prefetched->second);
      stamps_.erase(prefetched);
    } else {
      ASSIGN_OR_RETURN(stamp, store_.FindVulnerability(def.key));
    }
    // The class is derived only when the definition is written: an unchanged definition on a
    // rescan costs no NVD lookup. An older report never overwrites the definition a newer one
    // stored.
    if (stamp && (stamp->content_hash == static_cast<int64_t>(def.ContentHash()) ||
                  seen < stamp->defined_at)) {
      vuln_ids_.emplace(def.key, stamp->id);
      continue;
    }
    ASSIGN_OR_RETURN(Classification derived, Derive(def));
    VulnClass cls =
        MergeClass(derived, stamp ? std::optional<VulnClass>(stamp->cls) : std::nullopt);
    writing.insert(def.key);
    writes.push_back(
        DefinitionWrite{.def = &def, .stamp = std::move(stamp), .cls = std::move(cls)});
  }
  counts_.vulnerabilities = static_cast<int64_t>(vuln_ids_.size() + writes.size());
  return writes;
}

Status ScanApplier::WriteDefinitions(std::vector<DefinitionWrite>& writes, Timestamp seen) {
  // The commitment moves by each definition written, its row and its references: read before
  // (nothing for a new one) and after, for all of the host's at once.
  std::vector<int64_t> stored;
  for (const DefinitionWrite& w : writes) {
    if (w.stamp) {
      stored.push_back(w.stamp->id);
    }
  }
  ASSIGN_OR_RETURN(auto rows_before, state_.BeforeEach(store_, "vulnerabilities", "id", stored));
  ASSIGN_OR_RETURN(auto refs_before,
                   state_.BeforeEach(store_, "vulnerability_refs", "vuln_id", stored));
  std::vector<StateCommitment::Rows> rows;
  std::vector<StateCommitment::Rows> refs;
  size_t next_stored = 0;
  for (DefinitionWrite& w : writes) {
    if (w.stamp) {
      w.id = w.stamp->id;
      RETURN_IF_ERROR(store_.UpdateVulnerability(w.id, *w.def, w.cls, seen));
      rows.push_back(std::move(rows_before[next_stored]));
      refs.push_back(std::move(refs_before[next_stored]));
      ++next_stored;
    } else {
      ASSIGN_OR_RETURN(w.id, store_.InsertVulnerability(*w.def, w.cls, seen));
      ASSIGN_OR_RETURN(rows.emplace_back(),
                       StateCommitment::None("vulnerabilities", {{"id", w.id}}));
      ASSIGN_OR_RETURN(refs.emplace_back(),
                       StateCommitment::None("vulnerability_refs", {{"vuln_id", w.id}}));
    }
  }
  RETURN_IF_ERROR(state_.AfterEach(store_, rows));
  return state_.AfterEach(store_, refs);
}

Status ScanApplier::LogClassChanges(const std::vector<DefinitionWrite>& writes) {
  // Each change of classes, in the items' order, with the class rows read at once.
  std::vector<int64_t> ids;
  ids.reserve(writes.size());
  for (const DefinitionWrite& w : writes) {
    ids.push_back(w.id);
  }
  ASSIGN_OR_RETURN(std::vector<nlohmann::json> class_rows,
                   RowsOf(store_, logged::VulnClasses(), {{"id", ids}}));
  std::map<int64_t, const nlohmann::json*> class_row;
  for (const nlohmann::json& row : class_rows) {
    class_row[row.at("id").get<int64_t>()] = &row;
  }
  std::string note = "derived from the ratings of scan " + std::to_string(scan_id_);
  for (const DefinitionWrite& w : writes) {
    auto row = class_row.find(w.id);
    if (row == class_row.end()) {
      return Internal("the vulnerability " + w.def->key + " just written is not stored");
    }
    std::string why = w.stamp && IsManualClassification(w.cls.class_source)
                          ? "derived class now " + w.cls.auto_class + " (" + w.cls.auto_source +
                                ", scan " + std::to_string(scan_id_) +
                                "); the class set by a person stays"
                          : note;
    RETURN_IF_ERROR(RecordClassChange(
        store_, w.id, w.def->key, w.stamp ? std::optional<VulnClass>(w.stamp->cls) : std::nullopt,
        w.cls, {.actor = actor_, .at = import_time_, .note = why}, row->second));
    vuln_ids_.emplace(w.def->key, w.id);
  }
  return Status::Ok();
}

Status ScanApplier::Prefetch(const std::vector<ItemObservation*>& items) {
  stamps_.clear();
  prefetched_cves_.clear();
  nvd_.clear();
  std::vector<std::string> keys;
  std::vector<const VulnerabilityDef*> defs;
  std::set<std::string> asked;
  for (const ItemObservation* item : items) {
    if (vuln_ids_.count(item->vuln.key) == 0 && asked.insert(item->vuln.key).second) {
      keys.push_back(item->vuln.key);
      defs.push_back(&item->vuln);
    }
  }
  if (keys.empty()) {
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(auto stamps, store_.FindVulnerabilities(keys));
  std::vector<std::string> cves;
  for (size_t i = 0; i < keys.size(); ++i) {
    // Only a definition that will be written is classified again, and needs NVD's scores.
    if (!stamps[i] || stamps[i]->content_hash != static_cast<int64_t>(defs[i]->ContentHash())) {
      for (std::string& cve : defs[i]->Cves()) {
        if (prefetched_cves_.insert(cve).second) {
          cves.push_back(std::move(cve));
        }
      }
    }
    stamps_.emplace(keys[i], std::move(stamps[i]));
  }
  ASSIGN_OR_RETURN(nvd_, store_.CvssMetricsOfEach(cves));
  return Status::Ok();
}

Status ScanApplier::OnHost(HostObservation& host) {
  HostPass pass;
  pass.host = &host;
  pass.seen = host.start.value_or(host.end.value_or(import_time_));
  started_ = std::min(started_.value_or(pass.seen), host.start.value_or(pass.seen));
  ended_ = std::max(ended_.value_or(pass.seen), host.end.value_or(pass.seen));
  ++counts_.hosts;

  // The commitment moves by exactly the rows this pass changes: the asset, its host scan
  // and its findings, each read before and after.
  ASSIGN_OR_RETURN(pass.asset, assets_.Match(host, pass.seen));
  StateCommitment::Rows asset_before;
  if (pass.asset.id != 0) {
    ASSIGN_OR_RETURN(asset_before, state_.Before(store_, "assets", {{"id", pass.asset.id}}));
  }
  RETURN_IF_ERROR(assets_.Save(pass.asset));
  if (asset_before.where.empty()) {
    ASSIGN_OR_RETURN(asset_before, StateCommitment::None("assets", {{"id", pass.asset.id}}));
  }
  ASSIGN_OR_RETURN(
      auto host_scan_before,
      state_.Before(store_, "host_scans", {{"scan_id", scan_id_}, {"asset_id", pass.asset.id}}));
  RETURN_IF_ERROR(ApplyHost(pass, host));
  RETURN_IF_ERROR(state_.After(store_, asset_before));
  RETURN_IF_ERROR(state_.After(store_, host_scan_before));
  if (pass.existing.empty()) {
    // An asset that had no findings has exactly those this pass created (a first import's
    // every host): no need to read them back.
    state_.Moved(pass.findings_before, StateCommitment::FindingsCreated(pass.asset.id, pass.fresh));
    return Status::Ok();
  }
  return state_.After(store_, pass.findings_before);
}

Status ScanApplier::ApplyHost(HostPass& pass, HostObservation& host) {
  ASSIGN_OR_RETURN(auto latest, store_.LatestHostScan(pass.asset.id, scanner_.id));
  pass.stale = (latest && latest->scan_id != scan_id_ && latest->observed_at > pass.seen) ||
               BeforeDecommissioning(pass.asset, pass.seen);
  if (pass.stale) {
    ++counts_.stale_hosts;
  } else if (auto of = ReexportOf(latest, scan_id_, pass.seen)) {
    pass.reexport = true;
    reexport_.Add(*of);
  }
  bool reactivated = !pass.stale && pass.asset.state == AssetState::kDecommissioned;
  if (reactivated) {
    RETURN_IF_ERROR(store_.ReactivateAsset(pass.asset.id, pass.seen));
    ++counts_.reappeared;
    reactivated_.push_back(pass.asset.id);
    reappeared_.push_back(
        "asset " + pass.asset.name + " was decommissioned" +
        (pass.asset.decommissioned_at ? " on " + FormatIso8601(*pass.asset.decommissioned_at)
                                      : std::string()) +
        (pass.asset.decommissioned_by.empty() ? std::string()
                                              : " by " + pass.asset.decommissioned_by) +
        " and reappeared in this scan (" + FormatIso8601(pass.seen) + "): it is active again");
    pass.asset.state = AssetState::kActive;
  }
  RETURN_IF_ERROR(store_.InsertHostScan({.scan_id = scan_id_,
                                         .asset_id = pass.asset.id,
                                         .scanner_id = scanner_.id,
                                         .observed_at = pass.seen,
                                         .credentialed = host.credentialed}));
  ASSIGN_OR_RETURN(pass.existing, store_.FindingsOnAsset(pass.asset.id, scanner_.id));
  pass.findings_before = StateCommitment::FindingsBefore(pass.asset.id, pass.existing);
  if (reactivated) {
    RETURN_IF_ERROR(ReopenInactive(pass));
  }
  pass.reported.assign(pass.existing.size(), false);
  for (size_t i = 0; i < pass.existing.size(); ++i) {
    const FindingRecord& f = pass.existing[i].finding;
    pass.index.emplace(FindingKey(pass.existing[i].vuln_key, f.port, f.protocol, f.location), i);
  }

  // Merge items that share a finding key, keeping file order.
  std::unordered_map<std::string, size_t> merged;
  std::unordered_map<size_t, OutputMerge> outputs;
  std::vector<ItemObservation*> items;
  for (auto& item : host.items) {
    std::string key = FindingKey(item.vuln.key, item.port, item.protocol, item.location);
    auto [it, inserted] = merged.emplace(std::move(key), items.size());
    if (inserted) {
      items.push_back(&item);
    } else {
      MergeInto(*items[it->second], item,
                outputs.try_emplace(it->second, OutputMerge::Unit::kWhole, "\n\n").first->second);
    }
  }
  RETURN_IF_ERROR(Prefetch(items));
  RETURN_IF_ERROR(DefineAll(items, pass.seen));
  for (size_t i = 0; i < items.size(); ++i) {
    if (i % 4096 == 4095) {
      RETURN_IF_ERROR(CheckImportMemory("", kMaxImportResidentBytes));
    }
    RETURN_IF_ERROR(ApplyItem(pass, *items[i]));
  }
  // The new findings at once: a backend with round trips writes them in bulk.
  RETURN_IF_ERROR(store_.InsertFindings(pass.fresh));
  if (pass.stale) {
    return Status::Ok();
  }
  if (pass.reexport) {
    CountOmitted(pass);
    return Status::Ok();
  }
  if (pass.existing.empty()) {
    // Only the findings just created, seen now in this scan: nothing for TouchPresent to move.
    return Status::Ok();
  }
  RETURN_IF_ERROR(ApplyAbsences(pass));
  return store_.TouchPresent(pass.asset.id, scanner_.id, scan_id_, pass.seen);
}

Status ScanApplier::ReopenInactive(HostPass& pass) {
  // The asset is back in service: its inactive findings are open again (reopened when they
  // had been), and this scan then applies to them like to any other.
  for (auto& e : pass.existing) {
    if (e.finding.state == FindingState::kInactive) {
      e.finding.state =
          e.finding.times_reopened > 0 ? FindingState::kReopened : FindingState::kOpen;
      RETURN_IF_ERROR(store_.UpdateFinding(e.finding));
    }
  }
  return Status::Ok();
}

int64_t ScanApplier::low_qod(int min_qod) const {
  return std::count_if(qods_.begin(), qods_.end(), [&](int q) { return q < min_qod; });
}

Status ScanApplier::ApplyItem(HostPass& pass, ItemObservation& item) {
  auto defined = vuln_ids_.find(item.vuln.key);
  if (defined == vuln_ids_.end()) {
    return Internal("the vulnerability " + item.vuln.key + " was not defined before its item");
  }
  int64_t vuln_id = defined->second;
  if (item.vex) {
    vex_.push_back(VexStatement{.vuln_key = item.vuln.key,
                                .asset = pass.asset.name,
                                .location = item.location,
                                .analysis = *item.vex});
  }
  if (item.qod) {
    qods_.push_back(*item.qod);
  }
  auto found = pass.index.find(FindingKey(item.vuln.key, item.port, item.protocol, item.location));
  if (found == pass.index.end()) {
    return ApplyNew(pass, item, vuln_id);
  }
  pass.reported[found->second] = true;
  return ApplyKnown(pass, pass.existing[found->second], item);
}

Status ScanApplier::ApplyNew(HostPass& pass, ItemObservation& item, int64_t vuln_id) {
  FindingRecord f{.vuln_id = vuln_id,
                  .asset_id = pass.asset.id,
                  .port = item.port,
                  .protocol = item.protocol,
                  .location = item.location,
                  .service = item.service,
                  .package = PackageOf(item),
                  .qod = item.qod,
                  .state = FindingState::kOpen,
                  .first_seen = pass.seen,
                  .last_seen = pass.seen};
  AttributionRecord mine{.scanner_id = scanner_.id,
                         .presence = Presence::kPresent,
                         .first_seen = pass.seen,
                         .last_seen = pass.seen,
                         .last_scan_id = scan_id_};
  ++counts_.findings;
  ++counts_.new_findings;
  if (pass.stale) {
    RETURN_IF_ERROR(CreateFromStaleObservation(pass, f, mine, item.vuln));
  }
  if (pass.asset.state == AssetState::kDecommissioned && IsOpen(f.state)) {
    f.state = FindingState::kInactive;  // history of a retired machine: open nowhere
  }
  mine.output_hash = OutputHash(item.output);
  mine.output = std::move(item.output);
  pass.fresh.push_back(NewFinding{.finding = std::move(f), .attribution = std::move(mine)});
  return Status::Ok();
}

void ScanApplier::MoveReported(const HostPass& pass, FindingRecord& f, bool repeat) {
  if (!repeat) {
    ++counts_.findings;
  }
  // The first and the last branch both count the finding unchanged, for different reasons;
  // the branches between them have to be tried before the last one.
  // NOLINTNEXTLINE(bugprone-branch-clone)
  if (pass.stale) {
    ++counts_.unchanged;
  } else if (f.state == FindingState::kFixed && f.fixed_scan_id == scan_id_) {
    // Fixed by another pass over the same asset in this very report: undo, not a reopen.
    f.state = f.times_reopened > 0 ? FindingState::kReopened : FindingState::kOpen;
    --counts_.fixed;
    ++counts_.unchanged;
  } else if (f.state == FindingState::kFixed && pass.reexport && f.fixed_at == pass.seen) {
    // Fixed by the very pass this one exports again: that export left it out (filtered), so
    // the fix is undone, not a reopen.
    f.state = f.times_reopened > 0 ? FindingState::kReopened : FindingState::kOpen;
    ++counts_.unchanged;
  } else if (f.state == FindingState::kFixed) {
    f.state = FindingState::kReopened;
    ++f.times_reopened;
    ++counts_.reopened;
  } else if (!repeat) {
    ++counts_.unchanged;
  }
  if (f.state != FindingState::kFixed) {
    f.fixed_at.reset();
    f.fixed_scan_id = 0;
  }
}

Status ScanApplier::ApplyKnown(HostPass& pass, const FindingOnAsset& e, ItemObservation& item) {
  FindingRecord f = e.finding;
  bool repeat = e.mine && e.mine->last_scan_id == scan_id_ &&
                e.mine->presence == Presence::kPresent;  // same asset twice in one report
  MoveReported(pass, f, repeat);
  f.first_seen = std::min(f.first_seen, pass.seen);
  if (!item.service.empty()) {
    f.service = item.service;
  }
  if (!pass.stale) {
    // The package and the QoD follow the newest observation.
    FindingPackage package = PackageOf(item);
    if (!package.name.empty() || !package.purl.empty()) {
      f.package = std::move(package);
    }
    if (item.qod) {
      f.qod = item.qod;
    }
  }
  AttributionRecord mine = e.mine.value_or(AttributionRecord{.finding_id = f.id,
                                                             .scanner_id = scanner_.id,
                                                             .first_seen = pass.seen,
                                                             .last_seen = pass.seen,
                                                             .last_scan_id = scan_id_});
  mine.first_seen = std::min(mine.first_seen, pass.seen);
  if (!pass.stale || !e.mine) {
    mine.presence = Presence::kPresent;
    mine.absent_since.reset();
  }
  if (!pass.stale) {
    f.absent_unverified = false;
  }
  int64_t hash = OutputHash(item.output);
  bool new_output = !e.mine || e.mine->output_hash != hash;
  if (new_output) {
    mine.output = std::move(item.output);
    mine.output_hash = hash;
  }
  // Only what changed is written. A finding still present gets its last_seen for the whole
  // host at once (TouchPresent), so an unchanged rescan writes almost nothing; a re-export
  // touches only what it reports.
  if (pass.stale || pass.reexport || !SameState(f, e.finding)) {
    if (!pass.stale) {
      f.last_seen = std::max(f.last_seen, pass.seen);
    }
    RETURN_IF_ERROR(store_.UpdateFinding(f));
  }
  if (!e.mine) {
    return store_.InsertAttribution(mine);
  }
  if (pass.stale || pass.reexport || new_output || !SameState(mine, *e.mine)) {
    if (!pass.stale) {
      mine.last_seen = std::max(mine.last_seen, pass.seen);
      mine.last_scan_id = scan_id_;
    }
    return store_.UpdateAttribution(mine, new_output);
  }
  return Status::Ok();
}

Status ScanApplier::CreateFromStaleObservation(HostPass& pass, FindingRecord& f,
                                               AttributionRecord& mine,
                                               const VulnerabilityDef& def) {
  // Present in this older report but unknown so far: a newer pass by this scanner did not
  // report it. Whether that pass could have seen it decides fixed or absent-unverified.
  ASSIGN_OR_RETURN(auto next, store_.NextHostScan(pass.asset.id, scanner_.id, pass.seen));
  if (!next) {
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(std::string joined, store_.ScanCheckSet(next->scan_id));
  std::vector<std::string> check_set = SplitNonEmpty(joined, ";");
  if (CouldDetect(!joined.empty(), check_set, def.source_id, def.check_type, next->credentialed)) {
    f.state = FindingState::kFixed;
    f.fixed_at = next->observed_at;
    f.fixed_scan_id = next->scan_id;
    mine.presence = Presence::kAbsentVerified;
  } else {
    f.absent_unverified = true;
    mine.presence = Presence::kAbsentUnverified;
  }
  mine.absent_since = next->observed_at;
  return Status::Ok();
}

void ScanApplier::CountOmitted(const HostPass& pass) {
  for (size_t i = 0; i < pass.existing.size(); ++i) {
    const FindingOnAsset& e = pass.existing[i];
    if (!pass.reported[i] && e.mine && e.mine->presence == Presence::kPresent &&
        IsOpen(e.finding.state)) {
      ++reexport_.omitted;
    }
  }
}

Status ScanApplier::ApplyAbsences(HostPass& pass) {
  for (size_t i = 0; i < pass.existing.size(); ++i) {
    FindingOnAsset& e = pass.existing[i];
    FindingRecord& f = e.finding;
    if (pass.reported[i] || !e.mine || !IsOpen(f.state) ||
        e.mine->presence == Presence::kAbsentVerified ||
        (e.mine->last_scan_id == scan_id_ && e.mine->presence == Presence::kPresent)) {
      continue;
    }
    AttributionRecord& mine = *e.mine;
    mine.last_scan_id = scan_id_;
    if (CouldDetect(header_.has_check_set, header_.check_set, e.vuln_source_id, e.check_type,
                    pass.host->credentialed)) {
      mine.presence = Presence::kAbsentVerified;
      mine.absent_since = pass.seen;
      if (e.others_unresolved == 0) {
        f.state = FindingState::kFixed;
        f.fixed_at = pass.seen;
        f.fixed_scan_id = scan_id_;
        f.absent_unverified = false;
        ++counts_.fixed;
      }
    } else {
      if (mine.presence != Presence::kAbsentUnverified) {
        mine.absent_since = pass.seen;
      }
      mine.presence = Presence::kAbsentUnverified;
      f.absent_unverified = true;
      ++counts_.absent_unverified;
    }
    RETURN_IF_ERROR(store_.UpdateFinding(f));
    RETURN_IF_ERROR(store_.UpdateAttribution(mine, false));
  }
  return Status::Ok();
}

}  // namespace vigil
