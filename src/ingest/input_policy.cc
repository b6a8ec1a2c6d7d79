#include "ingest/input_policy.h"

#include <cstdio>

namespace vigil {
namespace {

constexpr uint64_t kKiB = 1024;
constexpr uint64_t kMiB = kKiB * 1024;
constexpr uint64_t kGiB = kMiB * 1024;

}  // namespace

bool IsImport(InputKind kind) {
  switch (kind) {
    case InputKind::kScanReport:
    case InputKind::kJsonReport:
    case InputKind::kNvd:
    case InputKind::kKev:
    case InputKind::kEpss:
    case InputKind::kInventory:
      return true;
    case InputKind::kConfig:
    case InputKind::kSmallFile:
    case InputKind::kPackFile:
      return false;
  }
  return false;
}

// The numbers and why each is what it is: docs/security.md ("Limits").
InputLimits LimitsFor(InputKind kind) {
  switch (kind) {
    case InputKind::kScanReport:
      return {.max_file_bytes = 64 * kGiB};
    case InputKind::kJsonReport:
      return {.max_file_bytes = 256 * kMiB};
    case InputKind::kNvd:
      return {.max_file_bytes = 64 * kMiB,
              .gzip = true,
              .max_decompressed_bytes = 64 * kMiB,
              .max_ratio = 100};
    case InputKind::kKev:
      return {.max_file_bytes = 4 * kMiB};
    case InputKind::kEpss:
      return {.max_file_bytes = 64 * kMiB,
              .gzip = true,
              .max_decompressed_bytes = 64 * kMiB,
              .max_ratio = 100};
    case InputKind::kInventory:
    case InputKind::kConfig:
      return {.max_file_bytes = 4 * kMiB};
    case InputKind::kSmallFile:
      return {.max_file_bytes = 1 * kMiB};
    case InputKind::kPackFile:
      return {.max_file_bytes = 16 * kGiB};
  }
  return {};
}

std::string_view Describe(InputKind kind) {
  switch (kind) {
    case InputKind::kScanReport:
      return "a scan report";
    case InputKind::kJsonReport:
      return "a JSON scan report";
    case InputKind::kNvd:
      return "an NVD file";
    case InputKind::kKev:
      return "a KEV catalog";
    case InputKind::kEpss:
      return "an EPSS file";
    case InputKind::kInventory:
      return "an inventory";
    case InputKind::kConfig:
      return "a configuration file";
    case InputKind::kSmallFile:
      return "a key, checkpoint or certificate file";
    case InputKind::kPackFile:
      return "a file of an evidence pack";
  }
  return "an input file";
}

std::string FormatBytes(uint64_t bytes) {
  char text[32];
  if (bytes >= kGiB && bytes % kGiB == 0) {
    std::snprintf(text, sizeof text, "%llu GiB", static_cast<unsigned long long>(bytes / kGiB));
  } else if (bytes >= kMiB && bytes % kMiB == 0) {
    std::snprintf(text, sizeof text, "%llu MiB", static_cast<unsigned long long>(bytes / kMiB));
  } else if (bytes >= kMiB) {
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / kMiB);
  } else {
    std::snprintf(text, sizeof text, "%llu bytes", static_cast<unsigned long long>(bytes));
  }
  return text;
}

}  // namespace vigil
