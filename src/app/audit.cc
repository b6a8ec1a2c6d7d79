// The audit log's use cases of the application layer (app/service.h): key, checkpoint,
// verify, inclusion and consistency proofs.
#include "app/service.h"
#include "audit/merkle.h"
#include "audit/signed_note.h"
#include "engine/audit_trust.h"
#include "ingest/input_file.h"
#include "report/evidence_pack.h"
#include "store/store.h"

namespace vigil {
namespace {

// The leaf hashes of the whole log, as stored (verify checks them against the events).
Result<std::vector<merkle::Hash>> Leaves(Store& store) {
  std::vector<merkle::Hash> out;
  RETURN_IF_ERROR(store.ForEachEvent(1, 0, [&](const EventRecord& e) -> Status {
    ASSIGN_OR_RETURN(merkle::Hash h, merkle::FromHex(e.leaf_hash));
    out.push_back(h);
    return Status::Ok();
  }));
  return out;
}

nlohmann::ordered_json Base64List(const std::vector<merkle::Hash>& hashes) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& h : hashes) {
    out.push_back(merkle::ToBase64(h));
  }
  return out;
}

}  // namespace

Result<Service::AuditKey> Service::AuditVerifierKey(const Identity& who) {
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  ASSIGN_OR_RETURN(std::string vkey, LogVerifierKey(store_));
  ASSIGN_OR_RETURN(note::Verifier verifier, note::ParseVerifierKey(vkey));
  return AuditKey{.verifier_key = vkey, .fingerprint = PublicKeyFingerprint(verifier.public_key)};
}

Result<CheckpointRecord> Service::Checkpoint(const Identity& who) {
  RETURN_IF_ERROR(PrepareWrite(who, Action::kWrite));
  return MakeCheckpoint(store_, audit_key_path_, clock_.Now(), config_.audit);
}

Result<std::optional<CheckpointRecord>> Service::ScheduledCheckpoint(std::chrono::seconds every) {
  return MakeScheduledCheckpoint(store_, audit_key_path_, clock_.Now(), config_.audit, every);
}

Result<VerifyReport> Service::VerifyLog(const Identity& who, const VerifyInput& input) {
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  VerifyOptions options;
  if (!input.checkpoint_file.empty()) {
    ASSIGN_OR_RETURN(options.kept_checkpoint,
                     ReadInputText(input.checkpoint_file, InputKind::kSmallFile));
  }
  if (!input.verifier_key.empty()) {
    options.verifier_key = input.verifier_key;
  }
  if (!input.tsa_ca_file.empty()) {
    ASSIGN_OR_RETURN(options.tsa_trust_pem, ReadTsaTrust(input.tsa_ca_file));
  } else if (!config_.audit.tsa_certificate.empty()) {
    ASSIGN_OR_RETURN(options.tsa_trust_pem, ReadTsaTrust(config_.audit.tsa_certificate));
  }
  return VerifyAuditLog(store_, options);
}

Result<nlohmann::ordered_json> Service::InclusionProof(const Identity& who, int64_t seq) {
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  ASSIGN_OR_RETURN(auto leaves, Leaves(store_));
  if (seq < 1 || static_cast<size_t>(seq) > leaves.size()) {
    return FieldError(
        ErrorCode::kNotFound, "seq",
        std::to_string(seq) + " is no event (the log has " + std::to_string(leaves.size()) + ")");
  }
  ASSIGN_OR_RETURN(auto checkpoints, store_.QueryCheckpoints());
  const CheckpointRecord* cover = nullptr;
  for (const auto& c : checkpoints) {
    if (c.size >= seq) {
      cover = &c;
    }
  }
  if (cover == nullptr) {
    return FailedPrecondition("no checkpoint covers event " + std::to_string(seq) +
                              " yet: sign a checkpoint first");
  }
  merkle::Tree tree(leaves);
  uint64_t size = static_cast<uint64_t>(cover->size);
  nlohmann::ordered_json out;
  out["seq"] = seq;
  out["leaf_index"] = seq - 1;
  out["tree_size"] = size;
  out["leaf_hash"] = merkle::ToBase64(leaves[static_cast<size_t>(seq - 1)]);
  out["root"] = merkle::ToBase64(tree.RootAt(size));
  out["proof"] = Base64List(tree.InclusionProof(static_cast<uint64_t>(seq - 1), size));
  out["checkpoint"] = cover->note;
  return out;
}

Result<nlohmann::ordered_json> Service::ConsistencyProof(const Identity& who, int64_t old_size,
                                                         int64_t new_size) {
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  ASSIGN_OR_RETURN(auto leaves, Leaves(store_));
  if (old_size < 1 || old_size > new_size || static_cast<size_t>(new_size) > leaves.size()) {
    return InvalidInput("need 1 <= OLD <= NEW <= " + std::to_string(leaves.size()));
  }
  merkle::Tree tree(leaves);
  nlohmann::ordered_json out;
  out["size1"] = old_size;
  out["size2"] = new_size;
  out["root1"] = merkle::ToBase64(tree.RootAt(static_cast<uint64_t>(old_size)));
  out["root2"] = merkle::ToBase64(tree.RootAt(static_cast<uint64_t>(new_size)));
  out["proof"] = Base64List(
      tree.ConsistencyProof(static_cast<uint64_t>(old_size), static_cast<uint64_t>(new_size)));
  return out;
}

}  // namespace vigil
