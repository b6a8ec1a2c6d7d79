#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "engine/audit_trust.h"
#include "report/bundle_verify.h"

namespace vigil::cli {
namespace {

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
    ASSIGN_OR_RETURN(auto app,
                     OpenService(global, checkpoint_->parsed() ? Access::kWrite : Access::kRead));
    Service service = app->service();
    const Identity& who = app->identity();
    if (key_->parsed()) {
      ASSIGN_OR_RETURN(Service::AuditKey key, service.AuditVerifierKey(who));
      std::cout << key.verifier_key << "\n";
      // What an auditor compares with an evidence pack's public-key.pem (VERIFY.md).
      std::cerr << "fingerprint (SHA-256 of the public key's DER, as in public-key.pem): "
                << key.fingerprint << "\n";
      return Status::Ok();
    }
    if (checkpoint_->parsed()) {
      ASSIGN_OR_RETURN(CheckpointRecord cp, service.Checkpoint(who));
      std::cout << cp.note;
      if (cp.tsa_time) {
        std::cerr << "time-stamped by " << app->config().audit.tsa_url << " at "
                  << FormatIso8601(*cp.tsa_time) << " (RFC 3161)\n";
      }
      return Status::Ok();
    }
    if (verify_->parsed()) {
      ASSIGN_OR_RETURN(VerifyReport report,
                       service.VerifyLog(who, Service::VerifyInput{.checkpoint_file = kept_,
                                                                   .verifier_key = key_text_,
                                                                   .tsa_ca_file = tsa_ca_}));
      return Print(report, "the log");
    }
    nlohmann::ordered_json out;
    if (proof_->parsed()) {
      ASSIGN_OR_RETURN(out, service.InclusionProof(who, seq_));
    } else {
      ASSIGN_OR_RETURN(out, service.ConsistencyProof(who, old_, new_));
    }
    std::cout << out.dump(2) << "\n";
    return Status::Ok();
  }

 private:
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
