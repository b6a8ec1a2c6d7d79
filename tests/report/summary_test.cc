// The evidence pack's summary: the chart's sampling, the clocks met and missed with the worst
// lateness, decisions by four-eyes status as they stood at the end of the period, and the
// page section and summary.json built from them.
#include "report/summary.h"

#include <gtest/gtest.h>

namespace vigil::report {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

const Timestamp kFrom = FromUnixSeconds(1772323200);        // 2026-03-01T00:00:00Z
const Timestamp kTo = kFrom + hours(24 * 31) - seconds(1);  // 2026-03-31T23:59:59Z
const Period kMarch{kFrom, kTo};

Timestamp Day(int d) {
  return kFrom + hours(24 * d);
}

// The text of some HTML, its tags left out (entities kept).
std::string Text(const std::string& html) {
  std::string out;
  bool tag = false;
  for (char c : html) {
    if (c == '<' || c == '>') {
      tag = c == '<';
    } else if (!tag) {
      out += c;
    }
  }
  return out;
}

TEST(SampleTimes, DailyOverAMonthFromTheStartToTheEnd) {
  std::vector<Timestamp> t = SampleTimes(kMarch);
  ASSERT_EQ(t.size(), 32u);
  EXPECT_EQ(t.front(), kFrom);
  EXPECT_EQ(t[1], Day(1));
  EXPECT_EQ(t[30], Day(30));
  EXPECT_EQ(t.back(), kTo);
}

TEST(SampleTimes, LongPeriodsTakeLongerStepsAndStayUnder400) {
  std::vector<Timestamp> year = SampleTimes({kFrom, kFrom + hours(24 * 365)});
  EXPECT_EQ(year[1] - year[0], hours(24));
  std::vector<Timestamp> decade = SampleTimes({kFrom, kFrom + hours(24 * 3650)});
  EXPECT_EQ(decade[1] - decade[0], hours(24 * 14));
  EXPECT_LE(decade.size(), 402u);
  EXPECT_EQ(decade.back(), kFrom + hours(24 * 3650));
}

TEST(SampleTimes, ShortPeriodsHourlyAndAnInstantOnce) {
  std::vector<Timestamp> day = SampleTimes({kFrom, kFrom + hours(24) - seconds(1)});
  EXPECT_EQ(day[1] - day[0], hours(1));
  EXPECT_EQ(day.size(), 25u);
  EXPECT_EQ(SampleTimes({kFrom, kFrom}), std::vector<Timestamp>{kFrom});
}

ClockRule kRule{.id = "ncssr-1.7/4.f", .framework = "NCSSR v1.7 4.f", .stage = "remediate"};

ComplianceClock Clock(const std::string& vuln, ClockStatus status, Timestamp anchor, Timestamp due,
                      std::optional<seconds> late = std::nullopt) {
  ComplianceClock c{.rule = &kRule,
                    .vuln_key = vuln,
                    .anchor = anchor,
                    .due = due,
                    .status = status,
                    .late_by = late};
  if (status == ClockStatus::kMet || status == ClockStatus::kMissed) {
    c.stopped_at = due + late.value_or(seconds(0));
  }
  return c;
}

TEST(SummarizeClocks, CountsByStatusAndNamesTheWorstLateness) {
  std::vector<ComplianceClock> clocks = {
      Clock("a", ClockStatus::kMet, Day(1), Day(5)),
      Clock("b", ClockStatus::kMissed, Day(1), Day(5), hours(30)),
      Clock("c", ClockStatus::kOverdue, Day(20), Day(29)),  // overdue 2d23h59m59s at the end
      Clock("d", ClockStatus::kOpen, Day(30), Day(34)),
      Clock("e", ClockStatus::kDueSoon, Day(27), kTo + hours(2)),
      // Over before the period began, and started after it ended: not the period's.
      Clock("f", ClockStatus::kMissed, Day(-20), Day(-10), hours(100)),
      Clock("g", ClockStatus::kOverdue, Day(40), Day(41)),
  };
  ClockSummary s = SummarizeClocks(clocks, kMarch);
  EXPECT_EQ(s.total, 5);
  EXPECT_EQ(s.met, 1);
  EXPECT_EQ(s.met_late, 1);
  EXPECT_EQ(s.overdue, 1);
  EXPECT_EQ(s.running, 2);
  ASSERT_TRUE(s.worst_late);
  EXPECT_EQ(*s.worst_late, kTo - Day(29));
  EXPECT_EQ(s.worst_vuln, "c");
  EXPECT_EQ(s.worst_rule, "ncssr-1.7/4.f");
  EXPECT_TRUE(s.worst_still_open);
}

TEST(SummarizeClocks, NoneMissedNoWorst) {
  ClockSummary s = SummarizeClocks({Clock("a", ClockStatus::kMet, Day(1), Day(5))}, kMarch);
  EXPECT_FALSE(s.worst_late);
}

DecisionRecord Decision(DecisionType type, DecisionState state, Timestamp created) {
  return {.type = type, .author = "bob", .created_at = created, .state = state};
}

TEST(SummarizeDecisions, FourEyesStatusAsItStoodAtTheEnd) {
  std::vector<DecisionRecord> d;
  d.push_back(Decision(DecisionType::kRecast, DecisionState::kApproved, Day(2)));
  d.back().decided_by = "dave";
  d.back().decided_at = d.back().effective_at = Day(3);
  // Approved only after the period: still pending at its end.
  d.push_back(Decision(DecisionType::kRecast, DecisionState::kApproved, Day(20)));
  d.back().decided_by = "dave";
  d.back().decided_at = d.back().effective_at = Day(40);
  d.push_back(Decision(DecisionType::kFalsePositive, DecisionState::kRejected, Day(4)));
  d.back().decided_by = "dave";
  d.back().decided_at = Day(5);
  d.push_back(Decision(DecisionType::kMitigationPlan, DecisionState::kApproved, Day(6)));
  d.back().effective_at = Day(6);  // the policy asks no approval for plans
  d.push_back(Decision(DecisionType::kAcceptRisk, DecisionState::kLapsed, Day(7)));
  d.back().ended_at = Day(9);  // expired before anyone approved it
  d.push_back(Decision(DecisionType::kClassify, DecisionState::kPending, Day(8)));
  d.push_back(Decision(DecisionType::kClassify, DecisionState::kPending, Day(35)));  // after
  std::vector<DecisionSummary> s = SummarizeDecisions(d, kMarch);
  ASSERT_EQ(s.size(), 5u);
  EXPECT_EQ(s[0].type, DecisionType::kRecast);
  EXPECT_EQ(s[0].approved, 1);
  EXPECT_EQ(s[0].pending, 1);
  EXPECT_EQ(s[1].rejected, 1);
  EXPECT_EQ(s[2].lapsed, 1);
  EXPECT_EQ(s[3].type, DecisionType::kMitigationPlan);
  EXPECT_EQ(s[3].not_required, 1);
  EXPECT_EQ(s[4].pending, 1);
  int64_t all = 0;
  for (const auto& x : s) {
    all += x.approved + x.pending + x.rejected + x.not_required + x.lapsed;
  }
  EXPECT_EQ(all, 6);
}

PackSummary Sample() {
  PackSummary s{.period = kMarch};
  ScannerSummary agents{.name = "agents<b>", .kind = "agent", .cadence = hours(24)};
  agents.period = {.cadence_set = true,
                   .judged = true,
                   .scans = 3,
                   .longest_gap = hours(96),
                   .gap_start = Day(2),
                   .gap_end = Day(6),
                   .missed = true};
  s.scanners.push_back(agents);
  ScannerSummary ext{.name = "external", .kind = "external"};
  ext.period = {.judged = true, .scans = 1, .longest_gap = hours(24 * 20)};
  s.scanners.push_back(ext);
  s.open = {.times = {kFrom, kTo},
            .classes = {"CRITICAL", "HIGH", "unclassified"},
            .scale_classes = 2,
            .counts = {{2, 1}, {5, 7}, {0, 1}}};
  s.clocks = SummarizeClocks({Clock("tenable:1", ClockStatus::kMissed, Day(1), Day(5), hours(30))},
                             kMarch);
  s.decisions = SummarizeDecisions({}, kMarch);
  s.open_items = 3;
  s.open_items_by_kind = {{"stale-scanner", 1}, {"clock-overdue", 2}};
  return s;
}

TEST(SummaryHtml, TheSectionSaysWhatTheAuditorLooksForFirst) {
  std::string html = SummaryHtml(Sample());
  EXPECT_EQ(html.rfind("<section id=\"summary\">", 0), 0u);
  std::string text = Text(html);
  EXPECT_NE(text.find("Period 2026-03-01T00:00:00Z to 2026-03-31T23:59:59Z"), std::string::npos);
  EXPECT_NE(html.find("<td class=\"bad\">MISSED</td>"), std::string::npos);
  EXPECT_NE(text.find("4d (2026-03-03 to 2026-03-07)"), std::string::npos) << html;
  EXPECT_NE(html.find("<span class=\"w\">(2026-03-03</span>"), std::string::npos);
  EXPECT_NE(text.find("not set: not judged"), std::string::npos);
  EXPECT_NE(html.find("<td>CRITICAL</td><td class=\"n\">2</td><td class=\"n\">1</td>"),
            std::string::npos);
  EXPECT_NE(html.find("<td>all</td><td class=\"n\">7</td><td class=\"n\">9</td>"),
            std::string::npos);
  EXPECT_NE(html.find("1 missed</b> (1 met late, 0 overdue at the end)"), std::string::npos);
  EXPECT_NE(html.find("Worst lateness: <b>1d6h</b> (tenable:1 under rule ncssr-1.7/4.f, met late)"),
            std::string::npos);
  EXPECT_NE(html.find("<b>3</b> open items at the end of the period (1 stale-scanner, 2 "
                      "clock-overdue)"),
            std::string::npos);
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("approved by a second person"), std::string::npos);
}

TEST(SummaryHtml, WhatUsersNamedIsEscaped) {
  std::string html = SummaryHtml(Sample());
  EXPECT_EQ(html.find("agents<b>"), std::string::npos);
  EXPECT_NE(html.find("agents&lt;b&gt;"), std::string::npos);
}

TEST(SummaryJson, TheSameFactsForMachines) {
  nlohmann::ordered_json j = SummaryJson(Sample());
  EXPECT_EQ(j["from"], "2026-03-01T00:00:00Z");
  EXPECT_EQ(j["scanners"][0]["cadence_kept"], "missed");
  EXPECT_EQ(j["scanners"][0]["longest_gap_seconds"], 96 * 3600);
  EXPECT_EQ(j["scanners"][1]["cadence_kept"], "not set");
  EXPECT_TRUE(j["scanners"][1]["cadence"].is_null());
  EXPECT_EQ(j["open_vulnerabilities"]["at_start"]["HIGH"], 5);
  EXPECT_EQ(j["open_vulnerabilities"]["at_end"]["unclassified"], 1);
  EXPECT_EQ(j["open_vulnerabilities"]["series"].size(), 2u);
  EXPECT_EQ(j["open_vulnerabilities"]["series"][1]["time"], "2026-03-31T23:59:59Z");
  EXPECT_EQ(j["clocks"]["met_late"], 1);
  EXPECT_EQ(j["clocks"]["worst_late_seconds"], 30 * 3600);
  EXPECT_EQ(j["decisions"].size(), 5u);
  EXPECT_EQ(j["decisions"][0]["type"], "recast");
  EXPECT_EQ(j["open_items"]["total"], 3);
  EXPECT_EQ(j["open_items"]["by_kind"]["clock-overdue"], 2);
}

}  // namespace
}  // namespace vigil::report
