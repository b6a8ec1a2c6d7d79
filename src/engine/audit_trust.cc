#include "engine/audit_trust.h"

#include <sys/stat.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "audit/ed25519.h"
#include "audit/merkle.h"
#include "audit/signed_note.h"
#include "audit/timestamp.h"
#include "engine/audit_log.h"
#include "engine/projection.h"
#include "engine/state_commitment.h"
#include "ingest/input_file.h"
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

Result<LogFacts> ReadLogFacts(Store& store) {
  ASSIGN_OR_RETURN(EventRecord first, FirstEvent(store));
  if (first.type != "audit.key") {
    return FailedPrecondition("the audit log's first event is not the key event");
  }
  auto payload = nlohmann::json::parse(first.payload, nullptr, false);
  auto key = payload.is_object() ? payload.find("verifier_key") : payload.end();
  if (key == payload.end() || !key->is_string()) {
    return FailedPrecondition("the audit log's first event names no verifier key");
  }
  LogFacts facts{.verifier_key = key->get<std::string>()};
  auto format = payload.find("log_format");
  if (format != payload.end() && format->is_number_integer()) {
    facts.format = format->get<int>();
  }
  auto clock = payload.find("test_clock");
  facts.test_clock = clock != payload.end() && clock->is_boolean() && clock->get<bool>();
  return facts;
}

Result<std::string> LogVerifierKey(Store& store) {
  ASSIGN_OR_RETURN(LogFacts facts, ReadLogFacts(store));
  return facts.verifier_key;
}

Result<std::string> InitializeAudit(Store& store, const std::string& key_path,
                                    const std::string& origin, Timestamp now,
                                    const std::string& actor, bool test_clock) {
  if (!FileExists(key_path)) {
    ASSIGN_OR_RETURN(Ed25519Key key, Ed25519Key::Generate());
    RETURN_IF_ERROR(key.Save(key_path));
  }
  ASSIGN_OR_RETURN(Ed25519Key key, Ed25519Key::Load(key_path));
  auto existing = ReadLogFacts(store);
  if (existing.ok()) {
    if (test_clock && !existing->test_clock) {
      return FailedPrecondition(
          "--test-clock: this database's log was started with the system clock; a database "
          "becomes a test-clock one only when it is created");
    }
    return existing->verifier_key;
  }
  std::string vkey = note::VerifierKey(origin, key.public_key());
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    return AppendEvent(store, now, actor, "audit.key", origin,
                       {{"origin", origin},
                        {"verifier_key", vkey},
                        {"algorithm", "ed25519"},
                        {"log_format", kLogFormat},
                        {"test_clock", test_clock},
                        {"state", StateCommitment().Digests()}})
        .status();
  }));
  return vkey;
}

Result<std::string> ReadTsaTrust(const std::string& path) {
  return ReadInputText(path, InputKind::kSmallFile);
}

namespace {

// A checkpoint of the whole log as it is now, signed (and time-stamped when a TSA is
// configured), not yet stored.
Result<CheckpointRecord> SignedCheckpoint(Store& store, const std::string& key_path, Timestamp now,
                                          const AuditConfig& audit) {
  ASSIGN_OR_RETURN(LogFacts log, ReadLogFacts(store));
  ASSIGN_OR_RETURN(note::Verifier verifier, note::ParseVerifierKey(log.verifier_key));
  ASSIGN_OR_RETURN(Ed25519Key key, Ed25519Key::Load(key_path));
  if (key.public_key() != verifier.public_key) {
    return FailedPrecondition("the signing key '" + key_path +
                              "' is not the key the audit log was started with");
  }
  ASSIGN_OR_RETURN(auto last, store.LastEvent());
  if (!last) {
    return FailedPrecondition("the audit log is empty: run 'vigil init' to start it");
  }
  ASSIGN_OR_RETURN(Timestamp latest, LatestLoggedTime(store));
  if (now < latest) {
    return FailedPrecondition("a checkpoint at " + FormatIso8601(now) +
                              " would be older than what the log already holds (" +
                              FormatIso8601(latest) + "): check the system clock");
  }
  ASSIGN_OR_RETURN(merkle::Hash root, merkle::FromHex(last->root_hash));
  note::Checkpoint cp{.origin = verifier.name,
                      .size = static_cast<uint64_t>(last->seq),
                      .root = root,
                      .extensions = {"time " + FormatIso8601(now)}};
  if (log.test_clock) {
    cp.extensions.push_back(std::string(kTestClockWarning) + " (vigil init --test-clock)");
  }
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
  return record;
}

// Whether no checkpoint was signed within `every` before `now`.
Result<bool> CheckpointDue(Store& store, Timestamp now, std::chrono::seconds every) {
  ASSIGN_OR_RETURN(auto checkpoints, store.QueryCheckpoints());
  return checkpoints.empty() || now - checkpoints.back().at >= every;
}

}  // namespace

Result<CheckpointRecord> MakeCheckpoint(Store& store, const std::string& key_path, Timestamp now,
                                        const AuditConfig& audit) {
  ASSIGN_OR_RETURN(CheckpointRecord record, SignedCheckpoint(store, key_path, now, audit));
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    RETURN_IF_ERROR(AdvanceLoggedTime(store, now));
    return store.InsertCheckpoint(record);
  }));
  return record;
}

Result<std::optional<CheckpointRecord>> MakeScheduledCheckpoint(Store& store,
                                                                const std::string& key_path,
                                                                Timestamp now,
                                                                const AuditConfig& audit,
                                                                std::chrono::seconds every) {
  ASSIGN_OR_RETURN(bool due, CheckpointDue(store, now, every));
  if (!due) {
    return std::optional<CheckpointRecord>();
  }
  ASSIGN_OR_RETURN(CheckpointRecord record, SignedCheckpoint(store, key_path, now, audit));
  bool stored = false;
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    // Asked again under the writers' exclusion (Store::Begin): another server of the same
    // database may have signed this period's checkpoint meanwhile, and then this one is not.
    ASSIGN_OR_RETURN(bool still_due, CheckpointDue(store, now, every));
    if (!still_due) {
      return Status::Ok();
    }
    RETURN_IF_ERROR(AdvanceLoggedTime(store, now));
    RETURN_IF_ERROR(store.InsertCheckpoint(record));
    stored = true;
    return Status::Ok();
  }));
  return stored ? std::optional(record) : std::optional<CheckpointRecord>();
}

}  // namespace vigil
