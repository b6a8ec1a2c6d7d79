// The scanners the configuration file declares are applied to the registry when vigil starts
// with that file, as `vigil scanner set` would: only what differs is written, in one
// transaction, so an unchanged file writes nothing.
#pragma once

#include <string>
#include <vector>

#include "core/config.h"
#include "core/status.h"
#include "core/time.h"

namespace vigil {

class Store;

// Returns how many scanners were registered or changed.
Result<int> ApplyScannerConfig(Store& store, const std::vector<ScannerConfig>& scanners,
                               Timestamp now, const std::string& source);

}  // namespace vigil
