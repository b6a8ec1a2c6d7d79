// Asset identity: the same machine in two scans is one asset; different machines are not
// merged on a shared weak key.
#include <gtest/gtest.h>

#include "support/import_fixture.h"

namespace vigil {
namespace {

using testing::BuildNessus;
using testing::Day;
using testing::TestHost;

class AssetIdentity : public testing::ImportFixture {
 protected:
  std::vector<AssetView> Assets() { return *store_->QueryAssets({}); }
};

TEST_F(AssetIdentity, SameIpDifferentFqdnAreTwoMachines) {
  Import(BuildNessus({TestHost{.name = "a", .ip = "10.0.0.1", .fqdn = "a.example.org"}}));
  Import(BuildNessus(
      {TestHost{.name = "b", .ip = "10.0.0.1", .fqdn = "b.example.org", .start = Day(1)}}));
  EXPECT_EQ(Assets().size(), 2u);
}

TEST_F(AssetIdentity, FqdnWinsOverChangedIp) {
  Import(BuildNessus({TestHost{.name = "a", .ip = "10.0.0.1", .fqdn = "a.example.org"}}));
  Import(BuildNessus(
      {TestHost{.name = "a", .ip = "10.0.0.2", .fqdn = "A.EXAMPLE.ORG", .start = Day(1)}}));
  auto assets = Assets();
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_EQ(assets[0].ip, "10.0.0.2");  // properties follow the newest scan
  EXPECT_EQ(assets[0].name, "a.example.org");
}

TEST_F(AssetIdentity, IpOnlyHostLearnsItsFqdn) {
  Import(BuildNessus({TestHost{.name = "10.0.0.1", .ip = "10.0.0.1"}}));
  Import(BuildNessus(
      {TestHost{.name = "10.0.0.1", .ip = "10.0.0.1", .fqdn = "a.example.org", .start = Day(1)}}));
  auto assets = Assets();
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_EQ(assets[0].fqdn, "a.example.org");
  EXPECT_EQ(assets[0].name, "a.example.org");
  EXPECT_EQ(FormatIso8601(assets[0].first_seen), FormatIso8601(FromUnixSeconds(Day(0))));
}

TEST_F(AssetIdentity, AgentIdWinsOverRenamedHost) {
  Import(BuildNessus({TestHost{.name = "old",
                               .ip = "10.0.0.1",
                               .fqdn = "old.example.org",
                               .agent_id = "4a1c9e2e-aaaa-bbbb-cccc-000000000001"}}));
  Import(BuildNessus({TestHost{.name = "new",
                               .ip = "10.0.0.7",
                               .fqdn = "new.example.org",
                               .agent_id = "4A1C9E2E-AAAA-BBBB-CCCC-000000000001",
                               .start = Day(1)}}));
  auto assets = Assets();
  ASSERT_EQ(assets.size(), 1u);
  EXPECT_EQ(assets[0].agent_id, "4a1c9e2e-aaaa-bbbb-cccc-000000000001");
}

TEST_F(AssetIdentity, DifferentAgentsOnOneFqdnAreTwoMachines) {
  Import(BuildNessus({TestHost{.name = "a", .fqdn = "a.example.org", .agent_id = "one"}}));
  Import(BuildNessus(
      {TestHost{.name = "a", .fqdn = "a.example.org", .agent_id = "two", .start = Day(1)}}));
  EXPECT_EQ(Assets().size(), 2u);
}

TEST_F(AssetIdentity, ReportHostNameWhenNothingElse) {
  Import(BuildNessus({TestHost{.name = "printer-3"}}));
  Import(BuildNessus({TestHost{.name = "printer-3", .start = Day(1)}}));
  Import(BuildNessus({TestHost{.name = "printer-4", .start = Day(1)}}));
  EXPECT_EQ(Assets().size(), 2u);
}

}  // namespace
}  // namespace vigil
