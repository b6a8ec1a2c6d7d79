// Hand-checked scores for each version (values from the specifications' examples, NVD and
// docs/cvss.md's references), the rounding traps of each version, severities, the facade.
#include <gtest/gtest.h>

#include <cmath>

#include "cvss/cvss.h"
#include "cvss/cvss2.h"
#include "cvss/cvss3.h"
#include "cvss/cvss4.h"

namespace vigil::cvss {
namespace {

Cvss2Scores V2(std::string_view vector) {
  auto s = ScoreCvss2(vector);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? *s : Cvss2Scores{};
}

Cvss3Scores V3(std::string_view vector) {
  auto s = ScoreCvss3(vector);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? *s : Cvss3Scores{};
}

double V4(std::string_view vector) {
  auto s = ScoreCvss4(vector);
  EXPECT_TRUE(s.ok()) << s.status().message();
  return s.ok() ? s->score : -1;
}

TEST(Cvss2, RefusesOtherVersions) {
  EXPECT_FALSE(ScoreCvss2("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").ok());
  EXPECT_FALSE(ScoreCvss3("AV:N/AC:L/Au:N/C:P/I:P/A:P").ok());
  EXPECT_FALSE(ScoreCvss4("AV:N/AC:L/Au:N/C:P/I:P/A:P").ok());
}

TEST(Cvss2, BaseScores) {
  EXPECT_EQ(V2("AV:N/AC:L/Au:N/C:C/I:C/A:C").base, 10.0);
  EXPECT_EQ(V2("AV:N/AC:L/Au:N/C:P/I:P/A:P").base, 7.5);
  EXPECT_EQ(V2("AV:N/AC:M/Au:N/C:C/I:C/A:C").base, 9.3);  // NVD's v2 score of CVE-2021-44228
  EXPECT_EQ(V2("AV:L/AC:L/Au:N/C:C/I:C/A:C").base, 7.2);
  EXPECT_EQ(V2("AV:N/AC:L/Au:N/C:P/I:N/A:N").base, 5.0);
  EXPECT_EQ(V2("AV:N/AC:M/Au:N/C:N/I:P/A:N").base, 4.3);
  EXPECT_EQ(V2("AV:N/AC:M/Au:S/C:P/I:P/A:P").base, 6.0);
}

TEST(Cvss2, NoImpactIsPositiveZero) {
  Cvss2Scores s = V2("AV:L/AC:H/Au:M/C:N/I:N/A:N");
  EXPECT_EQ(s.base, 0.0);
  EXPECT_FALSE(std::signbit(s.base));
}

TEST(Cvss2, TemporalAndEnvironmentalOnlyWhenGiven) {
  Cvss2Scores base_only = V2("AV:N/AC:L/Au:N/C:P/I:P/A:P");
  EXPECT_FALSE(base_only.temporal.has_value());
  EXPECT_FALSE(base_only.environmental.has_value());
  Cvss2Scores not_defined = V2("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:ND/RL:ND/RC:ND/CDP:ND/TD:ND");
  EXPECT_FALSE(not_defined.temporal.has_value());
  EXPECT_FALSE(not_defined.environmental.has_value());
  Cvss2Scores all = V2("AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:H/IR:H/AR:H");
  EXPECT_EQ(all.base, 7.8);
  EXPECT_EQ(all.temporal, 6.4);
  // AdjustedTemporal 8.3; (8.3 + 1.7 × 0.5) × 1.0 = 9.15 exactly, which rounds up.
  EXPECT_EQ(all.environmental, 9.2);
}

TEST(Cvss2, RoundsTheExactValueHalfUp) {
  // 3.0 × 0.95 = 2.85 exactly; binary floating point gives 2.8499999999999996.
  Cvss2Scores s = V2("AV:L/AC:M/Au:S/C:N/I:P/A:P/E:F");
  EXPECT_EQ(s.base, 3.0);
  EXPECT_EQ(s.temporal, 2.9);
  // Upstream issue #10's vectors: 9.0 × 0.85 = 7.65 and 9.0 × 0.95 = 8.55.
  EXPECT_EQ(V2("AV:N/AC:L/Au:S/C:C/I:C/A:C/E:U/RL:U/RC:C").temporal, 7.7);
  EXPECT_EQ(V2("AV:N/AC:L/Au:S/C:C/I:C/A:C/E:F/RL:U/RC:C").temporal, 8.6);
}

TEST(Cvss3, BaseScores) {
  EXPECT_EQ(V3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").base, 9.8);
  EXPECT_EQ(V3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H").base, 10.0);  // CVE-2021-44228
  EXPECT_EQ(V3("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N").base, 6.1);
  EXPECT_EQ(V3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N").base, 7.5);
  EXPECT_EQ(V3("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H").base, 7.8);
  EXPECT_EQ(V3("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H").base, 8.8);
  EXPECT_EQ(V3("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N").base, 5.9);
  EXPECT_EQ(V3("CVSS:3.1/AV:A/AC:H/PR:L/UI:R/S:C/C:L/I:L/A:L").base, 5.1);
  EXPECT_EQ(V3("CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N").base, 3.8);
  EXPECT_EQ(V3("CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N").base, 3.1);
  EXPECT_EQ(V3("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N").base, 1.6);
  EXPECT_EQ(V3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N").base, 0.0);
  EXPECT_EQ(V3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:N/I:N/A:N").base, 0.0);  // Impact < 0
  EXPECT_EQ(V3("CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H").base, 9.8);
}

TEST(Cvss3, TemporalAndEnvironmental) {
  Cvss3Scores s = V3("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/E:P/RL:W/RC:C");
  EXPECT_EQ(s.base, 6.1);
  EXPECT_EQ(s.temporal, 5.6);
  EXPECT_EQ(s.environmental, 5.6);
  s =
      V3("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:H/I:H/A:N/E:H/RL:O/RC:C/CR:H/IR:H/AR:H/MAV:N/MAC:L/"
         "MPR:L/MUI:N/MS:C/MC:H/MI:H/MA:H");
  EXPECT_EQ(s.base, 9.3);
  EXPECT_EQ(s.temporal, 8.9);
  EXPECT_EQ(s.environmental, 9.5);
}

TEST(Cvss3, RoundupIsAppendixAsNotFloatingCeil) {
  // 10.0 × 0.92 = 9.200000000000001 in binary; ceil(x × 10) / 10 would give 9.3.
  Cvss3Scores s = V3("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/RC:U");
  EXPECT_EQ(s.temporal, 9.2);
  EXPECT_EQ(s.environmental, 9.2);
  s = V3("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:N/A:N/RC:U");
  EXPECT_EQ(s.base, 5.0);
  EXPECT_EQ(s.temporal, 4.6);
  EXPECT_EQ(s.environmental, 4.6);
  // The same in v3.0, whose Roundup is the exact ceiling.
  EXPECT_EQ(V3("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/RC:U").temporal, 9.2);
  EXPECT_EQ(RoundupTenths(4.02), 41);
  EXPECT_EQ(RoundupTenths(4.0), 40);
  EXPECT_EQ(RoundupTenths(0.000001), 0);  // FIRST's cvsscalc31.js comment
  EXPECT_EQ(RoundupTenths(0.000009), 1);
}

// Appendix A equals the exact ceiling of every temporal product base × E × RL × RC (integer
// arithmetic: tenths × hundredths³), so v3.0 loses nothing by using it.
TEST(Cvss3, RoundupEqualsExactCeilingOfEveryTemporalProduct) {
  const int e[] = {100, 97, 94, 91};
  const int rl[] = {100, 97, 96, 95};
  const int rc[] = {100, 96, 92};
  int checked = 0;
  for (int tenths = 0; tenths <= 100; ++tenths) {
    for (int ei : e) {
      for (int rli : rl) {
        for (int rci : rc) {
          long long exact = 1LL * tenths * ei * rli * rci;  // × 10^-7
          long long ceiling = (exact + 999999) / 1000000;   // in tenths
          double x = tenths / 10.0 * (ei / 100.0) * (rli / 100.0) * (rci / 100.0);
          ASSERT_EQ(RoundupTenths(x), ceiling) << tenths << " " << ei << " " << rli << " " << rci;
          ++checked;
        }
      }
    }
  }
  EXPECT_EQ(checked, 101 * 48);
}

TEST(Cvss3, ModifiedImpactDiffersBetween30And31) {
  Cvss3Scores v31 = V3("CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H/CR:H/IR:H/AR:H");
  EXPECT_EQ(v31.base, 8.2);
  EXPECT_EQ(v31.temporal, 8.2);
  EXPECT_EQ(v31.environmental, 8.3);
  Cvss3Scores v30 = V3("CVSS:3.0/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:H/A:H/CR:H/IR:H/AR:H");
  EXPECT_EQ(v30.environmental, 8.2);
  // Base-only S:C vectors already differ in their environmental score (vectors_simple31).
  EXPECT_EQ(V3("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H").environmental, 10.0);
  EXPECT_EQ(V3("CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H").environmental, 9.9);
}

TEST(Cvss3, ModifiedScopeDecidesModifiedPrivilegesWeight) {
  // MS:C with PR:L: MPR weighs 0.68, not 0.62.
  Cvss3Scores s = V3("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:L/I:L/A:N/MS:C");
  EXPECT_EQ(s.base, 5.4);
  EXPECT_EQ(s.environmental, 6.4);
}

constexpr std::string_view kV4Top =
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";

TEST(Cvss4, BaseScores) {
  EXPECT_EQ(V4(kV4Top), 9.3);
  EXPECT_EQ(V4("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H"), 10.0);
  EXPECT_EQ(V4("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N"), 0.0);
  EXPECT_EQ(V4("CVSS:4.0/AV:N/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"), 8.7);
  EXPECT_EQ(V4("CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"), 8.5);
  EXPECT_EQ(V4("CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"), 7.3);
  EXPECT_EQ(V4("CVSS:4.0/AV:N/AC:H/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N"), 8.2);
  EXPECT_EQ(V4("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:H/SC:N/SI:N/SA:N"), 8.7);
  EXPECT_EQ(V4("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N"), 5.3);
  EXPECT_EQ(V4("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N"), 5.1);
  EXPECT_EQ(V4("CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:H/SI:N/SA:H"), 6.4);
  EXPECT_EQ(V4("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N"), 1.0);
}

TEST(Cvss4, ThreatAndEnvironmentalMetrics) {
  std::string top(kV4Top);
  EXPECT_EQ(V4(top + "/E:A"), 9.3);
  EXPECT_EQ(V4(top + "/E:P"), 8.9);
  EXPECT_EQ(V4(top + "/E:U"), 8.1);
  EXPECT_EQ(V4(top + "/CR:L/IR:L/AR:L"), 8.9);
  EXPECT_EQ(V4(top + "/MSI:S/MSA:S"), 10.0);
}

TEST(Cvss4, SpecificationExamples) {
  EXPECT_EQ(V4("CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N"), 5.1);
  EXPECT_EQ(V4("CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/E:A"), 5.1);
  EXPECT_EQ(V4("CVSS:4.0/AV:A/AC:H/AT:P/PR:L/UI:P/VC:H/VI:H/VA:H/SC:L/SI:L/SA:L/E:P"), 4.5);
  EXPECT_EQ(V4("CVSS:4.0/AV:L/AC:H/AT:N/PR:N/UI:A/VC:N/VI:N/VA:L/SC:H/SI:H/SA:H/CR:H/IR:H/AR:M/"
               "MAV:N/MAC:L/MAT:P/MPR:L/MUI:A/MVC:N/MVI:H/MVA:L/MSC:L/MSI:S/MSA:H"),
            8.5);
  EXPECT_EQ(V4("CVSS:4.0/AV:P/AC:H/AT:P/PR:L/UI:P/VC:H/VI:H/VA:H/SC:L/SI:L/SA:L/E:A/S:P/AU:Y/"
               "R:A/V:D/RE:L/U:Red"),
            5.4);
  EXPECT_EQ(V4("CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:N/SC:N/SI:N/SA:N/E:U/CR:L/IR:X/"
               "AR:L/MAV:A/MAC:H/MAT:N/MPR:N/MUI:P/MVC:X/MVI:N/MVA:H/MSC:N/MSI:L/MSA:S/S:N/AU:N/"
               "R:I/V:C/RE:H/U:Green"),
            4.2);
}

TEST(Cvss4, ExactTiesRoundUp) {
  // 8.6 − 7.15 is 1.4499999999999993 in binary; the exact value 1.45 rounds to 1.5.
  EXPECT_EQ(V4("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:H/VI:L/VA:N/SC:H/SI:H/SA:H"), 8.6);
  EXPECT_EQ(V4("CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:H/VA:L/SC:N/SI:N/SA:L"), 5.7);
  // RedHat cvss-v4-calculator issue #53: a 2024 regression scored this 5.9.
  EXPECT_EQ(V4("CVSS:4.0/AV:A/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N"), 6.1);
}

TEST(Cvss4, ReportsMacroVectorNomenclatureAndSupplemental) {
  auto s = ScoreCvss4(
      "CVSS:4.0/AV:P/AC:H/AT:P/PR:L/UI:P/VC:H/VI:H/VA:H/SC:L/SI:L/SA:L/E:A/S:P/AU:Y/R:A/V:D/RE:L/"
      "U:Red");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->macro_vector.ToString(), "210200");
  EXPECT_EQ(s->nomenclature, "CVSS-BT");
  EXPECT_EQ(s->supplemental.safety, "P");
  EXPECT_EQ(s->supplemental.automatable, "Y");
  EXPECT_EQ(s->supplemental.recovery, "A");
  EXPECT_EQ(s->supplemental.value_density, "D");
  EXPECT_EQ(s->supplemental.response_effort, "L");
  EXPECT_EQ(s->supplemental.urgency, "Red");
  auto base = ScoreCvss4(kV4Top);
  EXPECT_EQ(base->nomenclature, "CVSS-B");
  EXPECT_EQ(base->supplemental.urgency, "X");
  EXPECT_EQ(base->macro_vector.ToString(), "000200");
  EXPECT_EQ(ScoreCvss4(std::string(kV4Top) + "/CR:L")->nomenclature, "CVSS-BE");
  EXPECT_EQ(ScoreCvss4(std::string(kV4Top) + "/E:P/CR:L")->nomenclature, "CVSS-BTE");
  // Explicit X is Not Defined.
  EXPECT_EQ(ScoreCvss4(std::string(kV4Top) + "/E:X/CR:X")->nomenclature, "CVSS-B");
}

TEST(Cvss4, SupplementalMetricsNeverChangeTheScore) {
  std::string top(kV4Top);
  EXPECT_EQ(V4(top + "/S:P/AU:Y/R:I/V:C/RE:H/U:Red"), V4(top));
}

TEST(MacroVectorTable, HasTheSpecificationsSampleEntries) {
  auto score = [](std::array<int, 6> eq) { return MacroVectorScoreTenths(MacroVector{eq}); };
  EXPECT_EQ(score({0, 0, 0, 0, 0, 0}), 100);
  EXPECT_EQ(score({0, 0, 0, 2, 0, 0}), 93);
  EXPECT_EQ(score({1, 0, 2, 1, 0, 1}), 65);
  EXPECT_EQ(score({2, 1, 2, 2, 2, 1}), 1);
  EXPECT_EQ(score({0, 0, 2, 0, 0, 0}), -1);  // EQ3 = 2 needs EQ6 = 1
  EXPECT_EQ(score({3, 0, 0, 0, 0, 0}), -1);
  int present = 0;
  for (int i = 0; i < 324; ++i) {
    std::array<int, 6> eq{i / 108, i / 54 % 2, i / 18 % 3, i / 6 % 3, i / 2 % 3, i % 2};
    present += score(eq) >= 0 ? 1 : 0;
  }
  EXPECT_EQ(present, 270);
}

TEST(Severity, RatesOnTheScaleOfTheVersion) {
  EXPECT_EQ(SeverityOf(0.0, Version::kV31), Severity::kNone);
  EXPECT_EQ(SeverityOf(0.1, Version::kV31), Severity::kLow);
  EXPECT_EQ(SeverityOf(3.9, Version::kV40), Severity::kLow);
  EXPECT_EQ(SeverityOf(4.0, Version::kV40), Severity::kMedium);
  EXPECT_EQ(SeverityOf(6.9, Version::kV30), Severity::kMedium);
  EXPECT_EQ(SeverityOf(7.0, Version::kV31), Severity::kHigh);
  EXPECT_EQ(SeverityOf(8.9, Version::kV31), Severity::kHigh);
  EXPECT_EQ(SeverityOf(9.0, Version::kV31), Severity::kCritical);
  EXPECT_EQ(SeverityOf(0.0, Version::kV2), Severity::kLow);
  EXPECT_EQ(SeverityOf(7.0, Version::kV2), Severity::kHigh);
  EXPECT_EQ(SeverityOf(10.0, Version::kV2), Severity::kHigh);
  EXPECT_EQ(SeverityName(Severity::kCritical), "Critical");
}

TEST(ScoreVector, V2) {
  auto s = ScoreVector("AV:N/AC:L/Au:N/C:N/I:N/A:C/E:F/RL:OF/RC:C/CDP:H/TD:H/CR:H/IR:H/AR:H");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->version, Version::kV2);
  EXPECT_EQ(s->base, 7.8);
  EXPECT_EQ(s->temporal, 6.4);
  EXPECT_EQ(s->environmental, 9.2);
  EXPECT_EQ(s->overall, 7.8);
  EXPECT_EQ(s->severity, Severity::kHigh);
}

TEST(ScoreVector, V3GivesTemporalAndEnvironmentalOnlyWhenDefined) {
  auto s = ScoreVector("CVSS:3.1/S:U/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:X");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->version, Version::kV31);
  EXPECT_EQ(s->overall, 9.8);
  EXPECT_EQ(s->severity, Severity::kCritical);
  EXPECT_FALSE(s->temporal.has_value());
  EXPECT_FALSE(s->environmental.has_value());
  EXPECT_EQ(s->vector, "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
  s = ScoreVector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H/RC:U/CR:L");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->base, 10.0);
  EXPECT_EQ(s->temporal, 9.2);
  EXPECT_TRUE(s->environmental.has_value());
}

TEST(ScoreVector, V4SplitsItsGroups) {
  auto s = ScoreVector(std::string(kV4Top) + "/E:U/CR:L/IR:L/AR:L/U:Amber");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->version, Version::kV40);
  EXPECT_EQ(s->base, 9.3);      // CVSS-B
  EXPECT_EQ(s->temporal, 8.1);  // CVSS-BT
  EXPECT_EQ(s->overall, V4(std::string(kV4Top) + "/E:U/CR:L/IR:L/AR:L"));
  EXPECT_EQ(s->environmental, s->overall);
  EXPECT_EQ(s->severity, SeverityOf(s->overall, Version::kV40));
  auto plain = ScoreVector(kV4Top);
  EXPECT_EQ(plain->overall, 9.3);
  EXPECT_FALSE(plain->temporal.has_value());
  EXPECT_FALSE(plain->environmental.has_value());
}

TEST(ScoreVector, PassesParseErrorsThrough) {
  auto s = ScoreVector("CVSS:3.1/AV:N/AC:Q/PR:N/UI:N/S:U/C:H/I:H/A:H");
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("position 15"), std::string::npos);
}

}  // namespace
}  // namespace vigil::cvss
