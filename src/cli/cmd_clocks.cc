#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"
#include "core/duration.h"
#include "engine/compliance.h"

namespace vigil::cli {
namespace {

// `vigil clocks`: every compliance clock of the policy, per vulnerability and rule.
class ClocksCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--status", status_, "open|due-soon|overdue|met|missed");
    sub.add_option("--rule", rule_, "Only this rule (e.g. ncssr-1.7/4.f)");
    sub.add_option("--vuln", vuln_, "Only this vulnerability");
    sub.add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
    if (!status_.empty() && status_ != "open" && status_ != "due-soon" && status_ != "overdue" &&
        status_ != "met" && status_ != "missed") {
      return UsageError("--status must be open, due-soon, overdue, met or missed");
    }
    ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kRead));
    if (app->config().policy.rules.empty()) {
      return FailedPrecondition(
          "the policy has no clock rules: switch profiles on in the configuration "
          "([policy] profiles = [\"ncssr-1.7\"], docs/policy.md) and apply it with "
          "'vigil config apply FILE'");
    }
    ASSIGN_OR_RETURN(auto clocks,
                     ComplianceClocks(app->store(), app->config(), app->clock().Now()));
    Table t;
    t.columns = {{"rule", "RULE"},
                 {"framework", "FRAMEWORK"},
                 {"stage", "STAGE"},
                 {"vulnerability", "VULNERABILITY"},
                 {"class", "CLASS"},
                 {"anchor_kind", "FROM"},
                 {"anchor", "AT"},
                 {"due", "DUE"},
                 {"status", "STATUS"},
                 {"stopped_by", "STOPPED BY"},
                 {"stopped_at", "STOPPED AT"},
                 {"late_by", "LATE BY"},
                 {"assets", "ASSETS", 40}};
    for (const auto& c : clocks) {
      std::string status(ToString(c.status));
      if ((!status_.empty() && status != status_) || (!rule_.empty() && c.rule->id != rule_) ||
          (!vuln_.empty() && c.vuln_key != vuln_)) {
        continue;
      }
      t.rows.push_back({c.rule->id, c.rule->framework, c.rule->stage, c.vuln_key, c.class_name,
                        c.anchor_kind, TimeCell(c.anchor), TimeCell(c.due), status,
                        TextCell(c.stopped_by), TimeCell(c.stopped_at),
                        c.late_by ? Cell(FormatDuration(*c.late_by)) : Cell(nullptr), c.assets});
    }
    PrintTable(t, format, std::cout);
    return Status::Ok();
  }

 private:
  std::string status_, rule_, vuln_, format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeClocksCommand() {
  return std::make_unique<ClocksCommand>();
}

}  // namespace vigil::cli
