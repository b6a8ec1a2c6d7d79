#include "cvss/cvss2.h"

#include <algorithm>
#include <cstdint>

namespace vigil::cvss {
namespace {

__extension__ using Int128 = __int128;

constexpr Int128 Pow10(int n) {
  Int128 p = 1;
  for (int i = 0; i < n; ++i) {
    p *= 10;
  }
  return p;
}

// An exact decimal, units × 10^-scale. The deepest v2 expression (the environmental
// AdjustedImpact times 0.6 times 1.176) needs 27 decimals and stays below 10^29.
struct Dec {
  Int128 units = 0;
  int scale = 0;
};

// Weights are written in thousandths: Milli(395) is 0.395.
constexpr Dec Milli(int64_t thousandths) {
  return Dec{thousandths, 3};
}

Dec Rescale(Dec a, int scale) {
  return Dec{a.units * Pow10(scale - a.scale), scale};
}
Dec operator*(Dec a, Dec b) {
  return Dec{a.units * b.units, a.scale + b.scale};
}
Dec operator+(Dec a, Dec b) {
  int scale = std::max(a.scale, b.scale);
  return Dec{Rescale(a, scale).units + Rescale(b, scale).units, scale};
}
Dec operator-(Dec a, Dec b) {
  return a + Dec{-b.units, b.scale};
}
bool operator<(Dec a, Dec b) {
  int scale = std::max(a.scale, b.scale);
  return Rescale(a, scale).units < Rescale(b, scale).units;
}

const Dec kOne = Milli(1000);
const Dec kTen = Milli(10000);

// round_to_1_decimal: half up, negative results as 0.0. Returns tenths as a Dec.
Dec RoundToTenths(Dec a) {
  if (a.units <= 0) {
    return Dec{0, 1};
  }
  if (a.scale <= 1) {
    return Rescale(a, 1);
  }
  Int128 unit = Pow10(a.scale - 1);
  return Dec{(a.units + unit / 2) / unit, 1};
}

double ToDouble(Dec tenths) {
  return static_cast<double>(static_cast<int64_t>(tenths.units)) / 10;
}

// Weights per value index, in the order of metrics.h.
constexpr int64_t kAv[] = {395, 646, 1000};             // L A N
constexpr int64_t kAc[] = {350, 610, 710};              // H M L
constexpr int64_t kAu[] = {450, 560, 704};              // M S N
constexpr int64_t kCia[] = {0, 275, 660};               // N P C
constexpr int64_t kE[] = {1000, 850, 900, 950, 1000};   // ND U POC F H
constexpr int64_t kRl[] = {1000, 870, 900, 950, 1000};  // ND OF TF W U
constexpr int64_t kRc[] = {1000, 900, 950, 1000};       // ND UC UR C
constexpr int64_t kCdp[] = {0, 0, 100, 300, 400, 500};  // ND N L LM MH H
constexpr int64_t kTd[] = {1000, 0, 250, 750, 1000};    // ND N L M H
constexpr int64_t kReq[] = {1000, 500, 1000, 1510};     // ND L M H

Dec W(const int64_t* weights, const ParsedVector& p, int metric) {
  return Milli(weights[p.value[metric]]);
}

Dec Impact(const ParsedVector& p) {
  return Milli(10410) * (kOne - (kOne - W(kCia, p, v2::kC)) * (kOne - W(kCia, p, v2::kI)) *
                                    (kOne - W(kCia, p, v2::kA)));
}

Dec AdjustedImpact(const ParsedVector& p) {
  Dec impact = Milli(10410) * (kOne - (kOne - W(kCia, p, v2::kC) * W(kReq, p, v2::kCR)) *
                                          (kOne - W(kCia, p, v2::kI) * W(kReq, p, v2::kIR)) *
                                          (kOne - W(kCia, p, v2::kA) * W(kReq, p, v2::kAR)));
  return kTen < impact ? kTen : impact;
}

// BaseScore = round_to_1_decimal(((0.6 × Impact) + (0.4 × Exploitability) − 1.5) × f(Impact))
Dec BaseEquation(const ParsedVector& p, Dec impact) {
  if (impact.units == 0) {
    return Dec{0, 1};
  }
  Dec exploitability = Milli(20000) * W(kAv, p, v2::kAV) * W(kAc, p, v2::kAC) * W(kAu, p, v2::kAu);
  return RoundToTenths((Milli(600) * impact + Milli(400) * exploitability - Milli(1500)) *
                       Milli(1176));
}

Dec TemporalEquation(const ParsedVector& p, Dec base) {
  return RoundToTenths(base * W(kE, p, v2::kE) * W(kRl, p, v2::kRL) * W(kRc, p, v2::kRC));
}

}  // namespace

Cvss2Scores ScoreCvss2(const ParsedVector& p) {
  Cvss2Scores scores;
  Dec base = BaseEquation(p, Impact(p));
  scores.base = ToDouble(base);
  if (p.AnyDefined(v2::kE, v2::kRC)) {
    scores.temporal = ToDouble(TemporalEquation(p, base));
  }
  if (p.AnyDefined(v2::kCDP, v2::kAR)) {
    // AdjustedTemporal: the temporal equation over the base equation with AdjustedImpact.
    Dec adjusted = TemporalEquation(p, BaseEquation(p, AdjustedImpact(p)));
    scores.environmental = ToDouble(
        RoundToTenths((adjusted + (kTen - adjusted) * W(kCdp, p, v2::kCDP)) * W(kTd, p, v2::kTD)));
  }
  return scores;
}

Result<Cvss2Scores> ScoreCvss2(std::string_view vector) {
  ASSIGN_OR_RETURN(ParsedVector parsed, ParseVector(vector));
  if (parsed.version != Version::kV2) {
    return InvalidInput(std::string(vector.substr(0, 120)) + ": not a CVSS v2 vector");
  }
  return ScoreCvss2(parsed);
}

}  // namespace vigil::cvss
