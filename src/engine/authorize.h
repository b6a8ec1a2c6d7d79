// Who may do what (docs/decisions.md#users-and-roles). Every command names the action it
// performs; the acting user (--as, default the login name) must be a registered user whose
// role allows it. Acting under another name than one's login name needs that user's token
// ($VIGIL_TOKEN), so that nobody can decide or approve in someone else's name.
//
// Until the first user is registered the installation is being set up: every action except
// deciding and approving is allowed (four eyes needs known people), and the first user
// registered must be an admin.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/role.h"
#include "core/status.h"

namespace vigil {

class Store;

enum class Action {
  kRead,         // listings, check, reports: every role
  kWrite,        // decommission, inventory, scanner set, feeds: admin, approver, analyst
  kImport,       // import a scan: admin, approver, analyst
  kManageUsers,  // user add, user role, another user's token: admin
  kConfigure,    // config apply: admin
  kOwnToken,     // one's own token and pipeline tokens: every role
  kDecide,       // decide, review record: admin, approver, analyst
  kApprove,      // approve, reject: approver
};

std::string_view ToString(Action action);

// True when `role` may perform `action`.
bool RoleAllows(Role role, Action action);

// What a pipeline token may do besides its user's role allowing it: `read` (kRead), `import`
// (kImport), `write` (kWrite, kDecide). Approving, users, configuration and tokens need a
// person: no scope covers them.
enum Scope : unsigned { kScopeRead = 1, kScopeImport = 2, kScopeWrite = 4 };
bool ScopeAllows(unsigned scopes, Action action);
// "read,import" ↔ bits; an unknown or repeated name is an error naming it.
Result<unsigned> ParseScopes(std::string_view text);
std::string FormatScopes(unsigned scopes);

// Who is acting: the name they act under, the operating system's login name (empty when the
// process's user has none: then only a token proves who acts), and the token they presented.
// Approving needs the approver's own login, or a token the approver issued themselves.
struct Identity {
  std::string user;
  std::string login;
  std::optional<std::string> token;
  // The front end has already checked `token` against the user's stored hash (the server
  // does once per token and remembers it while the hash is unchanged); Authorize does not
  // hash it again.
  bool token_verified = false;
  // Signed in with the password the user set themselves (a web session): a credential
  // nobody else has seen, good for approving.
  bool password_verified = false;
  // A pipeline token's scopes; unset for a person's own credentials.
  std::optional<unsigned> scopes;
};

// OK, or a clear refusal (ErrorCode kPermissionDenied) naming the user, the role and what
// would allow it.
Status Authorize(Store& store, const Identity& identity, Action action);

}  // namespace vigil
