// The Store: everything vigil keeps, behind one interface with one implementation per
// database (SQLite now, PostgreSQL later). The store persists and answers; it decides no
// policy. Nothing above this interface knows which database is underneath.
//
// Thread safety: one Store object is used by one thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/cve_record.h"
#include "core/inventory.h"
#include "core/status.h"
#include "core/vulnerability.h"
#include "store/queries.h"
#include "store/records.h"

namespace vigil {

class Store {
 public:
  virtual ~Store() = default;

  // Schema. Initialize creates or migrates the schema to the newest version; SchemaVersion
  // answers 0 for a database that was never initialized.
  virtual Status Initialize() = 0;
  virtual Result<int> SchemaVersion() = 0;
  // The schema version this build writes.
  virtual int LatestSchemaVersion() const = 0;

  // Transactions: every change between Begin and Commit is applied whole or not at all.
  virtual Status Begin() = 0;
  virtual Status Commit() = 0;
  virtual void Rollback() = 0;

  // Scanners and scans.
  virtual Result<ScannerRecord> EnsureScanner(const std::string& name, const std::string& kind,
                                              Timestamp now) = 0;
  // Sets a scanner's kind, cadence and grace, registering it when new.
  virtual Status SetScanner(const ScannerRecord& scanner) = 0;
  // Every asset the scanner ever scanned, with its latest scan by that scanner.
  virtual Result<std::vector<AssetLastScan>> LastScansByScanner(const std::string& name) = 0;
  // When each of the scanner's scans happened (end time, else start time), oldest first;
  // scans without either time are left out.
  virtual Result<std::vector<Timestamp>> ScanTimes(const std::string& scanner) = 0;
  // Every scan with its results, oldest import first.
  virtual Result<std::vector<ScanRecord>> QueryScans() = 0;
  virtual Result<std::optional<ScanRecord>> FindScanByDigest(const std::string& digest) = 0;
  virtual Result<bool> HasScanWithQuickDigest(const std::string& quick_digest) = 0;
  virtual Result<int64_t> InsertScan(const ScanRecord& scan) = 0;
  // Records what parsing found: digest, report and policy names, check set, times, counts.
  virtual Status UpdateScanResult(const ScanRecord& scan) = 0;
  virtual Result<std::string> ScanCheckSet(int64_t scan_id) = 0;

  // Assets. Candidates are every asset sharing the agent id, the FQDN or the IP.
  virtual Result<std::vector<AssetRecord>> FindAssetCandidates(const std::string& agent_id,
                                                               const std::string& fqdn,
                                                               const std::string& ip,
                                                               const std::string& name) = 0;
  virtual Result<int64_t> InsertAsset(const AssetRecord& asset) = 0;
  virtual Status UpdateAsset(const AssetRecord& asset) = 0;
  // Assets whose name, FQDN or IP is `key`.
  virtual Result<std::vector<AssetRecord>> FindAssets(const std::string& key) = 0;
  // Marks the asset decommissioned (who, when, why) and its open findings inactive.
  virtual Status DecommissionAsset(int64_t asset_id, Timestamp at, const std::string& by,
                                   const std::string& reason) = 0;
  // A decommissioned asset showed up in a scan: active again, the reappearance recorded.
  // (What becomes of its inactive findings is the engine's rule.)
  virtual Status ReactivateAsset(int64_t asset_id, Timestamp at) = 0;
  virtual Status InsertHostScan(const HostScanRecord& host_scan) = 0;
  // The newest pass of `scanner_id` over `asset_id`, if any.
  virtual Result<std::optional<HostScanRecord>> LatestHostScan(int64_t asset_id,
                                                               int64_t scanner_id) = 0;
  // The earliest pass of `scanner_id` over `asset_id` strictly after `after`.
  virtual Result<std::optional<HostScanRecord>> NextHostScan(int64_t asset_id, int64_t scanner_id,
                                                             Timestamp after) = 0;

  // Vulnerabilities: definitions with their materialized class.
  virtual Result<std::optional<VulnStamp>> FindVulnerability(const std::string& key) = 0;
  virtual Result<int64_t> InsertVulnerability(const VulnerabilityDef& def, const VulnClass& cls,
                                              Timestamp defined_at) = 0;
  virtual Status UpdateVulnerability(int64_t id, const VulnerabilityDef& def, const VulnClass& cls,
                                     Timestamp defined_at) = 0;
  // Sets the effective and derived classes only.
  virtual Status SetVulnerabilityClass(int64_t id, const VulnClass& cls) = 0;
  // Every stored definition with its classes, for reclassification.
  virtual Result<std::vector<std::pair<VulnerabilityDef, VulnStamp>>> AllVulnerabilities() = 0;
  // One vulnerability's stored definition, by key.
  virtual Result<std::optional<std::pair<VulnerabilityDef, VulnStamp>>> LoadVulnerability(
      const std::string& key) = 0;

  // Users.
  virtual Status InsertUser(const UserRecord& user) = 0;
  virtual Status SetUserToken(const std::string& name, const std::string& token_hash,
                              const std::string& issued_by) = 0;
  virtual Status SetUserRole(const std::string& name, Role role, const std::string& granted_by) = 0;
  virtual Result<std::optional<UserRecord>> FindUser(const std::string& name) = 0;
  virtual Result<std::vector<UserRecord>> QueryUsers() = 0;
  // A new enrolment code (its hash and expiry), or the password it was used for (which
  // clears the code).
  virtual Status SetUserEnrolment(const std::string& name, const std::string& code_hash,
                                  Timestamp expires_at) = 0;
  virtual Status SetUserPassword(const std::string& name, const std::string& password_hash,
                                 Timestamp set_at) = 0;

  // Pipeline tokens.
  virtual Result<int64_t> InsertApiToken(const ApiTokenRecord& token) = 0;
  virtual Status RevokeApiToken(int64_t id, Timestamp at, const std::string& by) = 0;
  virtual Result<std::vector<ApiTokenRecord>> QueryApiTokens() = 0;

  // Decisions and their history, and the history of classes.
  virtual Result<int64_t> InsertDecision(const DecisionRecord& decision) = 0;
  // Writes the state fields: state, decided_*, effective_at, ended_at, superseded_by.
  virtual Status UpdateDecisionState(const DecisionRecord& decision) = 0;
  virtual Result<std::optional<DecisionRecord>> FindDecision(int64_t id) = 0;
  virtual Result<std::vector<DecisionRecord>> QueryDecisions(const DecisionQuery& q) = 0;
  virtual Status InsertDecisionEvent(const DecisionEvent& event) = 0;
  // The events of every decision on the vulnerability, oldest first.
  virtual Result<std::vector<DecisionEvent>> DecisionEventsOf(int64_t vuln_id) = 0;
  virtual Status InsertClassChange(const ClassChange& change) = 0;
  virtual Result<std::vector<ClassChange>> ClassChangesOf(int64_t vuln_id) = 0;
  // Every class change of every vulnerability, by vulnerability id, each one's oldest first.
  virtual Result<std::vector<ClassChange>> AllClassChanges() = 0;

  // Reviews.
  virtual Result<int64_t> InsertReview(const ReviewRecord& review) = 0;
  // Every review, oldest first (vuln_ids filled).
  virtual Result<std::vector<ReviewRecord>> QueryReviews() = 0;

  // The KEV catalog: replaced whole, read whole.
  virtual Status ReplaceKev(const std::vector<KevEntry>& entries, Timestamp at) = 0;
  virtual Result<std::vector<KevEntry>> QueryKev() = 0;

  // NVD records. Stores `record` unless a record of that CVE at least as new is there
  // (lastModified); returns whether it was stored. Its metrics replace the old ones.
  virtual Result<bool> UpsertCve(const CveRecord& record, Timestamp loaded_at) = 0;
  virtual Result<std::optional<CveRecord>> FindCve(const std::string& cve) = 0;
  virtual Result<int64_t> CountCves() = 0;
  // The NVD scores of a set of CVEs (see NvdScores).
  virtual Result<NvdScores> NvdScoresOf(const std::vector<std::string>& cves) = 0;
  // The ids of the vulnerabilities that name any of `cves` (as key or reference).
  virtual Result<std::vector<int64_t>> VulnerabilitiesWithCves(
      const std::vector<std::string>& cves) = 0;
  // EPSS: the scores of one day replace the previous day's: every score is removed, then the
  // day's are added one at a time (a file of any length is streamed in). AddEpss is false,
  // and adds nothing, when the CVE already has a score.
  virtual Status ClearEpss() = 0;
  virtual Result<bool> AddEpss(const EpssScore& score) = 0;
  virtual Result<std::optional<EpssScore>> FindEpss(const std::string& cve) = 0;

  // The audit log: appended in the transaction of the change it records.
  virtual Status InsertEvent(const EventRecord& event) = 0;
  // Events with from <= seq <= to (to = 0: to the end), in order, one at a time.
  virtual Status ForEachEvent(int64_t from, int64_t to,
                              const std::function<Status(const EventRecord&)>& visit) = 0;
  // The newest event, if any.
  virtual Result<std::optional<EventRecord>> LastEvent() = 0;
  // The sequence number of the last event (0 for none): every change appends one, so a cache
  // of what was read keeps while it is unchanged.
  virtual Result<int64_t> LastEventSeq() = 0;
  virtual Status InsertCheckpoint(const CheckpointRecord& checkpoint) = 0;
  virtual Result<std::vector<CheckpointRecord>> QueryCheckpoints() = 0;

  // The rows of `table` whose `where` columns equal the given integers (all rows when empty),
  // with the named `columns`, ordered by the first column, one at a time: how an import
  // keeps its commitment to the state it leaves, and how verification reads what it
  // compares with the log. The names are the engine's constants, never user input.
  virtual Status ForEachRow(std::string_view table, const std::vector<std::string>& columns,
                            const RowFilter& where,
                            const std::function<Status(const std::vector<Cell>&)>& visit) = 0;

  // Small named values the engine keeps between runs (e.g. the classification settings the
  // stored classes were derived with).
  virtual Result<std::optional<std::string>> GetSetting(const std::string& key) = 0;
  virtual Status PutSetting(const std::string& key, const std::string& value) = 0;

  // Notifications: the outbox, each attempt, the conditions alert rules watch, and the Jira
  // issue of each vulnerability (docs/notifications.md). InsertNotification is nullopt, and
  // adds nothing, when a notification with that key exists.
  virtual Result<std::optional<int64_t>> InsertNotification(const NotificationRecord& n) = 0;
  // Writes the delivery fields (state, attempts, next_attempt_at, last_error, sent_at, result)
  // when the stored row still has `state` and `attempts` as given (what its writer read): false,
  // and nothing written, when another dispatcher changed it meanwhile.
  virtual Result<bool> UpdateNotification(const NotificationRecord& n, const std::string& state,
                                          int attempts) = 0;
  virtual Result<std::vector<NotificationRecord>> QueryNotifications(
      const NotificationQuery& q) = 0;
  virtual Status InsertNotificationAttempt(const NotificationAttempt& a) = 0;
  virtual Result<std::vector<NotificationAttempt>> NotificationAttemptsOf(int64_t id) = 0;
  virtual Result<std::vector<AlertConditionRecord>> QueryAlertConditions() = 0;
  // Inserts or replaces the condition (rule, condition).
  virtual Status PutAlertCondition(const AlertConditionRecord& c) = 0;
  virtual Result<std::vector<JiraLinkRecord>> QueryJiraLinks() = 0;
  // Inserts or replaces the link of `vuln_key`.
  virtual Status PutJiraLink(const JiraLinkRecord& link) = 0;

  // Findings and their per-scanner attributions.
  virtual Result<std::vector<FindingOnAsset>> FindingsOnAsset(int64_t asset_id,
                                                              int64_t scanner_id) = 0;
  virtual Result<int64_t> InsertFinding(const FindingRecord& finding) = 0;
  virtual Status UpdateFinding(const FindingRecord& finding) = 0;
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

  // The expected inventory: replaced whole, read whole.
  virtual Status ReplaceInventory(const std::vector<InventoryEntry>& entries, Timestamp at) = 0;
  virtual Result<std::vector<InventoryEntry>> QueryInventory() = 0;

  // Listings.
  virtual Result<std::vector<VulnSummary>> QueryVulnerabilities(const VulnQuery& q) = 0;
  virtual Result<std::vector<FindingView>> QueryFindings(const FindingQuery& q) = 0;
  // In no particular order.
  virtual Result<std::vector<FindingFact>> QueryFindingFacts(const FindingFactQuery& q) = 0;
  virtual Result<std::vector<AssetView>> QueryAssets(const AssetQuery& q) = 0;
  virtual Result<std::vector<ScannerView>> QueryScanners() = 0;
};

// Runs `work` inside one transaction: committed when it returns OK, rolled back otherwise
// (also when the commit fails), so the database is either fully changed or untouched.
Status InTransaction(Store& store, const std::function<Status()>& work);

enum class OpenMode {
  kCreate,    // create the database when it does not exist (vigil init)
  kExisting,  // refuse a database that does not exist
  kReadOnly,  // an existing database, opened so that nothing can be written (reads)
};

// Opens the store a --db value names: a path, "sqlite:PATH", or (later) "postgresql://...".
// The schema is not created here (see Store::Initialize).
Result<std::unique_ptr<Store>> OpenStore(const std::string& url, OpenMode mode);

}  // namespace vigil
