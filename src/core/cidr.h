// IP networks in CIDR notation ("10.1.0.0/16", "2001:db8::/32") and whether an address lies
// in one. Used by the asset rules of the configuration to label scanned assets.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil {

class Cidr {
 public:
  // Parses "ADDRESS/PREFIX" or a bare address (a /32 or /128). Host bits set beyond the
  // prefix are refused ("10.1.2.3/16" is almost always a typo for a host or a network).
  static Result<Cidr> Parse(std::string_view text);

  // True when `address` (IPv4 dotted quad or IPv6 text) lies in this network. Text that is
  // not an address is in no network.
  bool Contains(std::string_view address) const;

  std::string ToString() const { return text_; }

 private:
  std::array<uint8_t, 16> bytes_{};
  int length_ = 0;  // 4 or 16 bytes
  int prefix_ = 0;
  std::string text_;
};

// The bytes of an IPv4 (4 bytes) or IPv6 (16 bytes) address, or nullopt.
struct IpBytes {
  std::array<uint8_t, 16> bytes{};
  int length = 0;
};
std::optional<IpBytes> ParseIp(std::string_view text);

}  // namespace vigil
