// The memory limit of one import (input_policy.h: kMaxImportResidentBytes). Most readers
// stream, but some formats must hold part of a report until its end (a package scanner's
// findings of one image, a CycloneDX document's vulnerabilities until its components are
// known, Greenbone results sorted by severity across hosts, the Qualys glossary), and how much
// they hold depends on the report's shape more than on its size. Instead of a file-size
// limit tuned to one shape, the import watches what it really uses: the process's resident
// memory, checked after every MiB read and every few thousand findings applied. Past the
// limit the import is refused, named, and rolled back; the machine is never exhausted.
#pragma once

#include <cstdint>
#include <string>

#include "core/status.h"

namespace vigil {

// Resident memory of this process in bytes (from /proc/self/statm); 0 where unknown.
uint64_t ResidentBytes();

// Marks the start of an import (or a feed load): what the process holds now does not count
// against its limit. A long-lived process (vigil serve, with its caches) imports as much as the
// command line does. Imports run one at a time (the database has one writer).
void StartImportMemory();

// Fails, naming `what` (a file; the caller names it when empty), when the process uses more than
// `limit` bytes of resident memory beyond what it held at StartImportMemory. Off under
// AddressSanitizer, whose shadow memory and quarantine are not vigil's.
Status CheckImportMemory(const std::string& what, uint64_t limit);

}  // namespace vigil
