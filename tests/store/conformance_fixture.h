// The fixture and helpers of the Store conformance suite: one store per test on the backend
// the test is instantiated with, and small builders for the rows most tests need.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "store/conformance_backends.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace vigil {
// Cells printed as what they hold, in failure messages.
void PrintTo(const Cell& cell, std::ostream* os);
}  // namespace vigil

namespace vigil::conformance {

// MUST(expr): the value of a Result, or an exception naming the call (GoogleTest reports it as the
// test's failure); MUST_OK(expr) the same for a Status. They keep each arrange step to one line.
template <typename T>
T ValueOf(Result<T> r, const char* what) {
  if (!r.ok()) {
    throw std::runtime_error(std::string(what) + " failed: " + r.status().Describe());
  }
  return std::move(r).value();
}
inline void Check(const Status& st, const char* what) {
  if (!st.ok()) {
    throw std::runtime_error(std::string(what) + " failed: " + st.Describe());
  }
}
#define MUST(expr) ::vigil::conformance::ValueOf((expr), #expr)
#define MUST_OK(expr) ::vigil::conformance::Check((expr), #expr)

inline Timestamp T(int64_t seconds) {
  return FromUnixSeconds(seconds);
}
constexpr int64_t kMaxInt = std::numeric_limits<int64_t>::max();

// Text no backend may alter: quotes, SQL, escapes, wildcards, control characters (no NUL),
// multi-byte UTF-8 and emoji, and 10 KB.
const std::vector<std::string>& HostileTexts();
// Doubles whose every bit must survive: thirds, sums that are not what they print as, the
// extremes.
const std::vector<double>& ExactDoubles();

class StoreConformance : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override;

  Store& s() { return *store_; }
  const std::string& url() const { return url_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  // Closes the test's store (e.g. before another connection opens the database).
  void CloseStore() { store_.reset(); }

  // Builders: each inserts one row with plausible defaults and returns its id.
  int64_t AddScanner(const std::string& name, const std::string& kind = "network",
                     int64_t created = 1);
  int64_t AddScan(int64_t scanner_id, const std::string& digest, int64_t imported_at = 1000);
  int64_t AddAsset(const std::string& name, const std::string& ip = "",
                   const std::string& fqdn = "", const std::string& agent_id = "");
  int64_t AddVuln(const std::string& key, const std::string& cls = "HIGH",
                  std::vector<Reference> refs = {});
  int64_t AddFinding(int64_t vuln_id, int64_t asset_id, int port,
                     FindingState state = FindingState::kOpen, int64_t first = 100,
                     int64_t last = 200);
  void AddAttribution(int64_t finding_id, int64_t scanner_id, int64_t scan_id,
                      Presence presence = Presence::kPresent, int64_t first = 100,
                      int64_t last = 200, const std::string& output = "output");
  void AddUser(const std::string& name, Role role = Role::kAnalyst);
  int64_t AddDecision(int64_t vuln_id, DecisionState state = DecisionState::kPending,
                      int64_t created = 100);

  // The attribution `scanner_id` holds on `finding_id` (on `asset_id`), if any.
  std::optional<AttributionRecord> AttributionOf(int64_t asset_id, int64_t finding_id,
                                                 int64_t scanner_id);
  // The finding `finding_id` on `asset_id` as FindingsOnAsset gives it.
  FindingRecord FindingOf(int64_t asset_id, int64_t finding_id);
  // The rows ForEachRow visits.
  std::vector<std::vector<Cell>> Rows(std::string_view table,
                                      const std::vector<std::string>& columns,
                                      const RowFilter& where = {});

 private:
  testing::TempDir dir_;
  std::string url_;
  std::unique_ptr<Store> store_;
};

// Sorted copies, for answers whose order the contract leaves open.
template <typename T, typename Key>
std::vector<T> SortedBy(std::vector<T> v, Key key) {
  std::sort(v.begin(), v.end(), [&](const T& a, const T& b) { return key(a) < key(b); });
  return v;
}
template <typename T>
std::vector<T> Sorted(std::vector<T> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace vigil::conformance
