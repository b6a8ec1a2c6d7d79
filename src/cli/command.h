// The CLI is a command table: name, one-line help, and a factory for the handler. Each
// command lives in its own file (cmd_<name>.cc) and reaches the system only through App.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "core/status.h"
#include "engine/authorize.h"

namespace CLI {
class App;
}

namespace vigil::cli {

struct GlobalOptions {
  std::string db;                    // --db
  std::optional<std::string> now;    // --now
  std::string as;                    // --as
  std::string config;                // --config
  std::optional<std::string> token;  // $VIGIL_TOKEN
};

class Command {
 public:
  virtual ~Command() = default;
  // Declares the command's own options and arguments on its subcommand.
  virtual void AddOptions(CLI::App& sub) = 0;
  // Runs after parsing. Output goes to stdout; errors are returned, never printed here.
  virtual Status Run(const GlobalOptions& global) = 0;
};

struct CommandEntry {
  const char* name;
  const char* help;
  std::unique_ptr<Command> (*make)();
};

const std::vector<CommandEntry>& CommandTable();

// Opens the App the global options describe, for a command whose use cases go through the
// application layer (app/service.h), which authorizes each call and records expiries before
// each write. `access` is kRead (read-only, --now sets the time) or kWrite.
Result<std::unique_ptr<App>> OpenService(const GlobalOptions& global, Access access);

// The words of an error for the command line: an error about a request field that is an
// option of the command that ran names the option (--severity ...).
std::string CliMessage(const CLI::App& command, const Status& status);

// A usage error when --config was given to a command other than init and config apply.
Status RefuseConfigOption(const GlobalOptions& global);

std::unique_ptr<Command> MakeInitCommand();
std::unique_ptr<Command> MakeMigrateCommand();
std::unique_ptr<Command> MakeImportCommand();
std::unique_ptr<Command> MakeVulnsCommand();
std::unique_ptr<Command> MakeFindingsCommand();
std::unique_ptr<Command> MakeAssetsCommand();
std::unique_ptr<Command> MakeScannersCommand();
std::unique_ptr<Command> MakeScannerCommand();
std::unique_ptr<Command> MakeDecommissionCommand();
std::unique_ptr<Command> MakeCheckCommand();
std::unique_ptr<Command> MakeCoverageCommand();
std::unique_ptr<Command> MakeUserCommand();
std::unique_ptr<Command> MakeTokenCommand();
std::unique_ptr<Command> MakeDecideCommand();
std::unique_ptr<Command> MakeApproveCommand();
std::unique_ptr<Command> MakeRejectCommand();
std::unique_ptr<Command> MakeDecisionsCommand();
std::unique_ptr<Command> MakeReviewCommand();
std::unique_ptr<Command> MakeNotifyCommand();
std::unique_ptr<Command> MakeClocksCommand();
std::unique_ptr<Command> MakeKevCommand();
std::unique_ptr<Command> MakeNvdCommand();
std::unique_ptr<Command> MakeEpssCommand();
std::unique_ptr<Command> MakeExportCommand();
std::unique_ptr<Command> MakeAuditCommand();
std::unique_ptr<Command> MakeReportCommand();
std::unique_ptr<Command> MakeConfigCommand();
std::unique_ptr<Command> MakeServeCommand();

}  // namespace vigil::cli
