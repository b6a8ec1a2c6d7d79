#include "report/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report/tables.h"

namespace vigil::report {
namespace {

constexpr int kLeft = 52;    // the count axis and its labels
constexpr int kRight = 150;  // the legend
constexpr int kTop = 10;
constexpr int kBottom = 36;  // the dates
constexpr int kMaxDateTicks = 6;
constexpr int kLegendLine = 15;

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

// The step of at most five round ticks (1, 2 or 5 times a power of ten) covering `max`.
int64_t TickStep(int64_t max) {
  if (max <= 5) {
    return 1;
  }
  double raw = static_cast<double>(max) / 5.0;
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * magnitude >= raw) {
      return static_cast<int64_t>(m * magnitude);
    }
  }
  return static_cast<int64_t>(10 * magnitude);
}

// A date, or a date and time of day when the chart spans less than three days.
std::string TimeLabel(Timestamp t, std::chrono::seconds span) {
  if (span >= std::chrono::hours(72)) {
    return FormatDate(t);
  }
  std::string iso = FormatIso8601(t);  // 2026-03-01T12:00:00Z
  return iso.substr(5, 5) + " " + iso.substr(11, 5);
}

}  // namespace

std::string LineChartSvg(const TimeChart& c) {
  const double w = c.width - kLeft - kRight;
  const double h = c.height - kTop - kBottom;
  int64_t max = 0;
  for (const auto& s : c.series) {
    for (int64_t v : s.values) {
      max = std::max(max, v);
    }
  }
  const int64_t step = TickStep(max);
  const int64_t top = std::max<int64_t>(step, (max + step - 1) / step * step);
  const Timestamp t0 = c.times.empty() ? Timestamp{} : c.times.front();
  const Timestamp t1 = c.times.empty() ? Timestamp{} : c.times.back();
  const auto span = std::chrono::duration_cast<std::chrono::seconds>(t1 - t0);
  auto x = [&](Timestamp t) {
    return span.count() == 0 ? kLeft + w / 2
                             : kLeft + w * static_cast<double>((t - t0).count()) /
                                           static_cast<double>(span.count());
  };
  auto y = [&](int64_t v) {
    return kTop + h - h * static_cast<double>(v) / static_cast<double>(top);
  };
  std::string out = "<svg role=\"img\" width=\"" + std::to_string(c.width) + "\" height=\"" +
                    std::to_string(c.height) + "\" viewBox=\"0 0 " + std::to_string(c.width) + " " +
                    std::to_string(c.height) +
                    "\" font-family=\"sans-serif\" font-size=\"10\">\n<title>" +
                    HtmlEscape(c.title) + "</title>\n";
  // The count axis: round ticks with grid lines.
  for (int64_t v = 0; v <= top; v += step) {
    std::string yy = Num(y(v));
    out += "<line x1=\"" + std::to_string(kLeft) + "\" y1=\"" + yy + "\" x2=\"" + Num(kLeft + w) +
           "\" y2=\"" + yy + "\" stroke=\"" + (v == 0 ? "#333" : "#ddd") + "\"/><text x=\"" +
           std::to_string(kLeft - 4) + "\" y=\"" + Num(y(v) + 3) + "\" text-anchor=\"end\">" +
           std::to_string(v) + "</text>\n";
  }
  out += "<text x=\"10\" y=\"" + Num(kTop + h / 2) +
         "\" text-anchor=\"middle\" transform=\"rotate(-90 10 " + Num(kTop + h / 2) + ")\">" +
         HtmlEscape(c.y_label) + "</text>\n";
  // The time axis: evenly spaced dates.
  out += "<line x1=\"" + std::to_string(kLeft) + "\" y1=\"" + Num(kTop) + "\" x2=\"" +
         std::to_string(kLeft) + "\" y2=\"" + Num(kTop + h) + "\" stroke=\"#333\"/>\n";
  int ticks = std::min<int>(kMaxDateTicks, static_cast<int>(c.times.size()));
  for (int i = 0; i < ticks; ++i) {
    Timestamp t = ticks == 1 ? t0 : t0 + span * i / (ticks - 1);
    std::string xx = Num(x(t));
    out += "<line x1=\"" + xx + "\" y1=\"" + Num(kTop + h) + "\" x2=\"" + xx + "\" y2=\"" +
           Num(kTop + h + 4) + "\" stroke=\"#333\"/><text x=\"" + xx + "\" y=\"" +
           Num(kTop + h + 16) + "\" text-anchor=\"middle\">" + HtmlEscape(TimeLabel(t, span)) +
           "</text>\n";
  }
  // One line per series, and the legend with its last value.
  for (size_t i = 0; i < c.series.size(); ++i) {
    const ChartSeries& s = c.series[i];
    std::string color = HtmlEscape(s.color);
    std::string points;
    for (size_t k = 0; k < s.values.size() && k < c.times.size(); ++k) {
      points += (k ? " " : "") + Num(x(c.times[k])) + "," + Num(y(s.values[k]));
    }
    if (s.values.size() == 1 || c.times.size() == 1) {
      out += s.values.empty()
                 ? ""
                 : "<circle cx=\"" + Num(x(t0)) + "\" cy=\"" + Num(y(s.values.front())) +
                       "\" r=\"2.5\" fill=\"" + color + "\"/>\n";
    } else if (!points.empty()) {
      out += "<polyline fill=\"none\" stroke-width=\"1.8\" stroke=\"" + color + "\" points=\"" +
             points + "\"/>\n";
    }
    int ly = kTop + 6 + static_cast<int>(i) * kLegendLine;
    int lx = c.width - kRight + 12;
    out += "<line x1=\"" + std::to_string(lx) + "\" y1=\"" + std::to_string(ly) + "\" x2=\"" +
           std::to_string(lx + 18) + "\" y2=\"" + std::to_string(ly) +
           "\" stroke-width=\"3\" stroke=\"" + color + "\"/><text x=\"" + std::to_string(lx + 24) +
           "\" y=\"" + std::to_string(ly + 3) + "\">" + HtmlEscape(s.name) +
           (s.values.empty() ? "" : " (" + std::to_string(s.values.back()) + ")") + "</text>\n";
  }
  return out + "</svg>";
}

}  // namespace vigil::report
