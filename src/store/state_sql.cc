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

bool IsSqlIdentifier(std::string_view name) {
  if (name.empty()) {
    return false;
  }
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

std::string QuotedIdentifier(std::string_view name) {
  return "\"" + std::string(name) + "\"";
}

}  // namespace vigil
