// A homomorphic multiset hash (LtHash16, Lewi et al., "Securing Update Propagation with
// Homomorphic Hashing", IACR ePrint 2019/227): the hash of a set of rows is the lane-wise sum,
// modulo 2^16, of 1024-lane expansions of each row. Adding or removing one row costs one
// expansion, whatever the size of the set, so an import keeps a commitment to a million
// findings up to date at the price of the rows it changes, and a verifier recomputes it in
// one pass over the table (docs/audit.md#what-the-log-commits-to).
//
// A row's expansion is AES-256-CTR keystream (2048 bytes) keyed by SHA-256 of the row: a
// standard PRG on a collision-resistant seed (docs/decisions/0005-log-as-source-of-truth.md). The
// 2048-byte state is kept whole between runs; events record only its SHA-256 (Digest).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil {

class LtHash {
 public:
  static constexpr size_t kLanes = 1024;

  void Add(std::string_view element);
  void Remove(std::string_view element);
  // Adds every lane of `other` (the union of two disjoint multisets).
  void Merge(const LtHash& other);

  // Lower-case hex SHA-256 of the lanes (little-endian): what an event records.
  std::string Digest() const;
  // The lanes as base64, and back (refused unless exactly 2048 bytes).
  std::string Serialize() const;
  static Result<LtHash> Parse(std::string_view text);

  bool operator==(const LtHash&) const = default;

 private:
  std::array<uint16_t, kLanes> lanes_{};
};

}  // namespace vigil
