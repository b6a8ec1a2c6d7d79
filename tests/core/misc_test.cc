#include <gtest/gtest.h>

#include "core/credential.h"
#include "core/finding.h"
#include "core/sha256.h"
#include "core/status.h"
#include "core/vulnerability.h"

namespace vigil {
namespace {

Result<int> Half(int v) {
  if (v % 2 != 0) {
    return InvalidInput("odd");
  }
  return v / 2;
}

Result<int> Quarter(int v) {
  ASSIGN_OR_RETURN(int half, Half(v));
  ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

TEST(Status, PropagatesTheFirstError) {
  EXPECT_FALSE(Quarter(6).ok());
  EXPECT_EQ(Quarter(6).status().message(), "odd");
  EXPECT_EQ(Quarter(6).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(*Quarter(8), 2);
  EXPECT_EQ(InvalidInput("x").WithPrefix("file").message(), "file: x");
}

TEST(Sha256, KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(States, RoundTripNames) {
  for (auto s : {FindingState::kOpen, FindingState::kFixed, FindingState::kReopened,
                 FindingState::kInactive}) {
    EXPECT_EQ(ParseFindingState(ToString(s)), s);
  }
  EXPECT_FALSE(ParseFindingState("closed"));
  EXPECT_EQ(ParsePresence("absent-unverified"), Presence::kAbsentUnverified);
}

TEST(VulnerabilityDef, ContentHashSeesEveryChange) {
  VulnerabilityDef a{.key = "tenable:1", .title = "t"};
  VulnerabilityDef b = a;
  EXPECT_EQ(a.ContentHash(), b.ContentHash());
  b.cvss3_score = 7.5;
  EXPECT_NE(a.ContentHash(), b.ContentHash());
  b = a;
  b.refs.push_back({"cve", "CVE-2024-1234"});
  EXPECT_NE(a.ContentHash(), b.ContentHash());
  EXPECT_EQ(b.Cves(), std::vector<std::string>{"CVE-2024-1234"});
}

}  // namespace
}  // namespace vigil

namespace vigil {
namespace {

TEST(Credential, EnrolmentCodesAreGroupedBase32AndReadBackAsTyped) {
  std::string code = *NewEnrolmentCode();
  ASSERT_EQ(code.size(), 23u);
  for (size_t i = 0; i < code.size(); ++i) {
    if (i % 6 == 5) {
      EXPECT_EQ(code[i], '-') << code;
    } else {
      EXPECT_NE(std::string_view("0123456789ABCDEFGHJKMNPQRSTVWXYZ").find(code[i]),
                std::string_view::npos)
          << code;
    }
  }
  EXPECT_NE(*NewEnrolmentCode(), code);
  EXPECT_EQ(NormalizeEnrolmentCode(code), code);
  EXPECT_EQ(NormalizeEnrolmentCode("k7m2q 8zc3d-iwxyt-r5pOa"), "K7M2Q-8ZC3D-1WXYT-R5P0A");
  EXPECT_EQ(NormalizeEnrolmentCode("k7m2q8zc3dlwxytr5p0a"), "K7M2Q-8ZC3D-1WXYT-R5P0A");
}

TEST(Credential, PasswordsTakeTheMemoryHardParameters) {
  std::string hash = *HashPassword("a long and private passphrase");
  EXPECT_EQ(hash.rfind("scrypt$65536$8$2$", 0), 0u) << hash;
  EXPECT_TRUE(VerifyToken("a long and private passphrase", hash));
  EXPECT_FALSE(VerifyToken("a long and private passphrasE", hash));
}

TEST(Credential, TokensAreRandomAndOnlyTheirHashIsKept) {
  std::string a = *NewToken();
  std::string b = *NewToken();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.rfind("vgt_", 0), 0u);
  EXPECT_EQ(a.size(), 4u + 43u);
  std::string hash = *HashToken(a);
  EXPECT_EQ(hash.rfind("scrypt$", 0), 0u);
  EXPECT_EQ(hash.find(a), std::string::npos);
  EXPECT_NE(*HashToken(a), hash);  // a fresh salt each time
  EXPECT_TRUE(VerifyToken(a, hash));
  EXPECT_FALSE(VerifyToken(b, hash));
  EXPECT_FALSE(VerifyToken("", hash));
  for (const char* broken : {"", "scrypt$", "md5$1$2$3$00$00", "scrypt$0$8$1$00$00",
                             "scrypt$8192$8$1$zz$00", "scrypt$99999999$8$1$00$00"}) {
    EXPECT_FALSE(VerifyToken(a, broken)) << broken;
  }
}

}  // namespace
}  // namespace vigil
