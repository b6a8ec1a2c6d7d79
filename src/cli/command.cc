#include "cli/command.h"

#include <CLI/CLI.hpp>
#include <algorithm>

namespace vigil::cli {

const std::vector<CommandEntry>& CommandTable() {
  static const std::vector<CommandEntry> kTable = {
      {"init", "Create the database (or migrate it to this version's schema)", MakeInitCommand},
      {"import", "Import scanner reports (format detected from the content)", MakeImportCommand},
      {"vulns", "List distinct vulnerabilities with their class and open findings",
       MakeVulnsCommand},
      {"findings", "List findings: a vulnerability on an asset at a port", MakeFindingsCommand},
      {"assets", "List assets (hosts) and their open findings", MakeAssetsCommand},
      {"check", "What needs attention now; exit 1 when anything does", MakeCheckCommand},
      {"clocks", "Compliance clocks of the policy: due, met, missed, overdue", MakeClocksCommand},
      {"decide",
       "Record a decision (recast, false-positive, accept-risk, mitigation-plan, "
       "classify) with its factual basis",
       MakeDecideCommand},
      {"approve", "Approve a pending decision (approver role, not its author)", MakeApproveCommand},
      {"reject", "Reject a pending decision with a basis (approver role, not its author)",
       MakeRejectCommand},
      {"decisions", "List decisions with their state, author and approver", MakeDecisionsCommand},
      {"review", "Record a multi-person review, or list them", MakeReviewCommand},
      {"notify", "Send what is due now (digests, alerts, Jira), or list what was sent",
       MakeNotifyCommand},
      {"user", "Register users with roles, or list them", MakeUserCommand},
      {"token", "Pipeline tokens with scopes and an expiry: add, list, revoke", MakeTokenCommand},
      {"kev", "Load CISA's Known Exploited Vulnerabilities catalog", MakeKevCommand},
      {"nvd", "Load NVD CVE records (every CVSS metric, CWEs) from files", MakeNvdCommand},
      {"epss", "Load FIRST EPSS scores from a file", MakeEpssCommand},
      {"export", "Export decisions as a CycloneDX VEX document", MakeExportCommand},
      {"report", "The evidence pack of an audit period: vigil report --from D --to D --out DIR",
       MakeReportCommand},
      {"audit", "The tamper-evident audit log: key, checkpoint, verify, proof, consistency",
       MakeAuditCommand},
      {"decommission", "Take an asset out of service: its open findings become inactive",
       MakeDecommissionCommand},
      {"scanners", "List scanners, when each last delivered, stale ones and silent agents",
       MakeScannersCommand},
      {"coverage", "Zone scan-cadence rules of the configuration: met or missed per asset",
       MakeCoverageCommand},
      {"scanner", "Configure a scanner: vigil scanner set NAME --kind K --cadence D",
       MakeScannerCommand},
      {"config", "The configuration in force: vigil config apply FILE | config show",
       MakeConfigCommand},
      {"migrate", "Copy a whole database into an empty one: vigil migrate --from URL --to URL",
       MakeMigrateCommand},
      {"serve", "Serve the web UI and the JSON API: vigil serve --listen 127.0.0.1:8080",
       MakeServeCommand},
  };
  return kTable;
}

Status RefuseConfigOption(const GlobalOptions& global) {
  if (global.config.empty()) {
    return Status::Ok();
  }
  return UsageError(
      "--config is read only by 'vigil init' and 'vigil config apply': every other command "
      "uses the configuration recorded in the database (vigil config show); to change it, "
      "vigil config apply " +
      global.config);
}

Result<std::unique_ptr<App>> OpenService(const GlobalOptions& global, Access access) {
  RETURN_IF_ERROR(RefuseConfigOption(global));
  return App::Create(AppOptions{.db_url = global.db,
                                .now = global.now,
                                .user = global.as,
                                .token = global.token,
                                .access = access});
}

namespace {

// The option `--field` of the command, or of the subcommand of it that ran.
bool HasOption(const CLI::App& command, const std::string& flag) {
  if (command.get_option_no_throw(flag) != nullptr) {
    return true;
  }
  for (const CLI::App* sub : command.get_subcommands()) {
    if (HasOption(*sub, flag)) {
      return true;
    }
  }
  return false;
}

}  // namespace

std::string CliMessage(const CLI::App& command, const Status& status) {
  std::string flag = "--" + status.field();
  std::replace(flag.begin(), flag.end(), '_', '-');
  if (!status.field().empty() && HasOption(command, flag)) {
    return flag + " " + status.message();
  }
  return status.Describe();
}

}  // namespace vigil::cli
