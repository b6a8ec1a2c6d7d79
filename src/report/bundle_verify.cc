#include "report/bundle_verify.h"

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "audit/audit_event.h"
#include "audit/merkle.h"
#include "audit/signed_note.h"
#include "audit/timestamp.h"
#include "core/base64.h"
#include "core/sha256.h"
#include "engine/audit_log.h"
#include "engine/audit_trust.h"
#include "engine/decisions.h"
#include "ingest/input_file.h"
#include "report/evidence_pack.h"
#include "report/pack_rows.h"
#include "report/period.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Each line of events.jsonl has exactly these fields.
const std::set<std::string>& EventFields() {
  static const std::set<std::string> kFields = {"seq",     "at",      "time", "actor",    "type",
                                                "subject", "payload", "leaf", "leaf_hash"};
  return kFields;
}

Result<std::string> Read(const fs::path& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return IoError("the pack has no " + path.filename().string());
  }
  return ReadInputText(path.string(), InputKind::kPackFile);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) {
      out.push_back(line);
    }
  }
  return out;
}

std::optional<int64_t> IntAt(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) {
    return std::nullopt;
  }
  return it->get<int64_t>();
}

std::optional<std::string> TextAt(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::string Trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
    text.pop_back();
  }
  return text;
}

// The RFC 3161 token over checkpoint.txt, when the pack has one.
void CheckTimestamp(const fs::path& dir, const std::string& checkpoint_note,
                    const BundleVerifyOptions& options, VerifyReport& report) {
  auto token = Read(dir / "checkpoint.tsr");
  if (!token.ok()) {
    return;  // not time-stamped
  }
  std::optional<std::string> trust = options.tsa_trust_pem;
  if (!trust) {
    auto in_pack = Read(dir / "tsa-ca.pem");
    if (!in_pack.ok()) {
      report.problems.push_back(
          "checkpoint.tsr cannot be checked: the pack has no tsa-ca.pem; give the TSA's "
          "certificate with --tsa-ca FILE");
      return;
    }
    trust = *in_pack;
    report.notes.push_back(
        "the time-stamp was checked against the pack's own tsa-ca.pem; compare it with the "
        "certificate of the time-stamping authority, or pass it with --tsa-ca FILE");
  }
  auto facts = CheckTimestampResponse(*token, checkpoint_note, std::nullopt, *trust);
  if (!facts.ok()) {
    report.problems.push_back("checkpoint.tsr does not time-stamp checkpoint.txt: " +
                              facts.status().message());
    return;
  }
  report.timestamped = 1;
  report.notes.push_back("checkpoint.txt existed at " + FormatIso8601(facts->gen_time) +
                         " (RFC 3161 time-stamp, serial " + facts->serial + ")");
}

// checkpoint-text.txt, checkpoint.sig and public-key.pem are derived from checkpoint.txt and
// the verifier key, for the openssl route: a set signed by another key must not pass there.
void CheckDerivedFiles(const fs::path& dir, const std::string& checkpoint_note,
                       const std::string& signed_text, const note::Verifier& verifier,
                       VerifyReport& report) {
  auto text = Read(dir / "checkpoint-text.txt");
  if (!text.ok() || *text != signed_text) {
    report.problems.push_back("checkpoint-text.txt is not the text checkpoint.txt signs");
  }
  std::string sig_line = Trimmed(checkpoint_note.substr(checkpoint_note.rfind(' ') + 1));
  auto blob = Base64Decode(sig_line);
  auto sig = Read(dir / "checkpoint.sig");
  if (!sig.ok() || !blob.ok() || blob->size() < 4 || *sig != blob->substr(4)) {
    report.problems.push_back("checkpoint.sig is not the signature in checkpoint.txt");
  }
  auto pem = Read(dir / "public-key.pem");
  if (!pem.ok() || *pem != PublicKeyPem(verifier.public_key)) {
    report.problems.push_back("public-key.pem is not the key of verifier-key.txt");
  }
}

// The manifest, whose SHA-256 the pack's last event holds.
struct Manifest {
  std::string text;
  json body;
  std::vector<int64_t> events;  // what events.jsonl must hold, before the report's own event
  Timestamp from{};
  Timestamp to{};
};

Result<Manifest> ReadManifest(const fs::path& dir) {
  Manifest m;
  ASSIGN_OR_RETURN(m.text, Read(dir / "manifest.json"));
  m.body = json::parse(m.text, nullptr, false);
  if (!m.body.is_object() || !m.body.contains("files") || !m.body["files"].is_object()) {
    return InvalidInput("manifest.json lists no files");
  }
  auto events = m.body.find("events");
  if (events == m.body.end() || !events->is_array()) {
    return InvalidInput("manifest.json lists no events");
  }
  for (const auto& seq : *events) {
    if (!seq.is_number_integer()) {
      return InvalidInput("manifest.json lists an event that is not a number");
    }
    m.events.push_back(seq.get<int64_t>());
  }
  auto from = ParseIso8601(TextAt(m.body, "from").value_or(""));
  auto to = ParseIso8601(TextAt(m.body, "to").value_or(""));
  if (!from.ok() || !to.ok()) {
    return InvalidInput("manifest.json has no period (from, to)");
  }
  m.from = *from;
  m.to = *to;
  return m;
}

// Reads events.jsonl: every line exactly an event, seq rising, times never running
// backwards, each leaf and inclusion proof checked.
struct EventLines {
  std::vector<EventRecord> events;
  bool ok = true;
};

EventLines ReadEvents(const std::string& text, const note::Checkpoint& cp,
                      const std::map<int64_t, std::vector<std::string>>& proofs,
                      VerifyReport& report) {
  EventLines out;
  std::string root(cp.root.begin(), cp.root.end());
  int line_no = 0;
  for (const auto& line : Lines(text)) {
    ++line_no;
    std::string where = "events.jsonl line " + std::to_string(line_no);
    json e = json::parse(line, nullptr, false);
    std::set<std::string> keys;
    if (e.is_object()) {
      for (const auto& item : e.items()) {
        keys.insert(item.key());
      }
    }
    auto seq = IntAt(e, "seq");
    auto at = IntAt(e, "at");
    auto time = TextAt(e, "time");
    auto leaf_text = TextAt(e, "leaf");
    auto leaf_hash = TextAt(e, "leaf_hash");
    EventRecord r;
    bool shaped = e.is_object() && keys == EventFields() && seq && at && time && leaf_text &&
                  leaf_hash && TextAt(e, "actor") && TextAt(e, "type") && TextAt(e, "subject") &&
                  TextAt(e, "payload");
    if (!shaped) {
      report.problems.push_back(where +
                                " is not an event (exactly seq, at, time, actor, type, subject, "
                                "payload, leaf, leaf_hash)");
      out.ok = false;
      return out;
    }
    r = EventRecord{.seq = *seq,
                    .at = FromUnixSeconds(*at),
                    .actor = *TextAt(e, "actor"),
                    .type = *TextAt(e, "type"),
                    .subject = *TextAt(e, "subject"),
                    .payload = *TextAt(e, "payload"),
                    .leaf_hash = *leaf_hash};
    std::string what = "event " + std::to_string(r.seq) + " (" + r.type + ")";
    if (*time != FormatIso8601(r.at)) {
      report.problems.push_back(where + ": " + what + " says time " + *time + " but at " +
                                FormatIso8601(r.at) + ": its time was edited");
      out.ok = false;
    }
    if (!out.events.empty() && r.seq <= out.events.back().seq) {
      report.problems.push_back(where + ": " + what + " comes after event " +
                                std::to_string(out.events.back().seq) +
                                ": the lines were reordered or repeated");
      out.ok = false;
      return out;
    }
    if (!out.events.empty() && r.at < out.events.back().at) {
      report.problems.push_back(what + " is dated before event " +
                                std::to_string(out.events.back().seq) +
                                ": the log's times run backwards");
      out.ok = false;
    }
    std::string leaf = CanonicalLeaf(EventOf(r));
    merkle::Hash hash = merkle::LeafHash(leaf);
    if (leaf != *leaf_text || merkle::ToHex(hash) != *leaf_hash) {
      report.problems.push_back(what + " does not match its leaf: it was changed");
      out.ok = false;
      continue;
    }
    auto p = proofs.find(r.seq);
    Status s = p == proofs.end() ? InvalidInput("it has no inclusion proof in proofs.jsonl")
               : r.seq < 1       ? InvalidInput("its sequence number is not positive")
                           : merkle::VerifyInclusion(static_cast<uint64_t>(r.seq - 1), cp.size,
                                                     std::string(hash.begin(), hash.end()),
                                                     p->second, root);
    if (!s.ok()) {
      report.problems.push_back(what + " is not in the signed checkpoint: " + s.message());
      out.ok = false;
      continue;
    }
    ++report.events;
    out.events.push_back(std::move(r));
  }
  return out;
}

Result<std::map<int64_t, std::vector<std::string>>> ReadProofs(const fs::path& dir,
                                                               VerifyReport& report) {
  ASSIGN_OR_RETURN(std::string text, Read(dir / "proofs.jsonl"));
  std::map<int64_t, std::vector<std::string>> proofs;
  int line_no = 0;
  for (const auto& line : Lines(text)) {
    ++line_no;
    json j = json::parse(line, nullptr, false);
    std::optional<int64_t> seq = j.is_object() ? IntAt(j, "seq") : std::nullopt;
    auto path = j.is_object() ? j.find("proof") : j.end();
    bool ok = seq && path != j.end() && path->is_array();
    std::vector<std::string> hashes;
    for (size_t k = 0; ok && k < path->size(); ++k) {
      const json& h = (*path)[k];
      auto raw = h.is_string() ? Base64Decode(h.get<std::string>())
                               : Result<std::string>(InvalidInput("not a string"));
      ok = raw.ok();
      if (ok) {
        hashes.push_back(*raw);
      }
    }
    if (!ok) {
      report.problems.push_back("proofs.jsonl line " + std::to_string(line_no) +
                                " is not an inclusion proof (seq, proof: base64 hashes)");
      return proofs;
    }
    proofs[*seq] = std::move(hashes);
  }
  return proofs;
}

// The events must be exactly those the manifest lists, then the report's own event, which
// the checkpoint ends with and which holds the manifest's SHA-256.
void CheckEventSet(const std::vector<EventRecord>& events, const Manifest& manifest,
                   const note::Checkpoint& cp, VerifyReport& report) {
  std::vector<int64_t> want = manifest.events;
  want.push_back(static_cast<int64_t>(cp.size));
  std::set<int64_t> have;
  for (const auto& e : events) {
    have.insert(e.seq);
  }
  for (int64_t seq : want) {
    if (have.count(seq) == 0) {
      report.problems.push_back("event " + std::to_string(seq) +
                                " is listed in manifest.json but missing from events.jsonl: a "
                                "line was removed");
      return;
    }
  }
  if (have.size() != std::set<int64_t>(want.begin(), want.end()).size()) {
    report.problems.push_back("events.jsonl holds events manifest.json does not list");
    return;
  }
  const EventRecord& last = events.back();
  if (last.type != "report.generated" || static_cast<uint64_t>(last.seq) != cp.size) {
    report.problems.push_back(
        "the pack's last event is not the report.generated event the checkpoint ends with");
    return;
  }
  json payload = json::parse(last.payload, nullptr, false);
  if (!payload.is_object() || TextAt(payload, "manifest_sha256") != Sha256Hex(manifest.text)) {
    report.problems.push_back("manifest.json is not the manifest the log recorded: it was changed");
  }
}

// Event 1 of the log names the key that must sign it, and every pack carries event 1: a
// checkpoint re-signed with another key (and verifier-key.txt, public-key.pem replaced to match)
// is caught even without --key.
void CheckLogKey(const std::vector<EventRecord>& events, const std::string& pack_key,
                 VerifyReport& report) {
  if (events.empty() || events.front().seq != 1) {
    report.problems.push_back("events.jsonl does not hold event 1, the log's key event");
    return;
  }
  json payload = json::parse(events.front().payload, nullptr, false);
  auto key = payload.is_object() ? TextAt(payload, "verifier_key") : std::nullopt;
  if (events.front().type != "audit.key" || !key) {
    report.problems.push_back("event 1 is not the log's key event");
  } else if (*key != pack_key) {
    report.problems.push_back("verifier-key.txt is " + pack_key +
                              ", but event 1 of the log names " + *key +
                              ": the checkpoint was signed with another key");
  }
}

void CheckManifestFiles(const fs::path& dir, const Manifest& manifest, VerifyReport& report) {
  for (const auto& [name, sha] : manifest.body["files"].items()) {
    if (name.find('/') != std::string::npos || name.find("..") != std::string::npos) {
      report.problems.push_back("manifest.json names a file outside the pack: " + name);
      continue;
    }
    auto content = Read(dir / name);
    if (!content.ok() || !sha.is_string() || Sha256Hex(*content) != sha.get<std::string>()) {
      report.problems.push_back(name +
                                " does not match its SHA-256 in the manifest: it was "
                                "changed or removed");
    }
  }
}

// A table file of the pack as rows (arrays in `columns` order).
Result<std::vector<std::vector<json>>> TableRows(const fs::path& dir, const std::string& name,
                                                 const std::vector<std::string>& columns) {
  ASSIGN_OR_RETURN(std::string text, Read(dir / name));
  json rows = json::parse(text, nullptr, false);
  if (!rows.is_array()) {
    return InvalidInput(name + " is not a JSON array");
  }
  std::vector<std::vector<json>> out;
  for (const auto& row : rows) {
    if (!row.is_object()) {
      return InvalidInput(name + " holds a row that is not an object");
    }
    std::vector<json> cells;
    cells.reserve(columns.size());
    for (const auto& c : columns) {
      cells.push_back(row.contains(c) ? row[c] : json());
    }
    out.push_back(std::move(cells));
  }
  return out;
}

// Names the first row of `name` that differs from what the events give.
void CompareRows(const std::string& name, const std::vector<std::string>& columns,
                 const std::vector<std::vector<json>>& stated,
                 const std::vector<std::vector<json>>& derived, VerifyReport& report) {
  size_t n = std::min(stated.size(), derived.size());
  for (size_t i = 0; i < n; ++i) {
    for (size_t c = 0; c < columns.size(); ++c) {
      if (stated[i][c] != derived[i][c]) {
        report.problems.push_back(name + " row " + std::to_string(i + 1) + ", column " +
                                  columns[c] + ": the pack says " + stated[i][c].dump() +
                                  ", its events say " + derived[i][c].dump());
        return;
      }
    }
  }
  if (stated.size() != derived.size()) {
    report.problems.push_back(name + " has " + std::to_string(stated.size()) +
                              " rows, its events give " + std::to_string(derived.size()));
  }
}

// decisions.json and class-history.json, re-derived from the pack's events.
void RederiveTables(const fs::path& dir, const std::vector<EventRecord>& events,
                    const Manifest& manifest, VerifyReport& report) {
  report::PackLog log(manifest.to);
  for (const auto& e : events) {
    Status applied = log.Apply(e);
    if (!applied.ok()) {
      report.problems.push_back(applied.message());
      return;
    }
  }
  std::vector<DecisionRecord> decisions = log.Decisions();
  LapseAtReadTime(decisions, manifest.to);
  std::vector<std::vector<json>> derived;
  for (const auto& d : decisions) {
    if (report::DecisionInPeriod(d, {manifest.from, manifest.to})) {
      derived.push_back(report::DecisionRow(d));
    }
  }
  auto stated = TableRows(dir, "decisions.json", report::DecisionColumns());
  if (!stated.ok()) {
    report.problems.push_back(stated.status().message());
    return;
  }
  CompareRows("decisions.json", report::DecisionColumns(), *stated, derived, report);
  auto keys = TableRows(dir, "vulnerabilities.json", {"key"});
  auto history = TableRows(dir, "class-history.json", report::ClassHistoryColumns());
  if (!keys.ok() || !history.ok()) {
    report.problems.push_back((keys.ok() ? history.status() : keys.status()).message());
    return;
  }
  std::set<std::string> register_keys;
  for (const auto& row : *keys) {
    register_keys.insert(row[0].is_string() ? row[0].get<std::string>() : row[0].dump());
  }
  std::vector<std::vector<json>> derived_history;
  for (const auto& h :
       report::SelectClassHistory(log.ClassRows(), register_keys, manifest.from, manifest.to)) {
    derived_history.push_back(h.row);
  }
  CompareRows("class-history.json", report::ClassHistoryColumns(), *history, derived_history,
              report);
}

}  // namespace

Result<VerifyReport> VerifyEvidencePack(const std::string& dir_text,
                                        const BundleVerifyOptions& options) {
  fs::path dir(dir_text);
  VerifyReport report;
  auto manifest = ReadManifest(dir);
  if (!manifest.ok()) {
    report.problems.push_back(manifest.status().message());
    return report;
  }
  if (auto not_evidence = TextAt(manifest->body, "not_evidence")) {
    bool dry = not_evidence->find("dry run") != std::string::npos;
    (dry ? report.problems : report.notes).push_back(*not_evidence);
    report.test_clock = !dry;
    if (dry) {
      return report;
    }
  }
  ASSIGN_OR_RETURN(std::string pack_key, Read(dir / "verifier-key.txt"));
  pack_key = Trimmed(pack_key);
  std::string vkey_text = pack_key;
  if (options.verifier_key) {
    vkey_text = Trimmed(*options.verifier_key);
    if (pack_key != vkey_text) {
      report.problems.push_back("verifier-key.txt is " + pack_key +
                                ", not the verifier key given with --key");
    }
  } else {
    report.notes.push_back("the checkpoint was checked against the pack's own verifier key " +
                           pack_key +
                           "; compare it with the key the operator gave you, or pass that "
                           "key with --key");
  }
  auto verifier = note::ParseVerifierKey(vkey_text);
  if (!verifier.ok()) {
    report.problems.push_back("the verifier key: " + verifier.status().message());
    return report;
  }
  ASSIGN_OR_RETURN(std::string checkpoint_note, Read(dir / "checkpoint.txt"));
  auto opened = note::Open(checkpoint_note, {*verifier});
  if (!opened.ok()) {
    report.problems.push_back("checkpoint.txt is not signed by the verifier key: " +
                              opened.status().message());
    return report;
  }
  auto cp = note::ParseCheckpoint(opened->text);
  if (!cp.ok()) {
    report.problems.push_back("checkpoint.txt: " + cp.status().message());
    return report;
  }
  report.checkpoints = 1;
  report.root = merkle::ToHex(cp->root);
  CheckDerivedFiles(dir, checkpoint_note, opened->text, *verifier, report);
  CheckTimestamp(dir, checkpoint_note, options, report);
  size_t before_proofs = report.problems.size();
  ASSIGN_OR_RETURN(auto proofs, ReadProofs(dir, report));
  if (report.problems.size() > before_proofs) {
    return report;
  }
  ASSIGN_OR_RETURN(std::string events_text, Read(dir / "events.jsonl"));
  EventLines lines = ReadEvents(events_text, *cp, proofs, report);
  if (!lines.ok || lines.events.empty()) {
    if (lines.events.empty() && lines.ok) {
      report.problems.push_back("events.jsonl holds no event");
    }
    return report;
  }
  CheckEventSet(lines.events, *manifest, *cp, report);
  CheckLogKey(lines.events, pack_key, report);
  CheckManifestFiles(dir, *manifest, report);
  RederiveTables(dir, lines.events, *manifest, report);
  return report;
}

}  // namespace vigil
