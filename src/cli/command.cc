#include "cli/command.h"

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
      {"decommission", "Take an asset out of service: its open findings become inactive",
       MakeDecommissionCommand},
      {"scanners", "List scanners, when each last delivered, stale ones and silent agents",
       MakeScannersCommand},
      {"coverage", "Zone scan-cadence rules of the configuration: met or missed per asset",
       MakeCoverageCommand},
      {"scanner", "Configure a scanner: vigil scanner set NAME --kind K --cadence D",
       MakeScannerCommand},
  };
  return kTable;
}

Result<std::unique_ptr<App>> OpenApp(const GlobalOptions& global) {
  return App::Create(AppOptions{
      .db_url = global.db, .now = global.now, .user = global.as, .config_path = global.config});
}

}  // namespace vigil::cli
