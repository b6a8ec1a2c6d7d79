// /metrics in Prometheus' text exposition format (docs/server.md#metrics): every name begins
// with vigil_. The gauges are read from the application layer's Overview at each scrape; the
// counters and histograms of requests and imports are kept here, in the server's memory
// (they start at zero when it starts, as Prometheus expects of counters).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <tuple>

#include "app/service.h"

namespace vigil::web {

class Metrics {
 public:
  // Upper bounds of the duration buckets, in seconds (+Inf is implied).
  static constexpr std::array<double, 12> kBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                      0.5,   1,    2.5,   5,    10,  60};

  // `route`: the pattern that answered ("/api/v1/vulnerabilities/{key}"), or "other".
  void ObserveRequest(const std::string& route, const std::string& method, int status,
                      double seconds);
  // `outcome`: imported, already_imported or rejected.
  void ObserveImport(const std::string& outcome, double seconds);

  // The whole exposition: the overview's gauges, then the counters and histograms.
  std::string Render(const Overview& overview) const;

 private:
  struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};
    uint64_t count = 0;
    double sum = 0;
    void Observe(double seconds);
  };

  // The counters and histograms, after the gauges.
  void RenderCounters(std::ostringstream& out) const;

  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, uint64_t> requests_;
  std::map<std::string, Histogram> request_seconds_;  // by route
  std::map<std::string, uint64_t> imports_;           // by outcome
  Histogram import_seconds_;
};

}  // namespace vigil::web
