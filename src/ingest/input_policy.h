// The input policy: how much of each kind of input vigil reads before it refuses it. Every
// reader takes its limits from here (input_file.h opens files under them), so the numbers
// docs/security.md documents are the numbers in force. Reports come from scanners that looked
// at machines an attacker may control and feeds from mirrors on the internet: every limit is
// a refusal with the file's name, never a truncation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil {

enum class InputKind {
  kScanReport,  // vigil import: XML and CSV reports, streamed
  kJsonReport,  // vigil import: Trivy, Grype, SARIF, CycloneDX (findings held per host)
  kNvd,         // vigil nvd import: one page or record, read whole (gzip accepted)
  kKev,         // vigil kev import: the catalog, streamed
  kEpss,        // vigil epss import: the day's scores, read whole (gzip accepted)
  kInventory,   // vigil assets import
  kConfig,      // --config, vigil config apply
  kSmallFile,   // checkpoints, keys, certificates given on the command line
  kPackFile,    // a file of an evidence pack given to audit verify --bundle
};

struct InputLimits {
  uint64_t max_file_bytes = 0;  // as stored (compressed, for gzip)
  bool gzip = false;            // whether gzip-compressed input is accepted
  uint64_t max_decompressed_bytes = 0;
  // Decompressed bytes per compressed byte read so far, beyond the first kRatioSlack bytes:
  // a compression bomb is stopped while it is small, not after it filled the limit.
  uint64_t max_ratio = 0;
};

// Decompressed output below this never counts against max_ratio: a tiny file may compress
// very well.
inline constexpr uint64_t kRatioSlack = 1 << 20;

// Nesting: JSON containers, XML elements (see xml_reader.h, json_stream.h).
inline constexpr size_t kMaxJsonDepth = 64;
// One JSON string, one XML text node or one CSV field; larger is refused.
inline constexpr size_t kMaxTextBytes = 16 << 20;
// The part of a JSON report a parser holds as a tree before it is handed over (one Trivy
// result, one CycloneDX vulnerability, the document's top-level fields), estimated as memory.
inline constexpr uint64_t kMaxJsonTreeBytes = 64 << 20;

// Resident memory one import may use, whatever the input (memory_guard.h): well below the
// 256 MB an import must stay under, leaving room for what is allocated between two checks.
inline constexpr uint64_t kMaxImportResidentBytes = 200 << 20;

// Whether reading `kind` is (part of) an import, held to kMaxImportResidentBytes.
bool IsImport(InputKind kind);

InputLimits LimitsFor(InputKind kind);

// "a scan report", "an NVD file", ..., for messages.
std::string_view Describe(InputKind kind);

// "64 MiB", "1.5 GiB", "512 bytes".
std::string FormatBytes(uint64_t bytes);

}  // namespace vigil
