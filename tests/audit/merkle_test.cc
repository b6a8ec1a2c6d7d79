// The Merkle tree against RFC 9162 and the public vectors of transparency-dev/merkle: roots,
// proofs we generate, and every vector file under $VIGIL_CORPUS/merkle/testdata (skipped with
// a message when the corpus is not there).
#include "audit/merkle.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/base64.h"

namespace vigil::merkle {
namespace {

std::string Unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

// The leaf inputs of transparency-dev/merkle's testonly/constants.go.
std::vector<Hash> ReferenceLeaves() {
  std::vector<Hash> out;
  for (const char* hex : {"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                          "606162636465666768696a6b6c6d6e6f"}) {
    out.push_back(LeafHash(Unhex(hex)));
  }
  return out;
}

TEST(Merkle, RootsOfTheReferenceTree) {
  const char* roots[] = {"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                         "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                         "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
                         "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
                         "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
                         "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
                         "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
                         "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
                         "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"};
  std::vector<Hash> leaves = ReferenceLeaves();
  Tree tree(leaves);
  CompactRange range;
  EXPECT_EQ(ToHex(range.Root()), roots[0]);
  for (size_t n = 1; n <= leaves.size(); ++n) {
    range.Append(leaves[n - 1]);
    EXPECT_EQ(ToHex(range.Root()), roots[n]) << n;
    EXPECT_EQ(ToHex(tree.RootAt(n)), roots[n]) << n;
    EXPECT_EQ(ToHex(Tree({leaves.begin(), leaves.begin() + static_cast<long>(n)}).Root()),
              roots[n]);
  }
}

std::string Bytes(const Hash& h) {
  return std::string(h.begin(), h.end());
}

std::vector<std::string> AsBytes(const std::vector<Hash>& proof) {
  std::vector<std::string> out;
  for (const auto& h : proof) {
    out.push_back(Bytes(h));
  }
  return out;
}

// Every proof we generate for trees up to 70 leaves verifies, and a flipped bit does not.
TEST(Merkle, GeneratedProofsVerify) {
  std::vector<Hash> leaves;
  for (int i = 0; i < 70; ++i) {
    leaves.push_back(LeafHash("leaf " + std::to_string(i)));
  }
  Tree tree(leaves);
  for (uint64_t n = 1; n <= leaves.size(); ++n) {
    std::string root = Bytes(tree.RootAt(n));
    for (uint64_t i = 0; i < n; ++i) {
      auto proof = AsBytes(tree.InclusionProof(i, n));
      ASSERT_TRUE(VerifyInclusion(i, n, Bytes(leaves[i]), proof, root).ok()) << i << "/" << n;
      if (!proof.empty()) {
        proof[0][3] ^= 1;
        EXPECT_FALSE(VerifyInclusion(i, n, Bytes(leaves[i]), proof, root).ok());
      }
    }
    for (uint64_t m = 1; m <= n; ++m) {
      auto proof = AsBytes(tree.ConsistencyProof(m, n));
      ASSERT_TRUE(VerifyConsistency(m, n, proof, Bytes(tree.RootAt(m)), root).ok())
          << m << "->" << n;
      if (m < n) {
        EXPECT_FALSE(
            VerifyConsistency(m, n, proof, Bytes(tree.RootAt(m)), Bytes(tree.RootAt(n - 1))).ok());
      }
    }
  }
  // The compact range survives a round trip through its stored parts.
  CompactRange r;
  for (const auto& l : leaves) {
    r.Append(l);
  }
  auto restored = CompactRange::FromParts(r.size(), r.parts());
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(restored->Root(), tree.Root());
  EXPECT_FALSE(CompactRange::FromParts(r.size() + 1, r.parts()).ok());
}

TEST(Base64, StrictRoundTrip) {
  EXPECT_EQ(Base64Encode("hello"), "aGVsbG8=");
  EXPECT_EQ(*Base64Decode("aGVsbG8="), "hello");
  EXPECT_EQ(*Base64Decode(""), "");
  EXPECT_FALSE(Base64Decode("aGVsbG8").ok());
  EXPECT_FALSE(Base64Decode("aGVsbG9=").ok());  // not canonical
  EXPECT_FALSE(Base64Decode("a$==").ok());
}

// $VIGIL_CORPUS/merkle/testdata: each file must verify exactly when wantErr is false.
TEST(Merkle, TransparencyDevVectors) {
  const char* corpus = std::getenv("VIGIL_CORPUS");
  if (corpus == nullptr || *corpus == '\0') {
    GTEST_SKIP() << "VIGIL_CORPUS is not set: the Merkle test vectors were not run";
  }
  std::filesystem::path root = std::filesystem::path(corpus) / "merkle" / "testdata";
  ASSERT_TRUE(std::filesystem::exists(root)) << root;
  auto bytes = [](const nlohmann::json& v) {
    auto d = Base64Decode(v.get<std::string>());
    return d.ok() ? *d : std::string("undecodable");
  };
  auto proof_of = [&](const nlohmann::json& j) {
    std::vector<std::string> out;
    if (j.contains("proof") && j["proof"].is_array()) {
      for (const auto& p : j["proof"]) {
        out.push_back(bytes(p));
      }
    }
    return out;
  };
  std::map<std::string, int> checked;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".json") {
      continue;
    }
    std::ifstream in(entry.path());
    nlohmann::json j = nlohmann::json::parse(in);
    std::string kind = std::filesystem::relative(entry.path(), root).begin()->string();
    Status s;
    if (kind == "inclusion") {
      s = VerifyInclusion(j["leafIdx"].get<uint64_t>(), j["treeSize"].get<uint64_t>(),
                          bytes(j["leafHash"]), proof_of(j), bytes(j["root"]));
    } else if (kind == "consistency") {
      s = VerifyConsistency(j["size1"].get<uint64_t>(), j["size2"].get<uint64_t>(), proof_of(j),
                            bytes(j["root1"]), bytes(j["root2"]));
    } else if (kind == "subtreeinclusion") {
      s = VerifySubtreeInclusion(j["leafIdx"].get<uint64_t>(), j["start"].get<uint64_t>(),
                                 j["end"].get<uint64_t>(), bytes(j["leafHash"]), proof_of(j),
                                 bytes(j["root"]));
    } else if (kind == "subtreeconsistency") {
      s = VerifySubtreeConsistency(j["start"].get<uint64_t>(), j["end"].get<uint64_t>(),
                                   j["size"].get<uint64_t>(), proof_of(j), bytes(j["root1"]),
                                   bytes(j["root2"]));
    } else {
      continue;
    }
    bool want_error = j["wantErr"].get<bool>();
    EXPECT_EQ(!s.ok(), want_error) << entry.path() << ": " << s.message();
    ++checked[kind];
  }
  EXPECT_EQ(checked["inclusion"], 98);
  EXPECT_EQ(checked["consistency"], 98);
  EXPECT_EQ(checked["subtreeinclusion"], 204);
  EXPECT_EQ(checked["subtreeconsistency"], 118);
}

}  // namespace
}  // namespace vigil::merkle
