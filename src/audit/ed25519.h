// The installation's signing key: Ed25519 (RFC 8032) through OpenSSL. The private key lives in
// a PEM file (PKCS#8) readable by its owner only (mode 0600).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil {

class Ed25519Key {
 public:
  static Result<Ed25519Key> Generate();
  // From a 32-byte seed (the private key as RFC 8032 defines it).
  static Result<Ed25519Key> FromSeed(std::string_view seed);
  static Result<Ed25519Key> Load(const std::string& path);
  // Writes the private key; refuses to overwrite an existing file.
  Status Save(const std::string& path) const;

  // The 32-byte public key.
  const std::string& public_key() const { return public_key_; }
  // The 64-byte signature of `message`.
  Result<std::string> Sign(std::string_view message) const;

  Ed25519Key(Ed25519Key&&) noexcept;
  Ed25519Key& operator=(Ed25519Key&&) noexcept;
  ~Ed25519Key();

 private:
  struct Impl;
  explicit Ed25519Key(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
  std::string public_key_;
};

// Whether `path`, a key file vigil is about to adopt, is the private file of the user running
// vigil: a regular file owned by the effective uid with no group or other permission bits
// (0600, 0400). OK when the file does not exist. Otherwise FailedPrecondition naming the file,
// its mode and owner, and what to do.
Status CheckKeyFileIsPrivate(const std::string& path);

// True when `signature` (64 bytes) is `public_key`'s (32 bytes) signature of `message`.
bool VerifyEd25519(std::string_view public_key, std::string_view message,
                   std::string_view signature);

}  // namespace vigil
