// Applying a configuration (`vigil init --config FILE`, `vigil config apply FILE`): the
// configuration is recorded state (docs/config.md). Its full text is stored and appended to the
// log as a `config.applied` event, the scanners it declares are registered, and when its
// classification settings differ from the ones the stored classes were derived with, every
// class is derived again — all in the caller's transaction, by the admin who applied it. Every
// other command reads the stored configuration and changes nothing.
#pragma once

#include <string>

#include "core/config.h"
#include "core/status.h"
#include "core/time.h"

namespace vigil {

class Store;

struct ConfigApplied {
  bool changed = false;  // false: the same text was already in force; nothing was written
  int scanners = 0;      // registered or changed
  int reclassified = 0;  // vulnerabilities whose class changed with the settings
};

// `config` is `text` parsed and validated; `config.path` names the file it came from.
Result<ConfigApplied> ApplyConfig(Store& store, const Config& config, const std::string& text,
                                  const std::string& actor, Timestamp now);

// The text and the file name of the configuration in force; empty text when none was applied.
struct StoredConfigText {
  std::string text;
  std::string file;
};
Result<StoredConfigText> ReadStoredConfig(Store& store);

// Where a notification rule starts (docs/notifications.md): the time the configuration that
// added it was applied, and the highest vulnerability id then, so that a new rule neither
// sends yesterday's digest nor calls every existing vulnerability new. Recorded for each rule
// name not seen before when a configuration is applied (or, for a database whose rules
// predate this, at the rule's first evaluation).
struct RuleStart {
  Timestamp at{};
  int64_t last_vuln_id = 0;
};
Result<RuleStart> NotifyRuleStart(Store& store, const std::string& rule, Timestamp now);

// Derives every vulnerability's class again with `classification` (a person's class stays)
// and records each change; returns how many changed. Runs in the caller's transaction.
Result<int> Reclassify(Store& store, const ClassificationConfig& classification, Timestamp now,
                       const std::string& actor, const std::string& reason);

}  // namespace vigil
