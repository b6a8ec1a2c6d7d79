#include "cvss/macro_vector.h"

#include <string_view>

namespace vigil::cvss {
namespace {

// The MacroVector scores of the CVSS v4.0 specification (§8.2; published as the object
// cvssLookup_global in cvss_lookup.js of FIRSTdotorg/cvss-v4-calculator, the data the
// specification refers to), in tenths. One row per EQ1..EQ4; the six columns are
// (EQ5, EQ6) = 00, 01, 10, 11, 20, 21. -1 marks the MacroVectors that cannot exist
// (EQ3 = 2, no H among VC/VI/VA, with EQ6 = 0, which needs one). 270 scores in all.
struct Row {
  std::string_view eq1234;
  int8_t tenths[6];
};

// clang-format off
constexpr Row kRows[] = {
    // EQ1-4    00   01   10   11   20   21  <- EQ5, EQ6
    {"0000", {100,  99,  98,  95,  95,  92}},
    {"0001", {100,  96,  93,  87,  91,  81}},
    {"0002", { 93,  90,  89,  80,  81,  68}},
    {"0010", { 98,  95,  95,  92,  90,  84}},
    {"0011", { 93,  92,  89,  81,  81,  65}},
    {"0012", { 88,  80,  78,  70,  69,  48}},
    {"0020", { -1,  92,  -1,  82,  -1,  72}},
    {"0021", { -1,  79,  -1,  69,  -1,  50}},
    {"0022", { -1,  69,  -1,  55,  -1,  27}},
    {"0100", { 99,  97,  95,  92,  92,  85}},
    {"0101", { 95,  91,  90,  83,  84,  71}},
    {"0102", { 92,  81,  82,  71,  72,  53}},
    {"0110", { 95,  93,  92,  85,  85,  73}},
    {"0111", { 92,  82,  80,  72,  70,  59}},
    {"0112", { 84,  70,  71,  52,  50,  30}},
    {"0120", { -1,  86,  -1,  75,  -1,  52}},
    {"0121", { -1,  71,  -1,  52,  -1,  29}},
    {"0122", { -1,  63,  -1,  29,  -1,  17}},
    {"1000", { 98,  95,  94,  87,  91,  81}},
    {"1001", { 94,  89,  86,  74,  77,  64}},
    {"1002", { 87,  75,  74,  63,  63,  49}},
    {"1010", { 94,  89,  88,  77,  76,  67}},
    {"1011", { 86,  76,  74,  58,  59,  50}},
    {"1012", { 72,  57,  57,  52,  52,  25}},
    {"1020", { -1,  83,  -1,  70,  -1,  54}},
    {"1021", { -1,  65,  -1,  58,  -1,  26}},
    {"1022", { -1,  53,  -1,  21,  -1,  13}},
    {"1100", { 95,  90,  88,  76,  76,  70}},
    {"1101", { 90,  77,  75,  62,  61,  53}},
    {"1102", { 77,  66,  68,  59,  52,  30}},
    {"1110", { 89,  78,  76,  67,  62,  58}},
    {"1111", { 74,  59,  57,  57,  47,  23}},
    {"1112", { 61,  52,  57,  29,  24,  16}},
    {"1120", { -1,  71,  -1,  59,  -1,  30}},
    {"1121", { -1,  58,  -1,  26,  -1,  15}},
    {"1122", { -1,  23,  -1,  13,  -1,   6}},
    {"2000", { 93,  87,  86,  72,  75,  58}},
    {"2001", { 86,  74,  74,  61,  56,  34}},
    {"2002", { 70,  54,  52,  40,  40,  22}},
    {"2010", { 85,  75,  74,  55,  62,  51}},
    {"2011", { 72,  57,  55,  41,  46,  19}},
    {"2012", { 53,  36,  34,  19,  19,   8}},
    {"2020", { -1,  64,  -1,  51,  -1,  20}},
    {"2021", { -1,  47,  -1,  21,  -1,  11}},
    {"2022", { -1,  24,  -1,   9,  -1,   4}},
    {"2100", { 88,  75,  73,  53,  60,  50}},
    {"2101", { 73,  55,  59,  40,  41,  20}},
    {"2102", { 54,  43,  45,  22,  20,  11}},
    {"2110", { 75,  55,  58,  45,  40,  21}},
    {"2111", { 61,  51,  48,  18,  20,   9}},
    {"2112", { 46,  18,  17,   7,   8,   2}},
    {"2120", { -1,  53,  -1,  24,  -1,  14}},
    {"2121", { -1,  24,  -1,  12,  -1,   5}},
    {"2122", { -1,  10,  -1,   3,  -1,   1}},
};
// clang-format on

constexpr int kRowCount = 3 * 2 * 3 * 3;
static_assert(std::size(kRows) == kRowCount);

constexpr int RowIndex(int eq1, int eq2, int eq3, int eq4) {
  return ((eq1 * 2 + eq2) * 3 + eq3) * 3 + eq4;
}

// Every row sits where its key says, and exactly 270 scores are present.
constexpr bool TableIsWellFormed() {
  int scores = 0;
  for (int r = 0; r < kRowCount; ++r) {
    std::string_view k = kRows[r].eq1234;
    if (k.size() != 4 || RowIndex(k[0] - '0', k[1] - '0', k[2] - '0', k[3] - '0') != r) {
      return false;
    }
    for (int c = 0; c < 6; ++c) {
      bool exists = !(k[2] == '2' && c % 2 == 0);
      if (exists != (kRows[r].tenths[c] >= 0)) {
        return false;
      }
      scores += exists ? 1 : 0;
    }
  }
  return scores == 270;
}
static_assert(TableIsWellFormed());

}  // namespace

std::string MacroVector::ToString() const {
  std::string out(6, '0');
  for (size_t i = 0; i < eq.size(); ++i) {
    out[i] = static_cast<char>('0' + eq[i]);
  }
  return out;
}

MacroVector MacroVectorOf(const Cvss4Levels& l) {
  MacroVector m;
  // EQ1: AV/PR/UI. 0: all N; 1: one or two N and not AV:P; 2: AV:P or none N.
  bool all_none = l.av == 0 && l.pr == 0 && l.ui == 0;
  bool any_none = l.av == 0 || l.pr == 0 || l.ui == 0;
  m.eq[0] = all_none ? 0 : (any_none && l.av != 3) ? 1 : 2;
  // EQ2: AC/AT.
  m.eq[1] = (l.ac == 0 && l.at == 0) ? 0 : 1;
  // EQ3: VC/VI/VA. 0: VC:H and VI:H; 1: otherwise some H; 2: no H.
  m.eq[2] = (l.vc == 0 && l.vi == 0) ? 0 : (l.vc == 0 || l.vi == 0 || l.va == 0) ? 1 : 2;
  // EQ4: SC/SI/SA. 0: MSI:S or MSA:S; 1: some H; 2: otherwise.
  m.eq[3] = (l.si == 0 || l.sa == 0) ? 0 : (l.sc == 1 || l.si == 1 || l.sa == 1) ? 1 : 2;
  // EQ5: E.
  m.eq[4] = l.e;
  // EQ6: a High requirement on a High impact.
  m.eq[5] =
      ((l.cr == 0 && l.vc == 0) || (l.ir == 0 && l.vi == 0) || (l.ar == 0 && l.va == 0)) ? 0 : 1;
  return m;
}

int MacroVectorScoreTenths(const MacroVector& m) {
  static constexpr int kLimits[6] = {3, 2, 3, 3, 3, 2};
  for (int i = 0; i < 6; ++i) {
    if (m.eq[i] < 0 || m.eq[i] >= kLimits[i]) {
      return -1;
    }
  }
  return kRows[RowIndex(m.eq[0], m.eq[1], m.eq[2], m.eq[3])].tenths[m.eq[4] * 2 + m.eq[5]];
}

}  // namespace vigil::cvss
