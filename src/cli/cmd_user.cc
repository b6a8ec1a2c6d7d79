#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"

namespace vigil::cli {
namespace {

// `vigil user add NAME --role ROLE`, `user enrol`, `user token`, `user role` and `user list`:
// the people vigil knows, their roles (engine/authorize.h says what each role may do) and
// their credentials (engine/credentials.h).
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
    enrol_ = sub.add_subcommand("enrol",
                                "Give a user a new one-time enrolment code to set their "
                                "password with (admin only; a password reset)");
    enrol_->add_option("name", name_, "The user")->required();
    role_cmd_ = sub.add_subcommand("role", "Give a user another role (admin only)");
    role_cmd_->add_option("name", name_, "The user")->required();
    role_cmd_->add_option("--role", role_, "admin|approver|analyst|auditor")->required();
    list_ = sub.add_subcommand("list", "List the users and their roles");
    list_->add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    if (list_->parsed()) {
      ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
      ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kRead));
      ASSIGN_OR_RETURN(Table t, app->service().Users(app->identity()));
      PrintTable(t, format, std::cout);
      return Status::Ok();
    }
    if (token_->parsed()) {
      return NewTokenFor(global);
    }
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kWrite));
    Service service = app->service();
    if (role_cmd_->parsed()) {
      ASSIGN_OR_RETURN(Role role, service.SetRole(app->identity(), name_, role_));
      std::cout << "user " << name_ << " now has the role " << ToString(role) << " (given by "
                << app->user() << ")\n";
      return Status::Ok();
    }
    if (enrol_->parsed()) {
      ASSIGN_OR_RETURN(Enrolment e, service.IssueEnrolment(app->identity(), name_));
      std::cout << "new enrolment code for " << name_ << " (the old one no longer works):\n"
                << "enrolment code: " << e.code << "\n";
      PrintEnrolmentHint(e.expires_at);
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(NewUser added, service.AddUser(app->identity(), name_, role_));
    std::cout << "user " << name_ << " (" << role_ << ") registered by " << app->user() << "\n"
              << "token: " << added.token << "\n"
              << "enrolment code: " << added.enrolment_code << "\n"
              << "(both shown once; " << name_
              << " acts under another login name with VIGIL_TOKEN=<token> vigil --as " << name_
              << " ...)\n";
    PrintEnrolmentHint(added.enrolment_expires_at);
    return Status::Ok();
  }

 private:
  void PrintEnrolmentHint(Timestamp expires_at) const {
    std::cout << "(" << name_ << " sets a password with the enrolment code at the server's "
              << "/enrol page or POST /api/v1/enrolment, until " << FormatIso8601(expires_at)
              << "; it works once)\n";
  }

  Status NewTokenFor(const GlobalOptions& global) {
    ASSIGN_OR_RETURN(auto app, OpenService(global, Access::kWrite));
    bool own = app->user() == name_;
    ASSIGN_OR_RETURN(std::string token, app->service().RenewToken(app->identity(), name_));
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
  CLI::App* enrol_ = nullptr;
  CLI::App* role_cmd_ = nullptr;
  CLI::App* list_ = nullptr;
  std::string name_, role_, format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeUserCommand() {
  return std::make_unique<UserCommand>();
}

}  // namespace vigil::cli
