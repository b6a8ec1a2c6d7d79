// The asset lifecycle: decommissioning takes an asset out of the live picture; a
// decommissioned asset that shows up in a scan is an alarm and is active again.
#include <gtest/gtest.h>

#include "engine/registry.h"
#include "engine/scanner_health.h"
#include "support/import_fixture.h"

namespace vigil {
namespace {

using testing::BuildNessus;
using testing::Day;
using testing::TestHost;

class Decommission : public testing::ImportFixture {
 protected:
  static TestHost Server(long long start, std::vector<testing::TestItem> items) {
    return TestHost{.name = "10.0.0.5",
                    .ip = "10.0.0.5",
                    .fqdn = "old.example.org",
                    .start = start,
                    .items = std::move(items)};
  }
  void Decommissioned(Timestamp at) {
    auto found = store_->FindAssets("old.example.org");
    ASSERT_TRUE(found.ok());
    ASSERT_EQ(found->size(), 1u);
    ASSERT_TRUE(store_->Begin().ok());
    ASSERT_TRUE(RetireAsset(*store_, found->at(0).id, at, "alice", "replaced by new").ok());
    ASSERT_TRUE(store_->Commit().ok());
  }
  // The time of the observation decides, not the order of imports: a report of the machine
  // from before it was retired, imported afterwards (and newer than anything imported before),
  // is history: no alarm, the asset stays decommissioned, its findings inactive, and what only
  // the old report knew is kept, inactive too (nothing is open on a retired machine).
  void ExpectHistoryOnly(long long observed) {
    Import(BuildNessus({Server(Day(0), {{.plugin = 10}, {.plugin = 11}})}));
    Decommissioned(FromUnixSeconds(Day(8)));
    auto r = TryImport(BuildNessus({Server(observed, {{.plugin = 10}, {.plugin = 12}})}));
    ASSERT_TRUE(r.ok()) << r.status().message();
    const ImportCounts& c = (*r)[0].scan.counts;
    EXPECT_EQ(c.reappeared, 0);
    EXPECT_TRUE((*r)[0].alarms.empty());
    EXPECT_EQ(c.stale_hosts, 1);
    EXPECT_EQ(c.fixed, 0);
    AssetView a = store_->QueryAssets({})->at(0);
    EXPECT_EQ(a.state, AssetState::kDecommissioned);
    EXPECT_FALSE(a.reappeared_at);
    EXPECT_EQ(Finding("tenable:10", "old.example.org").state, FindingState::kInactive);
    EXPECT_EQ(Finding("tenable:11", "old.example.org").state, FindingState::kInactive);
    FindingView added = Finding("tenable:12", "old.example.org");
    EXPECT_EQ(added.state, FindingState::kInactive);
    EXPECT_EQ(FormatIso8601(added.first_seen), FormatIso8601(FromUnixSeconds(observed)));
    EXPECT_TRUE(store_->QueryVulnerabilities({})->empty());  // nothing open anywhere
  }
  VulnSummary Vuln(const std::string& key) {
    auto vulns = store_->QueryVulnerabilities({.include_closed = true});
    for (const auto& v : *vulns) {
      if (v.key == key) {
        return v;
      }
    }
    ADD_FAILURE() << "no vulnerability " << key;
    return {};
  }
};

TEST_F(Decommission, OpenFindingsBecomeInactiveAndLeaveOpenCounts) {
  Import(BuildNessus({Server(Day(0), {{.plugin = 10}, {.plugin = 11}})}));
  Import(BuildNessus({Server(Day(7), {{.plugin = 10}})}));  // 11 fixed
  Decommissioned(FromUnixSeconds(Day(8)));
  EXPECT_EQ(Finding("tenable:10", "old.example.org").state, FindingState::kInactive);
  EXPECT_EQ(Finding("tenable:11", "old.example.org").state, FindingState::kFixed);
  EXPECT_EQ(Vuln("tenable:10").open_findings, 0);
  EXPECT_TRUE(store_->QueryVulnerabilities({})->empty());
  AssetView a = store_->QueryAssets({})->at(0);
  EXPECT_EQ(a.state, AssetState::kDecommissioned);
  EXPECT_EQ(a.open_findings, 0);
  EXPECT_EQ(a.decommissioned_by, "alice");
  EXPECT_EQ(a.decommission_reason, "replaced by new");
  EXPECT_EQ(FormatIso8601(*a.decommissioned_at), FormatIso8601(FromUnixSeconds(Day(8))));
}

TEST_F(Decommission, ReappearingAssetIsAnAlarmAndActiveAgain) {
  Import(BuildNessus({Server(Day(0), {{.plugin = 10}, {.plugin = 11}})}));
  Decommissioned(FromUnixSeconds(Day(1)));
  auto r = TryImport(BuildNessus({Server(Day(7), {{.plugin = 10}})}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].scan.counts.reappeared, 1);
  ASSERT_EQ((*r)[0].alarms.size(), 1u);
  EXPECT_NE((*r)[0].alarms[0].find("old.example.org was decommissioned on"), std::string::npos);
  EXPECT_NE((*r)[0].alarms[0].find("by alice"), std::string::npos);
  AssetView a = store_->QueryAssets({})->at(0);
  EXPECT_EQ(a.state, AssetState::kActive);
  EXPECT_EQ(FormatIso8601(*a.reappeared_at), FormatIso8601(FromUnixSeconds(Day(7))));
  // The scan is applied to the reactivated findings as to any other.
  EXPECT_EQ(Finding("tenable:10", "old.example.org").state, FindingState::kOpen);
  EXPECT_EQ(Finding("tenable:11", "old.example.org").state, FindingState::kFixed);
}

TEST_F(Decommission, OlderReportOfADecommissionedAssetIsNoReappearance) {
  Import(BuildNessus({Server(Day(7), {{.plugin = 10}})}));
  Decommissioned(FromUnixSeconds(Day(8)));
  auto r = TryImport(BuildNessus({Server(Day(0), {{.plugin = 10}})}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].scan.counts.reappeared, 0);
  EXPECT_EQ(store_->QueryAssets({})->at(0).state, AssetState::kDecommissioned);
}

TEST_F(Decommission, AScanObservedOneSecondBeforeTheDecommissioningIsNoReappearance) {
  ExpectHistoryOnly(Day(8) - 1);
}

TEST_F(Decommission, AScanObservedAtTheDecommissioningIsNoReappearance) {
  ExpectHistoryOnly(Day(8));  // "after" is strictly after
}

TEST_F(Decommission, AScanObservedOneSecondAfterTheDecommissioningIsAReappearance) {
  Import(BuildNessus({Server(Day(0), {{.plugin = 10}, {.plugin = 11}})}));
  Decommissioned(FromUnixSeconds(Day(8)));
  auto r = TryImport(BuildNessus({Server(Day(8) + 1, {{.plugin = 10}})}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].scan.counts.reappeared, 1);
  EXPECT_EQ((*r)[0].alarms.size(), 1u);
  EXPECT_EQ(store_->QueryAssets({})->at(0).state, AssetState::kActive);
  EXPECT_EQ(Finding("tenable:10", "old.example.org").state, FindingState::kOpen);
  EXPECT_EQ(Finding("tenable:11", "old.example.org").state, FindingState::kFixed);
}

TEST_F(Decommission, TheLatestDecommissioningCounts) {
  Import(BuildNessus({Server(Day(0), {{.plugin = 10}})}));
  Decommissioned(FromUnixSeconds(Day(8)));
  Import(BuildNessus({Server(Day(10), {{.plugin = 10}})}));  // back in service: an alarm
  Decommissioned(FromUnixSeconds(Day(20)));
  auto r = TryImport(BuildNessus({Server(Day(15), {{.plugin = 10}})}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].scan.counts.reappeared, 0);
  EXPECT_EQ(store_->QueryAssets({})->at(0).state, AssetState::kDecommissioned);
  EXPECT_EQ(Finding("tenable:10", "old.example.org").state, FindingState::kInactive);
}

TEST_F(Decommission, StaleAssetsAreActiveAssetsUnseenForTheWindow) {
  Import(BuildNessus({Server(Day(0), {{.plugin = 10}}),
                      TestHost{.name = "10.0.0.9", .ip = "10.0.0.9", .start = Day(20)}}));
  auto assets = *store_->QueryAssets({});
  std::chrono::seconds window = std::chrono::hours(24 * 30);
  Timestamp now = FromUnixSeconds(Day(31));
  EXPECT_TRUE(IsStaleAsset(assets[1], now, window));   // old.example.org, seen day 0
  EXPECT_FALSE(IsStaleAsset(assets[0], now, window));  // 10.0.0.9, seen day 20
  EXPECT_FALSE(IsStaleAsset(assets[1], FromUnixSeconds(Day(30)), window));
  Decommissioned(FromUnixSeconds(Day(31)));
  EXPECT_FALSE(IsStaleAsset(store_->QueryAssets({})->at(1), now, window));
}

}  // namespace
}  // namespace vigil
