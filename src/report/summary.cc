#include "report/summary.h"

#include <algorithm>
#include <array>

#include "core/duration.h"
#include "report/svg_chart.h"
#include "store/store.h"

namespace vigil::report {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

constexpr size_t kMaxSamples = 400;
constexpr std::array<DecisionType, 5> kDecisionTypes = {
    DecisionType::kRecast, DecisionType::kFalsePositive, DecisionType::kAcceptRisk,
    DecisionType::kMitigationPlan, DecisionType::kClassify};
// Most severe first; classes beyond the palette (other scales, unclassified) take the rest.
constexpr std::array<const char*, 5> kScaleColors = {"#8b0000", "#e6550d", "#c9a000", "#3182bd",
                                                     "#7f7f7f"};
constexpr std::array<const char*, 4> kOtherColors = {"#756bb1", "#31a354", "#d6616b", "#17becf"};

// Hours for periods of a few days, else days, else the shortest longer step that keeps the
// samples to kMaxSamples.
seconds SampleStep(seconds span) {
  constexpr std::array<seconds, 11> kSteps = {
      hours(1),      hours(3),       hours(6),       hours(12),      hours(24),      hours(48),
      hours(24 * 7), hours(24 * 14), hours(24 * 28), hours(24 * 91), hours(24 * 364)};
  seconds shortest = span >= hours(24 * 4) ? hours(24) : hours(1);
  for (seconds step : kSteps) {
    if (step >= shortest && span / step <= static_cast<int64_t>(kMaxSamples)) {
      return step;
    }
  }
  return span / static_cast<int64_t>(kMaxSamples);
}

std::string Td(const std::string& text, const std::string& cls = "") {
  return (cls.empty() ? "<td>" : "<td class=\"" + cls + "\">") + HtmlWords(text) + "</td>";
}

std::string Td(int64_t n) {
  return "<td class=\"n\">" + std::to_string(n) + "</td>";
}

std::string Cadence(const ScannerSummary& s) {
  return s.cadence ? FormatDuration(*s.cadence) + " + " + FormatDuration(s.grace) : "not set";
}

// The verdict on a scanner's cadence in the period, and its style.
std::pair<std::string, std::string> Verdict(const ScannerSummary& s) {
  if (!s.period.cadence_set) {
    return {"not set: not judged", "warn"};
  }
  return s.period.missed ? std::pair<std::string, std::string>{"MISSED", "bad"}
                         : std::pair<std::string, std::string>{"kept", "ok"};
}

std::string ScannersHtml(const std::vector<ScannerSummary>& scanners) {
  std::string out = "<h3>Scanners and their cadence</h3>\n";
  if (scanners.empty()) {
    return out + "<p class=\"none\">No scanner was registered by the end of the period.</p>\n";
  }
  out +=
      "<table class=\"summary\">\n<thead><tr><th>scanner</th><th>kind</th><th>cadence + "
      "grace</th><th>scans in the period</th><th>longest gap</th><th>cadence</th></tr></thead>"
      "\n<tbody>\n";
  for (const auto& s : scanners) {
    auto [verdict, cls] = Verdict(s);
    std::string gap = FormatDuration(s.period.longest_gap);
    if (s.period.gap_start && s.period.gap_end) {
      gap += " (" + FormatDate(*s.period.gap_start) + " to " + FormatDate(*s.period.gap_end) + ")";
    }
    out += "<tr>" + Td(s.name) + Td(s.kind) + Td(Cadence(s)) + Td(s.period.scans) + Td(gap) +
           Td(verdict, cls) + "</tr>\n";
  }
  return out + "</tbody>\n</table>\n";
}

int64_t At(const OpenByClass& open, size_t cls, bool end) {
  const auto& counts = open.counts[cls];
  return counts.empty() ? 0 : end ? counts.back() : counts.front();
}

std::string OpenHtml(const OpenByClass& open) {
  std::string out =
      "<div><h3>Open vulnerabilities</h3>\n<table class=\"summary\">\n<thead><tr><th>class</th>"
      "<th>start</th><th>end</th></tr></thead>\n<tbody>\n";
  int64_t start = 0;
  int64_t end = 0;
  for (size_t k = 0; k < open.classes.size(); ++k) {
    start += At(open, k, false);
    end += At(open, k, true);
    out +=
        "<tr>" + Td(open.classes[k]) + Td(At(open, k, false)) + Td(At(open, k, true)) + "</tr>\n";
  }
  return out + "<tr class=\"total\">" + Td("all") + Td(start) + Td(end) +
         "</tr>\n</tbody>\n</table></div>\n";
}

std::string DecisionsHtml(const std::vector<DecisionSummary>& decisions) {
  std::string out =
      "<div><h3>Decisions and four eyes</h3>\n<table class=\"summary\">\n<thead><tr><th>type</th>"
      "<th>approved by a second person</th><th>pending</th><th>rejected</th><th>no approval "
      "asked</th><th>lapsed unapproved</th></tr></thead>\n<tbody>\n";
  for (const auto& d : decisions) {
    out += "<tr>" + Td(std::string(ToString(d.type))) + Td(d.approved) + Td(d.pending) +
           Td(d.rejected) + Td(d.not_required) + Td(d.lapsed) + "</tr>\n";
  }
  return out + "</tbody>\n</table></div>\n";
}

std::string ClocksHtml(const ClockSummary& c) {
  std::string out = "<h3>Compliance clocks</h3>\n<p>";
  if (c.total == 0) {
    return out + "No clock of the policy started or fell due in the period.</p>\n";
  }
  out += std::to_string(c.total) + " clocks started or fell due in the period: <b>" +
         std::to_string(c.met) + " met</b> in time, <b" +
         (c.met_late + c.overdue > 0 ? " class=\"bad\"" : "") + ">" +
         std::to_string(c.met_late + c.overdue) + " missed</b> (" + std::to_string(c.met_late) +
         " met late, " + std::to_string(c.overdue) + " overdue at the end), " +
         std::to_string(c.running) + " not yet due.";
  if (c.worst_late) {
    out += " Worst lateness: <b>" + HtmlEscape(FormatDuration(*c.worst_late)) + "</b> (" +
           HtmlEscape(c.worst_vuln) + " under rule " + HtmlEscape(c.worst_rule) +
           (c.worst_still_open ? ", still not met at the end" : ", met late") + ").";
  }
  return out + "</p>\n";
}

std::string OpenItemsHtml(const PackSummary& s) {
  std::string out = "<h3>Open items</h3>\n<p><b>" + std::to_string(s.open_items) +
                    "</b> open items at the end of the period";
  std::string kinds;
  for (const auto& [kind, n] : s.open_items_by_kind) {
    kinds += (kinds.empty() ? "" : ", ") + std::to_string(n) + " " + HtmlEscape(kind);
  }
  return out + (kinds.empty() ? "" : " (" + kinds + ")") +
         "; listed in <a href=\"#open-items\">Exceptions and open items</a>.</p>\n";
}

std::string ChartHtml(const PackSummary& s) {
  std::string step =
      s.open.times.size() > 2
          ? FormatDuration(std::chrono::duration_cast<seconds>(s.open.times[1] - s.open.times[0]))
          : "";
  return "<figure id=\"open-chart\">\n" +
         OpenByClassSvg(s.open,
                        "Open vulnerabilities by class, " + FormatIso8601(s.period.from) + " to " +
                            FormatIso8601(s.period.to),
                        200) +
         "\n<figcaption>Open vulnerabilities by class over the period" +
         (step.empty() ? "" : ", every " + HtmlEscape(step)) +
         ".</figcaption>\n"
         "</figure>\n";
}

}  // namespace

std::string OpenByClassSvg(const OpenByClass& open, const std::string& title, int height) {
  TimeChart chart{
      .title = title, .y_label = "open vulnerabilities", .times = open.times, .height = height};
  for (size_t k = 0, other = 0; k < open.classes.size(); ++k) {
    std::string color = k < open.scale_classes && k < kScaleColors.size()
                            ? kScaleColors[k]
                            : kOtherColors[other++ % kOtherColors.size()];
    chart.series.push_back({open.classes[k], color, open.counts[k]});
  }
  return LineChartSvg(chart);
}

std::vector<Timestamp> SampleTimes(const Period& period) {
  std::vector<Timestamp> times;
  if (period.to <= period.from) {
    return {period.from};
  }
  seconds step = SampleStep(std::chrono::duration_cast<seconds>(period.to - period.from));
  for (Timestamp t = period.from; t < period.to; t += step) {
    times.push_back(t);
  }
  times.push_back(period.to);
  return times;
}

ClockSummary SummarizeClocks(const std::vector<ComplianceClock>& clocks, const Period& period) {
  ClockSummary s;
  for (const auto& c : clocks) {
    if (!ClockInPeriod(c, period)) {
      continue;
    }
    ++s.total;
    std::optional<seconds> late;
    switch (c.status) {
      case ClockStatus::kMet:
        ++s.met;
        break;
      case ClockStatus::kMissed:
        ++s.met_late;
        late = c.late_by;
        break;
      case ClockStatus::kOverdue:
        ++s.overdue;
        late = std::chrono::duration_cast<seconds>(period.to - c.due);
        break;
      case ClockStatus::kOpen:
      case ClockStatus::kDueSoon:
        ++s.running;
        break;
    }
    if (late && (!s.worst_late || *late > *s.worst_late)) {
      s.worst_late = late;
      s.worst_rule = c.rule->id;
      s.worst_vuln = c.vuln_key;
      s.worst_still_open = c.status == ClockStatus::kOverdue;
    }
  }
  return s;
}

std::vector<DecisionSummary> SummarizeDecisions(const std::vector<DecisionRecord>& decisions,
                                                const Period& period) {
  std::vector<DecisionSummary> out;
  out.reserve(kDecisionTypes.size());
  for (DecisionType type : kDecisionTypes) {
    out.push_back({.type = type});
  }
  for (const auto& d : decisions) {
    if (!DecisionInPeriod(d, period)) {
      continue;
    }
    auto& s = *std::find_if(out.begin(), out.end(), [&](auto& e) { return e.type == d.type; });
    bool decided = d.decided_at && *d.decided_at <= period.to && !d.decided_by.empty();
    if (decided && d.state == DecisionState::kRejected) {
      ++s.rejected;
    } else if (decided) {
      ++s.approved;
    } else if (d.effective_at && *d.effective_at <= period.to) {
      ++s.not_required;  // in effect with nobody deciding: the policy asked no approval
    } else if (d.ended_at && *d.ended_at <= period.to) {
      ++s.lapsed;
    } else {
      ++s.pending;
    }
  }
  return out;
}

Result<PackSummary> GatherSummary(Store& store, const Config& config, const Period& period,
                                  const std::vector<ComplianceClock>& clocks,
                                  const Table& open_items) {
  PackSummary s{.period = period};
  ASSIGN_OR_RETURN(auto scanners, store.QueryScanners());
  for (const auto& v : scanners) {
    ASSIGN_OR_RETURN(auto times, store.ScanTimes(v.name));
    PeriodCadence p = JudgeCadence(v, times, period.from, period.to);
    if (p.judged) {
      s.scanners.push_back(
          {.name = v.name, .kind = v.kind, .cadence = v.cadence, .grace = v.grace, .period = p});
    }
  }
  ASSIGN_OR_RETURN(s.open,
                   LoadOpenByClass(store, config.classification.scale, SampleTimes(period)));
  s.clocks = SummarizeClocks(clocks, period);
  ASSIGN_OR_RETURN(auto decisions, store.QueryDecisions({}));
  s.decisions = SummarizeDecisions(decisions, period);
  s.open_items = static_cast<int64_t>(open_items.rows.size());
  auto kind = std::find(open_items.columns.begin(), open_items.columns.end(), "kind");
  if (kind != open_items.columns.end()) {
    size_t col = static_cast<size_t>(kind - open_items.columns.begin());
    for (const auto& row : open_items.rows) {
      std::string k = row.at(col).get<std::string>();
      auto it = std::find_if(s.open_items_by_kind.begin(), s.open_items_by_kind.end(),
                             [&](const auto& e) { return e.first == k; });
      if (it == s.open_items_by_kind.end()) {
        s.open_items_by_kind.emplace_back(k, 1);
      } else {
        ++it->second;
      }
    }
  }
  return s;
}

std::string_view SummaryStyle() {
  return "h3{font-size:11pt;margin:.8em 0 .3em}table.summary{width:auto}td.n{text-align:right}"
         ".pair{display:flex;column-gap:2em;align-items:flex-start}.bad{color:#a00;"
         "font-weight:bold}"
         ".warn{color:#a60}.ok{color:#060}figure{margin:.6em 0}figcaption{color:#444}"
         "tr.total td{font-weight:bold}@media print{#summary{break-after:page;font-size:9pt}}";
}

std::string SummaryHtml(const PackSummary& s) {
  return "<section id=\"summary\">\n<h2>Summary</h2>\n<p>Period <b>" +
         HtmlEscape(FormatIso8601(s.period.from)) + "</b> to <b>" +
         HtmlEscape(FormatIso8601(s.period.to)) +
         "</b>, judged at its end; the tables that follow and their files are the evidence, this "
         "page counts them (also in <a href=\"summary.json\">summary.json</a>).</p>\n" +
         ScannersHtml(s.scanners) + "<div class=\"pair\">\n" + OpenHtml(s.open) +
         DecisionsHtml(s.decisions) + "</div>\n" + ClocksHtml(s.clocks) + OpenItemsHtml(s) +
         ChartHtml(s) + "</section>\n";
}

nlohmann::ordered_json SummaryJson(const PackSummary& s) {
  using nlohmann::ordered_json;
  ordered_json out;
  out["from"] = FormatIso8601(s.period.from);
  out["to"] = FormatIso8601(s.period.to);
  ordered_json scanners = ordered_json::array();
  for (const auto& v : s.scanners) {
    ordered_json j;
    j["name"] = v.name;
    j["kind"] = v.kind;
    j["cadence"] = v.cadence ? ordered_json(FormatDuration(*v.cadence)) : ordered_json();
    j["grace"] = FormatDuration(v.grace);
    j["scans"] = v.period.scans;
    j["longest_gap"] = FormatDuration(v.period.longest_gap);
    j["longest_gap_seconds"] = v.period.longest_gap.count();
    j["longest_gap_from"] =
        v.period.gap_start ? ordered_json(FormatIso8601(*v.period.gap_start)) : ordered_json();
    j["longest_gap_to"] =
        v.period.gap_end ? ordered_json(FormatIso8601(*v.period.gap_end)) : ordered_json();
    j["cadence_kept"] = !v.period.cadence_set ? "not set" : v.period.missed ? "missed" : "kept";
    scanners.push_back(j);
  }
  out["scanners"] = scanners;
  ordered_json open;
  open["classes"] = s.open.classes;
  ordered_json start;
  ordered_json end;
  for (size_t k = 0; k < s.open.classes.size(); ++k) {
    start[s.open.classes[k]] = At(s.open, k, false);
    end[s.open.classes[k]] = At(s.open, k, true);
  }
  open["at_start"] = start;
  open["at_end"] = end;
  ordered_json series = ordered_json::array();
  for (size_t t = 0; t < s.open.times.size(); ++t) {
    ordered_json point;
    point["time"] = FormatIso8601(s.open.times[t]);
    for (size_t k = 0; k < s.open.classes.size(); ++k) {
      point[s.open.classes[k]] = s.open.counts[k][t];
    }
    series.push_back(point);
  }
  open["series"] = series;
  out["open_vulnerabilities"] = open;
  const ClockSummary& c = s.clocks;
  ordered_json clocks;
  clocks["total"] = c.total;
  clocks["met"] = c.met;
  clocks["met_late"] = c.met_late;
  clocks["overdue"] = c.overdue;
  clocks["not_yet_due"] = c.running;
  clocks["worst_late_by"] =
      c.worst_late ? ordered_json(FormatDuration(*c.worst_late)) : ordered_json();
  clocks["worst_late_seconds"] =
      c.worst_late ? ordered_json(c.worst_late->count()) : ordered_json();
  clocks["worst_rule"] = c.worst_late ? ordered_json(c.worst_rule) : ordered_json();
  clocks["worst_vulnerability"] = c.worst_late ? ordered_json(c.worst_vuln) : ordered_json();
  clocks["worst_still_open"] = c.worst_still_open;
  out["clocks"] = clocks;
  ordered_json decisions = ordered_json::array();
  for (const auto& d : s.decisions) {
    ordered_json j;
    j["type"] = std::string(ToString(d.type));
    j["approved"] = d.approved;
    j["pending"] = d.pending;
    j["rejected"] = d.rejected;
    j["no_approval_asked"] = d.not_required;
    j["lapsed_unapproved"] = d.lapsed;
    decisions.push_back(j);
  }
  out["decisions"] = decisions;
  ordered_json items;
  items["total"] = s.open_items;
  ordered_json kinds = ordered_json::object();
  for (const auto& [kind, n] : s.open_items_by_kind) {
    kinds[kind] = n;
  }
  items["by_kind"] = kinds;
  out["open_items"] = items;
  return out;
}

}  // namespace vigil::report
