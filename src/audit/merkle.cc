#include "audit/merkle.h"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <bit>
#include <cstring>

namespace vigil::merkle {
namespace {

Hash Sha(uint8_t prefix, const uint8_t* a, size_t a_len, const uint8_t* b, size_t b_len) {
  // One-shot SHA-256 over prefix || a || b; nodes fit the stack buffer.
  uint8_t small[1 + 64 + 256];
  std::string large;
  uint8_t* buf = small;
  size_t n = 1 + a_len + b_len;
  if (n > sizeof small) {
    large.resize(n);
    buf = reinterpret_cast<uint8_t*>(large.data());
  }
  buf[0] = prefix;
  if (a_len > 0) {
    std::memcpy(buf + 1, a, a_len);
  }
  if (b_len > 0) {
    std::memcpy(buf + 1 + a_len, b, b_len);
  }
  Hash out;
  SHA256(buf, n, out.data());
  return out;
}

Status Mismatch(const char* what) {
  return InvalidInput(std::string(what) + " does not match");
}

// The number of hashes below the point where the paths to `index` and `size - 1` part, and
// the number above it (RFC 9162 2.1.3 decomposition).
void Decompose(uint64_t index, uint64_t size, int& inner, int& border) {
  inner = static_cast<int>(std::bit_width(index ^ (size - 1)));
  border = std::popcount(index >> inner);
}

// A node over byte strings of any length: the verifiers take what they are given, as the
// reference verifier does, and only the final comparison decides.
std::string Node(std::string_view left, std::string_view right) {
  Hash h = Sha(0x01, reinterpret_cast<const uint8_t*>(left.data()), left.size(),
               reinterpret_cast<const uint8_t*>(right.data()), right.size());
  return std::string(h.begin(), h.end());
}

bool ValidSubtree(uint64_t start, uint64_t end) {
  if (end <= start) {
    return false;
  }
  if (start == 0) {
    return true;
  }
  uint64_t size = end - start;
  if (size > (uint64_t{1} << 63)) {
    return false;  // no non-zero start is aligned to 2^64 (and bit_ceil would overflow)
  }
  return (start & (std::bit_ceil(size) - 1)) == 0;
}

}  // namespace

Hash LeafHash(std::string_view leaf) {
  return Sha(0x00, reinterpret_cast<const uint8_t*>(leaf.data()), leaf.size(), nullptr, 0);
}

Hash NodeHash(const Hash& left, const Hash& right) {
  return Sha(0x01, left.data(), left.size(), right.data(), right.size());
}

Hash EmptyRoot() {
  Hash out;
  SHA256(nullptr, 0, out.data());
  return out;
}

std::string ToHex(const Hash& h) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (uint8_t b : h) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::string ToBase64(const Hash& h) {
  unsigned char out[64];
  int n = EVP_EncodeBlock(out, h.data(), static_cast<int>(h.size()));
  return std::string(reinterpret_cast<char*>(out), static_cast<size_t>(n));
}

Result<Hash> FromHex(std::string_view hex) {
  if (hex.size() != 64) {
    return InvalidInput("a hash is 64 hex digits");
  }
  Hash h;
  for (size_t i = 0; i < 32; ++i) {
    int v = 0;
    for (char c : hex.substr(i * 2, 2)) {
      v *= 16;
      if (c >= '0' && c <= '9') {
        v += c - '0';
      } else if (c >= 'a' && c <= 'f') {
        v += c - 'a' + 10;
      } else {
        return InvalidInput("a hash is 64 lower-case hex digits");
      }
    }
    h[i] = static_cast<uint8_t>(v);
  }
  return h;
}

Result<Hash> FromBase64(std::string_view b64) {
  if (b64.size() != 44 || b64[43] != '=') {
    return InvalidInput("a hash is 44 characters of base64");
  }
  unsigned char out[48];
  int n = EVP_DecodeBlock(out, reinterpret_cast<const unsigned char*>(b64.data()),
                          static_cast<int>(b64.size()));
  if (n != 33) {  // EVP_DecodeBlock counts the padding as a zero byte
    return InvalidInput("not base64");
  }
  Hash h;
  std::memcpy(h.data(), out, 32);
  return h;
}

void CompactRange::Append(const Hash& leaf_hash) {
  Hash carry = leaf_hash;
  // Merge with equal-sized subtrees: one per trailing one bit of the old size.
  for (uint64_t s = size_; s & 1; s >>= 1) {
    carry = NodeHash(parts_.back(), carry);
    parts_.pop_back();
  }
  parts_.push_back(carry);
  ++size_;
}

Hash CompactRange::Root() const {
  if (parts_.empty()) {
    return EmptyRoot();
  }
  Hash root = parts_.back();
  for (size_t i = parts_.size() - 1; i-- > 0;) {
    root = NodeHash(parts_[i], root);
  }
  return root;
}

Result<CompactRange> CompactRange::FromParts(uint64_t size, std::vector<Hash> parts) {
  if (static_cast<size_t>(std::popcount(size)) != parts.size()) {
    return InvalidInput("a compact range of " + std::to_string(size) + " leaves has " +
                        std::to_string(std::popcount(size)) + " hashes, not " +
                        std::to_string(parts.size()));
  }
  CompactRange r;
  r.size_ = size;
  r.parts_ = std::move(parts);
  return r;
}

Tree::Tree(std::vector<Hash> leaf_hashes) {
  if (leaf_hashes.empty()) {
    return;
  }
  levels_.push_back(std::move(leaf_hashes));
  while (levels_.back().size() > 1) {
    const auto& below = levels_.back();
    std::vector<Hash> up;
    up.reserve((below.size() + 1) / 2);
    for (size_t i = 0; i + 1 < below.size(); i += 2) {
      up.push_back(NodeHash(below[i], below[i + 1]));
    }
    if (below.size() % 2 == 1) {
      up.push_back(below.back());  // a lone last node is carried up unchanged
    }
    levels_.push_back(std::move(up));
  }
}

Hash Tree::Mth(uint64_t start, uint64_t end) const {
  uint64_t n = end - start;
  if (n == 0) {
    return EmptyRoot();
  }
  if (n == 1) {
    return levels_[0][start];
  }
  // A complete, aligned subtree is one node of the level array.
  if (std::has_single_bit(n) && start % n == 0) {
    return levels_[std::countr_zero(n)][start / n];
  }
  uint64_t k = std::bit_floor(n - 1);
  return NodeHash(Mth(start, start + k), Mth(start + k, end));
}

Hash Tree::RootAt(uint64_t n) const {
  return Mth(0, n);
}

std::vector<Hash> Tree::InclusionProof(uint64_t index, uint64_t n) const {
  std::vector<Hash> out;
  uint64_t start = 0;
  uint64_t end = n;
  std::vector<Hash> reversed;  // collected from the root down; the proof goes leaf up
  while (end - start > 1) {
    uint64_t k = std::bit_floor(end - start - 1);
    if (index < start + k) {
      reversed.push_back(Mth(start + k, end));
      end = start + k;
    } else {
      reversed.push_back(Mth(start, start + k));
      start += k;
    }
  }
  out.assign(reversed.rbegin(), reversed.rend());
  return out;
}

void Tree::SubProof(uint64_t m, uint64_t start, uint64_t end, bool complete,
                    std::vector<Hash>& out) const {
  uint64_t n = end - start;
  if (m == n) {
    if (!complete) {
      out.push_back(Mth(start, end));
    }
    return;
  }
  uint64_t k = std::bit_floor(n - 1);
  if (m <= k) {
    SubProof(m, start, start + k, complete, out);
    out.push_back(Mth(start + k, end));
  } else {
    SubProof(m - k, start + k, end, false, out);
    out.push_back(Mth(start, start + k));
  }
}

std::vector<Hash> Tree::ConsistencyProof(uint64_t m, uint64_t n) const {
  std::vector<Hash> out;
  if (m == 0 || m >= n) {
    return out;
  }
  SubProof(m, 0, n, true, out);
  return out;
}

Status VerifyInclusion(uint64_t index, uint64_t size, std::string_view leaf_hash,
                       const std::vector<std::string>& proof, std::string_view root) {
  if (index >= size) {
    return InvalidInput("leaf index " + std::to_string(index) + " is beyond the tree size " +
                        std::to_string(size));
  }
  if (leaf_hash.size() != 32) {
    return InvalidInput("the leaf hash is " + std::to_string(leaf_hash.size()) + " bytes, not 32");
  }
  int inner = 0;
  int border = 0;
  Decompose(index, size, inner, border);
  if (proof.size() != static_cast<size_t>(inner) + static_cast<size_t>(border)) {
    return InvalidInput("the inclusion proof has " + std::to_string(proof.size()) +
                        " hashes, not " + std::to_string(inner + border));
  }
  std::string r(leaf_hash);
  for (int i = 0; i < inner; ++i) {
    r = ((index >> i) & 1) == 0 ? Node(r, proof[i]) : Node(proof[i], r);
  }
  for (size_t i = inner; i < proof.size(); ++i) {
    r = Node(proof[i], r);
  }
  return r == root ? Status::Ok() : Mismatch("the root computed from the inclusion proof");
}

Status VerifyConsistency(uint64_t size1, uint64_t size2, const std::vector<std::string>& proof,
                         std::string_view root1, std::string_view root2) {
  if (size2 < size1) {
    return InvalidInput("the second tree is smaller than the first");
  }
  if (size1 == 0) {
    return InvalidInput("a consistency proof from the empty tree means nothing");
  }
  if (size1 == size2) {
    if (!proof.empty()) {
      return InvalidInput("trees of the same size need an empty consistency proof");
    }
    return root1 == root2 ? Status::Ok() : Mismatch("the roots of equal-sized trees");
  }
  if (proof.empty()) {
    return InvalidInput("the consistency proof is empty");
  }
  int inner = 0;
  int border = 0;
  Decompose(size1 - 1, size2, inner, border);
  int shift = std::countr_zero(size1);
  inner -= shift;
  // The first hash is the root of the complete subtree of 2^shift leaves ending at size1 - 1,
  // unless size1 is exactly that subtree, whose root is root1.
  std::string seed = proof[0];
  size_t first = 1;
  if (size1 == (uint64_t{1} << shift)) {
    seed = std::string(root1);
    first = 0;
  }
  if (proof.size() != first + inner + border) {
    return InvalidInput("the consistency proof has " + std::to_string(proof.size()) +
                        " hashes, not " + std::to_string(first + inner + border));
  }
  uint64_t mask = (size1 - 1) >> shift;
  std::string h1 = seed;
  std::string h2 = seed;
  for (int i = 0; i < inner; ++i) {
    const std::string& p = proof[first + i];
    if (((mask >> i) & 1) == 1) {
      h1 = Node(p, h1);
      h2 = Node(p, h2);
    } else {
      h2 = Node(h2, p);
    }
  }
  for (size_t i = first + inner; i < proof.size(); ++i) {
    h1 = Node(proof[i], h1);
    h2 = Node(proof[i], h2);
  }
  if (h1 != root1) {
    return Mismatch("the first root computed from the consistency proof");
  }
  return h2 == root2 ? Status::Ok()
                     : Mismatch("the second root computed from the consistency proof");
}

Status VerifySubtreeInclusion(uint64_t index, uint64_t start, uint64_t end,
                              std::string_view leaf_hash, const std::vector<std::string>& proof,
                              std::string_view subtree_root) {
  if (!ValidSubtree(start, end) || index < start || index >= end) {
    return InvalidInput("not a valid subtree, or the index is outside it");
  }
  // A valid subtree is a Merkle tree of its own over leaves [start, end).
  return VerifyInclusion(index - start, end - start, leaf_hash, proof, subtree_root);
}

Status VerifySubtreeConsistency(uint64_t start, uint64_t end, uint64_t size,
                                const std::vector<std::string>& proof,
                                std::string_view subtree_root, std::string_view root) {
  if (start == end && end <= size) {
    // The empty subtree is in every tree; its root is the hash of nothing.
    if (!proof.empty()) {
      return InvalidInput("an empty subtree needs an empty proof");
    }
    Hash empty = EmptyRoot();
    return subtree_root == std::string_view(reinterpret_cast<const char*>(empty.data()), 32)
               ? Status::Ok()
               : Mismatch("the root of the empty subtree");
  }
  if (!ValidSubtree(start, end) || end > size) {
    return InvalidInput("not a valid subtree of the tree");
  }
  uint64_t fn = start;
  uint64_t sn = end - 1;
  uint64_t tn = size - 1;
  if (sn == tn) {
    while (fn != sn) {
      fn >>= 1;
      sn >>= 1;
      tn >>= 1;
    }
  } else {
    while (fn != sn && (sn & 1) == 1) {
      fn >>= 1;
      sn >>= 1;
      tn >>= 1;
    }
  }
  size_t next = 0;
  std::string fr(subtree_root);
  std::string sr(subtree_root);
  if (fn != sn) {
    if (proof.empty()) {
      return InvalidInput("the subtree consistency proof is empty");
    }
    fr = sr = proof[0];
    next = 1;
  }
  for (; next < proof.size(); ++next) {
    const std::string& c = proof[next];
    if (tn == 0) {
      return InvalidInput("the subtree consistency proof is too long");
    }
    if ((sn & 1) == 1 || sn == tn) {
      if (fn < sn) {
        fr = Node(c, fr);
      }
      sr = Node(c, sr);
      while ((sn & 1) == 0 && fn < sn) {
        fn >>= 1;
        sn >>= 1;
        tn >>= 1;
      }
    } else {
      sr = Node(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
    tn >>= 1;
  }
  if (tn != 0) {
    return InvalidInput("the subtree consistency proof is too short");
  }
  if (fr != subtree_root) {
    return Mismatch("the subtree root computed from the proof");
  }
  return sr == root ? Status::Ok() : Mismatch("the root computed from the subtree proof");
}

}  // namespace vigil::merkle
