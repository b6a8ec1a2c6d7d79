// vigil's entry point: parses the command line against the command table, runs the command
// and maps its Status to an exit code and one line on stderr.
//   0 success (and --help, --version); 1 `check` found something that needs attention;
//   2 rejected input or usage (an unknown command or option included);
//   3 internal or database failure (a database that cannot be opened, damaged stored state,
//     and any exception that escaped: "vigil: error: internal error: ...").
// Every error line starts with "vigil: error: ".
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <new>

#include "cli/command.h"
#include "cli/parse_error.h"
#include "cli/version.h"
#include "core/terminal_text.h"

namespace {

constexpr int kInternalExit = 3;

int ExitCode(const vigil::Status& status) {
  switch (status.code()) {
    case vigil::ErrorCode::kOk:
      return 0;
    case vigil::ErrorCode::kAttention:
      return 1;
    case vigil::ErrorCode::kInternal:
      return kInternalExit;
    default:
      return 2;
  }
}

// Writes without allocating: it also reports running out of memory.
int InternalError(const char* what) {
  std::cout.flush();
  std::cerr << "vigil: error: internal error: " << what << '\n';
  return kInternalExit;
}

// An exception that cannot reach main (thrown in a worker thread or through a noexcept
// function) ends the process here, with the same line and exit code.
[[noreturn]] void OnTerminate() {
  const char* what = "terminated without an exception";
  try {
    if (std::exception_ptr e = std::current_exception()) {
      std::rethrow_exception(e);
    }
  } catch (const std::bad_alloc&) {
    what = "out of memory";
  } catch (const std::exception& e) {
    what = e.what();
  } catch (...) {
    what = "an exception that is not a std::exception";
  }
  InternalError(what);
  std::_Exit(kInternalExit);
}

int Main(int argc, char** argv) {
  using vigil::cli::CommandTable;
  CLI::App app{"vigil: vulnerability management with evidence an auditor can verify"};
  app.name("vigil");
  app.set_version_flag("--version", "vigil " VIGIL_VERSION, "Print the version and exit");
  vigil::cli::GlobalOptions global;
  std::string now;
  app.add_option("--db", global.db,
                 "Database: a path, sqlite:PATH or postgresql://... (default $VIGIL_DB, else "
                 "./vigil.db)");
  app.add_option("--now", now, "Use this time as now (ISO-8601), for reproducible runs");
  app.add_option("--as", global.as, "Acting user (default: the login name)");
  app.add_option("--config", global.config,
                 "Configuration file, TOML (default $VIGIL_CONFIG, else none); docs/config.md");
  app.require_subcommand(1);
  app.fallthrough();

  std::vector<std::unique_ptr<vigil::cli::Command>> commands;
  std::vector<CLI::App*> subs;
  for (const auto& entry : CommandTable()) {
    commands.push_back(entry.make());
    subs.push_back(app.add_subcommand(entry.name, entry.help));
    commands.back()->AddOptions(*subs.back());
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {
    return app.exit(e);  // --help, --version: printed on stdout
  } catch (const CLI::ParseError& e) {
    std::cerr << "vigil: error: " << vigil::cli::DescribeParseError(app, e) << '\n';
    return 2;
  }
  if (!now.empty()) {
    global.now = now;
  }
  if (const char* token = std::getenv("VIGIL_TOKEN"); token != nullptr && *token != '\0') {
    global.token = token;
  }
  for (size_t i = 0; i < subs.size(); ++i) {
    if (subs[i]->parsed()) {
      vigil::Status status = commands[i]->Run(global);
      std::cout.flush();
      if (!status.ok() && status.code() != vigil::ErrorCode::kAttention) {
        std::cerr << "vigil: error: "
                  << vigil::ForTerminal(vigil::cli::CliMessage(*subs[i], status)) << '\n';
      }
      return ExitCode(status);
    }
  }
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::set_terminate(OnTerminate);
  try {
    return Main(argc, argv);
  } catch (const std::bad_alloc&) {
    return InternalError("out of memory");
  } catch (const std::exception& e) {
    return InternalError(e.what());
  } catch (...) {
    return InternalError("an exception that is not a std::exception");
  }
}
