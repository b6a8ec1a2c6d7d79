// Coverage against the expected inventory.
#include "engine/coverage.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

using std::chrono::hours;

const Timestamp kNow = FromUnixSeconds(1704103200 + 200 * 86400);
const std::chrono::seconds kWindow = hours(24 * 90);

AssetView Asset(const std::string& name, const std::string& ip, Timestamp seen,
                AssetState state = AssetState::kActive) {
  return AssetView{.name = name, .ip = ip, .state = state, .last_seen = seen};
}

TEST(Coverage, NoInventoryNoJudgement) {
  Coverage c = EvaluateCoverage({}, {Asset("a", "10.0.0.1", kNow)}, {}, kNow, kWindow);
  EXPECT_TRUE(c.gaps.empty());
  EXPECT_TRUE(c.unexpected.empty());
}

TEST(Coverage, EachExpectedScannerMustHaveScannedWithinTheWindow) {
  std::vector<InventoryEntry> inventory = {
      {.name = "ca", .addresses = {"10.0.0.1"}, .scanners = {"agents", "network"}},
      {.name = "never", .addresses = {"10.0.0.2"}, .scanners = {"network"}},
      {.name = "edge.example.org", .scanners = {}},
      {.name = "retired", .addresses = {"10.0.0.4"}, .scanners = {"network"}}};
  std::vector<AssetView> assets = {
      Asset("ca.example.org", "10.0.0.1", kNow),
      Asset("edge.example.org", "10.0.0.3", kNow - kWindow),  // exactly at the window: covered
      Asset("retired.example.org", "10.0.0.4", kNow - hours(24 * 300), AssetState::kDecommissioned),
      Asset("rogue.example.org", "10.0.0.9", kNow)};
  std::map<std::string, std::vector<AssetLastScan>> scans = {
      {"agents", {{"ca.example.org", AssetState::kActive, kNow - hours(24)}}},
      {"network", {{"ca.example.org", AssetState::kActive, kNow - kWindow - hours(1)}}}};
  Coverage c = EvaluateCoverage(inventory, assets, scans, kNow, kWindow);
  ASSERT_EQ(c.gaps.size(), 2u);
  EXPECT_EQ(c.gaps[0].expected, "ca");
  EXPECT_EQ(c.gaps[0].scanner, "network");
  EXPECT_EQ(*c.gaps[0].last_scanned, kNow - kWindow - hours(1));
  EXPECT_EQ(c.gaps[1].expected, "never");
  EXPECT_FALSE(c.gaps[1].last_scanned);
  EXPECT_EQ(c.unexpected, std::vector<std::string>{"rogue.example.org"});
}

}  // namespace
}  // namespace vigil
