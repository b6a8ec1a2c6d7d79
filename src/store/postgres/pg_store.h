// The Store on PostgreSQL (libpq): the SQLite backend's schema, semantics and results, for
// several servers sharing one database.
//
// Transactions and serialisation. Begin() opens a READ COMMITTED transaction and takes the
// transaction-scoped advisory lock kWriterLock before anything else, so writers in every
// process that shares the database run one after another, each seeing everything committed
// before it: the audit log's next sequence number (the caller's last seq + 1) can never fork,
// ids (assigned like SQLite's rowids: the largest so far plus one) never collide, and no
// update is lost. Commit() and Rollback() release the lock. A write outside Begin/Commit is
// its own transaction, taking the same lock (as SQLite runs it alone). A store opened
// kReadOnly sets default_transaction_read_only and reads one snapshot from open to close (a
// REPEATABLE READ, READ ONLY transaction, as the SQLite backend holds one read transaction):
// every write fails, and so does Begin().
//
// Statements carry every value as a parameter; the frequent ones (an import's) are prepared
// once per connection. A failed statement inside a transaction aborts it in PostgreSQL (SQLite
// would let the transaction go on): the caller rolls back, as InTransaction does.
//
// URLs are libpq connection strings: postgresql://user@host:port/db,
// postgresql:///db?host=/socket/dir. The database must exist (kCreate creates nothing);
// Initialize() creates the schema. kExisting and kReadOnly refuse a database without vigil's
// schema ("run 'vigil init'").
#pragma once

// A backend's header: only the PostgreSQL backend, the opener (store/open_store.cc) and the
// store's own tests may include it; everything else goes through store/store.h.
#ifndef VIGIL_STORE_BACKEND
#error "store/postgres/ is the PostgreSQL backend's own: include store/store.h instead"
#endif

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/postgres/pg_conn.h"
#include "store/reference_ledger.h"
#include "store/state_sql.h"
#include "store/store.h"

namespace vigil::postgres {

// The advisory lock every writer holds for its transaction ("vigil" in its high bytes).
struct FindingTally;  // pg_vuln_listing.cc

inline constexpr int64_t kWriterLock = 0x766967696c000001;

class PgStore final : public Store {
 public:
  static Result<std::unique_ptr<PgStore>> Open(const std::string& url, OpenMode mode);

  Status Initialize() override;
  Result<int> SchemaVersion() override;
  int LatestSchemaVersion() const override;

  Status Begin() override;
  Status Commit() override;
  void Rollback() override;

  Result<ScannerRecord> EnsureScanner(const std::string& name, const std::string& kind,
                                      Timestamp now) override;
  Status SetScanner(const ScannerRecord& scanner) override;
  Result<std::vector<AssetLastScan>> LastScansByScanner(const std::string& name) override;
  Result<std::optional<ScanRecord>> FindScanByDigest(const std::string& digest) override;
  Result<bool> HasScanWithQuickDigest(const std::string& quick_digest) override;
  Result<int64_t> InsertScan(const ScanRecord& scan) override;
  Status UpdateScanResult(const ScanRecord& scan) override;
  Result<std::string> ScanCheckSet(int64_t scan_id) override;

  Result<std::vector<AssetRecord>> FindAssetCandidates(const std::string& agent_id,
                                                       const std::string& fqdn,
                                                       const std::string& ip,
                                                       const std::string& name) override;
  Result<int64_t> InsertAsset(const AssetRecord& asset) override;
  Status UpdateAsset(const AssetRecord& asset) override;
  Result<std::vector<AssetRecord>> FindAssets(const std::string& key) override;
  Status DecommissionAsset(int64_t asset_id, Timestamp at, const std::string& by,
                           const std::string& reason) override;
  Status ReactivateAsset(int64_t asset_id, Timestamp at) override;
  Status InsertHostScan(const HostScanRecord& host_scan) override;
  Result<std::optional<HostScanRecord>> LatestHostScan(int64_t asset_id,
                                                       int64_t scanner_id) override;
  Result<std::optional<HostScanRecord>> NextHostScan(int64_t asset_id, int64_t scanner_id,
                                                     Timestamp after) override;

  Result<std::optional<VulnStamp>> FindVulnerability(const std::string& key) override;
  Result<std::vector<std::optional<VulnStamp>>> FindVulnerabilities(
      const std::vector<std::string>& keys) override;
  Result<int64_t> InsertVulnerability(const VulnerabilityDef& def, const VulnClass& cls,
                                      Timestamp defined_at) override;
  Status UpdateVulnerability(int64_t id, const VulnerabilityDef& def, const VulnClass& cls,
                             Timestamp defined_at) override;
  Status SetVulnerabilityClass(int64_t id, const VulnClass& cls) override;
  Result<std::vector<std::pair<VulnerabilityDef, VulnStamp>>> AllVulnerabilities() override;
  Result<int64_t> MaxVulnerabilityId() override;
  Result<std::optional<std::pair<VulnerabilityDef, VulnStamp>>> LoadVulnerability(
      const std::string& key) override;

  Status InsertUser(const UserRecord& user) override;
  Status SetUserToken(const std::string& name, const std::string& token_hash,
                      const std::string& issued_by) override;
  Status SetUserRole(const std::string& name, Role role, const std::string& granted_by) override;
  Result<std::optional<UserRecord>> FindUser(const std::string& name) override;
  Result<std::vector<UserRecord>> QueryUsers() override;
  Status SetUserEnrolment(const std::string& name, const std::string& code_hash,
                          Timestamp expires_at) override;
  Status SetUserPassword(const std::string& name, const std::string& password_hash,
                         Timestamp set_at) override;
  Result<int64_t> InsertApiToken(const ApiTokenRecord& token) override;
  Status RevokeApiToken(int64_t id, Timestamp at, const std::string& by) override;
  Result<std::vector<ApiTokenRecord>> QueryApiTokens() override;
  Result<std::optional<int64_t>> InsertNotification(const NotificationRecord& n) override;
  Result<bool> UpdateNotification(const NotificationRecord& n, const std::string& state,
                                  int attempts) override;
  Result<std::vector<NotificationRecord>> QueryNotifications(const NotificationQuery& q) override;
  Status InsertNotificationAttempt(const NotificationAttempt& a) override;
  Result<std::vector<NotificationAttempt>> NotificationAttemptsOf(int64_t id) override;
  Result<std::vector<AlertConditionRecord>> QueryAlertConditions() override;
  Status PutAlertCondition(const AlertConditionRecord& c) override;
  Result<std::vector<JiraLinkRecord>> QueryJiraLinks() override;
  Result<std::optional<JiraLinkRecord>> FindJiraLink(const std::string& vuln_key) override;
  Status PutJiraLink(const JiraLinkRecord& link) override;
  Result<int64_t> InsertDecision(const DecisionRecord& decision) override;
  Status UpdateDecisionState(const DecisionRecord& decision) override;
  Result<std::optional<DecisionRecord>> FindDecision(int64_t id) override;
  Result<std::vector<DecisionRecord>> QueryDecisions(const DecisionQuery& q) override;
  Status InsertDecisionEvent(const DecisionEvent& event) override;
  Result<std::vector<DecisionEvent>> DecisionEventsOf(int64_t vuln_id) override;
  Status InsertClassChange(const ClassChange& change) override;
  Result<std::vector<ClassChange>> ClassChangesOf(int64_t vuln_id) override;
  Result<std::vector<ClassChange>> AllClassChanges() override;
  Result<int64_t> InsertReview(const ReviewRecord& review) override;
  Result<std::vector<ReviewRecord>> QueryReviews() override;
  Status ReplaceKev(const std::vector<KevEntry>& entries, Timestamp at) override;
  Result<std::vector<KevEntry>> QueryKev() override;
  Result<bool> UpsertCve(const CveRecord& record, Timestamp loaded_at) override;
  Result<std::optional<CveRecord>> FindCve(const std::string& cve) override;
  Result<int64_t> CountCves() override;
  Result<std::vector<CvssMetric>> CvssMetricsOf(const std::string& cve) override;
  Result<std::map<std::string, std::vector<CvssMetric>>> CvssMetricsOfEach(
      const std::vector<std::string>& cves) override;
  Result<std::vector<int64_t>> VulnerabilitiesWithCves(
      const std::vector<std::string>& cves) override;
  Status ClearEpss() override;
  Result<bool> AddEpss(const EpssScore& score) override;
  Result<std::optional<EpssScore>> FindEpss(const std::string& cve) override;
  Status InsertEvent(const EventRecord& event) override;
  Status ForEachEvent(int64_t from, int64_t to,
                      const std::function<Status(const EventRecord&)>& visit) override;
  Result<std::optional<EventRecord>> LastEvent() override;
  Result<int64_t> LastEventSeq() override;
  Status ForEachRow(std::string_view table, const std::vector<std::string>& columns,
                    const RowFilter& where,
                    const std::function<Status(const std::vector<Cell>&)>& visit) override;
  Status InsertCheckpoint(const CheckpointRecord& checkpoint) override;
  Result<std::vector<TableColumns>> Tables() override;
  Status InsertRows(std::string_view table, const std::vector<std::string>& columns,
                    const RowSource& rows) override;
  Result<std::vector<CheckpointRecord>> QueryCheckpoints() override;
  Result<std::optional<std::string>> GetSetting(const std::string& key) override;
  Status PutSetting(const std::string& key, const std::string& value) override;

  Result<std::vector<FindingOnAsset>> FindingsOnAsset(int64_t asset_id,
                                                      int64_t scanner_id) override;
  Result<int64_t> InsertFinding(const FindingRecord& finding) override;
  Status UpdateFinding(const FindingRecord& finding) override;
  Status InsertAttribution(const AttributionRecord& attribution) override;
  Status InsertFindings(std::vector<NewFinding>& rows) override;
  Status UpdateAttribution(const AttributionRecord& attribution, bool with_output) override;
  Status TouchPresent(int64_t asset_id, int64_t scanner_id, int64_t scan_id,
                      Timestamp seen) override;
  Result<int64_t> SetFindingStates(int64_t asset_id, const std::vector<FindingState>& from,
                                   FindingState to) override;

  Status ReplaceInventory(const std::vector<InventoryEntry>& entries, Timestamp at) override;
  Result<std::vector<InventoryEntry>> QueryInventory() override;
  Result<std::vector<VulnSummary>> QueryVulnerabilities(const VulnQuery& q) override;
  Result<std::vector<FindingView>> QueryFindings(const FindingQuery& q) override;
  Result<std::vector<FindingFact>> QueryFindingFacts(const FindingFactQuery& q) override;
  Result<std::vector<AssetView>> QueryAssets(const AssetQuery& q) override;
  Result<std::vector<ScannerView>> QueryScanners() override;
  Result<std::vector<Timestamp>> ScanTimes(const std::string& scanner) override;
  Result<std::vector<ScanRecord>> QueryScans() override;

 private:
  PgStore(std::unique_ptr<Connection> conn, bool read_only)
      : db_(std::move(conn)), read_only_(read_only) {}
  // Runs one statement (prepared unless `prepared` is false); a write outside a transaction
  // runs in its own, under the writers' lock.
  Result<PgResult> Run(const std::string& sql, const Params& params, bool prepared = true);
  // Queues a write whose result is not needed (Connection::Queue): inside a transaction it
  // goes to the server with the next batch; outside one it runs at once, in its own.
  Status Queue(const std::string& sql, Params params);
  // The id of a new row of `table` (one of the import's tables): the largest so far plus one,
  // read once per transaction and counted here after that, which the writers' lock makes safe.
  // Inserts into `table` must then all take their id from here.
  Result<int64_t> NextId(const std::string& table);
  // Writes the settings this transaction put (PutSetting keeps them until its commit).
  Status WriteSettings();
  // Runs `write` in a transaction of its own unless one is open.
  Result<int64_t> InTransactionIfNone(const std::function<Result<int64_t>()>& write);
  // Runs a SELECT through a cursor, row by row (pg_conn.h).
  Status ForEach(const std::string& sql, const Params& params,
                 const std::function<Status(const Row&)>& visit);
  void RecoverReader();
  Status ReplaceRefs(int64_t vuln_id, const VulnerabilityDef& def);
  Result<int64_t> InsertEvidence(const AttributionRecord& a);
  Result<std::vector<std::pair<VulnerabilityDef, VulnStamp>>> LoadVulnerabilities(
      const std::optional<std::string>& key);
  Result<std::vector<VulnSummary>> NarrowVulnerabilities(const VulnQuery& q);
  Status TallyFindings(const VulnQuery& q, std::unordered_map<int64_t, FindingTally>& tally);
  Status ScannersByVuln(std::unordered_map<int64_t, std::vector<std::string>>& scanners_of);
  Result<bool> HasSchemaTable();

  std::unique_ptr<Connection> db_;
  bool read_only_;
  bool in_transaction_ = false;
  // Refuses the commit when a reference this transaction wrote into findings, evidence or
  // finding_sources leads to no row: those tables declare no foreign keys (pg_schema.cc), so
  // each write notes its references in the ledger, checked here all at once.
  Status CheckReferences();
  ReferenceLedger ledger_;
  // ANALYZE of the per-finding tables when this transaction added kAnalyzeAfter rows or more.
  Status AnalyzeAfterBulk();
  static constexpr int64_t kAnalyzeAfter = 10000;

  struct NewIds {
    int64_t first = 0;  // the first id this transaction gave
    int64_t next = 0;
  };
  std::unordered_map<std::string, NewIds> next_ids_;     // NextId's counters, this transaction's
  std::map<std::string, std::string> pending_settings_;  // PutSetting's, until the commit
};

}  // namespace vigil::postgres
