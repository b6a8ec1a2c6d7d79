#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "audit/merkle.h"
#include "audit/signed_note.h"
#include "cli/command.h"
#include "engine/audit_trust.h"
#include "engine/audit_verify.h"
#include "ingest/input_file.h"
#include "report/bundle_verify.h"
#include "report/evidence_pack.h"
#include "store/store.h"

namespace vigil::cli {
namespace {

Result<std::string> ReadFile(const std::string& path) {
  return ReadInputText(path, InputKind::kSmallFile);
}

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

nlohmann::json Base64List(const std::vector<merkle::Hash>& hashes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& h : hashes) {
    out.push_back(merkle::ToBase64(h));
  }
  return out;
}

// `vigil audit key|checkpoint|verify|proof|consistency` (docs/audit.md).
class AuditCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.require_subcommand(1);
    key_ = sub.add_subcommand("key", "Print the verifier key of the audit log");
    checkpoint_ = sub.add_subcommand("checkpoint", "Sign a checkpoint of the whole log now");
    verify_ = sub.add_subcommand("verify", "Recompute and check the whole audit log");
    verify_->add_option("--checkpoint", kept_, "A signed checkpoint kept from earlier");
    verify_->add_option("--key", key_text_, "The verifier key to trust (default: the log's own)");
    verify_->add_option("--bundle", bundle_, "Verify an evidence pack (vigil report) offline");
    verify_->add_option("--tsa-ca", tsa_ca_,
                        "The TSA's certificate (PEM) to check RFC 3161 time-stamps against "
                        "(default: [audit] tsa_certificate; for --bundle, the pack's tsa-ca.pem)");
    proof_ = sub.add_subcommand("proof", "Inclusion proof of an event in the latest checkpoint");
    proof_->add_option("seq", seq_, "The event's sequence number")->required();
    consistency_ = sub.add_subcommand("consistency", "Consistency proof between two tree sizes");
    consistency_->add_option("old", old_, "The smaller tree size")->required();
    consistency_->add_option("new", new_, "The larger tree size")->required();
  }

  Status Run(const GlobalOptions& global) override {
    if (verify_->parsed() && !bundle_.empty()) {
      // An evidence pack is checked on its own: no database.
      BundleVerifyOptions options;
      if (!key_text_.empty()) {
        options.verifier_key = key_text_;
      }
      if (!tsa_ca_.empty()) {
        ASSIGN_OR_RETURN(options.tsa_trust_pem, ReadTsaTrust(tsa_ca_));
      }
      ASSIGN_OR_RETURN(VerifyReport report, VerifyEvidencePack(bundle_, options));
      return Print(report, "the pack");
    }
    Action action = checkpoint_->parsed() ? Action::kWrite : Action::kRead;
    ASSIGN_OR_RETURN(auto app, OpenApp(global, action));
    Store& store = app->store();
    if (key_->parsed()) {
      ASSIGN_OR_RETURN(std::string vkey, LogVerifierKey(store));
      ASSIGN_OR_RETURN(note::Verifier verifier, note::ParseVerifierKey(vkey));
      std::cout << vkey << "\n";
      // What an auditor compares with an evidence pack's public-key.pem (VERIFY.md).
      std::cerr << "fingerprint (SHA-256 of the public key's DER, as in public-key.pem): "
                << PublicKeyFingerprint(verifier.public_key) << "\n";
      return Status::Ok();
    }
    if (checkpoint_->parsed()) {
      ASSIGN_OR_RETURN(
          CheckpointRecord cp,
          MakeCheckpoint(store, app->AuditKeyPath(), app->clock().Now(), app->config().audit));
      std::cout << cp.note;
      if (cp.tsa_time) {
        std::cerr << "time-stamped by " << app->config().audit.tsa_url << " at "
                  << FormatIso8601(*cp.tsa_time) << " (RFC 3161)\n";
      }
      return Status::Ok();
    }
    if (verify_->parsed()) {
      VerifyOptions options;
      if (!kept_.empty()) {
        ASSIGN_OR_RETURN(options.kept_checkpoint, ReadFile(kept_));
      }
      if (!key_text_.empty()) {
        options.verifier_key = key_text_;
      }
      if (!tsa_ca_.empty()) {
        ASSIGN_OR_RETURN(options.tsa_trust_pem, ReadTsaTrust(tsa_ca_));
      } else if (!app->config().audit.tsa_certificate.empty()) {
        ASSIGN_OR_RETURN(options.tsa_trust_pem, ReadTsaTrust(app->config().audit.tsa_certificate));
      }
      ASSIGN_OR_RETURN(VerifyReport report, VerifyAuditLog(store, options));
      return Print(report, "the log");
    }
    ASSIGN_OR_RETURN(auto leaves, Leaves(store));
    merkle::Tree tree(leaves);
    ASSIGN_OR_RETURN(auto checkpoints, store.QueryCheckpoints());
    if (proof_->parsed()) {
      return PrintProof(leaves, tree, checkpoints);
    }
    return PrintConsistency(leaves, tree);
  }

 private:
  // `audit proof SEQ`: the event's inclusion proof in the last checkpoint that covers it.
  Status PrintProof(const std::vector<merkle::Hash>& leaves, const merkle::Tree& tree,
                    const std::vector<CheckpointRecord>& checkpoints) const {
    if (seq_ < 1 || static_cast<size_t>(seq_) > leaves.size()) {
      return NotFound("there is no event " + std::to_string(seq_) + " (the log has " +
                      std::to_string(leaves.size()) + ")");
    }
    const CheckpointRecord* cover = nullptr;
    for (const auto& c : checkpoints) {
      if (c.size >= seq_) {
        cover = &c;
      }
    }
    if (cover == nullptr) {
      return FailedPrecondition("no checkpoint covers event " + std::to_string(seq_) +
                                " yet: make one with 'vigil audit checkpoint'");
    }
    uint64_t size = static_cast<uint64_t>(cover->size);
    nlohmann::ordered_json out;
    out["seq"] = seq_;
    out["leaf_index"] = seq_ - 1;
    out["tree_size"] = size;
    out["leaf_hash"] = merkle::ToBase64(leaves[static_cast<size_t>(seq_ - 1)]);
    out["root"] = merkle::ToBase64(tree.RootAt(size));
    out["proof"] = Base64List(tree.InclusionProof(static_cast<uint64_t>(seq_ - 1), size));
    out["checkpoint"] = cover->note;
    std::cout << out.dump(2) << "\n";
    return Status::Ok();
  }

  // `audit consistency OLD NEW`: the proof that tree NEW extends tree OLD.
  Status PrintConsistency(const std::vector<merkle::Hash>& leaves, const merkle::Tree& tree) const {
    if (old_ < 1 || old_ > new_ || static_cast<size_t>(new_) > leaves.size()) {
      return UsageError("need 1 <= OLD <= NEW <= " + std::to_string(leaves.size()));
    }
    nlohmann::ordered_json out;
    out["size1"] = old_;
    out["size2"] = new_;
    out["root1"] = merkle::ToBase64(tree.RootAt(static_cast<uint64_t>(old_)));
    out["root2"] = merkle::ToBase64(tree.RootAt(static_cast<uint64_t>(new_)));
    out["proof"] =
        Base64List(tree.ConsistencyProof(static_cast<uint64_t>(old_), static_cast<uint64_t>(new_)));
    std::cout << out.dump(2) << "\n";
    return Status::Ok();
  }

  static Status Print(const VerifyReport& report, const char* what) {
    auto notes = [&] {
      for (const auto& n : report.notes) {
        std::cout << "note: " << n << "\n";
      }
    };
    if (!report.ok()) {
      for (const auto& p : report.problems) {
        std::cout << "FAIL " << p << "\n";
      }
      notes();
      return Status(ErrorCode::kAttention, "");
    }
    std::cout << "ok: " << what << ": " << report.events << " events, " << report.checkpoints
              << " checkpoints verified";
    if (report.timestamped > 0) {
      std::cout << " (" << report.timestamped << " with RFC 3161 time-stamps)";
    }
    if (report.tables_checked) {
      std::cout << "; the tables match the log";
    }
    std::cout << "; root " << report.root << "\n";
    notes();
    return Status::Ok();
  }

  CLI::App* key_ = nullptr;
  CLI::App* checkpoint_ = nullptr;
  CLI::App* verify_ = nullptr;
  CLI::App* proof_ = nullptr;
  CLI::App* consistency_ = nullptr;
  std::string kept_, key_text_, bundle_, tsa_ca_;
  int64_t seq_ = 0, old_ = 0, new_ = 0;
};

}  // namespace

std::unique_ptr<Command> MakeAuditCommand() {
  return std::make_unique<AuditCommand>();
}

}  // namespace vigil::cli
