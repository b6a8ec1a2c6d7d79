// Asset labels (inventory first, then the first matching rule per label) and the per-zone
// scan-cadence rules, at their boundaries.
#include "engine/zone_cadence.h"

#include <gtest/gtest.h>

#include "engine/asset_labels.h"

namespace vigil {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

Timestamp At(int64_t s) {
  return Timestamp(seconds(s));
}

AssetView Asset(std::string name, std::string ip, Timestamp last_seen,
                AssetState state = AssetState::kActive) {
  AssetView a;
  a.name = std::move(name);
  a.ip = std::move(ip);
  a.state = state;
  a.first_seen = last_seen;
  a.last_seen = last_seen;
  return a;
}

AssetRule Rule(std::vector<std::string> cidrs, std::vector<std::string> names, std::string zone,
               std::string site = "", std::string owner = "") {
  AssetRule r;
  for (const auto& c : cidrs) {
    r.networks.push_back(*Cidr::Parse(c));
  }
  r.name_patterns = std::move(names);
  r.zone = std::move(zone);
  r.site = std::move(site);
  r.owner = std::move(owner);
  return r;
}

TEST(AssetLabels, InventoryFirstThenFirstMatchingRulePerLabel) {
  std::vector<AssetView> assets = {Asset("ca1.example", "10.20.0.11", At(0)),
                                   Asset("web.dmz.example", "192.0.2.10", At(0)),
                                   Asset("laptop", "172.16.0.5", At(0))};
  assets[0].fqdn = "ca1.example";
  std::vector<InventoryEntry> inventory = {
      {.name = "CA1.example", .zone = "", .site = "DC2", .owner = "pki"}};
  std::vector<AssetRule> rules = {Rule({"10.20.0.0/16"}, {}, "certificate-system", "DC1"),
                                  Rule({}, {"*.dmz.example"}, "dmz", "", "web-team"),
                                  Rule({"0.0.0.0/0"}, {}, "", "", "it")};
  auto labels = LabelAssets(assets, inventory, rules);
  // The inventory gives site and owner; the rule fills the empty zone only.
  EXPECT_EQ(labels[0].zone, "certificate-system");
  EXPECT_EQ(labels[0].site, "DC2");
  EXPECT_EQ(labels[0].owner, "pki");
  EXPECT_EQ(labels[0].expected, &inventory[0]);
  // Name pattern; the owner comes from the first rule that sets one.
  EXPECT_EQ(labels[1].zone, "dmz");
  EXPECT_EQ(labels[1].owner, "web-team");
  EXPECT_EQ(labels[1].expected, nullptr);
  // Only the catch-all matches.
  EXPECT_EQ(labels[2].zone, "");
  EXPECT_EQ(labels[2].owner, "it");
}

struct ZoneFixture : ::testing::Test {
  std::vector<ScannerView> scanners = {{.name = "agents", .kind = "agent"},
                                       {.name = "ext", .kind = "external"}};
  std::vector<InventoryEntry> inventory;
  std::map<std::string, std::vector<AssetLastScan>> last_scans;

  std::vector<ZoneScanStatus> Evaluate(const std::vector<ZoneScanRule>& rules,
                                       const std::vector<AssetView>& assets, Timestamp now) {
    std::vector<AssetRule> asset_rules = {Rule({"10.20.0.0/16"}, {}, "cs")};
    labels = LabelAssets(assets, inventory, asset_rules);
    return EvaluateZoneCadence(rules,
                               {.assets = assets,
                                .labels = labels,
                                .inventory = inventory,
                                .scanners = scanners,
                                .last_scans = last_scans},
                               now);
  }
  std::vector<AssetLabels> labels;
};

TEST_F(ZoneFixture, MetUpToTheSecondTheScanIsDueMissedAfter) {
  ZoneScanRule rule{.zone = "cs", .every = hours(24 * 90), .requirement = "NCSSR 1.7 4.c"};
  std::vector<AssetView> assets = {Asset("ca1", "10.20.0.11", At(1000)),
                                   Asset("outside", "10.30.0.1", At(0))};
  Timestamp due = At(1000) + hours(24 * 90);
  auto at_due = Evaluate({rule}, assets, due);
  ASSERT_EQ(at_due.size(), 1u);  // the asset outside the zone is not judged
  EXPECT_EQ(at_due[0].asset, "ca1");
  EXPECT_TRUE(at_due[0].met);
  EXPECT_EQ(at_due[0].due, due);
  EXPECT_EQ(at_due[0].last_scan, At(1000));
  auto after = Evaluate({rule}, assets, due + seconds(1));
  EXPECT_FALSE(after[0].met);
  auto before = Evaluate({rule}, assets, due - seconds(1));
  EXPECT_TRUE(before[0].met);
}

TEST_F(ZoneFixture, OnlyTheNamedScannersOrKindsCount) {
  std::vector<AssetView> assets = {Asset("ca1", "10.20.0.11", At(50'000'000))};
  last_scans["agents"] = {{.asset = "ca1", .last_scanned = At(50'000'000)}};
  last_scans["ext"] = {{.asset = "ca1", .last_scanned = At(1'000)}};
  ZoneScanRule by_kind{.zone = "cs", .every = hours(24), .kinds = {"external"}};
  auto st = Evaluate({by_kind}, assets, At(50'000'000));
  ASSERT_EQ(st.size(), 1u);
  EXPECT_EQ(st[0].last_scan, At(1'000));  // the agent's recent pass does not count
  EXPECT_FALSE(st[0].met);
  ZoneScanRule by_name{.zone = "cs", .every = hours(24), .scanners = {"agents"}};
  st = Evaluate({by_name}, assets, At(50'000'000));
  EXPECT_TRUE(st[0].met);
  EXPECT_EQ(CountingScanners(by_kind, scanners), std::vector<std::string>{"ext"});
  ZoneScanRule never{.zone = "cs", .every = hours(24), .scanners = {"nobody"}};
  st = Evaluate({never}, assets, At(50'000'000));
  EXPECT_FALSE(st[0].last_scan.has_value());
  EXPECT_FALSE(st[0].met);
}

TEST_F(ZoneFixture, DecommissionedAssetsAreOutAndUnscannedInventoryIsMissed) {
  inventory = {{.name = "hsm1", .zone = "cs"}, {.name = "ca1", .zone = "cs"}};
  std::vector<AssetView> assets = {Asset("ca1", "10.20.0.11", At(100)),
                                   Asset("old", "10.20.0.99", At(0), AssetState::kDecommissioned)};
  ZoneScanRule rule{.zone = "cs", .every = hours(24)};
  auto st = Evaluate({rule}, assets, At(200));
  ASSERT_EQ(st.size(), 2u);
  EXPECT_EQ(st[0].asset, "ca1");
  EXPECT_TRUE(st[0].met);
  EXPECT_EQ(st[1].asset, "hsm1");  // expected, never scanned
  EXPECT_FALSE(st[1].met);
  EXPECT_FALSE(st[1].due.has_value());
}

}  // namespace
}  // namespace vigil
