#include "engine/config_apply.h"

#include <algorithm>

#include "core/sha256.h"
#include "core/text.h"
#include "engine/audit_log.h"
#include "engine/class_history.h"
#include "engine/classifier.h"
#include "engine/nvd_scores.h"
#include "engine/scanner_config.h"
#include "store/store.h"

namespace vigil {
namespace {

constexpr const char* kClassificationSetting = "classification";
constexpr const char* kTextSetting = "config.text";
constexpr const char* kFileSetting = "config.source";
constexpr const char* kShaSetting = "config.sha256";

Result<int> ReclassifyIfChanged(Store& store, const ClassificationConfig& classification,
                                const std::string& actor, Timestamp now) {
  std::string fingerprint = ClassificationFingerprint(classification);
  ASSIGN_OR_RETURN(auto stored, store.GetSetting(kClassificationSetting));
  // Databases from before the setting existed were classified with the defaults.
  std::string previous = stored.value_or(ClassificationFingerprint(ClassificationConfig{}));
  int changed = 0;
  if (previous != fingerprint) {
    ASSIGN_OR_RETURN(changed, Reclassify(store, classification, now, actor,
                                         "the classification settings changed"));
  }
  if (previous != fingerprint || !stored) {
    RETURN_IF_ERROR(store.PutSetting(kClassificationSetting, fingerprint));
  }
  return changed;
}

std::vector<std::string> NotifyRuleNames(const NotifyConfig& notify) {
  std::vector<std::string> names;
  for (const auto& d : notify.digests) {
    names.push_back(d.name);
  }
  for (const auto& a : notify.alerts) {
    names.push_back(a.name);
  }
  if (notify.jira) {
    names.emplace_back("jira");
  }
  return names;
}

}  // namespace

Result<RuleStart> NotifyRuleStart(Store& store, const std::string& rule, Timestamp now) {
  std::string key = "notify.rule." + rule + ".start";
  ASSIGN_OR_RETURN(auto stored, store.GetSetting(key));
  if (stored) {
    size_t space = stored->find(' ');
    auto at = ParseInt64(stored->substr(0, space));
    auto id = ParseInt64(space == std::string::npos ? "" : stored->substr(space + 1));
    if (!at.ok() || !id.ok()) {
      return Internal("the setting " + key + " is damaged: '" + *stored + "'");
    }
    return RuleStart{.at = FromUnixSeconds(*at), .last_vuln_id = *id};
  }
  ASSIGN_OR_RETURN(int64_t last, store.MaxVulnerabilityId());
  RETURN_IF_ERROR(
      store.PutSetting(key, std::to_string(ToUnixSeconds(now)) + " " + std::to_string(last)));
  return RuleStart{.at = now, .last_vuln_id = last};
}

Result<int> Reclassify(Store& store, const ClassificationConfig& classification, Timestamp now,
                       const std::string& actor, const std::string& reason) {
  ASSIGN_OR_RETURN(auto all, store.AllVulnerabilities());
  int changed = 0;
  for (const auto& [def, stamp] : all) {
    ASSIGN_OR_RETURN(NvdScores nvd, NvdScoresOf(store, def.Cves()));
    VulnClass cls = MergeClass(Classify(def, nvd, classification), stamp.cls);
    if (cls.class_name == stamp.cls.class_name && cls.class_source == stamp.cls.class_source &&
        cls.auto_class == stamp.cls.auto_class && cls.auto_source == stamp.cls.auto_source &&
        cls.rating_score == stamp.cls.rating_score) {
      continue;
    }
    RETURN_IF_ERROR(store.SetVulnerabilityClass(stamp.id, cls));
    RETURN_IF_ERROR(RecordClassChange(
        store, stamp.id, def.key, stamp.cls, cls,
        {.actor = actor,
         .at = now,
         .note = reason + " (derived " + cls.auto_class + " from " + cls.auto_source + ")"}));
    ++changed;
  }
  return changed;
}

Result<StoredConfigText> ReadStoredConfig(Store& store) {
  ASSIGN_OR_RETURN(auto text, store.GetSetting(kTextSetting));
  ASSIGN_OR_RETURN(auto file, store.GetSetting(kFileSetting));
  return StoredConfigText{.text = text.value_or(""), .file = file.value_or("")};
}

Result<ConfigApplied> ApplyConfig(Store& store, const Config& config, const std::string& text,
                                  const std::string& actor, Timestamp now) {
  ConfigApplied applied;
  std::string sha = Sha256Hex(text);
  ASSIGN_OR_RETURN(auto previous, store.GetSetting(kShaSetting));
  ASSIGN_OR_RETURN(auto stored_text, store.GetSetting(kTextSetting));
  if (previous && *previous == sha && stored_text && *stored_text == text) {
    return applied;
  }
  applied.changed = true;
  RETURN_IF_ERROR(store.PutSetting(kTextSetting, text));
  RETURN_IF_ERROR(store.PutSetting(kFileSetting, config.path));
  RETURN_IF_ERROR(store.PutSetting(kShaSetting, sha));
  RETURN_IF_ERROR(
      AppendEvent(store, now, actor, "config.applied", config.path,
                  {{"file", config.path},
                   {"sha256", sha},
                   {"previous_sha256",
                    previous && !previous->empty() ? nlohmann::json(*previous) : nlohmann::json()},
                   {"text", text}})
          .status());
  ASSIGN_OR_RETURN(applied.scanners,
                   ApplyScannerConfig(store, config.scanners, now, actor, config.path));
  ASSIGN_OR_RETURN(applied.reclassified,
                   ReclassifyIfChanged(store, config.classification, actor, now));
  for (const auto& rule : NotifyRuleNames(config.notify)) {
    RETURN_IF_ERROR(NotifyRuleStart(store, rule, now).status());
  }
  return applied;
}

}  // namespace vigil
