// A line chart of counts over time as inline SVG, for printable pages that load nothing: no
// script, no font, no external reference; every text is escaped.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/time.h"

namespace vigil::report {

struct ChartSeries {
  std::string name;
  std::string color;            // a CSS color, e.g. "#8b0000"
  std::vector<int64_t> values;  // one per time of the chart
};

struct TimeChart {
  std::string title;  // the accessible name (<title>)
  std::string y_label;
  std::vector<Timestamp> times;  // ascending
  std::vector<ChartSeries> series;
  int width = 680;
  int height = 240;
};

// An <svg> element: one line per series, the time axis with dates, the count axis with round
// ticks, and a legend with each series' last value.
std::string LineChartSvg(const TimeChart& chart);

}  // namespace vigil::report
