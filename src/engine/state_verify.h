// The second half of `vigil audit verify` (docs/audit.md#the-log-is-the-source-of-truth):
// the tables compared with what the log says they hold. Each logged table is read whole and
// compared row by row with the projection of the events, naming the first difference (table,
// row, column, stored value, logged value, and the event that wrote it); the findings, host
// scans and assets are recomputed into their digests and compared with the last event that
// committed to them. Reads only.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"

namespace vigil {

class Store;
class Projection;

// One problem per table that differs, first difference first; empty when all match.
Result<std::vector<std::string>> CompareTablesWithLog(Store& store, const Projection& log);

}  // namespace vigil
