// Scanners, their scans, and each scanner's passes over each host.
// Part of the Store (store/store.h); its contract on transactions applies.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/records.h"

namespace vigil {

class ScanStore {
 public:
  virtual ~ScanStore() = default;

  // Scanners and scans.
  virtual Result<ScannerRecord> EnsureScanner(const std::string& name, const std::string& kind,
                                              Timestamp now) = 0;
  // Sets a scanner's kind, cadence and grace, registering it when new.
  virtual Status SetScanner(const ScannerRecord& scanner) = 0;
  // Every asset the scanner ever scanned, with its latest scan by that scanner.
  virtual Result<std::vector<AssetLastScan>> LastScansByScanner(const std::string& name) = 0;
  // When each of the scanner's scans happened (end time, else start time), oldest first;
  // scans without either time are left out.
  virtual Result<std::vector<Timestamp>> ScanTimes(const std::string& scanner) = 0;
  // Every scan with its results, oldest import first.
  virtual Result<std::vector<ScanRecord>> QueryScans() = 0;
  virtual Result<std::optional<ScanRecord>> FindScanByDigest(const std::string& digest) = 0;
  virtual Result<bool> HasScanWithQuickDigest(const std::string& quick_digest) = 0;
  virtual Result<int64_t> InsertScan(const ScanRecord& scan) = 0;
  // Records what parsing found: digest, report and policy names, check set, times, counts.
  virtual Status UpdateScanResult(const ScanRecord& scan) = 0;
  virtual Result<std::string> ScanCheckSet(int64_t scan_id) = 0;

  // Passes of a scanner over a host.
  virtual Status InsertHostScan(const HostScanRecord& host_scan) = 0;
  // The newest pass of `scanner_id` over `asset_id`, if any.
  virtual Result<std::optional<HostScanRecord>> LatestHostScan(int64_t asset_id,
                                                               int64_t scanner_id) = 0;
  // The earliest pass of `scanner_id` over `asset_id` strictly after `after`.
  virtual Result<std::optional<HostScanRecord>> NextHostScan(int64_t asset_id, int64_t scanner_id,
                                                             Timestamp after) = 0;
};

}  // namespace vigil
