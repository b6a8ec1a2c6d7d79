#include "engine/adoption.h"

#include <nlohmann/json.hpp>

#include "engine/audit_log.h"
#include "engine/logged_rows.h"
#include "engine/state_commitment.h"
#include "store/store.h"

namespace vigil {

Status AdoptTables(Store& store, int from_schema, const std::string& actor, Timestamp now) {
  return InTransaction(store, [&]() -> Status {
    nlohmann::json tables = nlohmann::json::object();
    for (const LoggedTable* t : logged::All()) {
      ASSIGN_OR_RETURN(auto rows, RowsOf(store, *t, {}));
      tables[t->table] = std::move(rows);
    }
    // An older vigil kept only the hash of the file it was run with, not the text.
    ASSIGN_OR_RETURN(auto text, store.GetSetting("config.text"));
    if (!text) {
      RETURN_IF_ERROR(store.PutSetting("config.sha256", ""));
    }
    ASSIGN_OR_RETURN(auto sha, store.GetSetting("config.sha256"));
    ASSIGN_OR_RETURN(auto file, store.GetSetting("config.source"));
    ASSIGN_OR_RETURN(StateCommitment state, StateCommitment::Compute(store));
    RETURN_IF_ERROR(state.Save(store));
    return AppendEvent(store, now, actor, "state.adopted", "schema " + std::to_string(from_schema),
                       {{"from_schema", from_schema},
                        {"note",
                         "the tables as found when the database was upgraded: the log describes "
                         "them from here on"},
                        {"tables", std::move(tables)},
                        {"config",
                         {{"file", file.value_or("")},
                          {"sha256", sha.value_or("")},
                          {"text", text.value_or("")}}},
                        {"state", state.Digests()}})
        .status();
  });
}

}  // namespace vigil
