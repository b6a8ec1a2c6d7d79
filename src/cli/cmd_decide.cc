#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "core/decision.h"
#include "core/text.h"
#include "core/time.h"

namespace vigil::cli {
namespace {

// `vigil decide KEY --type TYPE --reason CATEGORY --basis TEXT ...`: records a decision
// (docs/decisions.md); it takes effect when approved, or at once when the policy asks no
// approval for its type.
class DecideCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("key", key_, "Vulnerability key, e.g. tenable:19506")->required();
    sub.add_option("--type", type_, "recast|false-positive|accept-risk|mitigation-plan|classify")
        ->required();
    sub.add_option("--reason", reason_,
                   "disagree-with-nvd|false-positive|compensating-controls|absence-of-threat|"
                   "other|patch-harm")
        ->required();
    sub.add_option("--basis", basis_, "The factual basis, in writing (or the plan)")->required();
    sub.add_option("--severity", severity_, "recast, classify: the new class");
    sub.add_option("--score", score_, "recast: the new score (0..10)");
    sub.add_option("--expires", expires_, "When the decision lapses (required for accept-risk)");
    sub.add_option("--target", target_, "mitigation-plan: when the plan is carried out");
    sub.add_option("--assets", assets_, "Only these assets (names, FQDNs or IPs, comma-separated)");
    sub.add_option("--port", port_, "Only findings on this port");
  }

  Status Run(const GlobalOptions& global) override {
    DecideInput in{.key = key_,
                   .type = type_,
                   .reason = reason_,
                   .basis = basis_,
                   .severity = severity_,
                   .assets = SplitNonEmpty(assets_, ",")};
    if (!score_.empty()) {
      in.score = ParseDouble(score_);
      if (!in.score) {
        return UsageError("--score must be a number 0..10, not '" + score_ + "'");
      }
    }
    if (!expires_.empty()) {
      in.expires = expires_;
    }
    if (!target_.empty()) {
      in.target = target_;
    }
    if (port_ >= 0) {
      in.port = port_;
    }
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kWrite));
    ASSIGN_OR_RETURN(DecisionRecord d, app->service().Decide(app->identity(), in));
    std::cout << "decision #" << d.id << ": " << ToString(d.type) << " of " << d.vuln_key << " by "
              << d.author << " at " << FormatIso8601(d.created_at) << ", "
              << (d.state == DecisionState::kPending
                      ? "awaiting approval by another user with the approver role (vigil approve " +
                            std::to_string(d.id) + ")"
                      : std::string("in effect (the policy asks no approval for this type)"))
              << "\n";
    return Status::Ok();
  }

 private:
  std::string key_, type_, reason_, basis_, severity_, score_, expires_, target_, assets_;
  int64_t port_ = -1;
};

}  // namespace

std::unique_ptr<Command> MakeDecideCommand() {
  return std::make_unique<DecideCommand>();
}

}  // namespace vigil::cli
