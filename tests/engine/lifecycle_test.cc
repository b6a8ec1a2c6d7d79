// The finding lifecycle rules of docs/lifecycle.md, one scenario each, on a real SQLite
// store.
#include <gtest/gtest.h>

#include "support/import_fixture.h"

namespace vigil {
namespace {

using testing::BuildNessus;
using testing::Day;
using testing::TestHost;
using testing::TestItem;

class Lifecycle : public testing::ImportFixture {
 protected:
  static TestHost Host(long long start, std::vector<TestItem> items,
                       std::optional<bool> credentialed = std::nullopt) {
    return TestHost{.name = "10.0.0.5",
                    .ip = "10.0.0.5",
                    .fqdn = "web.example.org",
                    .start = start,
                    .credentialed = credentialed,
                    .items = std::move(items)};
  }
};

constexpr const char* kAsset = "web.example.org";

TEST_F(Lifecycle, NewFindingIsOpen) {
  ImportCounts c =
      Import(BuildNessus({Host(Day(0), {{.plugin = 10}, {.plugin = 11, .port = 443}})}));
  EXPECT_EQ(c.hosts, 1);
  EXPECT_EQ(c.findings, 2);
  EXPECT_EQ(c.new_findings, 2);
  FindingView f = Finding("tenable:10", kAsset);
  EXPECT_EQ(f.state, FindingState::kOpen);
  EXPECT_EQ(FormatIso8601(f.first_seen), "2024-01-01T10:00:00Z");
  EXPECT_EQ(f.scanners, std::vector<std::string>{"net"});
}

TEST_F(Lifecycle, UnchangedRescanAdvancesLastSeenOnly) {
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}, {.plugin = 11, .output = "v1"}})}));
  ImportCounts c =
      Import(BuildNessus({Host(Day(7), {{.plugin = 10}, {.plugin = 11, .output = "v2"}})}));
  EXPECT_EQ(c.unchanged, 2);
  EXPECT_EQ(c.new_findings, 0);
  for (const char* key : {"tenable:10", "tenable:11"}) {
    FindingView f = Finding(key, kAsset);
    EXPECT_EQ(f.state, FindingState::kOpen);
    EXPECT_EQ(FormatIso8601(f.first_seen), FormatIso8601(FromUnixSeconds(Day(0))));
    EXPECT_EQ(FormatIso8601(f.last_seen), FormatIso8601(FromUnixSeconds(Day(7)))) << key;
  }
  ImportCounts again = Import(BuildNessus({Host(Day(14), {{.plugin = 10}})}));
  EXPECT_EQ(again.fixed, 1);
  EXPECT_EQ(FormatIso8601(Finding("tenable:10", kAsset).last_seen),
            FormatIso8601(FromUnixSeconds(Day(14))));
  EXPECT_EQ(FormatIso8601(Finding("tenable:11", kAsset).last_seen),
            FormatIso8601(FromUnixSeconds(Day(7))));
}

TEST_F(Lifecycle, RescanThatCouldSeeItFixesIt) {
  std::vector<int> set = {10, 11};
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}, {.plugin = 11}})}, set));
  ImportCounts c = Import(BuildNessus({Host(Day(7), {{.plugin = 11}})}, set));
  EXPECT_EQ(c.fixed, 1);
  EXPECT_EQ(c.unchanged, 1);
  FindingView f = Finding("tenable:10", kAsset);
  EXPECT_EQ(f.state, FindingState::kFixed);
  EXPECT_EQ(FormatIso8601(*f.fixed_at), FormatIso8601(FromUnixSeconds(Day(7))));
  EXPECT_FALSE(f.absent_unverified);
}

TEST_F(Lifecycle, WithoutPluginSetEveryCheckCountsAsRun) {
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}, {.plugin = 11}})}));
  ImportCounts c = Import(BuildNessus({Host(Day(7), {{.plugin = 11}})}));
  EXPECT_EQ(c.fixed, 1);
  EXPECT_EQ(Finding("tenable:10", kAsset).state, FindingState::kFixed);
}

TEST_F(Lifecycle, PluginNotInRescanPolicyStaysOpenAbsentUnverified) {
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}, {.plugin = 11}})}, std::vector<int>{10, 11}));
  ImportCounts c = Import(BuildNessus({Host(Day(7), {{.plugin = 11}})}, std::vector<int>{11}));
  EXPECT_EQ(c.fixed, 0);
  EXPECT_EQ(c.absent_unverified, 1);
  FindingView f = Finding("tenable:10", kAsset);
  EXPECT_EQ(f.state, FindingState::kOpen);
  EXPECT_TRUE(f.absent_unverified);
  FindingQuery q{.absent_unverified_only = true};
  EXPECT_EQ(store_->QueryFindings(q)->size(), 1u);
}

TEST_F(Lifecycle, LocalCheckWithoutCredentialsStaysOpen) {
  Import(BuildNessus({Host(Day(0), {{.plugin = 20, .type = "local"}}, true)}));
  ImportCounts c = Import(BuildNessus({Host(Day(7), {}, false)}));
  EXPECT_EQ(c.absent_unverified, 1);
  FindingView f = Finding("tenable:20", kAsset);
  EXPECT_EQ(f.state, FindingState::kOpen);
  EXPECT_TRUE(f.absent_unverified);
}

TEST_F(Lifecycle, LocalCheckWithoutCredentialedTagStaysOpen) {
  Import(BuildNessus({Host(Day(0), {{.plugin = 20, .type = "local"}}, true)}));
  Import(BuildNessus({Host(Day(7), {})}));
  EXPECT_EQ(Finding("tenable:20", kAsset).state, FindingState::kOpen);
}

TEST_F(Lifecycle, LocalCheckWithCredentialsIsFixed) {
  Import(BuildNessus({Host(Day(0), {{.plugin = 20, .type = "local"}}, true)}));
  ImportCounts c = Import(BuildNessus({Host(Day(7), {}, true)}));
  EXPECT_EQ(c.fixed, 1);
  EXPECT_EQ(Finding("tenable:20", kAsset).state, FindingState::kFixed);
}

TEST_F(Lifecycle, AbsentUnverifiedThenVerifiedBecomesFixed) {
  Import(BuildNessus({Host(Day(0), {{.plugin = 20, .type = "local"}}, true)}));
  Import(BuildNessus({Host(Day(7), {}, false)}));
  ImportCounts c = Import(BuildNessus({Host(Day(14), {}, true)}));
  EXPECT_EQ(c.fixed, 1);
  FindingView f = Finding("tenable:20", kAsset);
  EXPECT_EQ(f.state, FindingState::kFixed);
  EXPECT_FALSE(f.absent_unverified);
}

TEST_F(Lifecycle, FixedFindingReportedAgainIsReopenedAndCounted) {
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}})}));
  Import(BuildNessus({Host(Day(7), {})}));
  ImportCounts c = Import(BuildNessus({Host(Day(14), {{.plugin = 10}})}));
  EXPECT_EQ(c.reopened, 1);
  EXPECT_EQ(Finding("tenable:10", kAsset).state, FindingState::kReopened);
  EXPECT_EQ(Finding("tenable:10", kAsset).times_reopened, 1);
  Import(BuildNessus({Host(Day(21), {})}));
  EXPECT_EQ(Finding("tenable:10", kAsset).state, FindingState::kFixed);
  Import(BuildNessus({Host(Day(28), {{.plugin = 10}})}));
  FindingView f = Finding("tenable:10", kAsset);
  EXPECT_EQ(f.state, FindingState::kReopened);
  EXPECT_EQ(f.times_reopened, 2);
  EXPECT_FALSE(f.fixed_at);
  EXPECT_EQ(FormatIso8601(f.first_seen), FormatIso8601(FromUnixSeconds(Day(0))));
}

TEST_F(Lifecycle, AssetsNotInTheScanAreUntouched) {
  TestHost other{.name = "10.0.0.9", .ip = "10.0.0.9", .start = Day(0), .items = {{.plugin = 10}}};
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}}), other}));
  Import(BuildNessus({Host(Day(7), {})}));
  EXPECT_EQ(Finding("tenable:10", kAsset).state, FindingState::kFixed);
  FindingView f = Finding("tenable:10", "10.0.0.9");
  EXPECT_EQ(f.state, FindingState::kOpen);
  EXPECT_FALSE(f.absent_unverified);
  EXPECT_EQ(FormatIso8601(f.last_seen), FormatIso8601(FromUnixSeconds(Day(0))));
}

TEST_F(Lifecycle, DuplicateItemsAreOneFinding) {
  ImportCounts c = Import(BuildNessus({Host(Day(0), {{.plugin = 10, .output = "first"},
                                                     {.plugin = 10, .output = "second"},
                                                     {.plugin = 10, .port = 80},
                                                     {.plugin = 10, .protocol = "udp"}})}));
  EXPECT_EQ(c.findings, 3);
  EXPECT_EQ(c.new_findings, 3);
  EXPECT_EQ(c.vulnerabilities, 1);
  EXPECT_EQ(CountFindings(), 3u);
}

TEST_F(Lifecycle, OlderReportImportedLaterDoesNotReopen) {
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}})}));
  Import(BuildNessus({Host(Day(14), {})}));                                // fixed on day 14
  ImportCounts c = Import(BuildNessus({Host(Day(7), {{.plugin = 10}})}));  // older, later
  EXPECT_EQ(c.stale_hosts, 1);
  EXPECT_EQ(c.reopened, 0);
  FindingView f = Finding("tenable:10", kAsset);
  EXPECT_EQ(f.state, FindingState::kFixed);
  EXPECT_EQ(f.times_reopened, 0);
}

TEST_F(Lifecycle, OlderReportImportedLaterDoesNotFix) {
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}})}));
  Import(BuildNessus({Host(Day(14), {{.plugin = 10}})}));
  ImportCounts c = Import(BuildNessus({Host(Day(7), {})}));
  EXPECT_EQ(c.fixed, 0);
  FindingView f = Finding("tenable:10", kAsset);
  EXPECT_EQ(f.state, FindingState::kOpen);
  EXPECT_EQ(FormatIso8601(f.last_seen), FormatIso8601(FromUnixSeconds(Day(14))));
}

TEST_F(Lifecycle, OlderReportExtendsFirstSeen) {
  Import(BuildNessus({Host(Day(7), {{.plugin = 10}})}));
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}})}));
  FindingView f = Finding("tenable:10", kAsset);
  EXPECT_EQ(FormatIso8601(f.first_seen), FormatIso8601(FromUnixSeconds(Day(0))));
  EXPECT_EQ(FormatIso8601(f.last_seen), FormatIso8601(FromUnixSeconds(Day(7))));
}

TEST_F(Lifecycle, OlderReportWithUnknownFindingRecordsItAsFixedByTheNewerScan) {
  Import(BuildNessus({Host(Day(14), {{.plugin = 11}})}));
  ImportCounts c = Import(BuildNessus({Host(Day(7), {{.plugin = 10}, {.plugin = 11}})}));
  EXPECT_EQ(c.new_findings, 1);
  FindingView f = Finding("tenable:10", kAsset);
  EXPECT_EQ(f.state, FindingState::kFixed);
  EXPECT_EQ(FormatIso8601(*f.fixed_at), FormatIso8601(FromUnixSeconds(Day(14))));
}

TEST_F(Lifecycle, OlderReportWithUnknownLocalFindingStaysOpenWhenNewerScanHadNoCredentials) {
  Import(BuildNessus({Host(Day(14), {}, false)}));
  Import(BuildNessus({Host(Day(7), {{.plugin = 20, .type = "local"}}, true)}));
  FindingView f = Finding("tenable:20", kAsset);
  EXPECT_EQ(f.state, FindingState::kOpen);
  EXPECT_TRUE(f.absent_unverified);
}

TEST_F(Lifecycle, SameFileTwiceIsANoop) {
  std::string xml = BuildNessus({Host(Day(0), {{.plugin = 10}})});
  Import(xml);
  auto again = TryImport(xml);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)[0].already_imported);
  EXPECT_EQ((*again)[0].scan.id, 1);
  EXPECT_EQ(store_->QueryScanners()->at(0).scans, 1);
}

TEST_F(Lifecycle, AnotherScannerNeverFixesAFinding) {
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}})}), "agents");
  ImportCounts c = Import(BuildNessus({Host(Day(7), {})}), "external");
  EXPECT_EQ(c.fixed, 0);
  EXPECT_EQ(c.absent_unverified, 0);
  EXPECT_EQ(Finding("tenable:10", kAsset).state, FindingState::kOpen);
}

TEST_F(Lifecycle, FindingOfTwoScannersIsFixedWhenBothVerified) {
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}})}), "agents");
  Import(BuildNessus({Host(Day(1), {{.plugin = 10}})}), "network");
  EXPECT_EQ(Finding("tenable:10", kAsset).scanners,
            (std::vector<std::string>{"agents", "network"}));
  ImportCounts c = Import(BuildNessus({Host(Day(7), {})}), "agents");
  EXPECT_EQ(c.fixed, 0);
  EXPECT_EQ(Finding("tenable:10", kAsset).state, FindingState::kOpen);
  c = Import(BuildNessus({Host(Day(8), {})}), "network");
  EXPECT_EQ(c.fixed, 1);
  EXPECT_EQ(Finding("tenable:10", kAsset).state, FindingState::kFixed);
}

TEST_F(Lifecycle, SameAssetTwiceInOneReportFixesNothingItReported) {
  TestHost first = Host(Day(0), {{.plugin = 10}});
  TestHost second = first;
  second.name = "10.0.0.6";
  second.ip = "10.0.0.6";  // same FQDN: the same machine on another address
  second.items = {{.plugin = 11}};
  ImportCounts c = Import(BuildNessus({first, second}));
  EXPECT_EQ(c.hosts, 2);
  EXPECT_EQ(c.findings, 2);
  EXPECT_EQ(c.fixed, 0);
  EXPECT_EQ(Finding("tenable:10", kAsset).state, FindingState::kOpen);
  EXPECT_EQ(Finding("tenable:11", kAsset).state, FindingState::kOpen);
  // A rescan that reports both in two passes fixes neither, even in reverse order.
  first.start = second.start = Day(7);
  c = Import(BuildNessus({second, first}));
  EXPECT_EQ(c.fixed, 0);
  EXPECT_EQ(Finding("tenable:10", kAsset).state, FindingState::kOpen);
  EXPECT_EQ(store_->QueryAssets({})->size(), 1u);
}

// Rule 10: a second export of a pass already imported (same scanner, asset and start time),
// e.g. a Nessus export filtered to the critical findings, is no rescan: what it leaves out
// was not looked at again.
TEST_F(Lifecycle, FilteredReexportFixesNothing) {
  std::vector<int> set = {10, 11, 12};
  auto first = TryImport(BuildNessus(
      {Host(Day(0), {{.plugin = 10, .severity = 4}, {.plugin = 11}, {.plugin = 12}})}, set));
  ASSERT_TRUE(first.ok());
  auto r = TryImport(BuildNessus({Host(Day(0), {{.plugin = 10, .severity = 4}})}, set));
  ASSERT_TRUE(r.ok()) << r.status().message();
  const ImportOutcome& o = (*r)[0];
  EXPECT_EQ(o.scan.counts.fixed, 0);
  EXPECT_EQ(o.scan.counts.absent_unverified, 0);
  EXPECT_EQ(o.scan.counts.unchanged, 1);
  EXPECT_TRUE(o.reexport.partial());
  EXPECT_EQ(o.reexport.hosts, 1);
  EXPECT_EQ(o.reexport.omitted, 2);
  EXPECT_EQ(o.reexport.of_scans, std::vector<int64_t>{(*first)[0].scan.id});
  for (const char* key : {"tenable:11", "tenable:12"}) {
    FindingView f = Finding(key, kAsset);
    EXPECT_EQ(f.state, FindingState::kOpen) << key;
    EXPECT_FALSE(f.absent_unverified) << key;
  }
  // A real rescan later judges them as usual.
  ImportCounts later = Import(BuildNessus({Host(Day(7), {{.plugin = 10}, {.plugin = 12}})}, set));
  EXPECT_EQ(later.fixed, 1);
  EXPECT_EQ(Finding("tenable:11", kAsset).state, FindingState::kFixed);
}

TEST_F(Lifecycle, ReexportWithTheSameItemsChangesNothing) {
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}, {.plugin = 11}})}));
  auto r =
      TryImport(BuildNessus({Host(Day(0), {{.plugin = 10, .output = "again"}, {.plugin = 11}})}));
  ASSERT_TRUE(r.ok());
  const ImportOutcome& o = (*r)[0];
  EXPECT_FALSE(o.reexport.partial());
  EXPECT_EQ(o.reexport.hosts, 1);
  EXPECT_EQ(o.scan.counts.unchanged, 2);
  EXPECT_EQ(o.scan.counts.new_findings + o.scan.counts.fixed + o.scan.counts.reopened, 0);
  for (const char* key : {"tenable:10", "tenable:11"}) {
    FindingView f = Finding(key, kAsset);
    EXPECT_EQ(f.state, FindingState::kOpen);
    EXPECT_EQ(FormatIso8601(f.last_seen), FormatIso8601(FromUnixSeconds(Day(0))));
  }
}

TEST_F(Lifecycle, FullReexportAfterAFilteredOneUndoesItsFixes) {
  // The filtered export of the Day(7) pass came first and, as the first look at that pass,
  // was taken for a rescan; the full export of the same pass shows 11 was there after all.
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}, {.plugin = 11}})}));
  Import(BuildNessus({Host(Day(7), {{.plugin = 10}})}));
  ASSERT_EQ(Finding("tenable:11", kAsset).state, FindingState::kFixed);
  auto r = TryImport(BuildNessus({Host(Day(7), {{.plugin = 10}, {.plugin = 11}})}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].reexport.hosts, 1);
  EXPECT_FALSE((*r)[0].reexport.partial());
  EXPECT_EQ((*r)[0].scan.counts.reopened, 0);
  EXPECT_EQ((*r)[0].scan.counts.unchanged, 2);
  FindingView f = Finding("tenable:11", kAsset);
  EXPECT_EQ(f.state, FindingState::kOpen);
  EXPECT_EQ(f.times_reopened, 0);
  EXPECT_FALSE(f.fixed_at);
}

TEST_F(Lifecycle, RescanOneSecondLaterIsNoReexportAndFixes) {
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}, {.plugin = 11}})}));
  auto r = TryImport(BuildNessus({Host(Day(0) + 1, {{.plugin = 10}})}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].reexport.hosts, 0);
  EXPECT_FALSE((*r)[0].reexport.partial());
  EXPECT_EQ((*r)[0].scan.counts.fixed, 1);
  EXPECT_EQ(Finding("tenable:11", kAsset).state, FindingState::kFixed);
}

TEST_F(Lifecycle, ReexportIsJudgedPerHost) {
  // One report: the same pass over web.example.org again (filtered), and a new pass over a
  // second host, which is applied as any rescan.
  TestHost other{.name = "10.0.0.6",
                 .ip = "10.0.0.6",
                 .start = Day(0),
                 .items = {{.plugin = 10}, {.plugin = 11}}};
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}, {.plugin = 11}}), other}));
  other.start = Day(1);
  other.items = {{.plugin = 10}};
  auto r = TryImport(BuildNessus({Host(Day(0), {{.plugin = 10}}), other}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].reexport.hosts, 1);
  EXPECT_EQ((*r)[0].reexport.omitted, 1);
  EXPECT_EQ((*r)[0].scan.counts.fixed, 1);
  EXPECT_EQ(Finding("tenable:11", kAsset).state, FindingState::kOpen);
  EXPECT_EQ(Finding("tenable:11", "10.0.0.6").state, FindingState::kFixed);
}

TEST_F(Lifecycle, ReexportOfAnOlderPassIsHistoryAndNoReexport) {
  // Rule 7 decides first: a newer pass exists, so the old one's re-export is history.
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}, {.plugin = 11}})}));
  Import(BuildNessus({Host(Day(7), {{.plugin = 10}, {.plugin = 11}})}));
  auto r = TryImport(BuildNessus({Host(Day(0), {{.plugin = 10}})}));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[0].scan.counts.stale_hosts, 1);
  EXPECT_EQ((*r)[0].scan.counts.fixed, 0);
  EXPECT_EQ((*r)[0].reexport.hosts, 0);
  EXPECT_EQ(Finding("tenable:11", kAsset).state, FindingState::kOpen);
}

TEST_F(Lifecycle, FailedImportLeavesTheDatabaseAsItWas) {
  Import(BuildNessus({Host(Day(0), {{.plugin = 10}})}));
  std::string broken = BuildNessus({Host(Day(7), {{.plugin = 11}})});
  broken.resize(broken.size() - 40);
  auto r = TryImport(broken);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("truncated"), std::string::npos) << r.status().message();
  EXPECT_EQ(CountFindings(), 1u);
  EXPECT_EQ(Finding("tenable:10", kAsset).state, FindingState::kOpen);
  EXPECT_EQ(store_->QueryScanners()->at(0).scans, 1);
  EXPECT_EQ(store_->QueryVulnerabilities({.include_closed = true})->size(), 1u);
}

}  // namespace
}  // namespace vigil
