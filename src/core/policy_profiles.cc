#include "core/policy_profiles.h"

namespace vigil {
namespace {

using std::chrono::hours;

constexpr ClockStops kFixPlanBasis{.fixed = true, .plan = true, .basis = true};
constexpr ClockStops kFixBasis{.fixed = true, .plan = false, .basis = true};
constexpr ClockStops kFixOnly{.fixed = true, .plan = false, .basis = false};
constexpr ClockStops kFixOrPatchHarm{
    .fixed = true, .plan = false, .basis = false, .patch_harm = true};

std::vector<ClockRule> Ncssr17() {
  return {
      // 4.f: a Critical Vulnerability (CVSS >= 7.0) within 96 hours of discovery: remediated,
      // or a plan, or a documented basis (4.f.1–3).
      {.id = "ncssr-1.7/4.f",
       .framework = "NCSSR v1.7 4.f",
       .stage = "remediate",
       .cvss_min = 7.0,
       .anchor = ClockAnchor::kDiscovery,
       .within = hours(96),
       .stops = kFixPlanBasis},
      // 1.l: security patches within six months of the patch's availability, unless it is
      // documented that the patch would do more harm than good. No other basis (compensating
      // controls, a lower rating) excuses a missing patch.
      {.id = "ncssr-1.7/1.l",
       .framework = "NCSSR v1.7 1.l",
       .stage = "remediate",
       .anchor = ClockAnchor::kPatch,
       .months = 6,
       .stops = kFixOrPatchHarm},
  };
}

// NCSSR v2.0.x 4.2/4.3: the CA's own timeframes (CP/CPS 6.7). The default is the example of
// a public CPS; a CA replaces it with its own [[policy.rule]] tables.
std::vector<ClockRule> Ncssr2() {
  return {
      {.id = "ncssr-2/respond",
       .framework = "NCSSR v2.0.5 4.3 (CP/CPS 6.7)",
       .stage = "respond",
       .classes = {"CRITICAL", "HIGH", "MEDIUM", "LOW"},
       .within = hours(96),
       .stops = kFixPlanBasis},
      {.id = "ncssr-2/critical",
       .framework = "NCSSR v2.0.5 4.3 (CP/CPS 6.7)",
       .stage = "remediate",
       .classes = {"CRITICAL"},
       .within = hours(96),
       .stops = kFixBasis},
      {.id = "ncssr-2/high",
       .framework = "NCSSR v2.0.5 4.3 (CP/CPS 6.7)",
       .stage = "remediate",
       .classes = {"HIGH"},
       .months = 1,
       .stops = kFixBasis},
      {.id = "ncssr-2/medium",
       .framework = "NCSSR v2.0.5 4.3 (CP/CPS 6.7)",
       .stage = "remediate",
       .classes = {"MEDIUM"},
       .months = 3,
       .stops = kFixBasis},
      {.id = "ncssr-2/low",
       .framework = "NCSSR v2.0.5 4.3 (CP/CPS 6.7)",
       .stage = "remediate",
       .classes = {"LOW"},
       .months = 6,
       .stops = kFixBasis},
  };
}

std::vector<ClockRule> Etsi() {
  return {{.id = "etsi-319-401/critical",
           .framework = "ETSI EN 319 401 (V2.x clause 7.9)",
           .stage = "remediate",
           .classes = {"CRITICAL"},
           .within = hours(48),
           .stops = kFixPlanBasis}};
}

std::vector<ClockRule> Pci() {
  return {{.id = "pci-dss-4.0.1/6.3.3",
           .framework = "PCI DSS 4.0.1 6.3.3",
           .stage = "remediate",
           .classes = {"CRITICAL"},
           .anchor = ClockAnchor::kPatch,
           .months = 1,
           .stops = kFixOnly}};
}

std::vector<ClockRule> Fedramp() {
  return {
      {.id = "fedramp-rev5/high",
       .framework = "FedRAMP Rev5 RA-5",
       .stage = "remediate",
       .classes = {"CRITICAL", "HIGH"},
       .within = hours(24 * 30),
       .stops = kFixBasis},
      {.id = "fedramp-rev5/moderate",
       .framework = "FedRAMP Rev5 RA-5",
       .stage = "remediate",
       .classes = {"MEDIUM"},
       .within = hours(24 * 90),
       .stops = kFixBasis},
      {.id = "fedramp-rev5/low",
       .framework = "FedRAMP Rev5 RA-5",
       .stage = "remediate",
       .classes = {"LOW"},
       .within = hours(24 * 180),
       .stops = kFixBasis},
  };
}

std::vector<ClockRule> Kev() {
  return {{.id = "cisa-kev",
           .framework = "CISA BOD 22-01",
           .stage = "remediate",
           .kev_only = true,
           .anchor = ClockAnchor::kKevDue,
           .stops = kFixOnly}};
}

}  // namespace

std::optional<std::vector<ClockRule>> BuiltinProfile(std::string_view name) {
  if (name == "ncssr-1.7") {
    return Ncssr17();
  }
  if (name == "ncssr-2") {
    return Ncssr2();
  }
  if (name == "etsi-319-401") {
    return Etsi();
  }
  if (name == "pci-dss-4.0.1") {
    return Pci();
  }
  if (name == "fedramp-rev5") {
    return Fedramp();
  }
  if (name == "cisa-kev") {
    return Kev();
  }
  return std::nullopt;
}

std::vector<std::string> BuiltinProfileNames() {
  return {"ncssr-1.7", "ncssr-2", "etsi-319-401", "pci-dss-4.0.1", "fedramp-rev5", "cisa-kev"};
}

}  // namespace vigil
