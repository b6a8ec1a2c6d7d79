#include "engine/ratings.h"

#include "store/store.h"

namespace vigil {

Result<VulnerabilityRatings> RatingsOf(Store& store, const VulnerabilityDef& def) {
  VulnerabilityRatings out;
  std::string scanner = "scanner " + def.source;
  auto add_scanner = [&](const char* version, const std::string& vector,
                         const std::optional<double>& score) {
    if (!vector.empty() || score) {
      out.ratings.push_back(Rating{.origin = scanner,
                                   .source = def.source,
                                   .type = "scanner",
                                   .version = version,
                                   .vector = vector,
                                   .score = score});
    }
  };
  add_scanner("4.0", def.cvss4_vector, def.cvss4_score);
  add_scanner("3.x", def.cvss3_vector, def.cvss3_score);
  add_scanner("2.0", def.cvss2_vector, def.cvss2_score);
  if (!def.risk_factor.empty() || def.scanner_severity) {
    out.ratings.push_back(Rating{.origin = scanner,
                                 .source = def.source,
                                 .type = "scanner",
                                 .version = "severity",
                                 .severity = def.risk_factor});
  }
  ASSIGN_OR_RETURN(auto kev, store.QueryKev());
  for (const auto& cve : def.Cves()) {
    CveFacts facts{.cve = cve};
    ASSIGN_OR_RETURN(facts.nvd, store.FindCve(cve));
    ASSIGN_OR_RETURN(facts.epss, store.FindEpss(cve));
    for (const auto& k : kev) {
      if (k.cve == cve) {
        facts.kev = k;
      }
    }
    if (facts.nvd) {
      for (const auto& m : facts.nvd->metrics) {
        out.ratings.push_back(Rating{.origin = "NVD " + cve,
                                     .source = m.source,
                                     .type = m.type,
                                     .version = m.version,
                                     .vector = m.vector,
                                     .score = m.score,
                                     .severity = m.severity});
      }
    }
    out.cves.push_back(std::move(facts));
  }
  return out;
}

}  // namespace vigil
