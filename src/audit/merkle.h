// Merkle trees as in Certificate Transparency (RFC 9162 section 2.1; RFC 6962 section 2.1):
// leaf hash SHA-256(0x00 || leaf), node hash SHA-256(0x01 || left || right), the largest power
// of two strictly smaller than n splits a tree of n leaves. Inclusion and consistency proofs,
// generated and verified as specified (with the edge cases the reference verifier of
// transparency-dev/merkle rejects), and the subtree proofs of the Merkle Tree Certificates
// draft (draft-ietf-plants-merkle-tree-certs section 4).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vigil::merkle {

using Hash = std::array<uint8_t, 32>;

Hash LeafHash(std::string_view leaf);
Hash NodeHash(const Hash& left, const Hash& right);
Hash EmptyRoot();  // SHA-256 of nothing

std::string ToHex(const Hash& h);
std::string ToBase64(const Hash& h);
// 32 bytes from hex or standard base64; an error otherwise.
Result<Hash> FromHex(std::string_view hex);
Result<Hash> FromBase64(std::string_view b64);

// Appends leaves one at a time keeping one hash per set bit of the size (the "compact range"),
// so that each append costs O(log n) and the root is always at hand.
class CompactRange {
 public:
  void Append(const Hash& leaf_hash);
  uint64_t size() const { return size_; }
  Hash Root() const;
  // The hashes, largest subtree first, for storing; FromParts restores them.
  const std::vector<Hash>& parts() const { return parts_; }
  static Result<CompactRange> FromParts(uint64_t size, std::vector<Hash> parts);

 private:
  uint64_t size_ = 0;
  std::vector<Hash> parts_;  // one per set bit of size_, highest bit first
};

// A whole tree over known leaf hashes, level by level (a lone last node is carried up), for
// roots of any prefix and proofs in O(log n) each.
class Tree {
 public:
  explicit Tree(std::vector<Hash> leaf_hashes);
  uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  // The root of the first `n` leaves (n <= size()).
  Hash RootAt(uint64_t n) const;
  Hash Root() const { return RootAt(size()); }
  // RFC 9162 2.1.3.1: the audit path of leaf `index` in the tree of the first `n` leaves.
  std::vector<Hash> InclusionProof(uint64_t index, uint64_t n) const;
  // RFC 9162 2.1.4.1: the proof that the first `m` leaves are a prefix of the first `n`.
  std::vector<Hash> ConsistencyProof(uint64_t m, uint64_t n) const;

 private:
  // MTH of leaves [start, end) of the tree of the first `n` leaves.
  Hash Mth(uint64_t start, uint64_t end) const;
  void SubProof(uint64_t m, uint64_t start, uint64_t end, bool complete,
                std::vector<Hash>& out) const;
  std::vector<std::vector<Hash>> levels_;
};

// Verification, exactly as RFC 9162 2.1.3.2 and 2.1.4.2 and the reference verifier: hashes are
// raw bytes; a leaf hash must be 32 bytes, other hashes take part as given and only the final
// comparison with the expected root decides. OK when the proof holds.
Status VerifyInclusion(uint64_t index, uint64_t size, std::string_view leaf_hash,
                       const std::vector<std::string>& proof, std::string_view root);
Status VerifyConsistency(uint64_t size1, uint64_t size2, const std::vector<std::string>& proof,
                         std::string_view root1, std::string_view root2);
Status VerifySubtreeInclusion(uint64_t index, uint64_t start, uint64_t end,
                              std::string_view leaf_hash, const std::vector<std::string>& proof,
                              std::string_view subtree_root);
Status VerifySubtreeConsistency(uint64_t start, uint64_t end, uint64_t size,
                                const std::vector<std::string>& proof,
                                std::string_view subtree_root, std::string_view root);

}  // namespace vigil::merkle
