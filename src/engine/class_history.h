// Every change of a vulnerability's classes goes through here (docs/decisions.md#classes): a
// row of the class history when the effective class, its source, the derived class or its
// source changed, and a `class.changed` event carrying the vulnerability's class columns as
// written (and the history row, when there is one), so the log rebuilds both.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "store/records.h"

namespace vigil {

class Store;

struct ClassChangeContext {
  std::string actor;
  Timestamp at{};
  int64_t decision_id = 0;  // the decision that set the class, 0 when none
  std::string note;         // why, as kept in the history
};

// Records that the vulnerability `vuln_id` (`key`) went from `before` (nullopt: it is new) to
// the classes now stored. Call after writing them. Nothing is recorded when nothing changed.
// `row`, when given, is the vulnerability's class row as stored (logged::VulnClasses), read by
// the caller with others at once; else it is read here.
Status RecordClassChange(Store& store, int64_t vuln_id, const std::string& key,
                         const std::optional<VulnClass>& before, const VulnClass& after,
                         const ClassChangeContext& context, const nlohmann::json* row = nullptr);

// True when the history keeps a row for the change (a class, not only a score, changed).
bool ChangesClassHistory(const std::optional<VulnClass>& before, const VulnClass& after);

}  // namespace vigil
