#include "cvss/cvss4.h"

#include <algorithm>
#include <array>
#include <span>

namespace vigil::cvss {
namespace {

// The effective level of a base metric: its modified metric's value when given, else its
// own. `base_offset` is the level of the base metric's value index 0; modified metrics
// list X first, so their value index i is level i - 1 + `modified_offset`.
int Effective(const ParsedVector& p, int base, int modified, int base_offset = 0,
              int modified_offset = 0) {
  int m = p.value[modified];
  return m == 0 ? p.value[base] + base_offset : m - 1 + modified_offset;
}

// X means the worst case for E (A) and CR/IR/AR (H), level 0 in both.
int WorstCaseDefault(const ParsedVector& p, int metric) {
  int v = p.value[metric];
  return v == 0 ? 0 : v - 1;
}

Cvss4Levels LevelsOf(const ParsedVector& p) {
  using namespace v4;
  Cvss4Levels l;
  l.av = Effective(p, kAV, kMAV);
  l.ac = Effective(p, kAC, kMAC);
  l.at = Effective(p, kAT, kMAT);
  l.pr = Effective(p, kPR, kMPR);
  l.ui = Effective(p, kUI, kMUI);
  l.vc = Effective(p, kVC, kMVC);
  l.vi = Effective(p, kVI, kMVI);
  l.va = Effective(p, kVA, kMVA);
  // SC/SI/SA: H L N are levels 1 2 3; MSI/MSA add S (Safety) at level 0.
  l.sc = Effective(p, kSC, kMSC, 1, 1);
  l.si = Effective(p, kSI, kMSI, 1, 0);
  l.sa = Effective(p, kSA, kMSA, 1, 0);
  l.cr = WorstCaseDefault(p, kCR);
  l.ir = WorstCaseDefault(p, kIR);
  l.ar = WorstCaseDefault(p, kAR);
  l.e = WorstCaseDefault(p, kE);
  return l;
}

// The highest-severity vectors of each MacroVector, per EQ (the reference calculator's
// max_composed.js), as levels; and each EQ's depth (max_severity.js).
using Levels3 = std::array<int, 3>;  // AV PR UI, or SC SI SA
using Levels2 = std::array<int, 2>;  // AC AT
using Levels6 = std::array<int, 6>;  // VC VI VA CR IR AR

constexpr Levels3 kEq1Max0[] = {{0, 0, 0}};
constexpr Levels3 kEq1Max1[] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
constexpr Levels3 kEq1Max2[] = {{3, 0, 0}, {1, 1, 1}};
constexpr std::span<const Levels3> kEq1Max[] = {kEq1Max0, kEq1Max1, kEq1Max2};
constexpr int kEq1Depth[] = {1, 4, 5};

constexpr Levels2 kEq2Max0[] = {{0, 0}};
constexpr Levels2 kEq2Max1[] = {{1, 0}, {0, 1}};
constexpr std::span<const Levels2> kEq2Max[] = {kEq2Max0, kEq2Max1};
constexpr int kEq2Depth[] = {1, 2};

constexpr Levels6 kEq36Max00[] = {{0, 0, 0, 0, 0, 0}};
constexpr Levels6 kEq36Max01[] = {{0, 0, 1, 1, 1, 0}, {0, 0, 0, 1, 1, 1}};
constexpr Levels6 kEq36Max10[] = {{1, 0, 0, 0, 0, 0}, {0, 1, 0, 0, 0, 0}};
constexpr Levels6 kEq36Max11[] = {{1, 0, 1, 0, 1, 0},
                                  {1, 0, 0, 0, 1, 1},
                                  {0, 1, 0, 1, 0, 1},
                                  {0, 1, 1, 1, 0, 0},
                                  {1, 1, 0, 0, 0, 1}};
constexpr Levels6 kEq36Max21[] = {{1, 1, 1, 0, 0, 0}};
// Indexed [EQ3][EQ6]; EQ3 = 2 with EQ6 = 0 does not exist.
constexpr std::span<const Levels6> kEq36Max[3][2] = {
    {kEq36Max00, kEq36Max01}, {kEq36Max10, kEq36Max11}, {{}, kEq36Max21}};
constexpr int kEq36Depth[3][2] = {{7, 6}, {8, 8}, {0, 10}};

constexpr Levels3 kEq4Max0[] = {{1, 0, 0}};
constexpr Levels3 kEq4Max1[] = {{1, 1, 1}};
constexpr Levels3 kEq4Max2[] = {{2, 2, 2}};
constexpr std::span<const Levels3> kEq4Max[] = {kEq4Max0, kEq4Max1, kEq4Max2};
constexpr int kEq4Depth[] = {6, 5, 4};

// A common multiple of every depth, so that the interpolation stays in integers.
constexpr int kDepthMultiple = 840;

// The severity distance of `levels` from the first of `maxes` that is at least as severe in
// every metric. One always exists: every EQ class's list covers each way of being in that
// class (the reference calculator's search over the composed max vectors therefore always
// stops at the combination of these per-EQ choices).
template <size_t N>
int Distance(const std::array<int, N>& levels, std::span<const std::array<int, N>> maxes) {
  for (const auto& max : maxes) {
    int sum = 0;
    bool covers = true;
    for (size_t i = 0; i < N; ++i) {
      covers = covers && levels[i] >= max[i];
      sum += levels[i] - max[i];
    }
    if (covers) {
      return sum;
    }
  }
  return 0;  // unreachable for levels in the MacroVector the maxes belong to
}

struct Distances {
  int eq1, eq2, eq36, eq4;
};

Distances SeverityDistances(const Cvss4Levels& l, const MacroVector& m) {
  return Distances{
      Distance(Levels3{l.av, l.pr, l.ui}, kEq1Max[m.eq[0]]),
      Distance(Levels2{l.ac, l.at}, kEq2Max[m.eq[1]]),
      Distance(Levels6{l.vc, l.vi, l.va, l.cr, l.ir, l.ar}, kEq36Max[m.eq[2]][m.eq[5]]),
      Distance(Levels3{l.sc, l.si, l.sa}, kEq4Max[m.eq[3]]),
  };
}

// The score of the MacroVector one class less severe in EQ `eq` (0-based), or -1.
int ScoreOf(MacroVector m, int eq) {
  ++m.eq[eq];
  return MacroVectorScoreTenths(m);
}

// The score of the next lower MacroVector for EQ3 and EQ6 together: 00 -> the higher of 01
// and 10; 01 -> 11; 10 -> 11; 11 -> 21; 21 -> none.
int LowerEq36(const MacroVector& m) {
  int eq3 = m.eq[2];
  int eq6 = m.eq[5];
  if (eq3 == 0 && eq6 == 0) {
    return std::max(ScoreOf(m, 5), ScoreOf(m, 2));
  }
  if (eq3 == 1 && eq6 == 0) {
    return ScoreOf(m, 5);
  }
  if (eq3 == 2) {
    return -1;
  }
  return ScoreOf(m, 2);
}

// §8.2: the MacroVector's score minus the mean, over the EQs whose next lower MacroVector
// exists, of (score − lower score) × distance / depth. Exact: every term is a multiple of
// 1 / (kDepthMultiple × n) tenths. Returns tenths, rounded half up, within [0, 100].
int InterpolatedTenths(const Cvss4Levels& l, const MacroVector& m) {
  int value = MacroVectorScoreTenths(m);
  Distances d = SeverityDistances(l, m);
  struct Term {
    int lower;  // score of the next lower MacroVector, -1 if none
    int distance;
    int depth;
  };
  const Term terms[] = {
      {ScoreOf(m, 0), d.eq1, kEq1Depth[m.eq[0]]},
      {ScoreOf(m, 1), d.eq2, kEq2Depth[m.eq[1]]},
      {LowerEq36(m), d.eq36, kEq36Depth[m.eq[2]][m.eq[5]]},
      {ScoreOf(m, 3), d.eq4, kEq4Depth[m.eq[3]]},
      {ScoreOf(m, 4), 0, 1},  // EQ5's proportion is always 0, but it counts in the mean
  };
  long long sum = 0;  // Σ available × distance / depth, in 1/kDepthMultiple tenths
  int n = 0;
  for (const Term& t : terms) {
    if (t.lower < 0) {
      continue;
    }
    ++n;
    sum += static_cast<long long>(value - t.lower) * t.distance * (kDepthMultiple / t.depth);
  }
  if (n == 0) {
    return value;
  }
  long long den = static_cast<long long>(kDepthMultiple) * n;
  long long num = value * den - sum;  // the score is num / den tenths
  num = std::clamp(num, 0LL, 100 * den);
  return static_cast<int>((2 * num + den) / (2 * den));
}

bool NoImpact(const Cvss4Levels& l) {
  return l.vc == 2 && l.vi == 2 && l.va == 2 && l.sc == 3 && l.si == 3 && l.sa == 3;
}

int Tenths(const ParsedVector& p, MacroVector* macro) {
  Cvss4Levels l = LevelsOf(p);
  MacroVector m = MacroVectorOf(l);
  if (macro != nullptr) {
    *macro = m;
  }
  return NoImpact(l) ? 0 : InterpolatedTenths(l, m);
}

std::string_view Nomenclature(const ParsedVector& p) {
  bool threat = p.Defined(v4::kE);
  bool environmental = p.AnyDefined(v4::kCR, v4::kMSA);
  if (threat) {
    return environmental ? "CVSS-BTE" : "CVSS-BT";
  }
  return environmental ? "CVSS-BE" : "CVSS-B";
}

}  // namespace

Cvss4Score ScoreCvss4(const ParsedVector& p) {
  Cvss4Score score;
  score.score = Tenths(p, &score.macro_vector) / 10.0;
  score.nomenclature = Nomenclature(p);
  score.supplemental = Cvss4Supplemental{.safety = p.Text(v4::kS),
                                         .automatable = p.Text(v4::kAU),
                                         .recovery = p.Text(v4::kR),
                                         .value_density = p.Text(v4::kV),
                                         .response_effort = p.Text(v4::kRE),
                                         .urgency = p.Text(v4::kU)};
  return score;
}

Result<Cvss4Score> ScoreCvss4(std::string_view vector) {
  ASSIGN_OR_RETURN(ParsedVector parsed, ParseVector(vector));
  if (parsed.version != Version::kV40) {
    return InvalidInput(std::string(vector.substr(0, 120)) + ": not a CVSS v4.0 vector");
  }
  return ScoreCvss4(parsed);
}

double ScoreCvss4Groups(const ParsedVector& parsed, Cvss4Groups groups) {
  ParsedVector p = parsed;
  int first_dropped = groups == Cvss4Groups::kBase         ? v4::kE
                      : groups == Cvss4Groups::kBaseThreat ? v4::kCR
                                                           : v4::kS;
  for (int m = first_dropped; m < v4::kS; ++m) {
    p.value[m] = 0;
    p.present &= ~(1u << m);
  }
  return Tenths(p, nullptr) / 10.0;
}

}  // namespace vigil::cvss
