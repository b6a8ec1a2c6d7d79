// What both SQL backends need of the domain's finding states.
#pragma once

#include <string>

namespace vigil {

// The open finding states as an SQL list, "('open', 'reopened')", for statements fixed when
// they are built: what counts as open is core's IsOpen, not a backend's SQL.
std::string OpenStatesSql();

}  // namespace vigil
