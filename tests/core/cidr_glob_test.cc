#include <gtest/gtest.h>

#include "core/cidr.h"
#include "core/glob.h"

namespace vigil {
namespace {

TEST(Cidr, ContainsIpv4ByPrefix) {
  Cidr net = *Cidr::Parse("10.20.0.0/16");
  EXPECT_TRUE(net.Contains("10.20.0.1"));
  EXPECT_TRUE(net.Contains("10.20.255.255"));
  EXPECT_FALSE(net.Contains("10.21.0.0"));
  EXPECT_FALSE(net.Contains("10.19.255.255"));
  EXPECT_FALSE(net.Contains("not-an-ip"));
  EXPECT_FALSE(net.Contains("2001:db8::1"));  // another family is in no IPv4 network
}

TEST(Cidr, PrefixesThatAreNotByteAligned) {
  Cidr net = *Cidr::Parse("192.168.4.0/22");
  EXPECT_TRUE(net.Contains("192.168.4.0"));
  EXPECT_TRUE(net.Contains("192.168.7.255"));
  EXPECT_FALSE(net.Contains("192.168.8.0"));
  EXPECT_FALSE(net.Contains("192.168.3.255"));
  Cidr all = *Cidr::Parse("0.0.0.0/0");
  EXPECT_TRUE(all.Contains("203.0.113.9"));
}

TEST(Cidr, BareAddressIsOneHost) {
  Cidr host = *Cidr::Parse("10.0.0.7");
  EXPECT_TRUE(host.Contains("10.0.0.7"));
  EXPECT_FALSE(host.Contains("10.0.0.8"));
}

TEST(Cidr, Ipv6) {
  Cidr net = *Cidr::Parse("2001:db8:ab00::/40");
  EXPECT_TRUE(net.Contains("2001:db8:abff::1"));
  EXPECT_FALSE(net.Contains("2001:db8:ac00::1"));
  EXPECT_FALSE(net.Contains("10.0.0.1"));
}

TEST(Cidr, RefusesWhatIsNotANetwork) {
  for (const char* bad : {"", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "10.0.0/8", "x/8",
                          "10.1.2.3/16", "2001:db8::/129", "10.0.0.0/8x", "::1/200"}) {
    EXPECT_FALSE(Cidr::Parse(bad).ok()) << bad;
  }
  EXPECT_NE(Cidr::Parse("10.1.2.3/16").status().message().find("host bits"), std::string::npos);
}

TEST(Glob, StarsQuestionMarksAndCase) {
  EXPECT_TRUE(GlobMatch("*.dc1.example-ca.net", "ocsp01.DC1.example-ca.net"));
  EXPECT_FALSE(GlobMatch("*.dc1.example-ca.net", "ocsp01.dc2.example-ca.net"));
  EXPECT_TRUE(GlobMatch("ca-signer0?", "ca-signer01"));
  EXPECT_FALSE(GlobMatch("ca-signer0?", "ca-signer012"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("a*b*c", "a-x-b-y-b-c"));
  EXPECT_FALSE(GlobMatch("a*b*c", "a-x-b-y-b-d"));
  EXPECT_TRUE(GlobMatch("exact", "EXACT"));
  EXPECT_FALSE(GlobMatch("exact", "exactly"));
  EXPECT_FALSE(GlobMatch("", "x"));
}

TEST(Glob, PathologicalPatternsStayLinear) {
  std::string text(10000, 'a');
  std::string pattern;
  for (int i = 0; i < 50; ++i) {
    pattern += "a*";
  }
  pattern += "b";
  EXPECT_FALSE(GlobMatch(pattern, text));  // finishes: no exponential backtracking
}

}  // namespace
}  // namespace vigil
