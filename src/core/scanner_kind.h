// The kinds of scanner vigil knows: agent, network, external, container, code.
#pragma once

#include <string>

namespace vigil {

bool IsScannerKind(const std::string& kind);

}  // namespace vigil
