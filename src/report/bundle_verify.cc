#include "report/bundle_verify.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "audit/audit_event.h"
#include "audit/merkle.h"
#include "audit/signed_note.h"
#include "audit/timestamp.h"
#include "core/base64.h"
#include "core/sha256.h"

namespace vigil {
namespace {

namespace fs = std::filesystem;

Result<std::string> Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return IoError("the pack has no " + path.filename().string());
  }
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
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

using nlohmann::json;

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

}  // namespace

Result<VerifyReport> VerifyEvidencePack(const std::string& dir_text,
                                        const BundleVerifyOptions& options) {
  fs::path dir(dir_text);
  VerifyReport report;
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
  CheckTimestamp(dir, checkpoint_note, options, report);
  std::string root_raw(cp->root.begin(), cp->root.end());
  ASSIGN_OR_RETURN(std::string proofs_text, Read(dir / "proofs.jsonl"));
  std::map<int64_t, std::vector<std::string>> proofs;
  int line_no = 0;
  for (const auto& line : Lines(proofs_text)) {
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
      return report;
    }
    proofs[*seq] = std::move(hashes);
  }
  ASSIGN_OR_RETURN(std::string events_text, Read(dir / "events.jsonl"));
  std::optional<AuditEvent> last;
  line_no = 0;
  for (const auto& line : Lines(events_text)) {
    ++line_no;
    json e = json::parse(line, nullptr, false);
    std::optional<int64_t> seq, at;
    std::optional<std::string> actor, type, subject, payload, leaf_text, leaf_hash;
    if (e.is_object()) {
      seq = IntAt(e, "seq");
      at = IntAt(e, "at");
      actor = TextAt(e, "actor");
      type = TextAt(e, "type");
      subject = TextAt(e, "subject");
      payload = TextAt(e, "payload");
      leaf_text = TextAt(e, "leaf");
      leaf_hash = TextAt(e, "leaf_hash");
    }
    if (!seq || !at || !actor || !type || !subject || !payload || !leaf_text || !leaf_hash) {
      report.problems.push_back("events.jsonl line " + std::to_string(line_no) +
                                " is not an event (seq, at, actor, type, subject, payload, leaf, "
                                "leaf_hash)");
      return report;
    }
    std::string what = "event " + std::to_string(*seq);
    AuditEvent event{.seq = *seq,
                     .at = FromUnixSeconds(*at),
                     .actor = *actor,
                     .type = *type,
                     .subject = *subject,
                     .payload = *payload};
    std::string leaf = CanonicalLeaf(event);
    merkle::Hash hash = merkle::LeafHash(leaf);
    if (leaf != *leaf_text || merkle::ToHex(hash) != *leaf_hash) {
      report.problems.push_back(what + " (" + event.type +
                                ") does not match its leaf: it was "
                                "changed");
      continue;
    }
    auto p = proofs.find(*seq);
    if (p == proofs.end()) {
      report.problems.push_back(what + " has no inclusion proof in proofs.jsonl");
      continue;
    }
    Status s = *seq < 1 ? InvalidInput("its sequence number is not positive")
                        : merkle::VerifyInclusion(static_cast<uint64_t>(*seq - 1), cp->size,
                                                  std::string(hash.begin(), hash.end()), p->second,
                                                  root_raw);
    if (!s.ok()) {
      report.problems.push_back(what + " is not in the signed checkpoint: " + s.message());
      continue;
    }
    ++report.events;
    last = event;
  }
  // The manifest: its hash is the last event's, and every file it lists is unchanged.
  ASSIGN_OR_RETURN(std::string manifest_text, Read(dir / "manifest.json"));
  if (!last || last->type != "report.generated" || static_cast<uint64_t>(last->seq) != cp->size) {
    report.problems.push_back(
        "the pack's last event is not the report.generated event the "
        "checkpoint ends with");
    return report;
  }
  json payload = json::parse(last->payload, nullptr, false);
  if (!payload.is_object() || TextAt(payload, "manifest_sha256") != Sha256Hex(manifest_text)) {
    report.problems.push_back("manifest.json is not the manifest the log recorded: it was changed");
    return report;
  }
  json manifest = json::parse(manifest_text, nullptr, false);
  if (!manifest.is_object() || !manifest.contains("files") || !manifest["files"].is_object()) {
    report.problems.push_back("manifest.json lists no files");
    return report;
  }
  for (const auto& [name, sha] : manifest["files"].items()) {
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
  return report;
}

}  // namespace vigil
