// The output of a finding that several results of one report add to (the same check on the
// same port, the same rule at the same location): each distinct piece once, in time linear in
// the pieces' size, and at most kMaxTextBytes in all. Searching the text so far for every new
// piece made a report with many such results quadratic (issue 13).
#pragma once

#include <string>
#include <string_view>
#include <unordered_set>

namespace vigil {

class OutputMerge {
 public:
  // kWhole: a piece is a whole result's output; kLine: a line (an output made of lines).
  enum class Unit { kWhole, kLine };
  OutputMerge(Unit unit, std::string_view separator) : unit_(unit), separator_(separator) {}

  // Appends `piece` to `text` after the separator unless it is there already: added before,
  // or (the first time) equal to `text` (kWhole) or to one of its lines (kLine). Past the
  // limit, a note says that output was left out.
  void Append(std::string& text, std::string_view piece);

 private:
  void Seed(const std::string& text);

  Unit unit_;
  std::string separator_;
  std::unordered_set<std::string> seen_;
  bool seeded_ = false;
  bool full_ = false;
};

}  // namespace vigil
