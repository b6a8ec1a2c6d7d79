// Loads CISA's KEV catalog from a file into the store, replacing the previous one, in one
// transaction; the cisa-kev clocks take their due dates from it.
#pragma once

#include <string>

#include "core/status.h"
#include "core/time.h"

namespace vigil {

class Store;

// Returns how many entries were loaded.
Result<size_t> LoadKevCatalog(Store& store, const std::string& path, Timestamp now,
                              const std::string& actor);

}  // namespace vigil
