// `vigil migrate --from URL --to URL`: copies every table of one database into another, row
// for row with their ids (the audit log and the state commitment refer to them), so that the
// target's log has the same size and root hash and `vigil audit verify` passes on it. An
// administrative operation on the databases themselves, as `vigil init` is: no user check
// beyond init's, and nothing is recorded in either database beyond the copied rows.
//
// Refused, before anything is copied: a source that is not at this vigil's schema version; a
// target that already holds data (or an older vigil schema); a target that would sign with
// another key file or origin than the source's log names (the recorded configuration must
// give [audit] key_file and, where the database's name differs, [audit] origin). The target's
// schema is created when it has none; the copy is one transaction on it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace vigil {

struct MigrateInput {
  std::string from;  // the source database's URL (opened read-only)
  std::string to;    // the target's: an empty or new database
  std::string user;  // --as (as for vigil init; not checked against the databases' users)
};

struct TableCopy {
  std::string table;
  int64_t rows = 0;
};

struct LogHead {
  int64_t size = 0;
  std::string root_hash;  // hex; empty for an empty log
};

struct MigrateOutcome {
  int schema_version = 0;
  bool created_schema = false;    // the target had no schema before
  std::vector<TableCopy> tables;  // in the order they were copied
  LogHead source;
  LogHead target;
  std::string key_path;  // the signing key both databases name
  std::string origin;
};

Result<MigrateOutcome> MigrateDatabase(const MigrateInput& input);

}  // namespace vigil
