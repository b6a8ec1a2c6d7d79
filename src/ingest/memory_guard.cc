#include "ingest/memory_guard.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>

#include "ingest/input_policy.h"

namespace vigil {

uint64_t ResidentBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) {
    return 0;
  }
  unsigned long long pages = 0;
  unsigned long long resident = 0;
  int fields = std::fscanf(f, "%llu %llu", &pages, &resident);
  std::fclose(f);
  long page = ::sysconf(_SC_PAGESIZE);
  if (fields != 2 || page <= 0) {
    return 0;
  }
  return resident * static_cast<uint64_t>(page);
}

namespace {

std::atomic<uint64_t> g_baseline{0};

}  // namespace

void StartImportMemory() {
  g_baseline.store(ResidentBytes());
}

Status CheckImportMemory(const std::string& what, uint64_t limit) {
#if defined(__SANITIZE_ADDRESS__)
  (void)what;
  (void)limit;
  return Status::Ok();
#else
  if (ResidentBytes() <= g_baseline.load() + limit) {
    return Status::Ok();
  }
  return InvalidInput((what.empty() ? std::string() : what + ": ") +
                      "importing it needs more than " + FormatBytes(limit) +
                      " of memory, the limit of one import: this report holds too much for one "
                      "target (or, for Greenbone and Qualys, in all) to be read at once; split "
                      "it, one image or one group of hosts per report (docs/security.md)");
#endif
}

}  // namespace vigil
