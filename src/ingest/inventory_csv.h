// The expected inventory: a CSV file listing the assets that should exist and be scanned.
//
// First line: column names, in any order, case-insensitive: `name` (required), `addresses`
// (IPs and FQDNs separated by ';' or spaces), `zone`, `site`, `owner`, `scanners` (the scanner
// names expected to scan the asset, separated by ';'). RFC 4180 quoting; UTF-8. Errors name the
// line.
#pragma once

#include <string>
#include <vector>

#include "core/inventory.h"
#include "core/status.h"

namespace vigil {

// `source` names the file in errors.
Result<std::vector<InventoryEntry>> ParseInventoryCsv(const std::string& text,
                                                      const std::string& source);

}  // namespace vigil
