#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"
#include "engine/decisions.h"
#include "store/store.h"

namespace vigil::cli {
namespace {

// `vigil decisions [--state S] [--vuln KEY]`: every decision with its state and people.
class DecisionsCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--state", state_, "pending|approved|rejected|lapsed|superseded|all");
    sub.add_option("--vuln", vuln_, "Only decisions on this vulnerability");
    sub.add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
    DecisionQuery q;
    if (!vuln_.empty()) {
      q.vuln_key = vuln_;
    }
    if (state_ != "all") {
      auto state = ParseDecisionState(state_);
      if (!state) {
        return UsageError(
            "--state must be pending, approved, rejected, lapsed, superseded or "
            "all, not '" +
            state_ + "'");
      }
      q.states = {*state};
    }
    ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kRead));
    ASSIGN_OR_RETURN(auto decisions, QueryDecisionsAt(app->store(), q, app->clock().Now()));
    Table t;
    t.columns = {{"id", "ID"},
                 {"vulnerability", "VULNERABILITY"},
                 {"type", "TYPE"},
                 {"reason", "REASON"},
                 {"state", "STATE"},
                 {"new_class", "CLASS"},
                 {"assets", "ASSETS", 30},
                 {"port", "PORT"},
                 {"author", "AUTHOR"},
                 {"created_at", "CREATED"},
                 {"decided_by", "DECIDED BY"},
                 {"decided_at", "DECIDED"},
                 {"effective_at", "EFFECTIVE"},
                 {"expires_at", "EXPIRES"},
                 {"target_at", "TARGET"},
                 {"ended_at", "ENDED"},
                 {"superseded_by", "SUPERSEDED BY"},
                 {"basis", "BASIS", 40},
                 {"decided_basis", "DECISION NOTE", 30}};
    for (const auto& d : decisions) {
      t.rows.push_back(
          {d.id, d.vuln_key, std::string(ToString(d.type)), std::string(ToString(d.reason)),
           std::string(ToString(d.state)), TextCell(d.new_class),
           d.assets.empty() ? Cell(std::vector<std::string>{"all"}) : Cell(d.assets),
           d.port ? Cell(static_cast<int64_t>(*d.port)) : Cell(nullptr), d.author,
           TimeCell(d.created_at), TextCell(d.decided_by), TimeCell(d.decided_at),
           TimeCell(d.effective_at), TimeCell(d.expires_at), TimeCell(d.target_at),
           TimeCell(d.ended_at), d.superseded_by != 0 ? Cell(d.superseded_by) : Cell(nullptr),
           d.basis, TextCell(d.decided_basis)});
    }
    PrintTable(t, format, std::cout);
    return Status::Ok();
  }

 private:
  std::string state_ = "all", vuln_, format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeDecisionsCommand() {
  return std::make_unique<DecisionsCommand>();
}

}  // namespace vigil::cli
