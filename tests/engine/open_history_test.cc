// Open vulnerabilities by class at past times: a finding is open from its first sighting until
// its fix or its asset's decommissioning, a vulnerability counts once however many findings it
// has, and it counts under the class it had at that time.
#include "engine/open_history.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

using std::chrono::hours;

const Timestamp kT0 = FromUnixSeconds(1772323200);  // 2026-03-01T00:00:00Z

Timestamp Day(int d) {
  return kT0 + hours(24 * d);
}

struct World {
  std::vector<FindingFact> findings;
  std::map<int64_t, AssetSpan> assets;
  std::vector<ClassChange> changes;
  std::unordered_map<int64_t, std::string> classes;

  void Finding(int64_t vuln, int64_t asset, FindingState state, Timestamp first,
               std::optional<Timestamp> fixed = std::nullopt) {
    findings.push_back({.vuln_id = vuln,
                        .asset_id = asset,
                        .state = state,
                        .first_seen = first,
                        .fixed_at = fixed});
  }
  // Open counts of `cls` on days 0..9 (each day at midnight).
  std::vector<int64_t> Daily(const std::string& cls) const {
    std::vector<Timestamp> times;
    for (int d = 0; d < 10; ++d) {
      times.push_back(Day(d));
    }
    OpenByClass open = CountOpenByClass(
        {.findings = findings, .assets = assets, .changes = changes, .classes = classes},
        ClassScale::Default(), times);
    for (size_t k = 0; k < open.classes.size(); ++k) {
      if (open.classes[k] == cls) {
        return open.counts[k];
      }
    }
    return {};
  }
};

TEST(OpenHistory, OpenFromFirstSeenUntilTheFix) {
  World w;
  w.classes[1] = "HIGH";
  w.Finding(1, 1, FindingState::kFixed, Day(2), Day(5));
  // Open at its first sighting, no longer at the second of its fix.
  EXPECT_EQ(w.Daily("HIGH"), (std::vector<int64_t>{0, 0, 1, 1, 1, 0, 0, 0, 0, 0}));
}

TEST(OpenHistory, StillOpenFindingsCountToTheEnd) {
  World w;
  w.classes[1] = "HIGH";
  w.Finding(1, 1, FindingState::kOpen, Day(7));
  w.Finding(1, 1, FindingState::kReopened, Day(8));
  EXPECT_EQ(w.Daily("HIGH"), (std::vector<int64_t>{0, 0, 0, 0, 0, 0, 0, 1, 1, 1}));
}

TEST(OpenHistory, AVulnerabilityCountsOnceHoweverManyFindings) {
  World w;
  w.classes[1] = "CRITICAL";
  w.classes[2] = "CRITICAL";
  w.Finding(1, 1, FindingState::kFixed, Day(1), Day(4));
  w.Finding(1, 2, FindingState::kOpen, Day(3));
  w.Finding(1, 3, FindingState::kFixed, Day(0), Day(9));
  w.Finding(2, 1, FindingState::kFixed, Day(6), Day(8));
  EXPECT_EQ(w.Daily("CRITICAL"), (std::vector<int64_t>{1, 1, 1, 1, 1, 1, 2, 2, 1, 1}));
}

TEST(OpenHistory, InactiveFindingsCountUntilTheDecommissioning) {
  World w;
  w.classes[1] = "MEDIUM";
  w.assets[7] = {.decommissioned_at = Day(4)};
  w.Finding(1, 7, FindingState::kInactive, Day(1));
  EXPECT_EQ(w.Daily("MEDIUM"), (std::vector<int64_t>{0, 1, 1, 1, 0, 0, 0, 0, 0, 0}));
}

TEST(OpenHistory, AReappearedAssetLeavesTheTimeItWasGoneOut) {
  World w;
  w.classes[1] = "MEDIUM";
  w.assets[7] = {.decommissioned_at = Day(3), .reappeared_at = Day(6)};
  w.Finding(1, 7, FindingState::kOpen, Day(1));
  w.Finding(2, 7, FindingState::kOpen, Day(7));  // new after it came back: counts from then
  w.classes[2] = "MEDIUM";
  EXPECT_EQ(w.Daily("MEDIUM"), (std::vector<int64_t>{0, 1, 1, 0, 0, 0, 1, 2, 2, 2}));
}

TEST(OpenHistory, CountsUnderTheClassItHadThen) {
  World w;
  w.classes[1] = "LOW";  // now
  w.changes = {{.vuln_id = 1, .at = Day(2), .to_class = "CRITICAL"},
               {.vuln_id = 1, .at = Day(5), .from_class = "CRITICAL", .to_class = "LOW"}};
  // First seen before its first class was recorded (a scan imported later): that class.
  w.Finding(1, 1, FindingState::kOpen, Day(0));
  EXPECT_EQ(w.Daily("CRITICAL"), (std::vector<int64_t>{1, 1, 1, 1, 1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(w.Daily("LOW"), (std::vector<int64_t>{0, 0, 0, 0, 0, 1, 1, 1, 1, 1}));
}

TEST(OpenHistory, TheScaleComesFirstThenOtherClassesByName) {
  World w;
  w.classes[1] = "unclassified";
  w.classes[2] = "SEVERE";  // a class of an earlier scale
  w.Finding(1, 1, FindingState::kOpen, Day(0));
  w.Finding(2, 1, FindingState::kOpen, Day(0));
  OpenByClass open = CountOpenByClass(
      {.findings = w.findings, .assets = w.assets, .changes = w.changes, .classes = w.classes},
      ClassScale::Default(), {Day(0)});
  EXPECT_EQ(open.classes, (std::vector<std::string>{"CRITICAL", "HIGH", "MEDIUM", "LOW",
                                                    "INFORMATIVE", "SEVERE", "unclassified"}));
  EXPECT_EQ(open.scale_classes, 5u);
  EXPECT_EQ(open.counts[5], std::vector<int64_t>{1});
  EXPECT_EQ(open.counts[6], std::vector<int64_t>{1});
  EXPECT_EQ(open.counts[0], std::vector<int64_t>{0});
}

TEST(Remediation, BucketsAndPercentilesOfTheFixesInTheSpan) {
  World w;
  w.classes[1] = "CRITICAL";
  w.classes[2] = "LOW";
  w.classes[3] = "";  // no class
  // Fixed within the span [day 10, day 200]: 12 h, 3 days, 3 days, 20 days, 100 days.
  w.Finding(1, 1, FindingState::kFixed, Day(20), Day(20) + hours(12));
  w.Finding(1, 2, FindingState::kFixed, Day(20), Day(23));
  w.Finding(1, 3, FindingState::kFixed, Day(21), Day(24));
  w.Finding(2, 1, FindingState::kFixed, Day(30), Day(50));
  w.Finding(3, 1, FindingState::kFixed, Day(60), Day(160));
  // Not counted: fixed before the span, still open, reopened (its fix no longer holds).
  w.Finding(2, 2, FindingState::kFixed, Day(0), Day(5));
  w.Finding(2, 3, FindingState::kOpen, Day(0));
  w.Finding(2, 4, FindingState::kReopened, Day(0), Day(40));
  RemediationTimes r = SummarizeRemediation(
      {.findings = w.findings, .assets = w.assets, .changes = w.changes, .classes = w.classes},
      ClassScale::Default(), Day(10), Day(200));
  std::vector<int64_t> fixed;
  for (const auto& b : r.buckets) {
    fixed.push_back(b.fixed);
  }
  EXPECT_EQ(fixed, (std::vector<int64_t>{1, 2, 0, 1, 0, 1}));
  ASSERT_EQ(r.by_class.size(), 3u);
  EXPECT_EQ(r.by_class[0].class_name, "CRITICAL");
  EXPECT_EQ(r.by_class[0].fixed, 3);
  EXPECT_EQ(r.by_class[0].median, hours(72));  // of 12 h, 72 h, 72 h
  EXPECT_EQ(r.by_class[0].p90, hours(72));
  EXPECT_EQ(r.by_class[1].class_name, "LOW");
  EXPECT_EQ(r.by_class[1].median, hours(24 * 20));
  EXPECT_EQ(r.by_class[2].class_name, "unclassified");
  EXPECT_EQ(r.by_class[2].p90, hours(24 * 100));
}

TEST(Remediation, NearestRankOfTen) {
  World w;
  w.classes[1] = "HIGH";
  for (int k = 1; k <= 10; ++k) {
    w.Finding(1, k, FindingState::kFixed, Day(0), Day(0) + hours(k));
  }
  RemediationTimes r = SummarizeRemediation(
      {.findings = w.findings, .assets = w.assets, .changes = w.changes, .classes = w.classes},
      ClassScale::Default(), Day(0), Day(1));
  ASSERT_EQ(r.by_class.size(), 1u);
  EXPECT_EQ(r.by_class[0].median, hours(5));
  EXPECT_EQ(r.by_class[0].p90, hours(9));
  EXPECT_EQ(r.buckets[0].fixed, 10);
}

}  // namespace
}  // namespace vigil
