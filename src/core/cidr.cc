#include "core/cidr.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace vigil {

std::optional<IpBytes> ParseIp(std::string_view text) {
  if (text.empty() || text.size() > 64) {
    return std::nullopt;
  }
  std::string s(text);
  IpBytes out;
  if (inet_pton(AF_INET, s.c_str(), out.bytes.data()) == 1) {
    out.length = 4;
    return out;
  }
  if (inet_pton(AF_INET6, s.c_str(), out.bytes.data()) == 1) {
    out.length = 16;
    return out;
  }
  return std::nullopt;
}

Result<Cidr> Cidr::Parse(std::string_view text) {
  Cidr c;
  c.text_ = std::string(text);
  std::string_view address = text;
  std::optional<int> prefix;
  if (size_t slash = text.find('/'); slash != std::string_view::npos) {
    address = text.substr(0, slash);
    std::string_view p = text.substr(slash + 1);
    int value = -1;
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
    if (p.empty() || ec != std::errc() || end != p.data() + p.size()) {
      return InvalidInput("'" + std::string(text) + "' is not a network: bad prefix length");
    }
    prefix = value;
  }
  auto ip = ParseIp(address);
  if (!ip) {
    return InvalidInput("'" + std::string(text) +
                        "' is not a network: expected an IPv4 or IPv6 address, e.g. "
                        "10.1.0.0/16");
  }
  c.bytes_ = ip->bytes;
  c.length_ = ip->length;
  c.prefix_ = prefix.value_or(c.length_ * 8);
  if (c.prefix_ < 0 || c.prefix_ > c.length_ * 8) {
    return InvalidInput("'" + std::string(text) + "' is not a network: prefix length must be 0.." +
                        std::to_string(c.length_ * 8));
  }
  for (int bit = c.prefix_; bit < c.length_ * 8; ++bit) {
    if ((c.bytes_[bit / 8] >> (7 - bit % 8)) & 1) {
      return InvalidInput("'" + std::string(text) +
                          "' has host bits set beyond its prefix; write the network address");
    }
  }
  return c;
}

bool Cidr::Contains(std::string_view address) const {
  auto ip = ParseIp(address);
  if (!ip || ip->length != length_) {
    return false;
  }
  int full = prefix_ / 8;
  if (std::memcmp(ip->bytes.data(), bytes_.data(), full) != 0) {
    return false;
  }
  int rest = prefix_ % 8;
  if (rest == 0) {
    return true;
  }
  uint8_t mask = static_cast<uint8_t>(0xFF << (8 - rest));
  return (ip->bytes[full] & mask) == (bytes_[full] & mask);
}

}  // namespace vigil
