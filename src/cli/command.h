// The CLI is a command table: name, one-line help, and a factory for the handler. Each
// command lives in its own file (cmd_<name>.cc) and reaches the system only through App.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/app.h"
#include "core/status.h"

namespace CLI {
class App;
}

namespace vigil::cli {

struct GlobalOptions {
  std::string db;                  // --db
  std::optional<std::string> now;  // --now
  std::string as;                  // --as
  std::string config;              // --config
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

// Opens the App the global options describe, for a command that needs an initialized
// database.
Result<std::unique_ptr<App>> OpenApp(const GlobalOptions& global);

std::unique_ptr<Command> MakeInitCommand();
std::unique_ptr<Command> MakeImportCommand();
std::unique_ptr<Command> MakeVulnsCommand();
std::unique_ptr<Command> MakeFindingsCommand();
std::unique_ptr<Command> MakeAssetsCommand();
std::unique_ptr<Command> MakeScannersCommand();
std::unique_ptr<Command> MakeScannerCommand();
std::unique_ptr<Command> MakeDecommissionCommand();
std::unique_ptr<Command> MakeCheckCommand();
std::unique_ptr<Command> MakeCoverageCommand();

}  // namespace vigil::cli
