// The scanners a configuration declares are applied to the registry when it is applied, as
// `vigil scanner set` would: only what differs is written, in the caller's transaction.
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
                               Timestamp now, const std::string& actor, const std::string& source);

}  // namespace vigil
