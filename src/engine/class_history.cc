#include "engine/class_history.h"

#include "engine/audit_log.h"
#include "engine/logged_rows.h"
#include "store/store.h"

namespace vigil {

bool ChangesClassHistory(const std::optional<VulnClass>& before, const VulnClass& after) {
  return !before || before->class_name != after.class_name ||
         before->class_source != after.class_source || before->auto_class != after.auto_class ||
         before->auto_source != after.auto_source;
}

Status RecordClassChange(Store& store, int64_t vuln_id, const std::string& key,
                         const std::optional<VulnClass>& before, const VulnClass& after,
                         const ClassChangeContext& context, const nlohmann::json* row) {
  bool history = ChangesClassHistory(before, after);
  if (!history && before->rating_score == after.rating_score) {
    return Status::Ok();
  }
  nlohmann::json payload = {
      {"vulnerability", key}, {"from", before ? before->class_name : ""}, {"to", after.class_name}};
  if (history) {
    ClassChange change{.vuln_id = vuln_id,
                       .at = context.at,
                       .actor = context.actor,
                       .from_class = before ? before->class_name : "",
                       .to_class = after.class_name,
                       .source = after.class_source,
                       .decision_id = context.decision_id,
                       .note = context.note};
    RETURN_IF_ERROR(store.InsertClassChange(change));
    payload["change"] = {{"from_class", change.from_class},
                         {"to_class", change.to_class},
                         {"source", change.source},
                         {"decision_id", change.decision_id},
                         {"note", change.note}};
  }
  if (row != nullptr) {
    payload["row"] = *row;
  } else {
    ASSIGN_OR_RETURN(payload["row"], RowOf(store, logged::VulnClasses(), {{"id", vuln_id}}));
  }
  return AppendEvent(store, context.at, context.actor, "class.changed", key, payload).status();
}

}  // namespace vigil
