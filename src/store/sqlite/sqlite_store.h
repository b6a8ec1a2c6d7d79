// The Store on an SQLite file: WAL mode, foreign keys on, schema versions in user_version.
#pragma once

// A backend's header: only the SQLite backend, the opener (store/open_store.cc) and the store's
// own tests may include it; everything else goes through store/store.h (DESIGN.md section 3).
#ifndef VIGIL_STORE_BACKEND
#error "store/sqlite/ is the SQLite backend's own: include store/store.h instead"
#endif

#include <functional>
#include <memory>
#include <string>

#include "store/reference_ledger.h"
#include "store/sqlite/sqlite_db.h"
#include "store/state_sql.h"
#include "store/store.h"

namespace vigil::sqlite {

class SqliteStore final : public Store {
 public:
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, OpenMode mode);

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
  explicit SqliteStore(std::unique_ptr<Database> db) : db_(std::move(db)) {}
  Status CheckForeignKeys();  // the first broken reference, as an error
  Status ReplaceRefs(int64_t vuln_id, const VulnerabilityDef& def);
  Result<int64_t> InsertEvidence(const AttributionRecord& a);
  // The per-finding tables declare no foreign keys (store/reference_ledger.h): each write to
  // them notes its references in the ledger, which Commit checks; a write outside a
  // transaction gets one of its own (Checked).
  Status CheckReferences();
  Status Checked(const std::function<Status()>& write);
  Status BindVulnerability(Statement& st, const VulnerabilityDef& def, const VulnClass& cls,
                           Timestamp defined_at);
  Result<std::vector<std::pair<VulnerabilityDef, VulnStamp>>> LoadVulnerabilities(
      const std::optional<std::string>& key);

  std::unique_ptr<Database> db_;
  ReferenceLedger ledger_;
};

// A set of finding states as one bound text, ",open,reopened,", that a statement matches with
// instr(?, ',' || state || ',') ("," for none).
std::string StateList(const std::vector<FindingState>& states);
}  // namespace vigil::sqlite
