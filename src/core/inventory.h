// An entry of the expected inventory: an asset that should exist and be scanned.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace vigil {

struct InventoryEntry {
  std::string name;
  std::vector<std::string> addresses;  // IPs and FQDNs, lower-cased
  std::string zone;
  std::string site;
  std::string owner;
  std::vector<std::string> scanners;  // scanner names expected to scan it; empty = any
  uint64_t line = 0;                  // where it was read, for messages
};

}  // namespace vigil
