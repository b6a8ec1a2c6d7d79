// C2SP signed notes (c2sp.org/signed-note) with Ed25519 signatures, and the transparency-log
// checkpoint they carry (c2sp.org/tlog-checkpoint): origin, tree size and root hash, signed by
// the installation's key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "audit/ed25519.h"
#include "audit/merkle.h"
#include "core/status.h"

namespace vigil::note {

// A key that can verify notes: its name, key ID and 32-byte Ed25519 public key.
struct Verifier {
  std::string name;
  uint32_t key_id = 0;
  std::string public_key;
};

// The first four bytes of SHA-256(name || 0x0A || 0x01 || public key), big-endian.
uint32_t KeyId(std::string_view name, std::string_view public_key);

// "<name>+<8 hex digits of the key ID>+<base64(0x01 || public key)>"
std::string VerifierKey(std::string_view name, std::string_view public_key);
Result<Verifier> ParseVerifierKey(std::string_view text);

// The note: `text` (which must end in a newline), a blank line, and one signature line
// "— <name> <base64(key ID || signature)>".
Result<std::string> Sign(std::string_view text, std::string_view name, const Ed25519Key& key);

struct Opened {
  std::string text;
  std::vector<std::string> verified_by;  // names of the known keys whose signatures verified
  size_t unknown_signatures = 0;         // signatures by keys not given
};

// Checks a note: a well-formed text and signature lines, at least one signature by a known
// key, and every signature by a known key valid (a bad one is refused).
Result<Opened> Open(std::string_view note, const std::vector<Verifier>& known);

struct Checkpoint {
  std::string origin;
  uint64_t size = 0;
  merkle::Hash root{};
  std::vector<std::string> extensions;  // further lines, e.g. "time 2026-03-02T12:00:00Z"
};

// "origin\nsize\nbase64(root)\n" and the extension lines.
std::string CheckpointText(const Checkpoint& checkpoint);
Result<Checkpoint> ParseCheckpoint(std::string_view text);

}  // namespace vigil::note
