#include "core/credential.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <cstdint>
#include <vector>

#include "core/text.h"

namespace vigil {
namespace {

constexpr uint64_t kN = 1 << 13;
constexpr uint64_t kR = 8;
constexpr uint64_t kP = 1;
constexpr uint64_t kPasswordN = 1 << 16;
constexpr uint64_t kPasswordP = 2;
// Passwords need 128 * r * N = 64 MiB; the cap leaves room for OpenSSL's own buffers.
constexpr uint64_t kMaxMemory = uint64_t{160} << 20;
constexpr size_t kSaltBytes = 16;
constexpr char kCrockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr size_t kHashBytes = 32;

std::string Hex(const uint8_t* data, size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (size_t i = 0; i < n; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 15];
  }
  return out;
}

bool Unhex(std::string_view hex, std::vector<uint8_t>& out) {
  if (hex.size() % 2 != 0) {
    return false;
  }
  auto value = [](char c) -> int {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  };
  out.clear();
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = value(hex[i]);
    int lo = value(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return false;
    }
    out.push_back(static_cast<uint8_t>(hi * 16 + lo));
  }
  return true;
}

bool Scrypt(std::string_view token, const uint8_t* salt, size_t salt_len, uint64_t n, uint64_t r,
            uint64_t p, uint8_t* out, size_t out_len) {
  return EVP_PBE_scrypt(token.data(), token.size(), salt, salt_len, n, r, p, kMaxMemory, out,
                        out_len) == 1;
}

Result<std::string> HashWith(std::string_view secret, uint64_t n, uint64_t r, uint64_t p) {
  std::array<uint8_t, kSaltBytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    return Internal("no random bytes for a salt");
  }
  std::array<uint8_t, kHashBytes> hash{};
  if (!Scrypt(secret, salt.data(), salt.size(), n, r, p, hash.data(), hash.size())) {
    return Internal("scrypt failed");
  }
  return "scrypt$" + std::to_string(n) + "$" + std::to_string(r) + "$" + std::to_string(p) + "$" +
         Hex(salt.data(), salt.size()) + "$" + Hex(hash.data(), hash.size());
}

}  // namespace

Result<std::string> NewToken(std::string_view prefix) {
  std::array<uint8_t, 32> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return Internal("no random bytes for a token");
  }
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out(prefix);
  uint32_t acc = 0;
  int bits = 0;
  for (uint8_t b : bytes) {
    acc = (acc << 8) | b;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += kAlphabet[(acc >> bits) & 63];
    }
  }
  if (bits > 0) {
    out += kAlphabet[(acc << (6 - bits)) & 63];
  }
  return out;
}

Result<std::string> HashToken(std::string_view token) {
  return HashWith(token, kN, kR, kP);
}

Result<std::string> HashPassword(std::string_view password) {
  return HashWith(password, kPasswordN, kR, kPasswordP);
}

Result<std::string> NewEnrolmentCode() {
  std::array<uint8_t, 20> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    return Internal("no random bytes for an enrolment code");
  }
  std::string out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i > 0 && i % 5 == 0) {
      out += '-';
    }
    // 5 bits of each byte: 20 x 5 = 100 bits.
    out += kCrockford[bytes[i] & 31];
  }
  return out;
}

std::string NormalizeEnrolmentCode(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == '-' || c == ' ') {
      continue;
    }
    char u = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    // Crockford's base32 reads the letters people confuse with digits as those digits.
    if (u == 'O') {
      u = '0';
    } else if (u == 'I' || u == 'L') {
      u = '1';
    }
    out += u;
  }
  std::string grouped;
  for (size_t i = 0; i < out.size(); ++i) {
    if (i > 0 && i % 5 == 0) {
      grouped += '-';
    }
    grouped += out[i];
  }
  return grouped;
}

bool VerifyToken(std::string_view token, std::string_view stored) {
  std::vector<std::string> parts = SplitNonEmpty(stored, "$");
  if (parts.size() != 6 || parts[0] != "scrypt") {
    return false;
  }
  auto n_parsed = ParseUint64(parts[1]);
  auto r_parsed = ParseUint64(parts[2]);
  auto p_parsed = ParseUint64(parts[3]);
  if (!n_parsed.ok() || !r_parsed.ok() || !p_parsed.ok()) {
    return false;
  }
  uint64_t n = *n_parsed;
  uint64_t r = *r_parsed;
  uint64_t p = *p_parsed;
  if (n == 0 || n > (1u << 20) || r == 0 || r > 32 || p == 0 || p > 16) {
    return false;
  }
  std::vector<uint8_t> salt;
  std::vector<uint8_t> want;
  if (!Unhex(parts[4], salt) || !Unhex(parts[5], want) || want.empty()) {
    return false;
  }
  std::vector<uint8_t> got(want.size());
  if (!Scrypt(token, salt.data(), salt.size(), n, r, p, got.data(), got.size())) {
    return false;
  }
  return CRYPTO_memcmp(got.data(), want.data(), want.size()) == 0;
}

}  // namespace vigil
