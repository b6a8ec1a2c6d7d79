#include "store/state_sql.h"

#include "core/finding.h"

namespace vigil {

std::string OpenStatesSql() {
  std::string out;
  for (FindingState s : OpenFindingStates()) {
    out += (out.empty() ? "('" : ", '") + std::string(ToString(s)) + "'";
  }
  return out + ")";
}

}  // namespace vigil
