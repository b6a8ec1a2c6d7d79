#include "report/bundle_verify.h"

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "audit/audit_event.h"
#include "audit/merkle.h"
#include "audit/signed_note.h"
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

}  // namespace

Result<VerifyReport> VerifyEvidencePack(const std::string& dir_text) {
  fs::path dir(dir_text);
  VerifyReport report;
  ASSIGN_OR_RETURN(std::string vkey_text, Read(dir / "verifier-key.txt"));
  while (!vkey_text.empty() && (vkey_text.back() == '\n' || vkey_text.back() == '\r')) {
    vkey_text.pop_back();
  }
  ASSIGN_OR_RETURN(note::Verifier verifier, note::ParseVerifierKey(vkey_text));
  ASSIGN_OR_RETURN(std::string checkpoint_note, Read(dir / "checkpoint.txt"));
  auto opened = note::Open(checkpoint_note, {verifier});
  if (!opened.ok()) {
    report.problems.push_back("checkpoint.txt is not signed by the key in verifier-key.txt: " +
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
  std::string root_raw(cp->root.begin(), cp->root.end());
  ASSIGN_OR_RETURN(std::string proofs_text, Read(dir / "proofs.jsonl"));
  std::map<int64_t, nlohmann::json> proofs;
  for (const auto& line : Lines(proofs_text)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (!j.is_object() || !j.contains("seq")) {
      report.problems.push_back("proofs.jsonl holds a line that is not a proof");
      return report;
    }
    proofs[j["seq"].get<int64_t>()] = j;
  }
  ASSIGN_OR_RETURN(std::string events_text, Read(dir / "events.jsonl"));
  nlohmann::json last;
  for (const auto& line : Lines(events_text)) {
    auto e = nlohmann::json::parse(line, nullptr, false);
    if (!e.is_object() || !e.contains("seq") || !e.contains("leaf")) {
      report.problems.push_back("events.jsonl holds a line that is not an event");
      return report;
    }
    int64_t seq = e["seq"].get<int64_t>();
    std::string what = "event " + std::to_string(seq);
    AuditEvent event{.seq = seq,
                     .at = FromUnixSeconds(e["at"].get<int64_t>()),
                     .actor = e["actor"].get<std::string>(),
                     .type = e["type"].get<std::string>(),
                     .subject = e["subject"].get<std::string>(),
                     .payload = e["payload"].get<std::string>()};
    std::string leaf = CanonicalLeaf(event);
    merkle::Hash hash = merkle::LeafHash(leaf);
    if (leaf != e["leaf"].get<std::string>() ||
        merkle::ToHex(hash) != e["leaf_hash"].get<std::string>()) {
      report.problems.push_back(what + " (" + event.type +
                                ") does not match its leaf: it was "
                                "changed");
      continue;
    }
    auto p = proofs.find(seq);
    if (p == proofs.end()) {
      report.problems.push_back(what + " has no inclusion proof in proofs.jsonl");
      continue;
    }
    std::vector<std::string> path;
    for (const auto& h : p->second["proof"]) {
      auto raw = Base64Decode(h.get<std::string>());
      path.push_back(raw.ok() ? *raw : std::string());
    }
    Status s = merkle::VerifyInclusion(static_cast<uint64_t>(seq - 1), cp->size,
                                       std::string(hash.begin(), hash.end()), path, root_raw);
    if (!s.ok()) {
      report.problems.push_back(what + " is not in the signed checkpoint: " + s.message());
      continue;
    }
    ++report.events;
    last = e;
  }
  // The manifest: its hash is the last event's, and every file it lists is unchanged.
  ASSIGN_OR_RETURN(std::string manifest_text, Read(dir / "manifest.json"));
  if (last.is_null() || last["type"] != "report.generated" ||
      static_cast<uint64_t>(last["seq"].get<int64_t>()) != cp->size) {
    report.problems.push_back(
        "the pack's last event is not the report.generated event the "
        "checkpoint ends with");
    return report;
  }
  auto payload = nlohmann::json::parse(last["payload"].get<std::string>(), nullptr, false);
  if (!payload.is_object() || payload.value("manifest_sha256", "") != Sha256Hex(manifest_text)) {
    report.problems.push_back("manifest.json is not the manifest the log recorded: it was changed");
    return report;
  }
  auto manifest = nlohmann::json::parse(manifest_text, nullptr, false);
  if (!manifest.is_object() || !manifest.contains("files")) {
    report.problems.push_back("manifest.json lists no files");
    return report;
  }
  for (const auto& [name, sha] : manifest["files"].items()) {
    if (name.find('/') != std::string::npos || name.find("..") != std::string::npos) {
      report.problems.push_back("manifest.json names a file outside the pack: " + name);
      continue;
    }
    auto content = Read(dir / name);
    if (!content.ok() || Sha256Hex(*content) != sha.get<std::string>()) {
      report.problems.push_back(name +
                                " does not match its SHA-256 in the manifest: it was "
                                "changed or removed");
    }
  }
  return report;
}

}  // namespace vigil
