#include <algorithm>
#include <map>
#include <set>

#include "store/copy_store.h"

namespace vigil {

Result<std::vector<TableColumns>> InCopyOrder(
    std::vector<TableColumns> tables,
    const std::vector<std::pair<std::string, std::string>>& refers) {
  std::sort(tables.begin(), tables.end(),
            [](const TableColumns& a, const TableColumns& b) { return a.table < b.table; });
  std::map<std::string, std::set<std::string>> needs;
  for (const auto& [from, to] : refers) {
    if (from != to) {
      needs[from].insert(to);
    }
  }
  std::vector<TableColumns> out;
  std::set<std::string> placed;
  while (!tables.empty()) {
    auto ready = std::find_if(tables.begin(), tables.end(), [&](const TableColumns& t) {
      const auto& n = needs[t.table];
      return std::all_of(n.begin(), n.end(), [&](const std::string& r) {
        return placed.count(r) > 0 ||
               std::none_of(tables.begin(), tables.end(),
                            [&](const TableColumns& u) { return u.table == r; });
      });
    });
    if (ready == tables.end()) {
      std::string names;
      for (const TableColumns& t : tables) {
        names += (names.empty() ? "" : ", ") + t.table;
      }
      return Internal("the foreign keys of these tables form a cycle: " + names);
    }
    placed.insert(ready->table);
    out.push_back(std::move(*ready));
    tables.erase(ready);
  }
  return out;
}

}  // namespace vigil
