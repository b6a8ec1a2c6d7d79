#include "cvss/cvss3.h"

#include <algorithm>
#include <cmath>

namespace vigil::cvss {
namespace {

// Weights per value index, in the order of metrics.h (v3.1 §7.4). Modified metrics list X
// first and then the base metric's values, so value index i of MAV is index i - 1 of AV.
constexpr double kAv[] = {0.85, 0.62, 0.55, 0.2};       // N A L P
constexpr double kAc[] = {0.77, 0.44};                  // L H
constexpr double kPrUnchanged[] = {0.85, 0.62, 0.27};   // N L H
constexpr double kPrChanged[] = {0.85, 0.68, 0.5};      // N L H
constexpr double kUi[] = {0.85, 0.62};                  // N R
constexpr double kCia[] = {0.56, 0.22, 0.0};            // H L N
constexpr double kE[] = {1.0, 1.0, 0.97, 0.94, 0.91};   // X H F P U
constexpr double kRl[] = {1.0, 1.0, 0.97, 0.96, 0.95};  // X U W T O
constexpr double kRc[] = {1.0, 1.0, 0.96, 0.92};        // X C R U
constexpr double kReq[] = {1.0, 1.5, 1.0, 0.5};         // X H M L
constexpr int kScopeChanged = 1;                        // S: U C

// The effective value index of a base metric: its modified metric's when that is given.
int Effective(const ParsedVector& p, int base, int modified) {
  int m = p.value[modified];
  return m == 0 ? p.value[base] : m - 1;
}

struct Inputs {
  bool changed;
  double av, ac, pr, ui, c, i, a;
};

Inputs BaseInputs(const ParsedVector& p) {
  bool changed = p.value[v3::kS] == kScopeChanged;
  return Inputs{changed,
                kAv[p.value[v3::kAV]],
                kAc[p.value[v3::kAC]],
                (changed ? kPrChanged : kPrUnchanged)[p.value[v3::kPR]],
                kUi[p.value[v3::kUI]],
                kCia[p.value[v3::kC]],
                kCia[p.value[v3::kI]],
                kCia[p.value[v3::kA]]};
}

Inputs ModifiedInputs(const ParsedVector& p) {
  bool changed = Effective(p, v3::kS, v3::kMS) == kScopeChanged;
  return Inputs{changed,
                kAv[Effective(p, v3::kAV, v3::kMAV)],
                kAc[Effective(p, v3::kAC, v3::kMAC)],
                (changed ? kPrChanged : kPrUnchanged)[Effective(p, v3::kPR, v3::kMPR)],
                kUi[Effective(p, v3::kUI, v3::kMUI)],
                kCia[Effective(p, v3::kC, v3::kMC)],
                kCia[Effective(p, v3::kI, v3::kMI)],
                kCia[Effective(p, v3::kA, v3::kMA)]};
}

// Roundup(Minimum(Impact + Exploitability, 10)), × 1.08 inside when the scope changed; 0
// when Impact <= 0. In tenths.
int ImpactPlusExploitability(const Inputs& in, double impact) {
  if (impact <= 0) {
    return 0;
  }
  double exploitability = 8.22 * in.av * in.ac * in.pr * in.ui;
  double sum = in.changed ? 1.08 * (impact + exploitability) : impact + exploitability;
  return RoundupTenths(std::min(sum, 10.0));
}

int BaseTenths(const ParsedVector& p) {
  Inputs in = BaseInputs(p);
  double iss = 1 - (1 - in.c) * (1 - in.i) * (1 - in.a);
  double impact = in.changed ? 7.52 * (iss - 0.029) - 3.25 * std::pow(iss - 0.02, 15) : 6.42 * iss;
  return ImpactPlusExploitability(in, impact);
}

// Roundup(score × E × RL × RC), multiplied left to right as the specification writes it
// (the association changes the last bit of the product).
int TemporalTenths(int score_tenths, const ParsedVector& p) {
  return RoundupTenths(score_tenths / 10.0 * kE[p.value[v3::kE]] * kRl[p.value[v3::kRL]] *
                       kRc[p.value[v3::kRC]]);
}

int EnvironmentalTenths(const ParsedVector& p) {
  Inputs in = ModifiedInputs(p);
  double miss =
      std::min(1 - (1 - kReq[p.value[v3::kCR]] * in.c) * (1 - kReq[p.value[v3::kIR]] * in.i) *
                       (1 - kReq[p.value[v3::kAR]] * in.a),
               0.915);
  double impact = 6.42 * miss;
  if (in.changed) {
    impact = p.version == Version::kV31
                 ? 7.52 * (miss - 0.029) - 3.25 * std::pow(miss * 0.9731 - 0.02, 13)
                 : 7.52 * (miss - 0.029) - 3.25 * std::pow(miss - 0.02, 15);
  }
  return TemporalTenths(ImpactPlusExploitability(in, impact), p);
}

}  // namespace

int RoundupTenths(double x) {
  long long scaled = std::llround(x * 100000);
  if (scaled % 10000 == 0) {
    return static_cast<int>(scaled / 10000);
  }
  return static_cast<int>(scaled / 10000 + 1);
}

Cvss3Scores ScoreCvss3(const ParsedVector& p) {
  int base = BaseTenths(p);
  return Cvss3Scores{.base = base / 10.0,
                     .temporal = TemporalTenths(base, p) / 10.0,
                     .environmental = EnvironmentalTenths(p) / 10.0};
}

Result<Cvss3Scores> ScoreCvss3(std::string_view vector) {
  ASSIGN_OR_RETURN(ParsedVector parsed, ParseVector(vector));
  if (parsed.version != Version::kV30 && parsed.version != Version::kV31) {
    return InvalidInput(std::string(vector.substr(0, 120)) + ": not a CVSS v3 vector");
  }
  return ScoreCvss3(parsed);
}

}  // namespace vigil::cvss
