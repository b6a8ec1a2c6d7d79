#include "engine/reconcile.h"

#include "engine/audit_log.h"
#include "engine/classifier.h"
#include "engine/decisions.h"
#include "engine/scanner_config.h"
#include "store/store.h"

namespace vigil {
namespace {

constexpr const char* kClassificationSetting = "classification";

}  // namespace

Result<int> Reclassify(Store& store, const ClassificationConfig& classification, Timestamp now,
                       const std::string& reason) {
  ASSIGN_OR_RETURN(auto all, store.AllVulnerabilities());
  int changed = 0;
  for (const auto& [def, stamp] : all) {
    ASSIGN_OR_RETURN(NvdScores nvd, store.NvdScoresOf(def.Cves()));
    VulnClass cls = MergeClass(Classify(def, nvd, classification), stamp.cls);
    if (cls.class_name == stamp.cls.class_name && cls.class_source == stamp.cls.class_source &&
        cls.auto_class == stamp.cls.auto_class && cls.auto_source == stamp.cls.auto_source &&
        cls.rating_score == stamp.cls.rating_score) {
      continue;
    }
    RETURN_IF_ERROR(store.SetVulnerabilityClass(stamp.id, cls));
    if (cls.class_name != stamp.cls.class_name || cls.class_source != stamp.cls.class_source ||
        cls.auto_class != stamp.cls.auto_class || cls.auto_source != stamp.cls.auto_source) {
      RETURN_IF_ERROR(AppendEvent(store, now, "vigil", "class.changed", def.key,
                                  {{"from", stamp.cls.class_name},
                                   {"to", cls.class_name},
                                   {"source", cls.class_source},
                                   {"derived", cls.auto_class},
                                   {"derived_source", cls.auto_source},
                                   {"decision", 0},
                                   {"note", reason}})
                          .status());
      RETURN_IF_ERROR(store.InsertClassChange(
          {.vuln_id = stamp.id,
           .at = now,
           .actor = "vigil",
           .from_class = stamp.cls.class_name,
           .to_class = cls.class_name,
           .source = cls.class_source,
           .note = reason + " (derived " + cls.auto_class + " from " + cls.auto_source + ")"}));
    }
    ++changed;
  }
  return changed;
}

Result<ReconcileCounts> Reconcile(Store& store, const Config& config, Timestamp now) {
  ReconcileCounts counts;
  if (!config.path.empty()) {
    ASSIGN_OR_RETURN(auto recorded, store.GetSetting("config.sha256"));
    if (recorded != config.sha256) {
      RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
        RETURN_IF_ERROR(AppendEvent(store, now, "vigil", "config.changed", config.path,
                                    {{"file", config.path},
                                     {"sha256", config.sha256},
                                     {"previous_sha256",
                                      recorded ? nlohmann::json(*recorded) : nlohmann::json()}})
                            .status());
        return store.PutSetting("config.sha256", config.sha256);
      }));
    }
  }
  ASSIGN_OR_RETURN(counts.scanners, ApplyScannerConfig(store, config.scanners, now, config.path));
  std::string fingerprint = ClassificationFingerprint(config.classification);
  ASSIGN_OR_RETURN(auto stored, store.GetSetting(kClassificationSetting));
  // Databases from before the setting existed were classified with the defaults.
  std::string previous = stored.value_or(ClassificationFingerprint(ClassificationConfig{}));
  if (previous != fingerprint || !stored) {
    RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
      if (previous != fingerprint) {
        ASSIGN_OR_RETURN(counts.reclassified, Reclassify(store, config.classification, now,
                                                         "the classification settings changed"));
      }
      return store.PutSetting(kClassificationSetting, fingerprint);
    }));
  }
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    ASSIGN_OR_RETURN(counts.lapsed, LapseExpired(store, now));
    return Status::Ok();
  }));
  return counts;
}

}  // namespace vigil
