// The expected inventory: a CSV file listing the assets that should exist and be scanned.
//
// First line: column names, in any order, case-insensitive: `name` (required), `addresses`
// (IP addresses and host names separated by ';' or spaces), `zone`, `site`, `owner`,
// `scanners` (the scanner names expected to scan the asset, separated by ';'). RFC 4180
// quoting, ',' between fields; UTF-8. Strict, for the file comes from outside: a NUL byte,
// invalid UTF-8, a control character, an address that is neither an IP address nor a host
// name ("10.0.0.1/99", "999.1.1.1"), a row with more fields than the header and a name listed
// twice are refused with their line. Read one row at a time.
#pragma once

#include <string>
#include <vector>

#include "core/inventory.h"
#include "core/status.h"

namespace vigil {

class ByteSource;

// Errors read "FILE:LINE: ..." or "FILE:LINE:COLUMN: ..." (FILE is source.name()).
Result<std::vector<InventoryEntry>> ParseInventoryCsv(ByteSource& source);
// The same over text in memory; `source` names it in errors.
Result<std::vector<InventoryEntry>> ParseInventoryCsv(const std::string& text,
                                                      const std::string& source);

// Longest text of one field but addresses and scanners (a name, zone, site, owner).
inline constexpr size_t kMaxInventoryFieldBytes = 1024;
// The most assets an inventory lists, and addresses (or networks) one asset has: every row is
// also recorded in the audit log, which holds the inventory in memory while it writes it.
inline constexpr size_t kMaxInventoryEntries = 50000;
inline constexpr size_t kMaxInventoryAddresses = 1024;

}  // namespace vigil
