#include <gtest/gtest.h>

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
  b.refs.push_back({"cve", "CVE-2024-1"});
  EXPECT_NE(a.ContentHash(), b.ContentHash());
  EXPECT_EQ(b.Cves(), std::vector<std::string>{"CVE-2024-1"});
}

}  // namespace
}  // namespace vigil
