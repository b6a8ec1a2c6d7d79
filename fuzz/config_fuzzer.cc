// Fuzz target: the configuration file (TOML, config/config_file.h). A file that loads must
// hold what the engine relies on: named scanners with positive cadences, no negative
// durations, percentages and scores in range.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/config_file.h"
#include "fuzz/fuzz_check.h"

namespace vigil::fuzz {
namespace {

void CheckDuration(std::chrono::seconds d, std::string_view what) {
  Check(d.count() >= 0, std::string(what) + " is negative", std::to_string(d.count()));
}

void CheckPolicy(const Policy& p) {
  for (const ClockRule& r : p.rules) {
    CheckKey(r.id, "a clock rule id");
    CheckDuration(r.within, "clock rule " + r.id + ": within");
    Check(r.months >= 0, "clock rule " + r.id + ": negative months");
    CheckRange(r.cvss_min, 0, 10, "clock rule " + r.id + ": cvss_min");
  }
  CheckDuration(p.due_soon, "due_soon");
  CheckDuration(p.approval_overdue, "approval_overdue");
  CheckDuration(p.expiring_soon, "expiring_soon");
  CheckDuration(p.decisions.max_accept_risk, "max_accept_risk");
  CheckDuration(p.review.every, "review every");
  CheckDuration(p.review.share_window, "review share_window");
  CheckRange(p.review.max_share, 0, 1, "review max_share");
}

void CheckConfig(const Config& c) {
  for (const ScannerConfig& s : c.scanners) {
    CheckKey(s.name, "a scanner name");
    Check(!s.cadence || s.cadence->count() > 0, "scanner " + s.name + ": cadence not positive");
    CheckDuration(s.grace, "scanner " + s.name + ": grace");
  }
  for (const ZoneScanRule& z : c.zone_rules) {
    CheckText(z.zone, "a zone name");
    Check(z.every.count() > 0, "zone " + z.zone + ": scan_every not positive");
  }
  CheckDuration(c.check.stale_after, "stale_after");
  CheckDuration(c.check.coverage_window, "coverage_window");
  CheckRange(c.import.min_qod, 0, 100, "min_qod");
  CheckPolicy(c.policy);
}

}  // namespace
}  // namespace vigil::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = vigil::ParseConfig(text, "fuzz.toml");
  if (!config.ok()) {
    vigil::fuzz::Check(config.status().code() == vigil::ErrorCode::kInvalidInput,
                       "a config error that is not InvalidInput", config.status().message());
    return 0;
  }
  vigil::fuzz::CheckConfig(*config);
  return 0;
}
