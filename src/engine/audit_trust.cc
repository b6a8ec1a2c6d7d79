#include "engine/audit_trust.h"

#include <sys/stat.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "audit/ed25519.h"
#include "audit/merkle.h"
#include "audit/signed_note.h"
#include "audit/timestamp.h"
#include "engine/audit_log.h"
#include "net/http_post.h"
#include "store/store.h"

namespace vigil {
namespace {

Result<EventRecord> FirstEvent(Store& store) {
  std::optional<EventRecord> first;
  RETURN_IF_ERROR(store.ForEachEvent(1, 1, [&](const EventRecord& e) {
    first = e;
    return Status::Ok();
  }));
  if (!first) {
    return FailedPrecondition("the audit log is empty: run 'vigil init' to start it");
  }
  return *first;
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

Result<std::string> LogVerifierKey(Store& store) {
  ASSIGN_OR_RETURN(EventRecord first, FirstEvent(store));
  if (first.type != "audit.key") {
    return FailedPrecondition("the audit log's first event is not the key event");
  }
  auto payload = nlohmann::json::parse(first.payload, nullptr, false);
  if (!payload.is_object() || !payload.contains("verifier_key") ||
      !payload["verifier_key"].is_string()) {
    return FailedPrecondition("the audit log's first event names no verifier key");
  }
  return payload["verifier_key"].get<std::string>();
}

Result<std::string> InitializeAudit(Store& store, const std::string& key_path,
                                    const std::string& origin, Timestamp now,
                                    const std::string& actor) {
  if (!FileExists(key_path)) {
    ASSIGN_OR_RETURN(Ed25519Key key, Ed25519Key::Generate());
    RETURN_IF_ERROR(key.Save(key_path));
  }
  ASSIGN_OR_RETURN(Ed25519Key key, Ed25519Key::Load(key_path));
  auto existing = LogVerifierKey(store);
  if (existing.ok()) {
    return *existing;
  }
  std::string vkey = note::VerifierKey(origin, key.public_key());
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    return AppendEvent(store, now, actor, "audit.key", origin,
                       {{"origin", origin}, {"verifier_key", vkey}, {"algorithm", "ed25519"}})
        .status();
  }));
  return vkey;
}

Result<std::string> ReadTsaTrust(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return IoError("cannot read the TSA certificate file '" + path + "'");
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

Result<CheckpointRecord> MakeCheckpoint(Store& store, const std::string& key_path, Timestamp now,
                                        const AuditConfig& audit) {
  ASSIGN_OR_RETURN(std::string vkey, LogVerifierKey(store));
  ASSIGN_OR_RETURN(note::Verifier verifier, note::ParseVerifierKey(vkey));
  ASSIGN_OR_RETURN(Ed25519Key key, Ed25519Key::Load(key_path));
  if (key.public_key() != verifier.public_key) {
    return FailedPrecondition("the signing key '" + key_path +
                              "' is not the key the audit log was started with");
  }
  std::optional<EventRecord> last;
  RETURN_IF_ERROR(store.ForEachEvent(1, 0, [&](const EventRecord& e) {
    last = e;
    return Status::Ok();
  }));
  ASSIGN_OR_RETURN(merkle::Hash root, merkle::FromHex(last->root_hash));
  note::Checkpoint cp{.origin = verifier.name,
                      .size = static_cast<uint64_t>(last->seq),
                      .root = root,
                      .extensions = {"time " + FormatIso8601(now)}};
  ASSIGN_OR_RETURN(std::string signed_note,
                   note::Sign(note::CheckpointText(cp), verifier.name, key));
  CheckpointRecord record{
      .size = last->seq, .root_hash = last->root_hash, .at = now, .note = signed_note};
  if (!audit.tsa_url.empty()) {
    ASSIGN_OR_RETURN(std::string trust, ReadTsaTrust(audit.tsa_certificate));
    ASSIGN_OR_RETURN(uint64_t nonce, RandomNonce());
    ASSIGN_OR_RETURN(std::string request, MakeTimestampRequest(signed_note, nonce));
    ASSIGN_OR_RETURN(HttpResponse response, HttpPost(audit.tsa_url, "application/timestamp-query",
                                                     request, std::chrono::seconds(30)));
    if (response.status != 200) {
      return IoError(audit.tsa_url + ": the time-stamping authority answered HTTP " +
                     std::to_string(response.status) + "; no checkpoint was stored");
    }
    auto facts = CheckTimestampResponse(response.body, signed_note, nonce, trust);
    if (!facts.ok()) {
      return Status(facts.status().code(),
                    audit.tsa_url + ": " + facts.status().message() + "; no checkpoint was stored");
    }
    record.tsa_response = std::move(response.body);
    record.tsa_time = facts->gen_time;
  }
  RETURN_IF_ERROR(InTransaction(store, [&] { return store.InsertCheckpoint(record); }));
  return record;
}

}  // namespace vigil
