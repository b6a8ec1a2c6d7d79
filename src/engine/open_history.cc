#include "engine/open_history.h"

#include <algorithm>
#include <tuple>

#include "store/store.h"

namespace vigil {
namespace {

constexpr Timestamp kNever = Timestamp::max();

// A time span [start, end) during which a vulnerability had an open finding.
struct Span {
  int64_t vuln_id;
  Timestamp start;
  Timestamp end;
};

// The spans during which `f` was open, by the rules of the header.
void SpansOf(const FindingFact& f, const std::map<int64_t, AssetSpan>& assets,
             std::vector<Span>& out) {
  auto asset = assets.find(f.asset_id);
  std::optional<Timestamp> gone =
      asset == assets.end() ? std::nullopt : asset->second.decommissioned_at;
  auto add = [&](Timestamp start, Timestamp end) {
    if (start < end) {
      out.push_back({f.vuln_id, start, end});
    }
  };
  switch (f.state) {
    case FindingState::kFixed:
      add(f.first_seen, f.fixed_at.value_or(f.first_seen));
      break;
    case FindingState::kInactive:
      add(f.first_seen, gone.value_or(f.first_seen));
      break;
    case FindingState::kOpen:
    case FindingState::kReopened: {
      std::optional<Timestamp> back =
          asset == assets.end() ? std::nullopt : asset->second.reappeared_at;
      if (gone && back && *gone < *back && f.first_seen < *gone) {
        add(f.first_seen, *gone);  // inactive while the asset was decommissioned
        add(*back, kNever);
      } else {
        add(f.first_seen, kNever);
      }
      break;
    }
  }
}

// Indexes classes by name: the scale's first, the others as they occur.
class ClassIndex {
 public:
  explicit ClassIndex(const ClassScale& scale) {
    for (const auto& level : scale.levels()) {
      Of(level.name);
    }
  }
  size_t Of(const std::string& name) {
    auto [it, added] = index_.emplace(name, names_.size());
    if (added) {
      names_.push_back(name);
    }
    return it->second;
  }
  const std::vector<std::string>& names() const { return names_; }
  // The indexes in report order: the scale's classes (the first `scale_size`) as the scale
  // has them, then the others by name.
  std::vector<size_t> Order(size_t scale_size) const {
    std::vector<size_t> order(names_.size());
    for (size_t k = 0; k < order.size(); ++k) {
      order[k] = k;
    }
    std::sort(order.begin() + static_cast<ptrdiff_t>(std::min(scale_size, order.size())),
              order.end(), [&](size_t a, size_t b) { return names_[a] < names_[b]; });
    return order;
  }

 private:
  std::map<std::string, size_t> index_;
  std::vector<std::string> names_;
};

// The class of a vulnerability at `t`, from its changes (oldest first) or else `current`.
using ChangeIt = std::vector<ClassChange>::const_iterator;
const std::string& ClassAt(ChangeIt begin, ChangeIt end, Timestamp t, const std::string& current) {
  if (begin == end) {
    return current;
  }
  ChangeIt last = begin;
  for (ChangeIt c = begin; c != end && c->at <= t; ++c) {
    last = c;
  }
  return last->to_class;
}

}  // namespace

OpenByClass CountOpenByClass(const OpenHistoryFacts& facts, const ClassScale& scale,
                             std::vector<Timestamp> times) {
  std::vector<Span> spans;
  spans.reserve(facts.findings.size());
  for (const auto& f : facts.findings) {
    SpansOf(f, facts.assets, spans);
  }
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) {
    return std::tie(a.vuln_id, a.start) < std::tie(b.vuln_id, b.start);
  });
  ClassIndex index(scale);
  std::vector<std::vector<int64_t>> counts(index.names().size(),
                                           std::vector<int64_t>(times.size(), 0));
  const std::string unclassified(kUnclassified);
  auto change = facts.changes.begin();
  for (size_t i = 0; i < spans.size();) {
    int64_t vuln = spans[i].vuln_id;
    while (change != facts.changes.end() && change->vuln_id < vuln) {
      ++change;
    }
    auto changes_end = change;
    while (changes_end != facts.changes.end() && changes_end->vuln_id == vuln) {
      ++changes_end;
    }
    auto current = facts.classes.find(vuln);
    const std::string& now = current == facts.classes.end() ? unclassified : current->second;
    // Each sample is counted once per vulnerability, however many of its spans cover it.
    auto next_sample = times.begin();
    for (; i < spans.size() && spans[i].vuln_id == vuln; ++i) {
      auto sample = std::lower_bound(next_sample, times.end(), spans[i].start);
      for (; sample != times.end() && *sample < spans[i].end; ++sample) {
        size_t c = index.Of(ClassAt(change, changes_end, *sample, now));
        if (c >= counts.size()) {
          counts.emplace_back(times.size(), 0);
        }
        ++counts[c][sample - times.begin()];
      }
      next_sample = std::max(next_sample, sample);
    }
    change = changes_end;
  }
  size_t scale_size = scale.levels().size();
  OpenByClass out{.times = std::move(times), .scale_classes = scale_size};
  for (size_t k : index.Order(scale_size)) {
    out.classes.push_back(index.names()[k]);
    out.counts.push_back(std::move(counts[k]));
  }
  return out;
}

RemediationTimes SummarizeRemediation(const OpenHistoryFacts& facts, const ClassScale& scale,
                                      Timestamp from, Timestamp to) {
  using std::chrono::days;
  using std::chrono::seconds;
  RemediationTimes out;
  const std::pair<const char*, seconds> bounds[] = {
      {"within 1 day", days(1)},  {"1 to 4 days", days(4)},    {"4 to 7 days", days(7)},
      {"7 to 30 days", days(30)}, {"30 to 90 days", days(90)}, {"over 90 days", seconds::max()}};
  for (const auto& [label, up_to] : bounds) {
    out.buckets.push_back({.label = label, .up_to = up_to});
  }
  ClassIndex index(scale);
  std::vector<std::vector<seconds>> times;
  const std::string unclassified(kUnclassified);
  for (const auto& f : facts.findings) {
    if (f.state != FindingState::kFixed || !f.fixed_at || *f.fixed_at < from || *f.fixed_at > to) {
      continue;
    }
    seconds took =
        std::max(seconds(0), std::chrono::duration_cast<seconds>(*f.fixed_at - f.first_seen));
    for (auto& b : out.buckets) {
      if (took <= b.up_to) {
        ++b.fixed;
        break;
      }
    }
    auto current = facts.classes.find(f.vuln_id);
    size_t c = index.Of(
        current == facts.classes.end() || current->second.empty() ? unclassified : current->second);
    if (c >= times.size()) {
      times.resize(c + 1);
    }
    times[c].push_back(took);
  }
  for (size_t k : index.Order(scale.levels().size())) {
    if (k >= times.size() || times[k].empty()) {
      continue;
    }
    auto& t = times[k];
    std::sort(t.begin(), t.end());
    // Nearest rank: the smallest time at least p of the fixes took no longer than.
    auto rank = [&](size_t percent) { return t[(t.size() * percent + 99) / 100 - 1]; };
    out.by_class.push_back({.class_name = index.names()[k],
                            .fixed = static_cast<int64_t>(t.size()),
                            .median = rank(50),
                            .p90 = rank(90)});
  }
  return out;
}

namespace {

// Every finding, the decommissioned assets, every class change and the current classes.
struct StoredFacts {
  std::vector<FindingFact> findings;
  std::map<int64_t, AssetSpan> assets;
  std::vector<ClassChange> changes;
  std::unordered_map<int64_t, std::string> classes;

  OpenHistoryFacts view() const {
    return {.findings = findings, .assets = assets, .changes = changes, .classes = classes};
  }
};

Result<StoredFacts> LoadFacts(Store& store) {
  StoredFacts out;
  ASSIGN_OR_RETURN(out.findings, store.QueryFindingFacts({}));
  ASSIGN_OR_RETURN(auto asset_views, store.QueryAssets({}));
  for (const auto& a : asset_views) {
    if (a.decommissioned_at) {
      out.assets[a.id] = {.decommissioned_at = a.decommissioned_at,
                          .reappeared_at = a.reappeared_at};
    }
  }
  ASSIGN_OR_RETURN(out.changes, store.AllClassChanges());
  ASSIGN_OR_RETURN(auto vulns,
                   store.QueryVulnerabilities(
                       {.include_closed = true, .with_scanners = false, .with_counts = false}));
  for (auto& v : vulns) {
    out.classes.emplace(v.id, std::move(v.class_name));
  }
  return out;
}

}  // namespace

Result<OpenByClass> LoadOpenByClass(Store& store, const ClassScale& scale,
                                    std::vector<Timestamp> times) {
  ASSIGN_OR_RETURN(StoredFacts facts, LoadFacts(store));
  return CountOpenByClass(facts.view(), scale, std::move(times));
}

Result<Trends> LoadTrends(Store& store, const ClassScale& scale, std::vector<Timestamp> times,
                          Timestamp fixed_from, Timestamp fixed_to) {
  ASSIGN_OR_RETURN(StoredFacts facts, LoadFacts(store));
  return Trends{.open = CountOpenByClass(facts.view(), scale, std::move(times)),
                .remediation = SummarizeRemediation(facts.view(), scale, fixed_from, fixed_to)};
}

}  // namespace vigil
