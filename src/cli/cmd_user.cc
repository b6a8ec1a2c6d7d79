#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/command.h"
#include "cli/printer.h"
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
    list_ = sub.add_subcommand("list", "List the users and their roles");
    list_->add_option("--format", format_, "Output: table|json|csv");
  }

  Status Run(const GlobalOptions& global) override {
    if (list_->parsed()) {
      ASSIGN_OR_RETURN(OutputFormat format, ParseOutputFormat(format_));
      ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kRead));
      ASSIGN_OR_RETURN(auto users, app->store().QueryUsers());
      Table t;
      t.columns = {
          {"name", "NAME"}, {"role", "ROLE"}, {"created_at", "CREATED"}, {"created_by", "BY"}};
      for (const auto& u : users) {
        t.rows.push_back(
            {u.name, std::string(ToString(u.role)), TimeCell(u.created_at), u.created_by});
      }
      PrintTable(t, format, std::cout);
      return Status::Ok();
    }
    auto role = ParseRole(role_);
    if (!role) {
      return UsageError("--role must be admin, approver, analyst or auditor, not '" + role_ + "'");
    }
    if (name_.empty() || name_.size() > 64 ||
        name_.find_first_of(" \t\r\n,") != std::string::npos) {
      return UsageError("a user name is 1..64 characters without spaces or commas");
    }
    ASSIGN_OR_RETURN(auto app, OpenApp(global, Action::kManageUsers));
    Store& store = app->store();
    ASSIGN_OR_RETURN(auto users, store.QueryUsers());
    if (users.empty() && *role != Role::kAdmin) {
      return FailedPrecondition(
          "the first user must be an admin, who then registers the "
          "others: vigil --as NAME user add NAME --role admin");
    }
    for (const auto& u : users) {
      if (u.name == name_) {
        return FailedPrecondition("user '" + name_ + "' already exists with the role " +
                                  std::string(ToString(u.role)));
      }
    }
    RETURN_IF_ERROR(InTransaction(store, [&] {
      return store.InsertUser({.name = name_,
                               .role = *role,
                               .created_at = app->clock().Now(),
                               .created_by = app->user()});
    }));
    std::cout << "user " << name_ << " (" << ToString(*role) << ") registered by " << app->user()
              << "\n";
    return Status::Ok();
  }

 private:
  CLI::App* add_ = nullptr;
  CLI::App* list_ = nullptr;
  std::string name_, role_, format_ = "table";
};

}  // namespace

std::unique_ptr<Command> MakeUserCommand() {
  return std::make_unique<UserCommand>();
}

}  // namespace vigil::cli
