#include "engine/authorize.h"

#include <algorithm>

#include "core/credential.h"
#include "store/store.h"

namespace vigil {

std::string_view ToString(Action action) {
  switch (action) {
    case Action::kRead:
      return "read";
    case Action::kWrite:
      return "change data (decommission, inventory, scanners, feeds)";
    case Action::kImport:
      return "import scans";
    case Action::kManageUsers:
      return "manage users";
    case Action::kConfigure:
      return "apply a configuration";
    case Action::kOwnToken:
      return "manage their own tokens";
    case Action::kDecide:
      return "record decisions and reviews";
    case Action::kApprove:
      return "approve or reject decisions";
  }
  return "";
}

bool RoleAllows(Role role, Action action) {
  switch (action) {
    case Action::kRead:
      return true;
    case Action::kWrite:
    case Action::kImport:
    case Action::kDecide:
      return role != Role::kAuditor;
    case Action::kManageUsers:
    case Action::kConfigure:
      return role == Role::kAdmin;
    case Action::kOwnToken:
      return true;
    case Action::kApprove:
      return role == Role::kApprover;
  }
  return false;
}

bool ScopeAllows(unsigned scopes, Action action) {
  switch (action) {
    case Action::kRead:
      return (scopes & kScopeRead) != 0;
    case Action::kImport:
      return (scopes & kScopeImport) != 0;
    case Action::kWrite:
    case Action::kDecide:
      return (scopes & kScopeWrite) != 0;
    case Action::kManageUsers:
    case Action::kConfigure:
    case Action::kOwnToken:
    case Action::kApprove:
      return false;
  }
  return false;
}

Result<unsigned> ParseScopes(std::string_view text) {
  unsigned out = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = std::min(text.find(',', start), text.size());
    std::string_view name = text.substr(start, end - start);
    unsigned bit = 0;
    if (name == "read") {
      bit = kScopeRead;
    } else if (name == "import") {
      bit = kScopeImport;
    } else if (name == "write") {
      bit = kScopeWrite;
    }
    if (bit == 0) {
      return FieldError("scopes", "'" + std::string(name) +
                                      "' is not a scope: read, import or write, separated "
                                      "by commas");
    }
    if ((out & bit) != 0) {
      return FieldError("scopes", "names '" + std::string(name) + "' twice");
    }
    out |= bit;
    start = end + 1;
  }
  return out;
}

std::string FormatScopes(unsigned scopes) {
  std::string out;
  for (auto [bit, name] : {std::pair{kScopeRead, "read"}, std::pair{kScopeImport, "import"},
                           std::pair{kScopeWrite, "write"}}) {
    if ((scopes & bit) != 0) {
      out += (out.empty() ? "" : ",") + std::string(name);
    }
  }
  return out;
}

Status Authorize(Store& store, const Identity& identity, Action action) {
  const std::string& user = identity.user;
  ASSIGN_OR_RETURN(auto users, store.QueryUsers());
  if (users.empty()) {
    if (action == Action::kDecide || action == Action::kApprove) {
      return PermissionDenied(
          "no users are registered, and decisions need known people (four eyes): register "
          "an admin first with 'vigil --as NAME user add NAME --role admin', then the "
          "analysts and approvers");
    }
    return Status::Ok();
  }
  for (const auto& u : users) {
    if (u.name != user) {
      continue;
    }
    bool own_login = !identity.login.empty() && user == identity.login;
    if (identity.scopes && !ScopeAllows(*identity.scopes, action)) {
      return PermissionDenied("the pipeline token's scopes (" + FormatScopes(*identity.scopes) +
                              ") do not allow it to " + std::string(ToString(action)) +
                              (ScopeAllows(kScopeRead | kScopeImport | kScopeWrite, action)
                                   ? std::string()
                                   : ": that needs a person, signed in"));
    }
    if (identity.password_verified) {
      own_login = true;  // the password only its holder knows, checked by the front end
    }
    if (!own_login) {
      if (!identity.token) {
        return PermissionDenied("acting as '" + user + "' " +
                                (identity.login.empty()
                                     ? std::string("(this process's user has no login name)")
                                     : "(the login name is '" + identity.login + "')") +
                                " needs " + user + "'s token in $VIGIL_TOKEN");
      }
      if (!identity.token_verified && !VerifyToken(*identity.token, u.token_hash)) {
        return PermissionDenied("the token in $VIGIL_TOKEN is not " + user + "'s");
      }
    }
    if (!RoleAllows(u.role, action)) {
      return PermissionDenied("user '" + user + "' has the role " + std::string(ToString(u.role)) +
                              ", which may not " + std::string(ToString(action)));
    }
    // Approving is the second pair of eyes: it needs a credential nobody else has seen.
    if (!own_login && action == Action::kApprove &&
        (u.token_issued_by != user || identity.scopes)) {
      return PermissionDenied(
          user + "'s token was issued by " + u.token_issued_by +
          ", so it cannot approve or reject: renew it yourself first with 'VIGIL_TOKEN=<token> "
          "vigil --as " +
          user + " user token " + user + "' and approve with the new token");
    }
    return Status::Ok();
  }
  return PermissionDenied("unknown user '" + user +
                          "': act as a registered user with --as NAME, or ask an admin to run "
                          "'vigil user add " +
                          user + " --role ROLE'");
}

}  // namespace vigil
