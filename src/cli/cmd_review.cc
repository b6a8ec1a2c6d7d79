#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"
#include "core/text.h"
#include "core/time.h"

namespace vigil::cli {
namespace {

// `vigil review record --participants A,B --notes TEXT` and `vigil review list`.
class ReviewCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.require_subcommand(1);
    record_ = sub.add_subcommand("record",
                                 "Record a review covering every vulnerability first "
                                 "seen since the previous one");
    record_->add_option("--participants", participants_, "Who took part, comma-separated")
        ->required();
    record_->add_option("--notes", notes_, "What was reviewed and concluded")->required();
    list_ = sub.add_subcommand("list", "List the reviews");
    list_->add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    if (list_->parsed()) {
      ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
      ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kRead));
      ASSIGN_OR_RETURN(Table t, app->service().Reviews(app->identity()));
      PrintTable(t, format, std::cout);
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kWrite));
    ASSIGN_OR_RETURN(
        ReviewRecord r,
        app->service().RecordReview(app->identity(), SplitNonEmpty(participants_, ","), notes_));
    std::cout << "review #" << r.id << " at " << FormatIso8601(r.at) << " ("
              << Join(r.participants, ", ") << ") covers " << r.vuln_ids.size()
              << " vulnerabilities first seen "
              << (r.covered_since ? "since " + FormatIso8601(*r.covered_since)
                                  : std::string("so far"))
              << "\n";
    if (r.participants.size() < 2) {
      std::cerr << "warning: a review by one person is not a multi-person review; vigil check "
                   "reports it\n";
    }
    return Status::Ok();
  }

 private:
  CLI::App* record_ = nullptr;
  CLI::App* list_ = nullptr;
  std::string participants_, notes_, format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeReviewCommand() {
  return std::make_unique<ReviewCommand>();
}

}  // namespace vigil::cli
