// CVSS v4.0 MacroVectors (specification §8.2): the six equivalence classes EQ1..EQ6 of a
// vector and the specification's score for each of the 270 MacroVectors that exist.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace vigil::cvss {

// The effective value of each metric that enters a v4.0 score, as a severity level
// (0 = most severe), the scale of the reference calculator's severity distances
// (cvss_score.js, in steps of 0.1 there).
struct Cvss4Levels {
  int av = 0;                  // N 0, A 1, L 2, P 3
  int ac = 0;                  // L 0, H 1
  int at = 0;                  // N 0, P 1
  int pr = 0;                  // N 0, L 1, H 2
  int ui = 0;                  // N 0, P 1, A 2
  int vc = 0, vi = 0, va = 0;  // H 0, L 1, N 2
  int sc = 0;                  // H 1, L 2, N 3
  int si = 0, sa = 0;          // S 0 (only through MSI/MSA), H 1, L 2, N 3
  int cr = 0, ir = 0, ar = 0;  // H 0, M 1, L 2
  int e = 0;                   // A 0, P 1, U 2
};

struct MacroVector {
  // EQ1 0-2, EQ2 0-1, EQ3 0-2, EQ4 0-2, EQ5 0-2, EQ6 0-1; 0 is the most severe class.
  std::array<int, 6> eq{};

  // "EQ1EQ2...EQ6", e.g. "000200".
  std::string ToString() const;
  bool operator==(const MacroVector&) const = default;
};

MacroVector MacroVectorOf(const Cvss4Levels& levels);

// The specification's score of `macro` in tenths (93 for 9.3), or -1 when that MacroVector
// does not exist: an EQ out of range, or EQ3 = 2 with EQ6 = 0.
int MacroVectorScoreTenths(const MacroVector& macro);

}  // namespace vigil::cvss
