// The application layer's checks, clocks, coverage, feeds, exports and reports
// (app/service.h). Moved from the CLI commands, columns and messages unchanged.
#include "app/service.h"
#include "config/config_file.h"
#include "core/duration.h"
#include "core/role.h"
#include "engine/audit_trust.h"
#include "engine/check.h"
#include "engine/compliance.h"
#include "engine/config_apply.h"
#include "engine/inventory_loader.h"
#include "engine/kev_loader.h"
#include "engine/registry.h"
#include "engine/zone_cadence.h"
#include "ingest/format_detect.h"
#include "store/store.h"

namespace vigil {
namespace {

// A period bound: a date alone is its midnight (from) or its last second (to), UTC.
Result<Timestamp> ParseBound(const char* field, const std::string& text, bool end) {
  bool date_only = text.size() == 10;
  auto t = ParseIso8601(date_only ? text + "T00:00:00Z" : text);
  if (!t.ok()) {
    return FieldError(field, "is not a date or time: " + t.status().message());
  }
  return date_only && end ? *t + std::chrono::hours(24) - std::chrono::seconds(1) : *t;
}

}  // namespace

view::Table ImportTable(const std::vector<ImportOutcome>& outcomes) {
  view::Table t;
  t.columns = {{"file", "FILE"},
               {"scan_id", "SCAN"},
               {"scanner", "SCANNER"},
               {"format", "FORMAT"},
               {"already_imported", "ALREADY"},
               {"hosts", "HOSTS"},
               {"findings", "FINDINGS"},
               {"vulnerabilities", "VULNS"},
               {"new", "NEW"},
               {"fixed", "FIXED"},
               {"reopened", "REOPENED"},
               {"unchanged", "UNCHANGED"},
               {"absent_unverified", "ABSENT-UNVERIFIED"},
               {"stale_hosts", "STALE-HOSTS"},
               {"reappeared", "REAPPEARED"},
               {"reexport_hosts", "REEXPORTED"},
               {"partial_reexport", "PARTIAL-REEXPORT"},
               {"started_at", "STARTED"},
               {"ended_at", "ENDED"},
               {"warnings", "WARNINGS"},
               {"low_qod", "LOW-QOD"},
               {"proposed_decisions", "PROPOSED"}};
  for (const auto& o : outcomes) {
    const ImportCounts& c = o.scan.counts;
    bool fresh = !o.already_imported;
    auto count = [&](int64_t v) -> view::Cell {
      return fresh ? view::Cell(v) : view::Cell(int64_t{0});
    };
    t.rows.push_back({o.file,
                      o.scan.id,
                      o.scanner,
                      o.format,
                      o.already_imported,
                      count(c.hosts),
                      count(c.findings),
                      count(c.vulnerabilities),
                      count(c.new_findings),
                      count(c.fixed),
                      count(c.reopened),
                      count(c.unchanged),
                      count(c.absent_unverified),
                      count(c.stale_hosts),
                      count(c.reappeared),
                      count(o.reexport.hosts),
                      fresh && o.reexport.partial(),
                      fresh ? view::TimeCell(o.scan.started_at) : view::Cell(nullptr),
                      fresh ? view::TimeCell(o.scan.ended_at) : view::Cell(nullptr),
                      static_cast<int64_t>(o.warning_count),
                      count(o.low_qod),
                      count(static_cast<int64_t>(o.proposals.size()))});
  }
  return t;
}

Result<std::vector<ImportOutcome>> Service::Import(const Identity& who, const ImportInput& input) {
  ImportOptions options{
      .scanner = input.scanner, .user = who.user, .asset = input.asset, .progress = input.progress};
  if (input.parser != "auto" && !input.parser.empty()) {
    ASSIGN_OR_RETURN(options.format, ParseReportFormat(input.parser));
  }
  RETURN_IF_ERROR(PrepareWrite(who, Action::kImport));
  options.before_commit = [&] { return QueueChanges(who.user); };
  return Importer(store_, clock_, config_).ImportFiles(input.files, options);
}

Result<view::Table> Service::Check(const Identity& who, const CheckInput& input) {
  CheckOptions options = CheckOptionsFrom(config_);
  if (!input.window.empty()) {
    ASSIGN_OR_RETURN(options.window, ParseDurationField("window", input.window));
  }
  if (!input.coverage_window.empty()) {
    ASSIGN_OR_RETURN(options.coverage_window,
                     ParseDurationField("coverage_window", input.coverage_window));
  }
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  ASSIGN_OR_RETURN(auto items, RunChecks(store_, config_, clock_.Now(), options));
  view::Table t;
  t.columns = {{"kind", "KIND"}, {"subject", "SUBJECT"}, {"since", "SINCE"}, {"detail", "DETAIL"}};
  for (const auto& i : items) {
    t.rows.push_back({i.kind, i.subject, view::TimeCell(i.since), i.detail});
  }
  return t;
}

Result<view::Table> Service::Clocks(const Identity& who, const ClockFilter& filter) {
  if (!filter.status.empty() && filter.status != "open" && filter.status != "due-soon" &&
      filter.status != "overdue" && filter.status != "met" && filter.status != "missed") {
    return FieldError("status", "must be open, due-soon, overdue, met or missed");
  }
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  if (config_.policy.rules.empty()) {
    return FailedPrecondition(
        "the policy has no clock rules: switch profiles on in the configuration "
        "([policy] profiles = [\"ncssr-1.7\"], docs/policy.md) and apply it");
  }
  ASSIGN_OR_RETURN(auto clocks, ComplianceClocks(store_, config_, clock_.Now()));
  view::Table t;
  t.columns = {{"rule", "RULE"},
               {"framework", "FRAMEWORK"},
               {"stage", "STAGE"},
               {"vulnerability", "VULNERABILITY"},
               {"class", "CLASS"},
               {"anchor_kind", "FROM"},
               {"anchor", "AT"},
               {"due", "DUE"},
               {"status", "STATUS"},
               {"stopped_by", "STOPPED BY"},
               {"stopped_at", "STOPPED AT"},
               {"late_by", "LATE BY"},
               {"assets", "ASSETS", 40}};
  for (const auto& c : clocks) {
    std::string status(ToString(c.status));
    if ((!filter.status.empty() && status != filter.status) ||
        (!filter.rule.empty() && c.rule->id != filter.rule) ||
        (!filter.vuln.empty() && c.vuln_key != filter.vuln)) {
      continue;
    }
    t.rows.push_back({c.rule->id, c.rule->framework, c.rule->stage, c.vuln_key, c.class_name,
                      c.anchor_kind, view::TimeCell(c.anchor), view::TimeCell(c.due), status,
                      view::TextCell(c.stopped_by), view::TimeCell(c.stopped_at),
                      c.late_by ? view::Cell(FormatDuration(*c.late_by)) : view::Cell(nullptr),
                      c.assets});
  }
  return t;
}

Result<view::Table> Service::Coverage(const Identity& who, const CoverageFilter& filter) {
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  if (config_.zone_rules.empty()) {
    return FailedPrecondition(
        "no scan-cadence rules: declare [[zone]] tables in the configuration (docs/config.md) "
        "and apply it");
  }
  ASSIGN_OR_RETURN(auto scanners, store_.QueryScanners());
  ASSIGN_OR_RETURN(auto statuses, LoadZoneCadence(store_, config_, clock_.Now()));
  view::Table t;
  t.columns = {{"zone", "ZONE"},       {"asset", "ASSET"},
               {"status", "STATUS"},   {"last_scan", "LAST SCAN"},
               {"due", "DUE"},         {"scan_every", "EVERY"},
               {"scanners", "BY", 30}, {"requirement", "REQUIREMENT", 30}};
  for (const auto& st : statuses) {
    const ZoneScanRule& r = *st.rule;
    if ((!filter.zone.empty() && r.zone != filter.zone) || (filter.missed_only && st.met)) {
      continue;
    }
    std::vector<std::string> by = CountingScanners(r, scanners);
    t.rows.push_back({r.zone, st.asset, std::string(st.met ? "met" : "missed"),
                      view::TimeCell(st.last_scan), view::TimeCell(st.due), FormatDuration(r.every),
                      by.empty() && r.kinds.empty() ? view::Cell(std::vector<std::string>{"any"})
                                                    : view::Cell(by),
                      view::TextCell(r.requirement)});
  }
  return t;
}

Result<VexExport> Service::ExportVex(const Identity& who) {
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  return vigil::ExportVex(store_, clock_.Now());
}

Result<size_t> Service::LoadKev(const Identity& who, const std::string& path) {
  RETURN_IF_ERROR(PrepareWrite(who, Action::kWrite));
  return LoadKevCatalog(store_, path, clock_.Now(), who.user);
}

Result<NvdLoadResult> Service::LoadNvd(const Identity& who, const std::vector<std::string>& paths) {
  RETURN_IF_ERROR(PrepareWrite(who, Action::kWrite));
  return vigil::LoadNvd(store_, paths, config_.classification, clock_.Now(), who.user);
}

Result<EpssLoadResult> Service::LoadEpss(const Identity& who, const std::string& path) {
  RETURN_IF_ERROR(PrepareWrite(who, Action::kWrite));
  return vigil::LoadEpss(store_, path, clock_.Now(), who.user);
}

Result<size_t> Service::LoadInventory(const Identity& who, const std::string& path) {
  RETURN_IF_ERROR(PrepareWrite(who, Action::kWrite));
  return vigil::LoadInventory(store_, path, clock_.Now(), who.user);
}

Result<EvidencePackSummary> Service::Report(const Identity& who, const ReportInput& input) {
  ASSIGN_OR_RETURN(Timestamp from, ParseBound("from", input.from, false));
  ASSIGN_OR_RETURN(Timestamp to, ParseBound("to", input.to, true));
  // Writing the pack appends its manifest to the log and signs a checkpoint; a dry run
  // only reads.
  if (input.dry_run) {
    RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  } else {
    RETURN_IF_ERROR(PrepareWrite(who, Action::kWrite));
  }
  EvidencePackRequest request{.from = from,
                              .to = to,
                              .now = clock_.Now(),
                              .out_dir = input.out_dir,
                              .key_path = audit_key_path_,
                              .actor = who.user,
                              .dry_run = input.dry_run};
  if (!config_.audit.tsa_certificate.empty()) {
    ASSIGN_OR_RETURN(request.tsa_trust_pem, ReadTsaTrust(config_.audit.tsa_certificate));
  }
  return WriteEvidencePack(store_, config_, request);
}

}  // namespace vigil

namespace vigil {
namespace {

Result<Role> RoleField(const std::string& text) {
  auto role = ParseRole(text);
  if (!role) {
    return FieldError("role", "must be admin, approver, analyst or auditor, not '" + text + "'");
  }
  return *role;
}

}  // namespace

Result<view::Table> Service::Users(const Identity& who) {
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  ASSIGN_OR_RETURN(auto users, store_.QueryUsers());
  view::Table t;
  t.columns = {{"name", "NAME"},
               {"role", "ROLE"},
               {"created_at", "CREATED"},
               {"created_by", "BY"},
               {"role_granted_by", "ROLE GIVEN BY"},
               {"token_issued_by", "TOKEN ISSUED BY"},
               {"password_set_at", "PASSWORD SET"},
               {"enrolment_expires_at", "ENROLMENT UNTIL"}};
  for (const auto& u : users) {
    t.rows.push_back({u.name, std::string(ToString(u.role)), view::TimeCell(u.created_at),
                      u.created_by, u.role_granted_by, u.token_issued_by,
                      view::TimeCell(u.password_set_at), view::TimeCell(u.enrolment_expires_at)});
  }
  return t;
}

Result<NewUser> Service::AddUser(const Identity& who, const std::string& name,
                                 const std::string& role_text) {
  ASSIGN_OR_RETURN(Role role, RoleField(role_text));
  if (name.empty() || name.size() > 64 || name.find_first_of(" \t\r\n,") != std::string::npos) {
    return FieldError("name", "must be 1..64 characters without spaces or commas");
  }
  RETURN_IF_ERROR(PrepareWrite(who, Action::kManageUsers));
  return vigil::AddUser(store_, name, role, who.user, clock_.Now());
}

Result<Role> Service::SetRole(const Identity& who, const std::string& name,
                              const std::string& role_text) {
  ASSIGN_OR_RETURN(Role role, RoleField(role_text));
  RETURN_IF_ERROR(PrepareWrite(who, Action::kManageUsers));
  RETURN_IF_ERROR(vigil::SetRole(store_, name, role, who.user, clock_.Now()));
  return role;
}

Result<std::string> Service::RenewToken(const Identity& who, const std::string& name) {
  bool own = who.user == name;
  RETURN_IF_ERROR(PrepareWrite(who, own ? Action::kOwnToken : Action::kManageUsers));
  return vigil::RenewToken(store_, name, who.user, clock_.Now(), who.login);
}

Result<Service::ConfigOutcome> Service::ApplyConfig(const Identity& who, const std::string& path) {
  ASSIGN_OR_RETURN(ConfigFile file, ReadConfigFile(path));
  ConfigApplied applied;
  RETURN_IF_ERROR(Write(who, Action::kConfigure, [&]() -> Status {
    // Without [audit] key_file a PostgreSQL database would have no key to sign its log with
    // (checkpoints, reports, init): refused as vigil init refuses it.
    if (key_file_required_ && file.config.audit.key_file.empty()) {
      std::string keep = audit_key_path_.empty()
                             ? std::string()
                             : " (the one in force: key_file = \"" + audit_key_path_ + "\")";
      return FailedPrecondition(path +
                                " has no [audit] key_file: a PostgreSQL database needs it in every "
                                "configuration put in force, or nothing can sign its audit log" +
                                keep);
    }
    ASSIGN_OR_RETURN(applied,
                     vigil::ApplyConfig(store_, file.config, file.text, who.user, clock_.Now()));
    return Status::Ok();
  }));
  return ConfigOutcome{.changed = applied.changed,
                       .scanners = applied.scanners,
                       .reclassified = applied.reclassified,
                       .sha256 = file.config.sha256};
}

Result<Service::ConfigText> Service::ShowConfig(const Identity& who) {
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  ASSIGN_OR_RETURN(StoredConfigText stored, ReadStoredConfig(store_));
  return ConfigText{.text = stored.text, .file = stored.file, .sha256 = config_.sha256};
}

}  // namespace vigil
