#include "engine/importer.h"

#include "core/text.h"
#include "engine/audit_log.h"
#include "engine/logged_rows.h"
#include "engine/scan_applier.h"
#include "engine/state_commitment.h"
#include "engine/vex_proposals.h"
#include "ingest/byte_source.h"
#include "ingest/concurrent_parse.h"
#include "ingest/diagnostics.h"
#include "ingest/input_file.h"
#include "ingest/input_policy.h"
#include "ingest/memory_guard.h"
#include "store/store.h"

namespace vigil {
namespace {

// Forwards records to the applier and reports progress after every host.
class ProgressSink final : public ReportSink {
 public:
  ProgressSink(ScanApplier& applier, const ByteSource& source, const ImportOptions& options)
      : applier_(applier), source_(source), options_(options) {}

  Status OnHeader(const ReportHeader& header) override { return applier_.OnHeader(header); }
  Status OnHost(HostObservation& host) override {
    if (!options_.asset.empty()) {
      // --asset: the report's target is named by the user (a code or SBOM scan whose target
      // the report does not name well). Every other identity the report gave is dropped.
      host = HostObservation{.report_name = options_.asset,
                             .hostname = options_.asset,
                             .start = host.start,
                             .end = host.end,
                             .items = std::move(host.items),
                             .line = host.line};
    }
    // What the parser holds is at its largest when it hands a host over (memory_guard.h).
    RETURN_IF_ERROR(CheckImportMemory(source_.name(), kMaxImportResidentBytes));
    RETURN_IF_ERROR(applier_.OnHost(host));
    if (options_.progress) {
      options_.progress(ImportProgress{.file = &source_.name(),
                                       .bytes_read = source_.bytes_read(),
                                       .total_bytes = source_.total_bytes(),
                                       .hosts = applier_.counts().hosts,
                                       .findings = applier_.counts().findings});
    }
    return Status::Ok();
  }

 private:
  ScanApplier& applier_;
  const ByteSource& source_;
  const ImportOptions& options_;
};

std::string ScannerKind(ReportFormat format) {
  switch (format) {
    case ReportFormat::kNessus:
    case ReportFormat::kNessusCsv:
    case ReportFormat::kOpenVas:
    case ReportFormat::kOpenVasCsv:
    case ReportFormat::kQualys:
    case ReportFormat::kQualysCsv:
      return "network";
    case ReportFormat::kTrivy:
    case ReportFormat::kGrype:
    case ReportFormat::kCycloneDx:
      return "container";
    case ReportFormat::kSarif:
      return "code";
  }
  return "network";
}

}  // namespace

Status Importer::AppendImportEvent(const ImportOutcome& out, const ScanRecord& scan,
                                   const ScanApplier& applier, StateCommitment& state,
                                   Timestamp now, const std::string& user) {
  const ImportCounts& c = scan.counts;
  nlohmann::json payload = {{"scan", scan.id},
                            {"scanner", out.scanner},
                            {"file", scan.file_name},
                            {"sha256", scan.digest},
                            {"size", scan.size},
                            {"format", scan.format},
                            {"report", scan.report_name},
                            {"policy", scan.policy_name},
                            {"tool", scan.tool},
                            {"started_at", JsonTime(scan.started_at)},
                            {"ended_at", JsonTime(scan.ended_at)},
                            {"counts",
                             {{"hosts", c.hosts},
                              {"findings", c.findings},
                              {"vulnerabilities", c.vulnerabilities},
                              {"new", c.new_findings},
                              {"fixed", c.fixed},
                              {"reopened", c.reopened},
                              {"unchanged", c.unchanged},
                              {"absent_unverified", c.absent_unverified},
                              {"stale_hosts", c.stale_hosts},
                              {"reappeared", c.reappeared},
                              {"warnings", c.warnings}}},
                            {"reappeared_assets", applier.reappeared()},
                            {"partial_reexport", applier.reexport().partial()},
                            {"reexport_of", applier.reexport().of_scans}};
  state.Describe(payload);
  ASSIGN_OR_RETURN(payload["row"], RowOf(store_, logged::Scans(), {{"id", scan.id}}));
  ASSIGN_OR_RETURN(payload["scanner_row"],
                   RowOf(store_, logged::Scanners(), {{"name", out.scanner}}));
  nlohmann::json assets = nlohmann::json::array();
  for (int64_t id : applier.reactivated()) {
    ASSIGN_OR_RETURN(nlohmann::json row, RowOf(store_, logged::AssetStates(), {{"id", id}}));
    assets.push_back(std::move(row));
  }
  payload["asset_rows"] = std::move(assets);
  return AppendEvent(store_, now, user, "scan.imported", "scan " + std::to_string(scan.id), payload)
      .status();
}

Result<std::vector<ImportOutcome>> Importer::ImportFiles(const std::vector<std::string>& paths,
                                                         const ImportOptions& options) {
  std::vector<ImportOutcome> outcomes;
  StartImportMemory();
  RETURN_IF_ERROR(InTransaction(store_, [&]() -> Status {
    for (const auto& path : paths) {
      ASSIGN_OR_RETURN(ImportOutcome outcome, ImportOne(path, options));
      outcomes.push_back(std::move(outcome));
    }
    return options.before_commit ? options.before_commit() : Status::Ok();
  }));
  return outcomes;
}

// NOLINTNEXTLINE(readability-function-size): one import, from open to logged event, in order
Result<ImportOutcome> Importer::ImportOne(const std::string& path, const ImportOptions& options) {
  ASSIGN_OR_RETURN(auto source, FileSource::Open(path, InputKind::kScanReport));
  ImportOutcome out;
  out.file = path;
  ASSIGN_OR_RETURN(std::string head, source->Peek(64 << 10));
  ReportFormat format{};
  if (options.format) {
    format = *options.format;
  } else {
    auto detected = DetectFormat(head);
    if (!detected.ok()) {
      return Status(detected.status().code(), path + ":" + detected.status().message());
    }
    format = *detected;
  }
  out.format = std::string(ToString(format));
  if (IsJsonFormat(format)) {
    RETURN_IF_ERROR(source->Restrict(InputKind::kJsonReport));
  }
  out.scanner = options.scanner.empty() ? out.format : options.scanner;
  // A repeat is recognised by the file's SHA-256. Only a file whose cheap quick digest matches
  // an earlier scan is hashed in a pass of its own; any other file is hashed while it is
  // parsed, on the parser's thread.
  ASSIGN_OR_RETURN(std::string quick, source->QuickDigest());
  ASSIGN_OR_RETURN(bool maybe_repeat, store_.HasScanWithQuickDigest(quick));
  std::string digest;
  if (maybe_repeat) {
    ASSIGN_OR_RETURN(digest, source->Digest());
    ASSIGN_OR_RETURN(auto earlier, store_.FindScanByDigest(digest));
    if (earlier) {
      out.already_imported = true;
      out.scan = *earlier;
      out.scanner = earlier->scanner_name;
      return out;
    }
  }
  Timestamp now = clock_.Now();
  ASSIGN_OR_RETURN(ScannerRecord scanner,
                   store_.EnsureScanner(out.scanner, ScannerKind(format), now));
  ScanRecord scan{.scanner_id = scanner.id,
                  .digest = digest.empty() ? "pending:" + quick : digest,
                  .quick_digest = quick,
                  .size = static_cast<int64_t>(source->total_bytes()),
                  .file_name = path,
                  .format = out.format,
                  .imported_at = now,
                  .imported_by = options.user};
  ASSIGN_OR_RETURN(scan.id, store_.InsertScan(scan));
  ASSIGN_OR_RETURN(StateCommitment state, StateCommitment::Load(store_));
  ScanApplier applier(store_, config_.classification, scanner, scan.id, now, options.user, state);
  ProgressSink sink(applier, *source, options);
  Diagnostics diagnostics;
  HashingSource hashing(*source);
  ByteSource& input = digest.empty() ? static_cast<ByteSource&>(hashing) : *source;
  Status parsed = ParseReportConcurrently(format, input, sink, diagnostics);
  if (!parsed.ok()) {
    // Parsers name the line and column; the file is named here.
    std::string message = parsed.message();
    if (message.rfind(path, 0) != 0) {
      // "FILE:LINE:COL: ..." for a position, "FILE: ..." for anything else.
      bool positioned = !message.empty() && message[0] >= '0' && message[0] <= '9';
      message = path + (positioned ? ":" : ": ") + message;
    }
    return Status(parsed.code(), message);
  }
  if (digest.empty()) {
    scan.digest = hashing.FinishHex();
  }
  const ReportHeader& header = applier.header();
  scan.report_name = header.report_name;
  scan.policy_name = header.policy_name;
  scan.tool = header.tool;
  scan.has_check_set = header.has_check_set;
  scan.check_set = Join(header.check_set, ";");
  scan.started_at = applier.started();
  scan.ended_at = applier.ended();
  scan.counts = applier.counts();
  scan.counts.warnings = static_cast<int64_t>(diagnostics.count());
  RETURN_IF_ERROR(store_.UpdateScanResult(scan));
  RETURN_IF_ERROR(state.Save(store_));
  RETURN_IF_ERROR(AppendImportEvent(out, scan, applier, state, now, options.user));
  DecisionContext decisions{.store = store_,
                            .policy = config_.policy,
                            .scale = config_.classification.scale,
                            .user = options.user,
                            .now = now};
  ASSIGN_OR_RETURN(auto proposed, ProposeFromVex(decisions, applier.vex_statements(),
                                                 path + " (" + out.format + ")"));
  for (const auto& d : proposed) {
    out.proposals.push_back(d.id);
  }
  out.low_qod = applier.low_qod(config_.import.min_qod);
  out.scan = scan;
  out.alarms = applier.reappeared();
  out.reexport = applier.reexport();
  out.warning_count = diagnostics.count();
  for (const auto& d : diagnostics.kept()) {
    out.warnings.push_back(Diagnostics::Format(path, d));
  }
  return out;
}

}  // namespace vigil
