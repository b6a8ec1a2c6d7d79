// The inline SVG chart: one line per series over dated axes, round count ticks, every text
// escaped, nothing that could load or run anything.
#include "report/svg_chart.h"

#include <gtest/gtest.h>

namespace vigil::report {
namespace {

using std::chrono::hours;

const Timestamp kT0 = FromUnixSeconds(1772323200);  // 2026-03-01T00:00:00Z

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++n;
  }
  return n;
}

TimeChart Month() {
  TimeChart c{.title = "Open vulnerabilities", .y_label = "open"};
  for (int d = 0; d < 31; ++d) {
    c.times.push_back(kT0 + hours(24 * d));
  }
  c.series.push_back({"CRITICAL", "#8b0000", std::vector<int64_t>(31, 3)});
  c.series.push_back({"HIGH", "#e6550d", std::vector<int64_t>(31, 37)});
  return c;
}

TEST(SvgChart, OneLinePerSeriesWithAPointPerTime) {
  std::string svg = LineChartSvg(Month());
  EXPECT_EQ(svg.rfind("<svg role=\"img\"", 0), 0u);
  EXPECT_EQ(svg.find("http"), std::string::npos);  // nothing a checker could take for a link
  EXPECT_EQ(Count(svg, "<polyline"), 2u);
  size_t points = svg.find("points=\"");
  size_t end = svg.find('"', points + 8);
  EXPECT_EQ(Count(svg.substr(points, end - points), ","), 31u);
}

TEST(SvgChart, RoundTicksCoverTheLargestCount) {
  std::string svg = LineChartSvg(Month());  // 37 at most: 0, 10, 20, 30, 40
  for (const char* tick : {">0</text>", ">10</text>", ">20</text>", ">30</text>", ">40</text>"}) {
    EXPECT_NE(svg.find(tick), std::string::npos) << tick;
  }
  EXPECT_EQ(svg.find(">50</text>"), std::string::npos);
}

TEST(SvgChart, DatesOnTheTimeAxisFromFirstToLast) {
  std::string svg = LineChartSvg(Month());
  EXPECT_NE(svg.find(">2026-03-01</text>"), std::string::npos);
  EXPECT_NE(svg.find(">2026-03-31</text>"), std::string::npos);
}

TEST(SvgChart, ShortSpansShowTheTimeOfDay) {
  TimeChart c{.title = "t", .times = {kT0, kT0 + hours(12)}};
  c.series.push_back({"LOW", "#3182bd", {1, 2}});
  std::string svg = LineChartSvg(c);
  EXPECT_NE(svg.find(">03-01 00:00</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find(">03-01 12:00</text>"), std::string::npos);
}

TEST(SvgChart, LegendNamesEachSeriesWithItsLastValue) {
  std::string svg = LineChartSvg(Month());
  EXPECT_NE(svg.find(">CRITICAL (3)</text>"), std::string::npos);
  EXPECT_NE(svg.find(">HIGH (37)</text>"), std::string::npos);
}

TEST(SvgChart, EveryTextIsEscapedAndNothingLoadsOrRuns) {
  TimeChart c = Month();
  c.title = "<script>alert(1)</script>";
  c.series[0].name = "\"><image href=x onerror=alert(1)>";
  c.series[0].color = "red\" onload=\"alert(1)";
  std::string svg = LineChartSvg(c);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("<image"), std::string::npos);
  EXPECT_EQ(svg.find("\" onload"), std::string::npos);
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(svg.find("&quot;&gt;&lt;image href=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(svg.find("red&quot; onload=&quot;alert(1)"), std::string::npos);
}

TEST(SvgChart, OneTimeIsDrawnAsPoints) {
  TimeChart c{.title = "t", .times = {kT0}};
  c.series.push_back({"LOW", "#3182bd", {4}});
  std::string svg = LineChartSvg(c);
  EXPECT_EQ(Count(svg, "<circle"), 1u);
  EXPECT_EQ(Count(svg, "<polyline"), 0u);
}

TEST(SvgChart, NothingOpenStillDrawsTheAxes) {
  TimeChart c = Month();
  for (auto& s : c.series) {
    std::fill(s.values.begin(), s.values.end(), 0);
  }
  std::string svg = LineChartSvg(c);
  EXPECT_NE(svg.find(">0</text>"), std::string::npos);
  EXPECT_NE(svg.find(">1</text>"), std::string::npos);
  EXPECT_EQ(Count(svg, "<polyline"), 2u);
}

}  // namespace
}  // namespace vigil::report
