#include <CLI/CLI.hpp>
#include <charconv>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"

namespace vigil::cli {
namespace {

// `vigil token add|list|revoke`: pipeline tokens (engine/credentials.h), which act as a user
// within scopes until they expire or are revoked.
class TokenCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.require_subcommand(1);
    add_ = sub.add_subcommand("add",
                              "Issue a pipeline token (for yourself, or as an admin for "
                              "another user)");
    add_->add_option("--label", label_, "What it is for, e.g. 'ci: nightly trivy'")->required();
    add_->add_option("--scopes", scopes_, "read, import and/or write, separated by commas")
        ->required();
    add_->add_option("--expires", expires_, "How long it works (default 90d; at most 366d)");
    add_->add_option("--user", user_, "The user it acts as (default: yourself)");
    list_ = sub.add_subcommand("list", "List pipeline tokens (never their secrets)");
    list_->add_option("--format", format_, "Output: table|json|csv");
    revoke_ = sub.add_subcommand("revoke", "Revoke a pipeline token (its user, or an admin)");
    revoke_->add_option("id", id_, "The token's id (vigil token list)")->required();
  }

  Status Run(const GlobalOptions& global) override {
    if (list_->parsed()) {
      ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
      ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kRead));
      ASSIGN_OR_RETURN(Table t, app->service().ApiTokens(app->identity()));
      PrintTable(t, format, std::cout);
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kWrite));
    if (revoke_->parsed()) {
      int64_t id = 0;
      auto [end, ec] = std::from_chars(id_.data(), id_.data() + id_.size(), id);
      if (ec != std::errc() || end != id_.data() + id_.size()) {
        return UsageError("the token id must be a number (vigil token list), not '" + id_ + "'");
      }
      RETURN_IF_ERROR(app->service().RevokeApiToken(app->identity(), id));
      std::cout << "pipeline token " << id << " revoked by " << app->user() << "\n";
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(IssuedApiToken issued,
                     app->service().IssueApiToken(
                         app->identity(),
                         {.user = user_, .label = label_, .scopes = scopes_, .expires = expires_}));
    const ApiTokenRecord& r = issued.record;
    std::cout << "pipeline token " << r.id << " for " << r.user << " (" << r.scopes << "), until "
              << FormatIso8601(r.expires_at) << ":\n"
              << "token: " << issued.token << "\n"
              << "(shown once; send it as Authorization: Bearer <token>)\n";
    return Status::Ok();
  }

 private:
  CLI::App* add_ = nullptr;
  CLI::App* list_ = nullptr;
  CLI::App* revoke_ = nullptr;
  std::string label_, scopes_, expires_ = "90d", user_, id_, format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeTokenCommand() {
  return std::make_unique<TokenCommand>();
}

}  // namespace vigil::cli
