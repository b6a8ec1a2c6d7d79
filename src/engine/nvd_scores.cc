#include "engine/nvd_scores.h"

#include <algorithm>
#include <optional>

namespace vigil {
namespace {

std::optional<double>* Slot(NvdScores& scores, const std::string& version) {
  if (version == "4.0") {
    return &scores.v40;
  }
  if (version == "3.1") {
    return &scores.v31;
  }
  if (version == "3.0") {
    return &scores.v30;
  }
  if (version == "2.0") {
    return &scores.v2;
  }
  return nullptr;
}

void KeepHighest(std::optional<double>& slot, std::optional<double> score) {
  if (score) {
    slot = std::max(slot.value_or(*score), *score);
  }
}

}  // namespace

NvdScores ScoresOfCve(const std::vector<CvssMetric>& metrics) {
  NvdScores primary;
  NvdScores secondary;
  for (const auto& m : metrics) {
    std::optional<double>* slot = Slot(m.type == "Primary" ? primary : secondary, m.version);
    if (slot != nullptr) {
      KeepHighest(*slot, m.score);
    }
  }
  return {.v40 = primary.v40 ? primary.v40 : secondary.v40,
          .v31 = primary.v31 ? primary.v31 : secondary.v31,
          .v30 = primary.v30 ? primary.v30 : secondary.v30,
          .v2 = primary.v2 ? primary.v2 : secondary.v2};
}

namespace {

void KeepHighest(NvdScores& out, const NvdScores& one) {
  KeepHighest(out.v40, one.v40);
  KeepHighest(out.v31, one.v31);
  KeepHighest(out.v30, one.v30);
  KeepHighest(out.v2, one.v2);
}

}  // namespace

Result<NvdScores> NvdScoresOf(FeedStore& store, const std::vector<std::string>& cves) {
  ASSIGN_OR_RETURN(auto metrics, store.CvssMetricsOfEach(cves));
  return NvdScoresFrom(metrics, cves);
}

NvdScores NvdScoresFrom(const std::map<std::string, std::vector<CvssMetric>>& metrics,
                        const std::vector<std::string>& cves) {
  NvdScores out;
  for (const auto& cve : cves) {
    auto it = metrics.find(cve);
    if (it != metrics.end()) {
      KeepHighest(out, ScoresOfCve(it->second));
    }
  }
  return out;
}

}  // namespace vigil
