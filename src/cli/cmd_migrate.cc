#include <CLI/CLI.hpp>
#include <iostream>

#include "app/migrate.h"
#include "cli/command.h"
#include "core/database_url.h"

namespace vigil::cli {
namespace {

// `vigil migrate --from URL --to URL`: copies every table of one database into an empty one
// (SQLite to PostgreSQL above all), ids and all, so that the audit log verifies there with the
// same size and root hash (app/migrate.h).
class MigrateCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--from", from_, "The database to copy (sqlite:PATH or postgresql://...)")
        ->required();
    sub.add_option("--to", to_, "The empty database to copy it into (created when missing)")
        ->required();
  }

  Status Run(const GlobalOptions& global) override {
    RETURN_IF_ERROR(RefuseConfigOption(global));
    if (global.now) {
      return UsageError("--now: migrate copies the databases as they are; it takes no time");
    }
    ASSIGN_OR_RETURN(MigrateOutcome out,
                     MigrateDatabase(MigrateInput{.from = from_, .to = to_, .user = global.as}));
    Report(out);
    return Status::Ok();
  }

 private:
  void Report(const MigrateOutcome& out) const {
    std::cout << "migrated " << RedactedUrl(from_) << " to " << RedactedUrl(to_)
              << " (schema version " << out.schema_version
              << (out.created_schema ? ", created" : "") << ")\n";
    int64_t total = 0;
    for (const TableCopy& t : out.tables) {
      std::cout << "  " << t.table << ": " << t.rows << " rows\n";
      total += t.rows;
    }
    std::cout << "copied " << total << " rows in " << out.tables.size() << " tables\n"
              << "source log: size " << out.source.size << " root " << out.source.root_hash << "\n"
              << "target log: size " << out.target.size << " root " << out.target.root_hash << "\n"
              << "signing key file (keep it for the target): " << out.key_path << "\n"
              << "log origin: " << out.origin << "\n"
              << "check it: vigil --db " << RedactedUrl(to_) << " audit verify\n";
  }

  std::string from_;
  std::string to_;
};

}  // namespace

std::unique_ptr<Command> MakeMigrateCommand() {
  return std::make_unique<MigrateCommand>();
}

}  // namespace vigil::cli
