// Vector parsing: every kind of malformed vector is refused with the position of the
// offending component; then the accepted forms and their normalization.
#include "cvss/cvss_vector.h"

#include <gtest/gtest.h>

#include <string>

namespace vigil::cvss {
namespace {

constexpr std::string_view kV31Base = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
constexpr std::string_view kV40Base =
    "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
constexpr std::string_view kV2Base = "AV:N/AC:L/Au:N/C:P/I:P/A:P";

// The error message of parsing `vector`; fails the test when it parses.
std::string Error(std::string_view vector) {
  auto parsed = ParseVector(vector);
  EXPECT_FALSE(parsed.ok()) << vector;
  EXPECT_EQ(parsed.status().code(), ErrorCode::kInvalidInput);
  return parsed.status().message();
}

// "position <1-based offset of component>: <component>:"
std::string At(std::string_view vector, std::string_view component) {
  size_t offset = vector.find(component);
  EXPECT_NE(offset, std::string_view::npos);
  return "position " + std::to_string(offset + 1) + ": " + std::string(component) + ":";
}

TEST(CvssVector, RejectsEmptyVector) {
  EXPECT_EQ(Error(""), "empty CVSS vector");
}

TEST(CvssVector, RejectsUnknownValueNamingPositionAndChoices) {
  EXPECT_EQ(Error("CVSS:3.1/AV:N/AC:Q/PR:N/UI:N/S:U/C:H/I:H/A:H"),
            "CVSS:3.1/AV:N/AC:Q/PR:N/UI:N/S:U/C:H/I:H/A:H: position 15: AC:Q: unknown value "
            "'Q' for AC (Attack Complexity), expected L or H");
  std::string v2 = "AV:N/AC:L/Au:N/C:P/I:P/A:P/E:P";
  EXPECT_NE(Error(v2).find(At(v2, "E:P") + " unknown value 'P' for E (Exploitability), "
                                           "expected ND, U, POC, F or H"),
            std::string::npos);
  std::string v4 = std::string(kV40Base) + "/U:red";
  EXPECT_NE(Error(v4).find(At(v4, "U:red") + " unknown value 'red' for U (Provider Urgency), "
                                             "expected X, Clear, Green, Amber or Red"),
            std::string::npos);
  std::string empty_value = "CVSS:3.1/AV:N/AC:/PR:N/UI:N/S:U/C:H/I:H/A:H";
  EXPECT_NE(Error(empty_value).find("position 15: AC:: missing value for AC"), std::string::npos);
}

TEST(CvssVector, RejectsUnknownMetric) {
  std::string v = std::string(kV31Base) + "/XX:Y";
  EXPECT_NE(Error(v).find(At(v, "XX:Y") + " unknown metric 'XX' in a CVSS 3.1 vector"),
            std::string::npos);
  // Metric names are case-sensitive.
  std::string lower = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/ui:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";
  EXPECT_NE(Error(lower).find(At(lower, "ui:N") + " unknown metric 'ui'"), std::string::npos);
  // A v3 metric in a vector without prefix (read as v2) gets a hint.
  std::string unprefixed = "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  EXPECT_NE(Error(unprefixed)
                .find("position 11: PR:N: unknown metric 'PR' in a CVSS 2.0 vector "
                      "(CVSS v3 and v4 vectors start with"),
            std::string::npos);
}

TEST(CvssVector, RejectsDuplicateMetric) {
  std::string v = std::string(kV31Base) + "/AV:L";
  EXPECT_NE(Error(v).find(At(v, "AV:L") + " duplicate metric AV (Attack Vector), first given at "
                                          "position 10"),
            std::string::npos);
  std::string x_twice = std::string(kV31Base) + "/E:X/E:X";
  EXPECT_NE(Error(x_twice).find("position 50: E:X: duplicate metric E"), std::string::npos);
}

TEST(CvssVector, RejectsMissingMandatoryBaseMetric) {
  std::string v = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H";
  EXPECT_NE(Error(v).find("position " + std::to_string(v.size() + 1) +
                          ": end of vector: missing mandatory metric A (Availability)"),
            std::string::npos);
  EXPECT_NE(Error("AV:N/AC:L/C:P/I:P/A:P").find("missing mandatory metric Au (Authentication)"),
            std::string::npos);
  std::string v4 = "CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N";
  EXPECT_NE(Error(v4).find("missing mandatory metric AT (Attack Requirements), SA (Subsequent "
                           "System Availability)"),
            std::string::npos);
}

TEST(CvssVector, RejectsEmptyComponent) {
  std::string v = "CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
  EXPECT_NE(Error(v).find("position 15: empty component"), std::string::npos);
  EXPECT_NE(Error("/AV:N/AC:L/Au:N/C:P/I:P/A:P").find("position 1: empty component"),
            std::string::npos);
}

TEST(CvssVector, RejectsTrailingSlash) {
  std::string v = std::string(kV31Base) + "/";
  EXPECT_NE(Error(v).find("position " + std::to_string(v.size()) + ": trailing '/'"),
            std::string::npos);
  EXPECT_NE(Error("CVSS:4.0/").find("position 9: trailing '/'"), std::string::npos);
}

TEST(CvssVector, RejectsComponentWithoutColon) {
  std::string v = "AV:N/ACL/Au:N/C:P/I:P/A:P";
  EXPECT_NE(Error(v).find("position 6: ACL: expected METRIC:VALUE"), std::string::npos);
}

TEST(CvssVector, RejectsWrongPrefix) {
  EXPECT_NE(Error("CVSS:3.2/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
                .find("position 1: CVSS:3.2: unsupported CVSS version '3.2', expected CVSS:3.0, "
                      "CVSS:3.1 or CVSS:4.0 (CVSS v2 vectors have no prefix)"),
            std::string::npos);
  EXPECT_NE(Error("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P").find("unsupported CVSS version '2.0'"),
            std::string::npos);
  EXPECT_NE(Error("cvss:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")
                .find("position 1: cvss:3.1: malformed prefix"),
            std::string::npos);
  EXPECT_NE(Error("CVSS3.1/AV:N").find("position 1: CVSS3.1: malformed prefix"), std::string::npos);
  EXPECT_NE(Error("CVSS:3.1").find("position 1: CVSS:3.1: no metrics after the prefix"),
            std::string::npos);
  // NVD's old parenthesized v2 form and scanner wrappers are not CVSS vectors.
  EXPECT_NE(Error("(AV:N/AC:L/Au:N/C:P/I:P/A:P)").find("position 1: (AV:N: unknown metric '(AV'"),
            std::string::npos);
  EXPECT_NE(Error("CVSS2#AV:N/AC:L/Au:N/C:P/I:P/A:P").find("position 1: CVSS2#AV:N: malformed"),
            std::string::npos);
}

TEST(CvssVector, RejectsV4MetricsOutOfOrder) {
  std::string v = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/SC:N/VI:H/SI:N/VA:H/SA:N";
  EXPECT_NE(Error(v).find(At(v, "VI:H") + " out of order: VI must come before SC"),
            std::string::npos);
  std::string env = std::string(kV40Base) + "/MAV:N/E:A";
  EXPECT_NE(Error(env).find(At(env, "E:A") + " out of order: E must come before MAV"),
            std::string::npos);
}

TEST(CvssVector, RejectsSafetyOutsideModifiedSubsequentMetrics) {
  std::string v = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N";
  EXPECT_NE(Error(v).find(At(v, "SI:S") + " unknown value 'S' for SI"), std::string::npos);
  EXPECT_TRUE(ParseVector(std::string(kV40Base) + "/MSI:S/MSA:S").ok());
}

TEST(CvssVector, RejectsWhitespaceAndShowsControlCharacters) {
  std::string v = std::string(kV2Base) + " ";
  EXPECT_NE(Error(v).find("unknown value 'P ' for A"), std::string::npos);
  std::string control = "AV:N/AC:L/Au:N/C:P/I:P/A:\x01";
  EXPECT_NE(Error(control).find("A:?: unknown value '?'"), std::string::npos);
}

TEST(CvssVector, BoundsTheEchoOfHugeInput) {
  std::string huge = std::string(kV2Base) + "/" + std::string(100000, 'X');
  std::string message = Error(huge);
  EXPECT_LT(message.size(), 600u);
  EXPECT_NE(message.find("position 28: "), std::string::npos);
}

TEST(CvssVector, DetectsVersions) {
  EXPECT_EQ(ParseVector(kV2Base)->version, Version::kV2);
  EXPECT_EQ(ParseVector("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")->version, Version::kV30);
  EXPECT_EQ(ParseVector(kV31Base)->version, Version::kV31);
  EXPECT_EQ(ParseVector(kV40Base)->version, Version::kV40);
}

TEST(CvssVector, AcceptsV3MetricsInAnyOrderAndNotDefinedValues) {
  auto parsed = ParseVector("CVSS:3.0/S:U/AV:N/AC:L/PR:H/UI:N/C:L/I:L/A:N/E:F/RL:X");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(parsed->Text(v3::kPR), "H");
  EXPECT_EQ(parsed->Text(v3::kE), "F");
  EXPECT_TRUE(parsed->Has(v3::kRL));
  EXPECT_FALSE(parsed->Defined(v3::kRL));
  EXPECT_FALSE(parsed->Has(v3::kRC));
  EXPECT_EQ(parsed->Text(v3::kRC), "X");
  EXPECT_EQ(NormalizeVector(*parsed), "CVSS:3.0/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N/E:F");
}

TEST(CvssVector, AcceptsV2InAnyOrderWithNotDefined) {
  auto parsed = ParseVector("C:P/I:P/A:P/AV:N/AC:L/Au:N/E:ND/CDP:LM");
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_FALSE(parsed->Defined(v2::kE));
  EXPECT_TRUE(parsed->Defined(v2::kCDP));
  EXPECT_EQ(NormalizeVector(*parsed), "AV:N/AC:L/Au:N/C:P/I:P/A:P/CDP:LM");
}

TEST(CvssVector, NormalizesV4DroppingNotDefined) {
  std::string nvd = std::string(kV40Base) +
                    "/E:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MAT:X/MPR:X/MUI:X/MVC:X/MVI:X/MVA:X/MSC:X/"
                    "MSI:X/MSA:X/S:X/AU:N/R:U/V:C/RE:H/U:Red";
  auto parsed = ParseVector(nvd);
  ASSERT_TRUE(parsed.ok()) << parsed.status().message();
  EXPECT_EQ(NormalizeVector(*parsed), std::string(kV40Base) + "/AU:N/R:U/V:C/RE:H/U:Red");
  EXPECT_EQ(parsed->Text(v4::kU), "Red");
}

}  // namespace
}  // namespace vigil::cvss
