#include "audit/lthash.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <cstdlib>
#include <cstring>
#include <memory>

#include "core/base64.h"
#include "core/sha256.h"

namespace vigil {
namespace {

using Expansion = std::array<uint16_t, LtHash::kLanes>;

struct CipherDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

// One cipher context per thread, set up once: rows are hashed by the thousand.
EVP_CIPHER_CTX* ThreadCipher() {
  thread_local std::unique_ptr<EVP_CIPHER_CTX, CipherDeleter> ctx = [] {
    std::unique_ptr<EVP_CIPHER_CTX, CipherDeleter> c(EVP_CIPHER_CTX_new());
    if (c != nullptr) {
      EVP_EncryptInit_ex(c.get(), EVP_aes_256_ctr(), nullptr, nullptr, nullptr);
    }
    return c;
  }();
  return ctx.get();
}

// The row's 1024 lanes: AES-256-CTR keystream under SHA-256(row), from a zero counter.
Expansion Expand(std::string_view element) {
  unsigned char key[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(element.data()), element.size(), key);
  static const unsigned char kZero[sizeof(Expansion)] = {};
  static const unsigned char kIv[16] = {};
  unsigned char bytes[sizeof(Expansion)];
  EVP_CIPHER_CTX* ctx = ThreadCipher();
  int len = 0;
  bool ok = ctx != nullptr && EVP_EncryptInit_ex(ctx, nullptr, nullptr, key, kIv) == 1 &&
            EVP_EncryptUpdate(ctx, bytes, &len, kZero, sizeof(kZero)) == 1 &&
            len == static_cast<int>(sizeof(bytes));
  if (!ok) {
    // Without a working cipher no commitment can be trusted: fail loudly, never silently.
    std::abort();
  }
  Expansion out;
  for (size_t i = 0; i < LtHash::kLanes; ++i) {
    out[i] = static_cast<uint16_t>(bytes[2 * i] | (bytes[2 * i + 1] << 8));
  }
  return out;
}

}  // namespace

void LtHash::Add(std::string_view element) {
  Expansion e = Expand(element);
  for (size_t i = 0; i < kLanes; ++i) {
    lanes_[i] = static_cast<uint16_t>(lanes_[i] + e[i]);
  }
}

void LtHash::Remove(std::string_view element) {
  Expansion e = Expand(element);
  for (size_t i = 0; i < kLanes; ++i) {
    lanes_[i] = static_cast<uint16_t>(lanes_[i] - e[i]);
  }
}

void LtHash::Merge(const LtHash& other) {
  for (size_t i = 0; i < kLanes; ++i) {
    lanes_[i] = static_cast<uint16_t>(lanes_[i] + other.lanes_[i]);
  }
}

namespace {

std::string LaneBytes(const std::array<uint16_t, LtHash::kLanes>& lanes) {
  std::string bytes(2 * LtHash::kLanes, '\0');
  for (size_t i = 0; i < LtHash::kLanes; ++i) {
    bytes[2 * i] = static_cast<char>(lanes[i] & 0xff);
    bytes[2 * i + 1] = static_cast<char>(lanes[i] >> 8);
  }
  return bytes;
}

}  // namespace

std::string LtHash::Digest() const {
  return Sha256Hex(LaneBytes(lanes_));
}

std::string LtHash::Serialize() const {
  return Base64Encode(LaneBytes(lanes_));
}

Result<LtHash> LtHash::Parse(std::string_view text) {
  ASSIGN_OR_RETURN(std::string bytes, Base64Decode(text));
  if (bytes.size() != 2 * kLanes) {
    return InvalidInput("a state hash must be " + std::to_string(2 * kLanes) + " bytes, not " +
                        std::to_string(bytes.size()));
  }
  LtHash h;
  for (size_t i = 0; i < kLanes; ++i) {
    h.lanes_[i] = static_cast<uint16_t>(static_cast<unsigned char>(bytes[2 * i]) |
                                        (static_cast<unsigned char>(bytes[2 * i + 1]) << 8));
  }
  return h;
}

}  // namespace vigil
