// The application layer: every use case of vigil as one call that authorizes the identity it
// is given, owns its transaction and returns domain records (and, for reads, their JSON view).
// The CLI and the server are front ends over it: they turn flags or HTTP requests into these
// inputs and the results (or errors) into their own words. Neither touches the store.
//
// Errors about one field of an input carry the field's name (Status::field()): `type`,
// `severity`, `expires`... Each front end words it its own way (--severity, /severity).
//
// Every write first records the decisions that expired since the last write (in the same
// transaction as its own change), then makes its change. A read changes nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "app/view.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"
#include "engine/audit_verify.h"
#include "engine/authorize.h"
#include "engine/clocks.h"
#include "engine/credentials.h"
#include "engine/decisions.h"
#include "engine/feed_loader.h"
#include "engine/history.h"
#include "engine/importer.h"
#include "engine/open_history.h"
#include "engine/ratings.h"
#include "engine/registry.h"
#include "engine/vex_export.h"
#include "notify/deliver.h"
#include "notify/queue.h"
#include "report/evidence_pack.h"
#include "store/records.h"

namespace vigil {

class Store;

// `vigil decide` / POST /api/v1/decisions. Strings as a person gives them; the service parses
// and checks each one and names the field it refuses.
struct DecideInput {
  std::string key;       // the vulnerability
  std::string type;      // recast | false-positive | accept-risk | mitigation-plan | classify
  std::string reason;    // disagree-with-nvd | false-positive | compensating-controls | ...
  std::string basis;     // the factual basis, in writing
  std::string severity;  // recast, classify: the new class
  std::optional<double> score;         // recast: the new score 0..10
  std::optional<std::string> expires;  // ISO-8601
  std::optional<std::string> target;   // mitigation-plan: ISO-8601
  std::vector<std::string> assets;     // names, FQDNs or IPs; empty = every asset
  std::optional<int64_t> port;         // 0..65535
};

// What a decommissioning did.
struct DecommissionOutcome {
  AssetRecord asset;
  bool changed = false;  // false: it was already decommissioned
  Timestamp at{};        // when it was decommissioned (now, or the earlier time)
};

// `vigil scanner set` / PUT /api/v1/scanners/{name}.
struct ScannerInput {
  std::string name;
  std::string kind;     // agent | network | external | container | code
  std::string cadence;  // a duration: 24h, 7d
  std::string grace = "0s";
};

// Filters of the listings, as a person gives them (empty: no filter). Each is checked and an
// error names the field.
struct VulnFilter {
  std::string class_name;  // a class of the scale, or "unclassified" (field: class)
  std::string cve, asset, scanner;
  bool kev = false;
  std::string epss_above;  // a probability 0..1
  bool all = false;        // also vulnerabilities with no open finding (state "all")
  std::string state;       // open (the default) | closed (no open finding) | all
  std::string zone;        // only those open on an asset of this zone (the asset rules')
  bool overdue = false;    // only those with a compliance clock overdue
  // The order: class (the default: most severe first, then most open findings), key,
  // first_seen, last_seen, open_findings, affected_assets, epss or kev_due; "-" before it
  // reverses it. Ties keep the default order.
  std::string sort;
};

struct FindingFilter {
  std::string state;  // comma-separated open,fixed,reopened,inactive or all
  std::string asset, vuln, scanner, cve;
  bool absent_unverified = false;
};

struct AssetFilter {
  std::string state = "all";  // active | decommissioned | stale | all
  std::string stale_after;    // a duration; default the configuration's
  std::string zone;
};

struct DecisionFilter {
  std::string state = "all";  // pending | approved | rejected | lapsed | superseded | all
  std::string vuln;
};

// Everything about one vulnerability: its definition and class, every rating, its findings,
// its clocks and its history as a timeline.
struct VulnerabilityDetail {
  VulnerabilityHistory history;
  VulnerabilityRatings ratings;
  std::vector<ComplianceClock> clocks;
  int64_t open_findings = 0;
  std::string jira_issue;  // its Jira issue's key ([notify.jira]); empty: none
};

nlohmann::ordered_json ToJson(const VulnerabilityDetail& detail);

// `vigil check` / GET /api/v1/check: what needs a person now.
struct CheckInput {
  std::string window;           // a duration; default the configuration's [check] stale_after
  std::string coverage_window;  // a duration; default [check] coverage_window
};

struct ClockFilter {
  std::string status;  // open | due-soon | overdue | met | missed; empty: every status
  std::string rule, vuln;
};

struct CoverageFilter {
  std::string zone;
  bool missed_only = false;
};

// `vigil report` / POST /api/v1/reports: the evidence pack of a period.
struct ReportInput {
  std::string from, to;  // ISO-8601; a date alone is its midnight (from) or its last second (to)
  std::string out_dir;   // created; must be empty
  bool dry_run = false;  // the tables only: read-only, nothing recorded or signed
};

// `vigil import` / POST /api/v1/scans.
struct ImportInput {
  std::vector<std::string> files;
  std::string scanner;          // empty: named after the format
  std::string parser = "auto";  // a report format, or auto: detected from the content
  std::string asset;            // the asset a report without host names is about
  std::function<void(const ImportProgress&)> progress;  // may be empty
};

// The JSON/table view of imports: one row per file, as `vigil import --format json` prints.
view::Table ImportTable(const std::vector<ImportOutcome>& outcomes);

// The server's memory of tokens it has verified: SHA-256 of the token → the user and the
// stored hash it matched. A renewed token (another hash) is verified again. Thread-safe.
class TokenCache {
 public:
  std::optional<std::pair<std::string, std::string>> Find(const std::string& digest) const;
  void Remember(const std::string& digest, std::string user, std::string token_hash);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::pair<std::string, std::string>> entries_;
};

// What needs attention, in numbers: the dashboard's and /metrics' read model.
struct Overview {
  Timestamp now{};
  // Open vulnerabilities per class (every class of the scale, zero included), and those
  // without a class.
  std::vector<std::pair<std::string, int64_t>> open_by_class;
  int64_t unclassified = 0;
  struct RuleClocks {
    std::string rule;
    int64_t open = 0, due_soon = 0, overdue = 0;
  };
  std::vector<RuleClocks> clocks;  // per rule of the policy
  struct ScannerState {
    std::string name;
    std::optional<Timestamp> last_scan;
    std::optional<Timestamp> due_by;
    bool stale = false;
    int64_t silent_agents = 0;
  };
  std::vector<ScannerState> scanners;
  int64_t pending_decisions = 0;
  // The scan-cadence rules' assets not scanned as often as their zone asks (unset: no rules).
  std::optional<int64_t> coverage_missed;
};

// `vigil notify log` / the outbox listing.
struct NotificationFilter {
  std::string state;  // pending | sending | sent | failed; empty: all
  std::string rule;
  std::string kind;
  int64_t limit = 100;
};

class Service {
 public:
  // `audit_key_path`: the audit log's signing key (App::AuditKeyPath), for what signs.
  // `key_file_required`: the database has no key file of its own (PostgreSQL), so every
  // configuration put in force must name one ([audit] key_file).
  Service(Store& store, const Clock& clock, const Config& config, std::string audit_key_path,
          bool key_file_required = false)
      : store_(store),
        clock_(clock),
        config_(config),
        audit_key_path_(std::move(audit_key_path)),
        key_file_required_(key_file_required) {}

  // The identity a bearer token proves (an API client, a pipeline): the registered user whose
  // token it is, remembered in `cache` so that the memory-hard hash runs once per token. A
  // pipeline token ("vgp_…") carries its scopes and works until it expires or is revoked.
  // kPermissionDenied when it is nobody's.
  Result<Identity> Authenticate(const std::string& token, TokenCache& cache);

  // The same in two steps, for a front end that serializes store access: PrepareAuthentication
  // reads what the token is checked against; CompleteAuthentication runs the memory-hard hash
  // when the cache has not verified the token before, and touches neither the store nor the
  // clock, so it may run outside the front end's lock.
  struct TokenCheck {
    std::string token, digest;
    Timestamp now{};
    bool pipeline = false;                 // "vgp_<id>_<secret>"
    std::optional<ApiTokenRecord> record;  // a pipeline token's (unset: no token has its id)
    std::vector<std::pair<std::string, std::string>> users;  // (name, token hash) to try
    bool verified = false;      // the cache verified this token against the current hash
    std::string verified_user;  // then: whose it is
    // Whether CompleteAuthentication will run a memory-hard hash.
    bool NeedsHash() const { return !verified && (pipeline ? record.has_value() : !users.empty()); }
  };
  Result<TokenCheck> PrepareAuthentication(const std::string& token, TokenCache& cache);
  static Result<Identity> CompleteAuthentication(const TokenCheck& check, TokenCache& cache);

  Result<DecisionRecord> Decide(const Identity& who, const DecideInput& input);
  // `note` is kept with the approval; `basis` says why a decision is rejected.
  Result<DecisionRecord> Approve(const Identity& who, int64_t id, const std::string& note);
  Result<DecisionRecord> Reject(const Identity& who, int64_t id, const std::string& basis);

  // `asset` is a name, FQDN or IP naming exactly one asset.
  Result<DecommissionOutcome> Decommission(const Identity& who, const std::string& asset,
                                           const std::string& reason);

  Result<ReviewRecord> RecordReview(const Identity& who,
                                    const std::vector<std::string>& participants,
                                    const std::string& notes);
  Result<view::Table> Reviews(const Identity& who);

  Result<ScannerRecord> SetScanner(const Identity& who, const ScannerInput& input);

  // The listings, at the time of the clock (a read sees expiries that no write recorded yet).
  Result<view::Table> Vulnerabilities(const Identity& who, const VulnFilter& filter);
  Result<VulnerabilityDetail> Vulnerability(const Identity& who, const std::string& key);
  Result<view::Table> Findings(const Identity& who, const FindingFilter& filter);
  Result<view::Table> Assets(const Identity& who, const AssetFilter& filter);
  // `window`: the trailing window whose scans are counted, a duration (default 30d).
  Result<view::Table> Scanners(const Identity& who, const std::string& window);
  Result<view::Table> Decisions(const Identity& who, const DecisionFilter& filter);

  // Imports every file in one transaction: all or nothing.
  Result<std::vector<ImportOutcome>> Import(const Identity& who, const ImportInput& input);

  // People: the list, a new user (returns their first token and enrolment code, shown
  // once), another role, a new token (one's own, or as an admin another's).
  Result<view::Table> Users(const Identity& who);
  Result<NewUser> AddUser(const Identity& who, const std::string& name, const std::string& role);
  Result<Role> SetRole(const Identity& who, const std::string& name, const std::string& role);
  Result<std::string> RenewToken(const Identity& who, const std::string& name);

  // Passwords and sessions (engine/credentials.h). An admin issues a new enrolment code (a
  // password reset); the person sets their password with it, no identity needed; a login
  // checks the password. A session remembers when the password was set: ResumeSession
  // refuses it once the password changed or the user is gone.
  Result<Enrolment> IssueEnrolment(const Identity& who, const std::string& name);
  // `from`: where the request came from (the client's address), kept in the event.
  Status Enrol(const std::string& name, const std::string& code, const std::string& password,
               const std::string& from);
  // The same in three steps (as PrepareLogin): the user's record; the code's check and the new
  // password's hash, which touch no store; then the write, if the code is still the one checked.
  struct EnrolmentCheck {
    std::string name, code, password, from;
    Timestamp now{};
    std::optional<UserRecord> user;
  };
  Result<EnrolmentCheck> PrepareEnrol(const std::string& name, const std::string& code,
                                      const std::string& password, const std::string& from);
  static Result<std::string> HashEnrolment(const EnrolmentCheck& check);
  Status FinishEnrol(const EnrolmentCheck& check, const std::string& password_hash);
  struct SignedIn {
    Identity identity;
    Role role = Role::kAuditor;
    Timestamp password_set_at{};
  };
  Result<SignedIn> Login(const std::string& name, const std::string& password);
  // The same in two steps (as PrepareAuthentication): the user's record, then the password's
  // memory-hard hash, which touches no store.
  struct LoginCheck {
    std::optional<UserRecord> user;  // unset: no such user (checked against a decoy alike)
  };
  Result<LoginCheck> PrepareLogin(const std::string& name);
  static Result<SignedIn> CompleteLogin(const LoginCheck& check, const std::string& password);
  Result<SignedIn> ResumeSession(const std::string& name, Timestamp password_set_at);
  Result<Overview> Summarize(const Identity& who);
  // Open vulnerabilities by class now and at this time of day on each of the last `days` days
  // (1 to 366; kInvalidArgument naming "days" otherwise), and
  // the remediation times of the findings fixed in that span (the dashboard's charts).
  Result<Trends> SummarizeTrends(const Identity& who, int days);

  // What the data is at: the last event's sequence number (every change appends one). A front
  // end may keep what it read while this is unchanged (and the time it depends on is near).
  Result<int64_t> DataVersion();

  // OK when `who` may read (what a front end serves from outside the database: the evidence
  // packs made earlier).
  Status CanRead(const Identity& who);

  // The role of the user `who` acts as (an authenticated identity asking who it is).
  Result<Role> RoleOf(const Identity& who);

  // Pipeline tokens: issued by the user they act as, or by an admin; `scopes` "read,import",
  // `expires` a duration from now (default 90d). Listed to every role (never the secret);
  // revoked by their user or an admin.
  struct ApiTokenInput {
    std::string user;  // empty: the caller
    std::string label;
    std::string scopes;
    std::string expires = "90d";
  };
  Result<IssuedApiToken> IssueApiToken(const Identity& who, const ApiTokenInput& input);
  Status RevokeApiToken(const Identity& who, int64_t id);
  Result<view::Table> ApiTokens(const Identity& who);

  // The configuration: apply a file (validated, stored, logged), or the text in force.
  struct ConfigOutcome {
    bool changed = false;
    int scanners = 0;      // registered or changed
    int reclassified = 0;  // vulnerabilities
    std::string sha256;
  };
  Result<ConfigOutcome> ApplyConfig(const Identity& who, const std::string& path);
  struct ConfigText {
    std::string text;  // empty: none applied, the defaults are in force
    std::string file;  // where it was applied from
    std::string sha256;
  };
  Result<ConfigText> ShowConfig(const Identity& who);

  // The audit log (docs/audit.md): its verifier key and that key's fingerprint; a signed
  // checkpoint now; a verification of the whole log (against a kept checkpoint, a trusted
  // key and a TSA certificate when given: files read under the input policy); an event's
  // inclusion proof in the latest checkpoint covering it; a consistency proof.
  struct AuditKey {
    std::string verifier_key;
    std::string fingerprint;
  };
  Result<AuditKey> AuditVerifierKey(const Identity& who);
  Result<CheckpointRecord> Checkpoint(const Identity& who);
  // The server's daily checkpoint: signs one (time-stamped when a TSA is configured) when the
  // newest is older than `every`, or there is none; nothing otherwise.
  Result<std::optional<CheckpointRecord>> ScheduledCheckpoint(std::chrono::seconds every);
  struct VerifyInput {
    std::string checkpoint_file;  // a checkpoint kept from earlier
    std::string verifier_key;     // the key to trust; default the log's own
    std::string tsa_ca_file;      // default the configuration's [audit] tsa_certificate
  };
  Result<VerifyReport> VerifyLog(const Identity& who, const VerifyInput& input);
  Result<nlohmann::ordered_json> InclusionProof(const Identity& who, int64_t seq);
  Result<nlohmann::ordered_json> ConsistencyProof(const Identity& who, int64_t old_size,
                                                  int64_t new_size);

  Result<view::Table> Check(const Identity& who, const CheckInput& input);
  Result<view::Table> Clocks(const Identity& who, const ClockFilter& filter);
  Result<view::Table> Coverage(const Identity& who, const CoverageFilter& filter);
  Result<VexExport> ExportVex(const Identity& who);

  // Feeds and the inventory, each from a file read under the input policy.
  Result<size_t> LoadKev(const Identity& who, const std::string& path);
  Result<NvdLoadResult> LoadNvd(const Identity& who, const std::vector<std::string>& paths);
  Result<EpssLoadResult> LoadEpss(const Identity& who, const std::string& path);
  Result<size_t> LoadInventory(const Identity& who, const std::string& path);

  Result<EvidencePackSummary> Report(const Identity& who, const ReportInput& input);

  // Notifications (docs/notifications.md). The dispatcher's steps, each its own transaction
  // (app/dispatcher.h runs them, sending in between with no transaction open): queue what is
  // due now; claim the next notification due; record how sending it went. `actor` is who the
  // events name ("vigil serve", or the user running `vigil notify run`).
  Result<notify::QueueSummary> QueueNotifications(const std::string& actor);
  Result<std::optional<notify::Claimed>> ClaimNotification();
  Status RecordNotification(const notify::Claimed& claimed, const notify::Delivery& delivery,
                            const std::string& actor);
  // OK when `who` may run the dispatcher (a write: admin, approver, analyst).
  Status CanNotify(const Identity& who);
  // The outbox, newest first, with each notification's attempts.
  Result<view::Table> NotificationLog(const Identity& who, const NotificationFilter& filter);
  // The Jira issue of a vulnerability, when it has one.
  Result<std::string> JiraIssueOf(const std::string& vuln_key);

  Timestamp Now() const { return clock_.Now(); }

 private:
  // The notifications a change causes (notify::QueueChanges), in the caller's transaction.
  Status QueueChanges(const std::string& actor);
  // Authorize `who` for `action`, then run `work` in one transaction after recording the
  // decisions that expired.
  Status Write(const Identity& who, Action action, const std::function<Status()>& work);
  // For a write whose engine call owns its transaction: authorize `who`, then record the
  // decisions that expired, in a transaction of their own.
  Status PrepareWrite(const Identity& who, Action action);
  // The decisions that expired, recorded before a write that needs no identity (enrolment).
  Status RecordExpiries();
  // What the engine's decision rules need: the store, the policy, the scale, who and when.
  DecisionContext DecisionContextFor(const Identity& who) const;

  Store& store_;
  const Clock& clock_;
  const Config& config_;
  std::string audit_key_path_;
  bool key_file_required_ = false;
};

}  // namespace vigil
