// The CVSS metric vocabularies: for each version, every metric in the specification's
// canonical vector order, with its name and its values.
//
// Value lists follow the specifications' own order. For an optional metric the first value
// is always "Not Defined" (X, or ND in v2), so a metric that is absent and one given as
// X/ND both have value index 0. Modified metrics (MAV, MC, MVC, ...) list X first and then
// exactly the values of the metric they modify, in the same order (except v4 MSI/MSA,
// which add S, Safety, before H).
//
// Sources: CVSS v2 guide §2 and §3.3.1; CVSS v3.1 specification §6 Table 15 (v3.0 §6
// Table 13 is identical); CVSS v4.0 specification §7 Table 23.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace vigil::cvss {

enum class Version : uint8_t { kV2, kV30, kV31, kV40 };

// "2.0", "3.0", "3.1" or "4.0".
std::string_view VersionName(Version version);

struct MetricDef {
  std::string_view abbrev;                   // "AV"
  std::string_view name;                     // "Attack Vector"
  std::span<const std::string_view> values;  // value abbreviations, see above
  bool mandatory = false;
};

// The metrics of `version` in canonical vector order; v3.0 and v3.1 share one table.
constexpr std::span<const MetricDef> MetricsOf(Version version);

// Index of `value` in `metric`'s values, or -1. Usable at compile time.
constexpr int ValueIndex(const MetricDef& metric, std::string_view value) {
  for (size_t i = 0; i < metric.values.size(); ++i) {
    if (metric.values[i] == value) {
      return static_cast<int>(i);
    }
  }
  return -1;
}

// Metric indices into MetricsOf(version), per version.
// clang-format off
namespace v2 {
enum Metric : uint8_t {
  kAV, kAC, kAu, kC, kI, kA,                                              // base
  kE, kRL, kRC,                                                           // temporal
  kCDP, kTD, kCR, kIR, kAR,                                               // environmental
  kCount
};
}  // namespace v2
namespace v3 {
enum Metric : uint8_t {
  kAV, kAC, kPR, kUI, kS, kC, kI, kA,                                     // base
  kE, kRL, kRC,                                                           // temporal
  kCR, kIR, kAR, kMAV, kMAC, kMPR, kMUI, kMS, kMC, kMI, kMA,              // environmental
  kCount
};
}  // namespace v3
namespace v4 {
enum Metric : uint8_t {
  kAV, kAC, kAT, kPR, kUI, kVC, kVI, kVA, kSC, kSI, kSA,                  // base
  kE,                                                                     // threat
  kCR, kIR, kAR, kMAV, kMAC, kMAT, kMPR, kMUI, kMVC, kMVI, kMVA, kMSC, kMSI, kMSA,  // env.
  kS, kAU, kR, kV, kRE, kU,                                               // supplemental
  kCount
};
}  // namespace v4
// clang-format on

inline constexpr int kMaxMetrics = v4::kCount;

// ---------------------------------------------------------------------------------------
// The tables.

namespace metric_data {

using V = std::string_view;

// CVSS v2.
inline constexpr V kV2Av[] = {"L", "A", "N"};
inline constexpr V kV2Ac[] = {"H", "M", "L"};
inline constexpr V kV2Au[] = {"M", "S", "N"};
inline constexpr V kV2Cia[] = {"N", "P", "C"};
inline constexpr V kV2E[] = {"ND", "U", "POC", "F", "H"};
inline constexpr V kV2Rl[] = {"ND", "OF", "TF", "W", "U"};
inline constexpr V kV2Rc[] = {"ND", "UC", "UR", "C"};
inline constexpr V kV2Cdp[] = {"ND", "N", "L", "LM", "MH", "H"};
inline constexpr V kV2Td[] = {"ND", "N", "L", "M", "H"};
inline constexpr V kV2Req[] = {"ND", "L", "M", "H"};

inline constexpr MetricDef kV2[] = {
    {"AV", "Access Vector", kV2Av, true},    {"AC", "Access Complexity", kV2Ac, true},
    {"Au", "Authentication", kV2Au, true},   {"C", "Confidentiality Impact", kV2Cia, true},
    {"I", "Integrity Impact", kV2Cia, true}, {"A", "Availability Impact", kV2Cia, true},
    {"E", "Exploitability", kV2E},           {"RL", "Remediation Level", kV2Rl},
    {"RC", "Report Confidence", kV2Rc},      {"CDP", "Collateral Damage Potential", kV2Cdp},
    {"TD", "Target Distribution", kV2Td},    {"CR", "Confidentiality Requirement", kV2Req},
    {"IR", "Integrity Requirement", kV2Req}, {"AR", "Availability Requirement", kV2Req},
};

// CVSS v3.0 and v3.1.
inline constexpr V kV3Av[] = {"N", "A", "L", "P"};
inline constexpr V kV3Ac[] = {"L", "H"};
inline constexpr V kV3Pr[] = {"N", "L", "H"};
inline constexpr V kV3Ui[] = {"N", "R"};
inline constexpr V kV3S[] = {"U", "C"};
inline constexpr V kV3Cia[] = {"H", "L", "N"};
inline constexpr V kV3E[] = {"X", "H", "F", "P", "U"};
inline constexpr V kV3Rl[] = {"X", "U", "W", "T", "O"};
inline constexpr V kV3Rc[] = {"X", "C", "R", "U"};
inline constexpr V kV3Req[] = {"X", "H", "M", "L"};
inline constexpr V kV3Mav[] = {"X", "N", "A", "L", "P"};
inline constexpr V kV3Mac[] = {"X", "L", "H"};
inline constexpr V kV3Mpr[] = {"X", "N", "L", "H"};
inline constexpr V kV3Mui[] = {"X", "N", "R"};
inline constexpr V kV3Ms[] = {"X", "U", "C"};
inline constexpr V kV3Mcia[] = {"X", "H", "L", "N"};

inline constexpr MetricDef kV3[] = {
    {"AV", "Attack Vector", kV3Av, true},
    {"AC", "Attack Complexity", kV3Ac, true},
    {"PR", "Privileges Required", kV3Pr, true},
    {"UI", "User Interaction", kV3Ui, true},
    {"S", "Scope", kV3S, true},
    {"C", "Confidentiality", kV3Cia, true},
    {"I", "Integrity", kV3Cia, true},
    {"A", "Availability", kV3Cia, true},
    {"E", "Exploit Code Maturity", kV3E},
    {"RL", "Remediation Level", kV3Rl},
    {"RC", "Report Confidence", kV3Rc},
    {"CR", "Confidentiality Requirement", kV3Req},
    {"IR", "Integrity Requirement", kV3Req},
    {"AR", "Availability Requirement", kV3Req},
    {"MAV", "Modified Attack Vector", kV3Mav},
    {"MAC", "Modified Attack Complexity", kV3Mac},
    {"MPR", "Modified Privileges Required", kV3Mpr},
    {"MUI", "Modified User Interaction", kV3Mui},
    {"MS", "Modified Scope", kV3Ms},
    {"MC", "Modified Confidentiality", kV3Mcia},
    {"MI", "Modified Integrity", kV3Mcia},
    {"MA", "Modified Availability", kV3Mcia},
};

// CVSS v4.0.
inline constexpr V kV4Av[] = {"N", "A", "L", "P"};
inline constexpr V kV4Ac[] = {"L", "H"};
inline constexpr V kV4At[] = {"N", "P"};
inline constexpr V kV4Pr[] = {"N", "L", "H"};
inline constexpr V kV4Ui[] = {"N", "P", "A"};
inline constexpr V kV4Impact[] = {"H", "L", "N"};
inline constexpr V kV4E[] = {"X", "A", "P", "U"};
inline constexpr V kV4Req[] = {"X", "H", "M", "L"};
inline constexpr V kV4Mav[] = {"X", "N", "A", "L", "P"};
inline constexpr V kV4Mac[] = {"X", "L", "H"};
inline constexpr V kV4Mat[] = {"X", "N", "P"};
inline constexpr V kV4Mpr[] = {"X", "N", "L", "H"};
inline constexpr V kV4Mui[] = {"X", "N", "P", "A"};
inline constexpr V kV4MImpact[] = {"X", "H", "L", "N"};
inline constexpr V kV4MSafety[] = {"X", "S", "H", "L", "N"};
inline constexpr V kV4S[] = {"X", "N", "P"};
inline constexpr V kV4Au[] = {"X", "N", "Y"};
inline constexpr V kV4R[] = {"X", "A", "U", "I"};
inline constexpr V kV4V[] = {"X", "D", "C"};
inline constexpr V kV4Re[] = {"X", "L", "M", "H"};
inline constexpr V kV4U[] = {"X", "Clear", "Green", "Amber", "Red"};

inline constexpr MetricDef kV4[] = {
    {"AV", "Attack Vector", kV4Av, true},
    {"AC", "Attack Complexity", kV4Ac, true},
    {"AT", "Attack Requirements", kV4At, true},
    {"PR", "Privileges Required", kV4Pr, true},
    {"UI", "User Interaction", kV4Ui, true},
    {"VC", "Vulnerable System Confidentiality", kV4Impact, true},
    {"VI", "Vulnerable System Integrity", kV4Impact, true},
    {"VA", "Vulnerable System Availability", kV4Impact, true},
    {"SC", "Subsequent System Confidentiality", kV4Impact, true},
    {"SI", "Subsequent System Integrity", kV4Impact, true},
    {"SA", "Subsequent System Availability", kV4Impact, true},
    {"E", "Exploit Maturity", kV4E},
    {"CR", "Confidentiality Requirement", kV4Req},
    {"IR", "Integrity Requirement", kV4Req},
    {"AR", "Availability Requirement", kV4Req},
    {"MAV", "Modified Attack Vector", kV4Mav},
    {"MAC", "Modified Attack Complexity", kV4Mac},
    {"MAT", "Modified Attack Requirements", kV4Mat},
    {"MPR", "Modified Privileges Required", kV4Mpr},
    {"MUI", "Modified User Interaction", kV4Mui},
    {"MVC", "Modified Vulnerable System Confidentiality", kV4MImpact},
    {"MVI", "Modified Vulnerable System Integrity", kV4MImpact},
    {"MVA", "Modified Vulnerable System Availability", kV4MImpact},
    {"MSC", "Modified Subsequent System Confidentiality", kV4MImpact},
    {"MSI", "Modified Subsequent System Integrity", kV4MSafety},
    {"MSA", "Modified Subsequent System Availability", kV4MSafety},
    {"S", "Safety", kV4S},
    {"AU", "Automatable", kV4Au},
    {"R", "Recovery", kV4R},
    {"V", "Value Density", kV4V},
    {"RE", "Vulnerability Response Effort", kV4Re},
    {"U", "Provider Urgency", kV4U},
};

static_assert(std::size(kV2) == v2::kCount);
static_assert(std::size(kV3) == v3::kCount);
static_assert(std::size(kV4) == v4::kCount);

}  // namespace metric_data

constexpr std::span<const MetricDef> MetricsOf(Version version) {
  switch (version) {
    case Version::kV2:
      return metric_data::kV2;
    case Version::kV30:
    case Version::kV31:
      return metric_data::kV3;
    case Version::kV40:
      return metric_data::kV4;
  }
  return {};
}

}  // namespace vigil::cvss
