#include <CLI/CLI.hpp>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "cli/printer.h"
#include "engine/decisions.h"
#include "store/store.h"

namespace vigil::cli {
namespace {

Result<std::vector<FindingState>> ParseStates(const std::string& text) {
  std::vector<FindingState> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (item == "all") {
      return std::vector<FindingState>{FindingState::kOpen, FindingState::kFixed,
                                       FindingState::kReopened, FindingState::kInactive};
    }
    auto state = ParseFindingState(item);
    if (!state) {
      return UsageError("--state: '" + item +
                        "' is not one of open, fixed, reopened, inactive, all");
    }
    out.push_back(*state);
  }
  return out;
}

class FindingsCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--state", state_,
                   "Comma-separated states: open,fixed,reopened,inactive or all "
                   "(default open,reopened)");
    sub.add_option("--asset", asset_, "Only this asset (name, FQDN or IP)");
    sub.add_option("--vuln", vuln_, "Only this vulnerability key (e.g. tenable:19506)");
    sub.add_option("--scanner", scanner_, "Only findings this scanner reported");
    sub.add_option("--cve", cve_,
                   "Only findings of vulnerabilities that name this CVE, from every scanner");
    sub.add_flag("--absent-unverified", absent_unverified_,
                 "Only findings a rescan did not report but could not verify as fixed");
    sub.add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
    FindingQuery q{.absent_unverified_only = absent_unverified_};
    if (!state_.empty()) {
      ASSIGN_OR_RETURN(q.states, ParseStates(state_));
    }
    auto opt = [](const std::string& s) { return s.empty() ? std::nullopt : std::optional(s); };
    q.asset = opt(asset_);
    q.vuln_key = opt(vuln_);
    q.scanner = opt(scanner_);
    q.cve = opt(cve_);
    ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kRead));
    ASSIGN_OR_RETURN(auto findings, app->store().QueryFindings(q));
    ASSIGN_OR_RETURN(auto decisions, QueryDecisionsAt(app->store(), {}, app->clock().Now()));
    Timestamp now = app->clock().Now();
    Table t;
    t.columns = {{"vulnerability", "VULNERABILITY"},
                 {"class", "CLASS"},
                 {"asset", "ASSET"},
                 {"port", "PORT"},
                 {"protocol", "PROTO"},
                 {"service", "SERVICE"},
                 {"location", "LOCATION", 60},
                 {"installed_version", "INSTALLED"},
                 {"fixed_version", "FIXED IN"},
                 {"flags", "FLAGS"},
                 {"state", "STATE"},
                 {"first_seen", "FIRST SEEN"},
                 {"last_seen", "LAST SEEN"},
                 {"fixed_at", "FIXED AT"},
                 {"times_reopened", "REOPENED"},
                 {"absent_unverified", "ABSENT-UNVERIFIED"},
                 {"scanners", "SCANNERS"},
                 {"decision", "DECISION"},
                 {"title", "TITLE", 50}};
    int min_qod = app->config().import.min_qod;
    for (const auto& f : findings) {
      std::vector<std::string> flags;
      if (f.qod && *f.qod < min_qod) {
        flags.push_back("low-qod(" + std::to_string(*f.qod) + ")");
      }
      t.rows.push_back({f.vuln_key, f.class_name, f.asset, int64_t{f.port}, f.protocol,
                        TextCell(f.service), TextCell(f.location), TextCell(f.installed_version),
                        TextCell(f.fixed_version), flags, std::string(ToString(f.state)),
                        TimeCell(f.first_seen), TimeCell(f.last_seen), TimeCell(f.fixed_at),
                        int64_t{f.times_reopened}, f.absent_unverified, f.scanners,
                        DecisionCell(decisions, f, now), f.title});
    }
    PrintTable(t, format, std::cout);
    return Status::Ok();
  }

 private:
  // The decision in effect that handles the finding, e.g. "false-positive #3".
  static Cell DecisionCell(const std::vector<DecisionRecord>& decisions, const FindingView& f,
                           Timestamp now) {
    const DecisionRecord* d = HandlingDecision(decisions, f.vuln_key, f.asset, f.port, now);
    if (d == nullptr) {
      return nullptr;
    }
    return std::string(ToString(d->type)) + " #" + std::to_string(d->id);
  }

  std::string state_, asset_, vuln_, scanner_, cve_;
  bool absent_unverified_ = false;
  std::string format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeFindingsCommand() {
  return std::make_unique<FindingsCommand>();
}

}  // namespace vigil::cli
