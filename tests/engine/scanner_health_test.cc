// Scanner health: stale scanners and silent agents, at the boundaries of cadence and grace,
// and the replay of the incident vigil exists for (DESIGN.md section 1, incident 1).
#include "engine/scanner_health.h"

#include "engine/check.h"

#include <gtest/gtest.h>

#include <map>

#include "support/import_fixture.h"

namespace vigil {
namespace {

using std::chrono::hours;
using testing::BuildNessus;
using testing::Day;
using testing::TestHost;

const Timestamp kLast = FromUnixSeconds(Day(10));

ScannerView Agents() {
  return ScannerView{.name = "agents",
                     .kind = "agent",
                     .cadence = hours(24),
                     .grace = hours(12),
                     .created_at = FromUnixSeconds(Day(0)),
                     .last_scan = kLast};
}

TEST(ScannerHealth, WithoutCadenceNothingIsJudged) {
  ScannerView s = Agents();
  s.cadence.reset();
  ScannerHealth h = EvaluateScanner(s, {{"a", AssetState::kActive, kLast}}, kLast + hours(1000));
  EXPECT_FALSE(h.cadence_set);
  EXPECT_FALSE(h.stale);
  EXPECT_FALSE(h.due_by);
  EXPECT_TRUE(h.silent_agents.empty());
}

TEST(ScannerHealth, StaleOnlyAfterCadencePlusGrace) {
  EXPECT_FALSE(EvaluateScanner(Agents(), {}, kLast + hours(36)).stale);
  EXPECT_TRUE(EvaluateScanner(Agents(), {}, kLast + hours(36) + std::chrono::seconds(1)).stale);
  EXPECT_EQ(*EvaluateScanner(Agents(), {}, kLast).due_by, kLast + hours(36));
}

TEST(ScannerHealth, NeverScannedCountsFromRegistration) {
  ScannerView s = Agents();
  s.last_scan.reset();
  EXPECT_FALSE(EvaluateScanner(s, {}, FromUnixSeconds(Day(1))).stale);
  EXPECT_TRUE(EvaluateScanner(s, {}, FromUnixSeconds(Day(2))).stale);
}

TEST(ScannerHealth, SilentAgentsAreActiveAssetsPastCadencePlusGrace) {
  std::vector<AssetLastScan> scans = {{"fresh", AssetState::kActive, kLast},
                                      {"edge", AssetState::kActive, kLast - hours(36)},
                                      {"silent", AssetState::kActive, kLast - hours(37)},
                                      {"gone", AssetState::kDecommissioned, kLast - hours(99)}};
  ScannerHealth h = EvaluateScanner(Agents(), scans, kLast);
  ASSERT_EQ(h.silent_agents.size(), 1u);
  EXPECT_EQ(h.silent_agents[0].asset, "silent");
  ScannerView network = Agents();
  network.kind = "network";
  EXPECT_TRUE(EvaluateScanner(network, scans, kLast).silent_agents.empty());
}

class IncidentReplay : public testing::ImportFixture {};

// An agent scanner reports 40 assets daily for ten days, then stops.
TEST_F(IncidentReplay, SilentAgentScannerIsNamedWithAllItsAgents) {
  ASSERT_TRUE(store_
                  ->SetScanner({.name = "tenable-agents",
                                .kind = "agent",
                                .created_at = FromUnixSeconds(Day(0)),
                                .cadence = hours(24),
                                .grace = hours(12)})
                  .ok());
  for (int day = 0; day < 10; ++day) {
    std::vector<TestHost> hosts;
    for (int i = 0; i < 40; ++i) {
      hosts.push_back(TestHost{.name = "srv" + std::to_string(i),
                               .fqdn = "srv" + std::to_string(i) + ".example.org",
                               .agent_id = "agent-" + std::to_string(i),
                               .start = Day(day),
                               .items = {{.plugin = 19506, .severity = 0}}});
    }
    Import(BuildNessus(hosts), "tenable-agents");
  }
  auto check = [&](Timestamp now) {
    ScannerView view = store_->QueryScanners()->at(0);
    return EvaluateScanner(view, *store_->LastScansByScanner("tenable-agents"), now);
  };
  Timestamp last_host_end = FromUnixSeconds(Day(9) + 600);
  ScannerHealth healthy = check(FromUnixSeconds(Day(10)));
  EXPECT_FALSE(healthy.stale);
  EXPECT_TRUE(healthy.silent_agents.empty());
  ScannerHealth day_after = check(last_host_end + hours(36) + hours(24));
  EXPECT_TRUE(day_after.stale);
  EXPECT_EQ(day_after.silent_agents.size(), 40u);
  ScannerHealth months_later = check(last_host_end + hours(24 * 150));
  EXPECT_TRUE(months_later.stale);
  EXPECT_EQ(months_later.silent_agents.size(), 40u);

  // vigil check names the scanner and every silent agent, then and 150 days later.
  auto kinds = [&](Timestamp now) {
    std::map<std::string, int> count;
    auto items = RunChecks(*store_, Config{}, now, {});
    EXPECT_TRUE(items.ok());
    for (const auto& item : *items) {
      ++count[item.kind];
    }
    return count;
  };
  // Without clock rules that is itself an item; nothing else is.
  EXPECT_EQ(kinds(FromUnixSeconds(Day(10))), (std::map<std::string, int>{{"policy-unset", 1}}));
  auto day_after_items = kinds(last_host_end + hours(36) + hours(24));
  EXPECT_EQ(day_after_items["stale-scanner"], 1);
  EXPECT_EQ(day_after_items["silent-agent"], 40);
  auto later_items = kinds(last_host_end + hours(24 * 150));
  EXPECT_EQ(later_items["stale-scanner"], 1);
  EXPECT_EQ(later_items["silent-agent"], 40);
  EXPECT_EQ(later_items["stale-asset"], 40);
}

TEST_F(IncidentReplay, CheckNamesScannersWithoutCadenceAndUnclassifiedVulnerabilities) {
  std::string xml = BuildNessus(
      {TestHost{.name = "a", .ip = "10.0.0.1", .start = Day(0), .items = {{.plugin = 7}}}});
  // A report item without a severity has no rating at all.
  xml.replace(xml.find(" severity=\"2\""), 13, "");
  Import(xml, "new-scanner");
  auto items = *RunChecks(*store_, Config{}, FromUnixSeconds(Day(1)), {});
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].kind, "policy-unset");
  EXPECT_EQ(items[1].kind, "cadence-unset");
  EXPECT_EQ(items[1].subject, "new-scanner");
  EXPECT_EQ(items[2].kind, "unclassified");
  EXPECT_EQ(items[2].subject, "tenable:7");
}

// The cadence over a period: the longest time without a scan at any moment of it.
std::vector<Timestamp> Days(std::initializer_list<int> days) {
  std::vector<Timestamp> out;
  for (int d : days) {
    out.push_back(FromUnixSeconds(Day(d)));
  }
  return out;
}

TEST(PeriodCadence, KeptWhenNoGapExceedsCadencePlusGrace) {
  ScannerView s = Agents();  // 24h + 12h, registered on day 0
  PeriodCadence p = JudgeCadence(s, Days({1, 2, 3, 4, 5}), FromUnixSeconds(Day(2)),
                                 FromUnixSeconds(Day(5)) + hours(36));
  EXPECT_TRUE(p.judged);
  EXPECT_EQ(p.scans, 4);
  EXPECT_EQ(p.longest_gap, hours(36));  // from the last scan to the end: exactly allowed
  EXPECT_FALSE(p.missed);
}

TEST(PeriodCadence, MissedByAGapInsideThePeriod) {
  PeriodCadence p =
      JudgeCadence(Agents(), Days({1, 2, 6, 7}), FromUnixSeconds(Day(1)), FromUnixSeconds(Day(8)));
  EXPECT_TRUE(p.missed);
  EXPECT_EQ(p.longest_gap, hours(96));
  EXPECT_EQ(*p.gap_start, FromUnixSeconds(Day(2)));
  EXPECT_EQ(*p.gap_end, FromUnixSeconds(Day(6)));
}

TEST(PeriodCadence, AGapThatBeganBeforeThePeriodCountsWhole) {
  PeriodCadence p =
      JudgeCadence(Agents(), Days({1, 9, 10}), FromUnixSeconds(Day(8)), FromUnixSeconds(Day(10)));
  EXPECT_EQ(p.scans, 2);
  EXPECT_EQ(p.longest_gap, hours(24 * 8));
  EXPECT_EQ(*p.gap_start, FromUnixSeconds(Day(1)));
  EXPECT_TRUE(p.missed);
}

TEST(PeriodCadence, AGapOverWhenThePeriodBeganDoesNotCount) {
  PeriodCadence p = JudgeCadence(Agents(), Days({1, 8, 9, 10}), FromUnixSeconds(Day(8)),
                                 FromUnixSeconds(Day(10)));
  EXPECT_EQ(p.longest_gap, hours(24));
  EXPECT_FALSE(p.missed);
}

TEST(PeriodCadence, TheGapStillOpenAtTheEndCountsToTheEnd) {
  PeriodCadence p = JudgeCadence(Agents(), Days({1, 2}), FromUnixSeconds(Day(1)),
                                 FromUnixSeconds(Day(2)) + hours(36) + std::chrono::seconds(1));
  EXPECT_TRUE(p.missed);
  EXPECT_EQ(*p.gap_end, FromUnixSeconds(Day(2)) + hours(36) + std::chrono::seconds(1));
}

TEST(PeriodCadence, NeverScannedCountsFromRegistration) {
  PeriodCadence p = JudgeCadence(Agents(), {}, FromUnixSeconds(Day(0)), FromUnixSeconds(Day(1)));
  EXPECT_TRUE(p.judged);
  EXPECT_EQ(p.longest_gap, hours(24));
  EXPECT_FALSE(p.missed);
  EXPECT_TRUE(JudgeCadence(Agents(), {}, FromUnixSeconds(Day(0)), FromUnixSeconds(Day(2))).missed);
}

TEST(PeriodCadence, WithoutCadenceTheGapIsMeasuredButNothingIsMissed) {
  ScannerView s = Agents();
  s.cadence.reset();
  PeriodCadence p =
      JudgeCadence(s, Days({1, 30}), FromUnixSeconds(Day(0)), FromUnixSeconds(Day(40)));
  EXPECT_FALSE(p.cadence_set);
  EXPECT_EQ(p.longest_gap, hours(24 * 29));
  EXPECT_FALSE(p.missed);
}

TEST(PeriodCadence, NotRegisteredByTheEndIsNotJudged) {
  ScannerView s = Agents();
  s.created_at = FromUnixSeconds(Day(50));
  PeriodCadence p = JudgeCadence(s, Days({51}), FromUnixSeconds(Day(0)), FromUnixSeconds(Day(40)));
  EXPECT_FALSE(p.judged);
  EXPECT_FALSE(p.missed);
  EXPECT_EQ(p.scans, 0);
}

}  // namespace
}  // namespace vigil
