#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"

namespace vigil::cli {
namespace {

// `vigil nvd import FILE|DIR...`: NVD CVE records, offline.
class NvdCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.require_subcommand(1);
    CLI::App* import = sub.add_subcommand(
        "import",
        "Load NVD CVE API 2.0 response pages or CVE records (.json, .json.gz; directories are "
        "read recursively); a record replaces an older one of the same CVE");
    import->add_option("paths", paths_, "Files or directories")->required();
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kWrite));
    ASSIGN_OR_RETURN(NvdLoadResult r, app->service().LoadNvd(app->identity(), paths_));
    std::cout << "read " << r.records << " CVE records from " << r.files << " files: " << r.stored
              << " stored, " << r.older << " not newer than the stored record; " << r.reclassified
              << " vulnerabilities reclassified\n";
    for (const auto& s : r.skipped) {
      std::cout << "skipped " << s << ": not an NVD response page nor a CVE record\n";
    }
    return Status::Ok();
  }

 private:
  std::vector<std::string> paths_;
};

// `vigil epss import FILE`: one day's EPSS scores, offline.
class EpssCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.require_subcommand(1);
    CLI::App* import = sub.add_subcommand(
        "import", "Load FIRST's EPSS CSV (plain or .gz), replacing the previous scores");
    import->add_option("file", file_, "epss_scores-YYYY-MM-DD.csv[.gz]")->required();
  }

  Status Run(const GlobalOptions& global) override {
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kWrite));
    ASSIGN_OR_RETURN(EpssLoadResult r, app->service().LoadEpss(app->identity(), file_));
    std::cout << "loaded " << r.scores << " EPSS scores"
              << (r.model_version.empty() ? "" : " (model " + r.model_version + ")") << " of "
              << FormatIso8601(r.score_date) << " from " << file_ << "\n";
    return Status::Ok();
  }

 private:
  std::string file_;
};

}  // namespace

std::unique_ptr<Command> MakeNvdCommand() {
  return std::make_unique<NvdCommand>();
}

std::unique_ptr<Command> MakeEpssCommand() {
  return std::make_unique<EpssCommand>();
}

}  // namespace vigil::cli
