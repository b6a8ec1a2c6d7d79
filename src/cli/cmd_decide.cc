#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>

#include "cli/command.h"
#include "core/text.h"
#include "engine/decisions.h"
#include "store/store.h"

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
    DecideRequest r{.vuln_key = key_, .basis = basis_, .new_class = severity_};
    auto type = ParseDecisionType(type_);
    if (!type) {
      return UsageError(
          "--type must be recast, false-positive, accept-risk, mitigation-plan or "
          "classify, not '" +
          type_ + "'");
    }
    r.type = *type;
    auto reason = ParseReasonCategory(reason_);
    if (!reason) {
      return UsageError(
          "--reason must be disagree-with-nvd, false-positive, "
          "compensating-controls, absence-of-threat, other or patch-harm, not '" +
          reason_ + "'");
    }
    r.reason = *reason;
    if (!score_.empty()) {
      r.new_score = ParseDouble(score_);
      if (!r.new_score || !std::isfinite(*r.new_score)) {
        return UsageError("--score must be a number 0..10, not '" + score_ + "'");
      }
    }
    ASSIGN_OR_RETURN(r.expires, OptionalTime("--expires", expires_));
    ASSIGN_OR_RETURN(r.target, OptionalTime("--target", target_));
    r.assets = SplitNonEmpty(assets_, ",");
    if (port_ >= 0) {
      if (port_ > 65535) {
        return UsageError("--port must be 0..65535");
      }
      r.port = port_;
    }
    ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kDecide));
    Store& store = app->store();
    DecisionRecord d;
    DecisionContext ctx{.store = store,
                        .policy = app->config().policy,
                        .scale = app->scale(),
                        .user = app->user(),
                        .now = app->clock().Now(),
                        .login = app->identity().login};
    RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
      ASSIGN_OR_RETURN(d, Decide(ctx, r));
      return Status::Ok();
    }));
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
  static Result<std::optional<Timestamp>> OptionalTime(const char* name, const std::string& text) {
    if (text.empty()) {
      return std::optional<Timestamp>();
    }
    auto t = ParseIso8601(text);
    if (!t.ok()) {
      return UsageError(std::string(name) + ": " + t.status().message());
    }
    return std::optional(*t);
  }

  std::string key_, type_, reason_, basis_, severity_, score_, expires_, target_, assets_;
  int port_ = -1;
};

}  // namespace

std::unique_ptr<Command> MakeDecideCommand() {
  return std::make_unique<DecideCommand>();
}

}  // namespace vigil::cli
