// Users' roles (DESIGN.md section 5): what each may do is decided in engine/authorize.h.
#pragma once

#include <optional>
#include <string_view>

namespace vigil {

enum class Role { kAdmin, kApprover, kAnalyst, kAuditor };

std::string_view ToString(Role role);
std::optional<Role> ParseRole(std::string_view text);

}  // namespace vigil
