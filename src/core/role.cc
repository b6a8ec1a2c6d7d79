#include "core/role.h"

namespace vigil {

std::string_view ToString(Role role) {
  switch (role) {
    case Role::kAdmin:
      return "admin";
    case Role::kApprover:
      return "approver";
    case Role::kAnalyst:
      return "analyst";
    case Role::kAuditor:
      return "auditor";
  }
  return "auditor";
}

std::optional<Role> ParseRole(std::string_view text) {
  for (Role r : {Role::kAdmin, Role::kApprover, Role::kAnalyst, Role::kAuditor}) {
    if (ToString(r) == text) {
      return r;
    }
  }
  return std::nullopt;
}

}  // namespace vigil
