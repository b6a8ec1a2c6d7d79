#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"
#include "engine/registry.h"
#include "store/store.h"

namespace vigil::cli {
namespace {

// `vigil user add NAME --role ROLE` and `vigil user list`: the people vigil knows and their
// roles (engine/authorize.h says what each role may do).
class UserCommand final : public Command {
 public:
  void AddOptions(CLI::App& sub) override {
    sub.require_subcommand(1);
    add_ = sub.add_subcommand("add",
                              "Register a user with a role (admin only; the first user "
                              "must be an admin)");
    add_->add_option("name", name_, "The user's name, as given to --as")->required();
    add_->add_option("--role", role_, "admin|approver|analyst|auditor")->required();
    token_ = sub.add_subcommand("token", "Give a user a new token (admins, or the user)");
    token_->add_option("name", name_, "The user")->required();
    role_cmd_ = sub.add_subcommand("role", "Give a user another role (admin only)");
    role_cmd_->add_option("name", name_, "The user")->required();
    role_cmd_->add_option("--role", role_, "admin|approver|analyst|auditor")->required();
    list_ = sub.add_subcommand("list", "List the users and their roles");
    list_->add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    if (list_->parsed()) {
      ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
      ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kRead));
      ASSIGN_OR_RETURN(auto users, app->store().QueryUsers());
      Table t;
      t.columns = {{"name", "NAME"},
                   {"role", "ROLE"},
                   {"created_at", "CREATED"},
                   {"created_by", "BY"},
                   {"role_granted_by", "ROLE GIVEN BY"},
                   {"token_issued_by", "TOKEN ISSUED BY"}};
      for (const auto& u : users) {
        t.rows.push_back({u.name, std::string(ToString(u.role)), TimeCell(u.created_at),
                          u.created_by, u.role_granted_by, u.token_issued_by});
      }
      PrintTable(t, format, std::cout);
      return Status::Ok();
    }
    if (token_->parsed()) {
      return NewTokenFor(global);
    }
    auto role = ParseRole(role_);
    if (!role) {
      return UsageError("--role must be admin, approver, analyst or auditor, not '" + role_ + "'");
    }
    if (role_cmd_->parsed()) {
      ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kManageUsers));
      RETURN_IF_ERROR(SetRole(app->store(), name_, *role, app->user(), app->clock().Now()));
      std::cout << "user " << name_ << " now has the role " << ToString(*role) << " (given by "
                << app->user() << ")\n";
      return Status::Ok();
    }
    if (name_.empty() || name_.size() > 64 ||
        name_.find_first_of(" \t\r\n,") != std::string::npos) {
      return UsageError("a user name is 1..64 characters without spaces or commas");
    }
    ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kManageUsers));
    ASSIGN_OR_RETURN(std::string token,
                     AddUser(app->store(), name_, *role, app->user(), app->clock().Now()));
    std::cout << "user " << name_ << " (" << ToString(*role) << ") registered by " << app->user()
              << "\n"
              << "token: " << token << "\n"
              << "(shown once; " << name_
              << " acts under another login name with VIGIL_TOKEN=<token> vigil --as " << name_
              << " ...)\n";
    return Status::Ok();
  }

 private:
  Status NewTokenFor(const GlobalOptions& global) {
    bool own = global.as.empty() ? LoginName() == name_ : global.as == name_;
    ASSIGN_OR_RETURN(auto app, OpenApp(global, own ? Action::kOwnToken : Action::kManageUsers));
    ASSIGN_OR_RETURN(std::string token, RenewToken(app->store(), name_, app->user(),
                                                   app->clock().Now(), app->identity().login));
    std::cout << "new token for " << name_ << " (the old one no longer works):\n"
              << "token: " << token << "\n";
    if (own) {
      std::cout << "(issued by " << name_ << " themselves: good for approving)\n";
    } else {
      std::cout << "(issued by " << app->user() << ": " << name_
                << " renews it themselves before approving: vigil --as " << name_ << " user token "
                << name_ << ")\n";
    }
    return Status::Ok();
  }

  CLI::App* add_ = nullptr;
  CLI::App* token_ = nullptr;
  CLI::App* role_cmd_ = nullptr;
  CLI::App* list_ = nullptr;
  std::string name_, role_, format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeUserCommand() {
  return std::make_unique<UserCommand>();
}

}  // namespace vigil::cli
