// The store answers a listing of vulnerabilities with one of two plans (a sequential pass over
// every finding, or an index walk for one class, CVE or key). Both must give the same numbers
// for every filter; and the bulk finding facts the clocks read must be the findings.
#include <gtest/gtest.h>

#include <set>

#include "support/import_fixture.h"

namespace vigil {
namespace {

using testing::BuildNessus;
using testing::Day;
using testing::TestHost;
using testing::TestItem;

class VulnListing : public testing::ImportFixture {
 protected:
  void SetUp() override {
    ImportFixture::SetUp();
    std::vector<int> set = {10, 11, 12, 13};
    auto host = [](const std::string& name, long long start, std::vector<TestItem> items) {
      return TestHost{.name = name, .ip = name, .start = start, .items = std::move(items)};
    };
    Import(
        BuildNessus(
            {host("10.0.0.1", Day(0),
                  {{.plugin = 10, .cves = {"CVE-2024-0010"}}, {.plugin = 11, .port = 443}}),
             host("10.0.0.2", Day(0), {{.plugin = 10, .cves = {"CVE-2024-0010"}}, {.plugin = 12}})},
            set),
        "net");
    // A week later: 10.0.0.1 no longer has plugin 11 (fixed); 10.0.0.2 gains 13.
    Import(BuildNessus(
               {host("10.0.0.1", Day(7), {{.plugin = 10, .cves = {"CVE-2024-0010"}}}),
                host("10.0.0.2", Day(7),
                     {{.plugin = 10, .cves = {"CVE-2024-0010"}}, {.plugin = 12}, {.plugin = 13}})},
               set),
           "net");
    // A second scanner sees plugin 10 on a third host only.
    Import(
        BuildNessus({host("10.0.0.3", Day(8), {{.plugin = 10, .cves = {"CVE-2024-0010"}}})}, set),
        "agent");
  }

  std::vector<VulnSummary> List(VulnQuery q) {
    auto r = store_->QueryVulnerabilities(q);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : std::vector<VulnSummary>{};
  }
};

void ExpectSame(const VulnSummary& a, const VulnSummary& b) {
  EXPECT_EQ(a.id, b.id) << a.key;
  EXPECT_EQ(a.open_findings, b.open_findings) << a.key;
  EXPECT_EQ(a.affected_assets, b.affected_assets) << a.key;
  EXPECT_EQ(a.first_seen, b.first_seen) << a.key;
  EXPECT_EQ(a.last_seen, b.last_seen) << a.key;
  EXPECT_EQ(a.cves, b.cves) << a.key;
  EXPECT_EQ(a.scanners, b.scanners) << a.key;
  EXPECT_EQ(a.class_name, b.class_name) << a.key;
}

TEST_F(VulnListing, BulkAndNarrowPlansAgreeUnderEveryFilter) {
  std::vector<VulnQuery> filters = {
      {.include_closed = true},
      {},
      {.asset = "10.0.0.1", .include_closed = true},
      {.asset = "10.0.0.2"},
      {.scanner = "agent", .include_closed = true},
      {.scanner = "net"},
  };
  for (const VulnQuery& filter : filters) {
    std::vector<VulnSummary> bulk = List(filter);
    ASSERT_FALSE(bulk.empty());
    std::set<std::string> listed;
    for (const auto& v : bulk) {
      listed.insert(v.key);
      VulnQuery one = filter;
      one.key = v.key;
      std::vector<VulnSummary> narrow = List(one);
      ASSERT_EQ(narrow.size(), 1u) << v.key;
      ExpectSame(v, narrow[0]);
    }
    // And the narrow plan lists nothing the bulk plan left out.
    for (const char* key : {"tenable:10", "tenable:11", "tenable:12", "tenable:13"}) {
      VulnQuery one = filter;
      one.key = key;
      EXPECT_EQ(List(one).size(), listed.count(key)) << key;
    }
  }
}

TEST_F(VulnListing, CountsAreThoseOfTheFindings) {
  auto all = List({.include_closed = true});
  std::map<std::string, VulnSummary> by_key;
  for (auto& v : all) {
    by_key[v.key] = v;
  }
  ASSERT_EQ(by_key.size(), 4u);
  EXPECT_EQ(by_key["tenable:10"].open_findings, 3);
  EXPECT_EQ(by_key["tenable:10"].affected_assets, 3);
  EXPECT_EQ(by_key["tenable:10"].scanners, (std::vector<std::string>{"agent", "net"}));
  EXPECT_EQ(by_key["tenable:10"].cves, std::vector<std::string>{"CVE-2024-0010"});
  EXPECT_EQ(by_key["tenable:11"].open_findings, 0);  // fixed on day 7
  EXPECT_EQ(FormatIso8601(*by_key["tenable:13"].first_seen),
            FormatIso8601(FromUnixSeconds(Day(7))));
  // Without include_closed the fixed one is not listed; without scanners none are named.
  auto open = List({.with_scanners = false});
  EXPECT_EQ(open.size(), 3u);
  for (const auto& v : open) {
    EXPECT_TRUE(v.scanners.empty()) << v.key;
  }
  // Without counts (nothing selects on them) every vulnerability, nothing read.
  auto bare = List({.include_closed = true, .with_counts = false});
  ASSERT_EQ(bare.size(), 4u);
  for (const auto& v : bare) {
    EXPECT_EQ(v.open_findings, 0) << v.key;
    EXPECT_FALSE(v.first_seen) << v.key;
    EXPECT_FALSE(v.scanners.empty()) << v.key;
  }
  // Counts that select are computed even when not asked for.
  EXPECT_EQ(List({.with_counts = false}).size(), 3u);
  EXPECT_EQ(List({.asset = "10.0.0.3", .include_closed = true, .with_counts = false}).size(), 1u);
  EXPECT_TRUE(List({.asset = "no-such-host"}).empty());
  EXPECT_TRUE(List({.asset = "no-such-host", .include_closed = true}).empty());
}

TEST_F(VulnListing, FindingFactsAreTheFindings) {
  FindingQuery every{.states = {FindingState::kOpen, FindingState::kFixed, FindingState::kReopened,
                                FindingState::kInactive}};
  auto views = store_->QueryFindings(every);
  auto facts = store_->QueryFindingFacts({});
  ASSERT_TRUE(views.ok() && facts.ok());
  ASSERT_EQ(views->size(), facts->size());
  auto vulns = List({.include_closed = true});
  auto assets = store_->QueryAssets({});
  std::map<int64_t, std::string> vuln_key;
  std::map<int64_t, std::string> asset_name;
  for (const auto& v : vulns) {
    vuln_key[v.id] = v.key;
  }
  for (const auto& a : *assets) {
    asset_name[a.id] = a.name;
  }
  std::multiset<std::string> from_views;
  std::multiset<std::string> from_facts;
  auto line = [](const std::string& v, const std::string& a, int port, FindingState s,
                 Timestamp first, std::optional<Timestamp> fixed) {
    return v + "|" + a + "|" + std::to_string(port) + "|" + std::string(ToString(s)) + "|" +
           FormatIso8601(first) + "|" + (fixed ? FormatIso8601(*fixed) : "-");
  };
  for (const auto& f : *views) {
    from_views.insert(line(f.vuln_key, f.asset, f.port, f.state, f.first_seen, f.fixed_at));
  }
  for (const auto& f : *facts) {
    from_facts.insert(line(vuln_key[f.vuln_id], asset_name[f.asset_id], f.port, f.state,
                           f.first_seen, f.fixed_at));
  }
  EXPECT_EQ(from_views, from_facts);
  // Filtered by state and by vulnerability.
  auto fixed = store_->QueryFindingFacts({.states = {FindingState::kFixed}});
  ASSERT_TRUE(fixed.ok());
  ASSERT_EQ(fixed->size(), 1u);
  EXPECT_EQ(vuln_key[(*fixed)[0].vuln_id], "tenable:11");
  int64_t id10 = 0;
  for (const auto& [id, key] : vuln_key) {
    if (key == "tenable:10") {
      id10 = id;
    }
  }
  auto ten = store_->QueryFindingFacts({.vuln_id = id10});
  ASSERT_TRUE(ten.ok());
  EXPECT_EQ(ten->size(), 3u);
}

}  // namespace
}  // namespace vigil
