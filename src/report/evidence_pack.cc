#include "report/evidence_pack.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "audit/audit_event.h"
#include "audit/ed25519.h"
#include "audit/merkle.h"
#include "audit/signed_note.h"
#include "core/base64.h"
#include "core/duration.h"
#include "core/sha256.h"
#include "engine/audit_log.h"
#include "engine/audit_trust.h"
#include "engine/audit_verify.h"
#include "engine/check.h"
#include "engine/compliance.h"
#include "engine/decisions.h"
#include "report/pack_rows.h"
#include "report/period.h"
#include "report/summary.h"
#include "report/tables.h"
#include "store/store.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using report::Table;

bool InPeriod(Timestamp t, const EvidencePackRequest& r) {
  return t >= r.from && t <= r.to;
}

Status WriteFile(const fs::path& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) {
    return IoError("cannot write '" + path.string() + "'");
  }
  return Status::Ok();
}

Result<Table> ScansTable(Store& store, const EvidencePackRequest& r) {
  Table t{.name = "scans",
          .title = "Scanning evidence",
          .intro =
              "Every report imported whose scan took place in the period, with the "
              "scanner, the file's SHA-256, the scan's own times and what it covered.",
          .columns = {"scan", "scanner", "file", "sha256", "started_at", "ended_at", "imported_at",
                      "imported_by", "hosts", "findings", "new", "fixed"}};
  ASSIGN_OR_RETURN(auto scans, store.QueryScans());
  for (const auto& s : scans) {
    Timestamp when = s.ended_at.value_or(s.started_at.value_or(s.imported_at));
    if (!InPeriod(when, r)) {
      continue;
    }
    t.rows.push_back({s.id, s.scanner_name, s.file_name, s.digest, JsonTime(s.started_at),
                      JsonTime(s.ended_at), FormatIso8601(s.imported_at), s.imported_by,
                      s.counts.hosts, s.counts.findings, s.counts.new_findings, s.counts.fixed});
  }
  return t;
}

Result<Table> RegisterTable(Store& store, const EvidencePackRequest& r) {
  Table t{.name = "vulnerabilities",
          .title = "Register of vulnerabilities",
          .intro =
              "Every vulnerability first seen in the period or still seen in it, with its "
              "class and where the class came from (auto: a rating; manual: an approved "
              "decision).",
          .columns = {"key", "title", "class", "class_source", "derived_class", "derived_source",
                      "first_seen", "last_seen", "open_findings", "affected_assets", "cves"}};
  ASSIGN_OR_RETURN(auto vulns, QueryVulnerabilitiesAt(
                                   store, {.include_closed = true, .with_scanners = false}, r.to));
  for (const auto& v : vulns) {
    if (!v.first_seen || *v.first_seen > r.to ||
        (v.last_seen && *v.last_seen < r.from && v.open_findings == 0)) {
      continue;
    }
    t.rows.push_back({v.key, v.title, v.class_name, v.class_source, v.auto_class, v.auto_source,
                      JsonTime(v.first_seen), JsonTime(v.last_seen), v.open_findings,
                      v.affected_assets, json(v.cves)});
  }
  return t;
}

// As the decisions stood at the period's end: each as its latest event up to then left it.
Table DecisionsTable(const report::PackLog& log, const EvidencePackRequest& r) {
  Table t{.name = "decisions",
          .title = "Decisions",
          .intro =
              "Every decision made, decided or in effect in the period, as it stood at the "
              "period's end: the factual basis, who made it, who approved or rejected it, and "
              "when.",
          .columns = report::DecisionColumns()};
  std::vector<DecisionRecord> decisions = log.Decisions();
  LapseAtReadTime(decisions, r.to);
  for (const auto& d : decisions) {
    if (report::DecisionInPeriod(d, {r.from, r.to})) {
      t.rows.push_back(report::DecisionRow(d));
    }
  }
  return t;
}

Table ClassHistoryTable(const std::vector<report::ClassHistoryRow>& rows) {
  Table t{.name = "class-history",
          .title = "Class history",
          .intro =
              "How each vulnerability of the register got the class it had: every change in the "
              "period, and the last one before it; who or what made it, when, from which "
              "decision, and why.",
          .columns = report::ClassHistoryColumns()};
  for (const auto& r : rows) {
    t.rows.push_back(r.row);
  }
  return t;
}

Table ClocksTable(const std::vector<ComplianceClock>& clocks, const EvidencePackRequest& r) {
  Table t{.name = "clocks",
          .title = "Compliance clocks",
          .intro =
              "Every clock of the policy that started or fell due in the period, judged at "
              "the period's end: met (and by what), missed (and by how much), overdue or "
              "still running.",
          .columns = {"rule", "framework", "stage", "vulnerability", "class", "anchor_kind",
                      "anchor", "due", "status", "stopped_by", "stopped_at", "late_by"}};
  for (const auto& c : clocks) {
    if (!report::ClockInPeriod(c, {r.from, r.to})) {
      continue;
    }
    t.rows.push_back({c.rule->id, c.rule->framework, c.rule->stage, c.vuln_key, c.class_name,
                      c.anchor_kind, FormatIso8601(c.anchor), FormatIso8601(c.due),
                      std::string(ToString(c.status)),
                      c.stopped_by.empty() ? json() : json(c.stopped_by), JsonTime(c.stopped_at),
                      c.late_by ? json(FormatDuration(*c.late_by)) : json()});
  }
  return t;
}

Result<Table> OpenItemsTable(Store& store, const Config& config, const EvidencePackRequest& r,
                             const std::vector<ComplianceClock>& clocks) {
  Table t{.name = "open-items",
          .title = "Exceptions and open items",
          .intro =
              "What vigil check reported at the end of the period: stale scanners, silent "
              "agents, coverage gaps, overdue and missed clocks, pending decisions, "
              "unclassified vulnerabilities.",
          .columns = {"kind", "subject", "since", "detail"}};
  ASSIGN_OR_RETURN(auto items, RunChecks(store, config, r.to, CheckOptionsFrom(config), clocks));
  for (const auto& i : items) {
    t.rows.push_back({i.kind, i.subject, JsonTime(i.since), i.detail});
  }
  return t;
}

std::string Page(const EvidencePackRequest& r, const std::string& origin, const std::string& vkey,
                 const report::PackSummary& summary, const std::vector<Table>& tables) {
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      // Nothing but this page and its own style, whatever text a scanner or a user wrote.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "style-src 'unsafe-inline'\">\n<title>vigil "
      "evidence " +
      FormatIso8601(r.from) + " to " + FormatIso8601(r.to) +
      "</title>\n<style>\nbody{font-family:sans-serif;font-size:10pt;margin:2em}" +
      std::string(report::TableStyle()) + std::string(report::SummaryStyle()) +
      "\n</style>\n</head>\n<body>\n<h1>Vulnerability management evidence</h1>\n"
      "<table><tbody>\n<tr><th>Period</th><td>" +
      report::HtmlEscape(FormatIso8601(r.from) + " to " + FormatIso8601(r.to)) +
      "</td></tr>\n<tr><th>Generated</th><td>" +
      report::HtmlEscape(FormatIso8601(r.now) + " by " + r.actor) +
      "</td></tr>\n<tr><th>Audit log</th><td>" + report::HtmlEscape(origin) +
      "</td></tr>\n<tr><th>Verifier key</th><td><code>" + report::HtmlEscape(vkey) +
      "</code></td></tr>\n</tbody></table>\n" + report::SummaryHtml(summary) +
      // How to check it comes after the summary, which stays on the first printed page.
      "<p>Every change recorded by vigil in the period, and every event the decisions and the "
      "class history rest on, is in <a href=\"events.jsonl\">events.jsonl</a>, each with an "
      "inclusion proof (<a href=\"proofs.jsonl\">proofs.jsonl</a>) in the signed checkpoint "
      "<a href=\"checkpoint.txt\">checkpoint.txt</a>. The SHA-256 of this page and of every "
      "table file is in <a href=\"manifest.json\">manifest.json</a>, which is itself the last "
      "event. <a href=\"VERIFY.md\">VERIFY.md</a> says how to check all of it offline.</p>\n";
  for (const auto& t : tables) {
    out += report::HtmlSection(t);
  }
  return out + "</body>\n</html>\n";
}

std::string VerifyGuide(const std::string& vkey, const std::string& fingerprint) {
  return R"(# Verifying this evidence pack

Everything here can be checked offline, without vigil's database.

## With vigil

    vigil audit verify --bundle .

checks, and names the first thing that does not match:

1. `checkpoint.txt` is a C2SP signed note signed by the key in `verifier-key.txt`. Anyone
   can make a pack that is signed by *some* key: what makes this one evidence is that the key
   is the operator's. Compare `verifier-key.txt` with the key the operator gave you out of
   band, or better pass it with `--key KEY` to have it compared for you; this pack's key is
   )" + vkey +
         R"(;
   `checkpoint-text.txt`, `checkpoint.sig` and `public-key.pem` must say the same as
   `checkpoint.txt` and `verifier-key.txt`;
2. when the pack has `checkpoint.tsr`, that it is an RFC 3161 time-stamp over `checkpoint.txt`
   by the authority whose certificate is `tsa-ca.pem` (or the one you pass with
   `--tsa-ca FILE`), and when that was;
3. every line of `events.jsonl`: its `leaf` is the canonical encoding of its fields
   (docs/audit.md of vigil), its `leaf_hash` is SHA-256(0x00 || leaf), and the inclusion
   proof of the same `seq` in `proofs.jsonl` leads from that hash to the checkpoint's root
   (RFC 9162 section 2.1.3.2);
4. the SHA-256 of every file listed in `manifest.json` matches, and the manifest itself is
   the last event (`report.generated`), whose payload holds the manifest's SHA-256;
5. `events.jsonl` holds exactly the events the manifest lists, in order, each line with
   exactly its fields (its `time` the same instant as its `at`), and their times never run
   backwards;
6. every row of `decisions.json` and `class-history.json` is re-derived from the pack's own
   events (each decision from its latest event, each change of class from its event): a row
   that differs from what the signed events say is named.

## By hand

- One event's leaf hash (bash): take its `leaf` string from `events.jsonl` and

      (printf '\000'; printf '%s' "$LEAF") | sha256sum

  gives its `leaf_hash`.
- The checkpoint's signature: `checkpoint-text.txt` is the signed text and
  `checkpoint.sig` the raw 64-byte Ed25519 signature; `public-key.pem` is the key. First make
  sure the key is the operator's: its fingerprint

      openssl pkey -pubin -in public-key.pem -outform DER | sha256sum

  must be the one the operator gave you (`vigil audit key` prints it; this pack's is
  )" + fingerprint +
         R"(). A pack whose key you did not compare proves nothing: anyone can
  sign a checkpoint with a key of their own. Then:

      openssl pkeyutl -verify -pubin -inkey public-key.pem -rawin \
        -in checkpoint-text.txt -sigfile checkpoint.sig

- The files: `sha256sum index.html *.csv *.json` and compare with `manifest.json`.
- When the installation time-stamps its checkpoints (RFC 3161), `checkpoint.tsr` is the
  time-stamping authority's response over `checkpoint.txt`, and `tsa-ca.pem` the certificate
  the installation trusts for it; with it, or better with the TSA's own:

      openssl ts -verify -in checkpoint.tsr -data checkpoint.txt -CAfile tsa-ca.pem
      openssl ts -reply -in checkpoint.tsr -text     # the time and serial it states
- An inclusion proof: RFC 9162 section 2.1.3.2, with `leaf_index`, `tree_size`, `proof` and
  `root` (base64) from `proofs.jsonl`.

A checkpoint you kept from an earlier pack or from the operator proves more: the current log
must extend it (`vigil audit consistency OLD NEW` on the operator's side gives the proof).
)";
}

// What one pass over the log gathers for the pack: the period's events, the events of every
// decision, and every row of the class history up to the period's end.
// What one pass over the log gathers for the pack: the period's events, and what the
// decisions and class-history tables rest on.
struct LogScan {
  std::set<int64_t> period;
  report::PackLog tables;
};

Result<LogScan> ScanLog(Store& store, const EvidencePackRequest& r) {
  LogScan scan{.tables = report::PackLog(r.to)};
  RETURN_IF_ERROR(store.ForEachEvent(1, 0, [&](const EventRecord& e) -> Status {
    if (InPeriod(e.at, r)) {
      scan.period.insert(e.seq);
    }
    return scan.tables.Apply(e);
  }));
  return scan;
}

// Every event the pack carries: the first (the log's key and format), the period's, and every
// event a row of the decisions and class-history tables rests on.
std::vector<int64_t> PackEvents(const LogScan& scan, const Table& decisions,
                                const std::vector<report::ClassHistoryRow>& history) {
  std::set<int64_t> seqs = scan.period;
  seqs.insert(1);
  for (const auto& row : decisions.rows) {
    std::vector<int64_t> events = scan.tables.EventsOf(row[0].get<int64_t>());
    seqs.insert(events.begin(), events.end());
  }
  for (const auto& h : history) {
    seqs.insert(h.seq);
  }
  return {seqs.begin(), seqs.end()};
}

// events.jsonl and proofs.jsonl: the events `included` (and the last one, the report's) with
// their inclusion proofs in the checkpoint `cp`.
Result<int64_t> WriteEvents(Store& store, const fs::path& dir, const CheckpointRecord& cp,
                            const std::vector<int64_t>& included) {
  std::set<int64_t> wanted(included.begin(), included.end());
  wanted.insert(cp.size);
  std::vector<merkle::Hash> leaves;
  std::string events_jsonl;
  RETURN_IF_ERROR(store.ForEachEvent(1, cp.size, [&](const EventRecord& e) -> Status {
    ASSIGN_OR_RETURN(merkle::Hash h, merkle::FromHex(e.leaf_hash));
    leaves.push_back(h);
    if (wanted.count(e.seq) == 0) {
      return Status::Ok();
    }
    nlohmann::ordered_json line;
    line["seq"] = e.seq;
    line["at"] = ToUnixSeconds(e.at);
    line["time"] = FormatIso8601(e.at);
    line["actor"] = e.actor;
    line["type"] = e.type;
    line["subject"] = e.subject;
    line["payload"] = e.payload;
    line["leaf"] = CanonicalLeaf(EventOf(e));
    line["leaf_hash"] = e.leaf_hash;
    events_jsonl += line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    return Status::Ok();
  }));
  merkle::Tree tree(leaves);
  std::string proofs_jsonl;
  for (int64_t seq : wanted) {
    nlohmann::ordered_json p;
    p["seq"] = seq;
    p["leaf_index"] = seq - 1;
    p["tree_size"] = cp.size;
    p["root"] = merkle::ToBase64(tree.Root());
    nlohmann::ordered_json hashes = nlohmann::ordered_json::array();
    for (const auto& h :
         tree.InclusionProof(static_cast<uint64_t>(seq - 1), static_cast<uint64_t>(cp.size))) {
      hashes.push_back(merkle::ToBase64(h));
    }
    p["proof"] = hashes;
    proofs_jsonl += p.dump() + "\n";
  }
  RETURN_IF_ERROR(WriteFile(dir / "events.jsonl", events_jsonl));
  RETURN_IF_ERROR(WriteFile(dir / "proofs.jsonl", proofs_jsonl));
  return static_cast<int64_t>(wanted.size());
}

// The checkpoint as the files an auditor's openssl route reads, the key and VERIFY.md.
Status WriteCheckpointFiles(const fs::path& dir, const Config& config, const CheckpointRecord& cp,
                            const std::string& vkey, const note::Verifier& verifier) {
  RETURN_IF_ERROR(WriteFile(dir / "checkpoint.txt", cp.note));
  if (!cp.tsa_response.empty()) {
    // RFC 3161: the TSA's response over checkpoint.txt, checkable with openssl ts -verify,
    // and the certificate the installation trusts for it (the auditor should compare it with
    // the TSA's own).
    RETURN_IF_ERROR(WriteFile(dir / "checkpoint.tsr", cp.tsa_response));
    if (!config.audit.tsa_certificate.empty()) {
      ASSIGN_OR_RETURN(std::string trust, ReadTsaTrust(config.audit.tsa_certificate));
      RETURN_IF_ERROR(WriteFile(dir / "tsa-ca.pem", trust));
    }
  }
  ASSIGN_OR_RETURN(auto opened, note::Open(cp.note, {verifier}));
  RETURN_IF_ERROR(WriteFile(dir / "checkpoint-text.txt", opened.text));
  std::string sig_line = cp.note.substr(cp.note.rfind(' ') + 1);
  sig_line.pop_back();  // the newline
  ASSIGN_OR_RETURN(std::string blob, Base64Decode(sig_line));
  RETURN_IF_ERROR(WriteFile(dir / "checkpoint.sig", blob.substr(4)));
  RETURN_IF_ERROR(WriteFile(dir / "verifier-key.txt", vkey + "\n"));
  RETURN_IF_ERROR(WriteFile(dir / "public-key.pem", PublicKeyPem(verifier.public_key)));
  return WriteFile(dir / "VERIFY.md", VerifyGuide(vkey, PublicKeyFingerprint(verifier.public_key)));
}

Status VerifyBeforeSigning(Store& store, const EvidencePackRequest& r) {
  ASSIGN_OR_RETURN(VerifyReport v, VerifyAuditLog(store, {.tsa_trust_pem = r.tsa_trust_pem}));
  if (v.ok()) {
    return Status::Ok();
  }
  return FailedPrecondition("the audit log does not verify (" + v.problems.front() +
                            "): vigil signs no evidence pack from a database that fails "
                            "verification; see vigil audit verify");
}

// A banner at the top of the page, before its heading.
std::string WithBanner(std::string page, const std::string& text) {
  size_t at = page.find("<h1>");
  if (at == std::string::npos) {
    return page;
  }
  return page.insert(at,
                     "<p style=\"border:3px solid #b00;color:#b00;font-size:14pt;"
                     "font-weight:bold;padding:6px\">" +
                         report::HtmlEscape(text) + "</p>\n");
}

}  // namespace

std::string PublicKeyPem(const std::string& public_key) {
  // SubjectPublicKeyInfo of an Ed25519 key, for openssl.
  std::string der =
      std::string("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12) + public_key;
  return "-----BEGIN PUBLIC KEY-----\n" + Base64Encode(der) + "\n-----END PUBLIC KEY-----\n";
}

std::string PublicKeyFingerprint(const std::string& public_key) {
  std::string der =
      std::string("\x30\x2a\x30\x05\x06\x03\x2b\x65\x70\x03\x21\x00", 12) + public_key;
  return Sha256Hex(der);
}

namespace {

// The pack's files, into the empty directory `dir`.
Result<EvidencePackSummary> WritePackFiles(Store& store, const Config& config,
                                           const EvidencePackRequest& r, const fs::path& dir) {
  ASSIGN_OR_RETURN(LogFacts log, ReadLogFacts(store));
  ASSIGN_OR_RETURN(note::Verifier verifier, note::ParseVerifierKey(log.verifier_key));
  ASSIGN_OR_RETURN(LogScan scan, ScanLog(store, r));
  ASSIGN_OR_RETURN(Table scans, ScansTable(store, r));
  ASSIGN_OR_RETURN(Table vulns, RegisterTable(store, r));
  Table decisions = DecisionsTable(scan.tables, r);
  std::set<std::string> register_keys;
  for (const auto& row : vulns.rows) {
    register_keys.insert(row[0].get<std::string>());
  }
  auto history = report::SelectClassHistory(scan.tables.ClassRows(), register_keys, r.from, r.to);
  Table classes = ClassHistoryTable(history);
  // The clocks as judged at the period's end, shared by their table and the open items.
  ASSIGN_OR_RETURN(auto judged, ComplianceClocks(store, config, r.to));
  Table clocks = ClocksTable(judged, r);
  ASSIGN_OR_RETURN(Table open, OpenItemsTable(store, config, r, judged));
  std::vector<Table> tables = {scans, vulns, decisions, classes, clocks, open};
  ASSIGN_OR_RETURN(report::PackSummary overview,
                   report::GatherSummary(store, config, {r.from, r.to}, judged, open));
  EvidencePackSummary summary{.scans = static_cast<int64_t>(scans.rows.size()),
                              .vulnerabilities = static_cast<int64_t>(vulns.rows.size()),
                              .decisions = static_cast<int64_t>(decisions.rows.size()),
                              .clocks = static_cast<int64_t>(clocks.rows.size())};
  std::vector<int64_t> carried = PackEvents(scan, decisions, history);
  nlohmann::ordered_json manifest;
  manifest["from"] = FormatIso8601(r.from);
  manifest["to"] = FormatIso8601(r.to);
  manifest["generated_at"] = FormatIso8601(r.now);
  manifest["generated_by"] = r.actor;
  if (log.test_clock) {
    manifest["not_evidence"] = std::string(kTestClockWarning) + " (vigil init --test-clock)";
  }
  if (r.dry_run) {
    manifest["not_evidence"] = "a dry run (vigil report --dry-run): not recorded in the log";
  }
  manifest["events"] = carried;
  nlohmann::ordered_json files;
  auto put = [&](const std::string& name, const std::string& content) -> Status {
    RETURN_IF_ERROR(WriteFile(dir / name, content));
    files[name] = Sha256Hex(content);
    return Status::Ok();
  };
  std::string page = Page(r, verifier.name, log.verifier_key, overview, tables);
  if (r.dry_run) {
    page = WithBanner(page,
                      "DRY RUN: not evidence. This preview is not recorded in the audit "
                      "log and carries no signed checkpoint.");
  }
  if (log.test_clock) {
    page = WithBanner(page, std::string(kTestClockWarning) + " (vigil init --test-clock)");
  }
  RETURN_IF_ERROR(put("index.html", page));
  RETURN_IF_ERROR(put("summary.json", report::SummaryJson(overview).dump(2) + "\n"));
  for (const auto& t : tables) {
    RETURN_IF_ERROR(put(t.name + ".csv", report::Csv(t)));
    RETURN_IF_ERROR(put(t.name + ".json", report::Json(t).dump(2) + "\n"));
  }
  manifest["files"] = files;
  std::string manifest_text = manifest.dump(2) + "\n";
  RETURN_IF_ERROR(WriteFile(dir / "manifest.json", manifest_text));
  if (r.dry_run) {
    return summary;
  }
  // The manifest becomes an event, then a checkpoint covers it and every event carried.
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    return AppendEvent(store, r.now, r.actor, "report.generated",
                       FormatIso8601(r.from) + " to " + FormatIso8601(r.to),
                       {{"from", FormatIso8601(r.from)},
                        {"to", FormatIso8601(r.to)},
                        {"manifest_sha256", Sha256Hex(manifest_text)}})
        .status();
  }));
  ASSIGN_OR_RETURN(CheckpointRecord cp, MakeCheckpoint(store, r.key_path, r.now, config.audit));
  summary.checkpoint = cp.note;
  ASSIGN_OR_RETURN(summary.events, WriteEvents(store, dir, cp, carried));
  RETURN_IF_ERROR(WriteCheckpointFiles(dir, config, cp, log.verifier_key, verifier));
  return summary;
}

}  // namespace

Result<EvidencePackSummary> WriteEvidencePack(Store& store, const Config& config,
                                              const EvidencePackRequest& r) {
  if (r.to < r.from) {
    return UsageError("--to is before --from");
  }
  if (!r.dry_run && r.verify_first) {
    RETURN_IF_ERROR(VerifyBeforeSigning(store, r));
  }
  fs::path dir(r.out_dir);
  std::error_code ec;
  if (fs::exists(dir) && !fs::is_empty(dir, ec)) {
    return FailedPrecondition("'" + r.out_dir + "' exists and is not empty");
  }
  bool created = !fs::exists(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) {
    return IoError("cannot create '" + r.out_dir + "': " + ec.message());
  }
  // A pack is written whole or not at all. When the report is refused after its tables were
  // written (its time before the latest the log holds, a locked database, a time-stamping
  // authority that does not answer), what was written is removed: no unsigned half of a pack
  // is left to be taken for one. The directory was empty, so everything in it is the pack's.
  auto written = WritePackFiles(store, config, r, dir);
  if (!written.ok()) {
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      fs::remove_all(entry.path(), ec);
    }
    if (created) {
      fs::remove(dir, ec);
    }
  }
  return written;
}

}  // namespace vigil
