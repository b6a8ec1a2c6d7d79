// Loading the expected inventory: read the CSV file, parse it, and replace the stored
// inventory in one transaction. A file that does not parse changes nothing.
#pragma once

#include <string>

#include "core/status.h"
#include "core/time.h"

namespace vigil {

class Store;

// Returns how many entries were loaded; the load is an event of the audit log by `actor`.
Result<size_t> LoadInventory(Store& store, const std::string& path, Timestamp now,
                             const std::string& actor);

}  // namespace vigil
