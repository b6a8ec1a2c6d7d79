// Upgrading a database whose audit log an older vigil started (docs/audit.md#older-logs).
// Such a log's events do not carry whole rows, so the tables cannot be rebuilt from them. When
// `vigil init` migrates the database to the schema that brings row-carrying events, it appends
// one `state.adopted` event holding every logged table as found, the configuration in force and
// the digests of the findings, host scans and assets: from there on the log is the source of
// truth. What was changed behind vigil's back before the upgrade stays undetectable, and the
// event says when the tables were adopted; verification names it.
#pragma once

#include <string>

#include "core/status.h"
#include "core/time.h"

namespace vigil {

class Store;

// Appends the state.adopted event (in its own transaction). `from_schema` is the schema version
// the database had before the migration.
Status AdoptTables(Store& store, int from_schema, const std::string& actor, Timestamp now);

}  // namespace vigil
