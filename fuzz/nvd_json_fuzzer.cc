// Fuzz target: NVD CVE API 2.0 pages and records (ingest/nvd_json.h). Every record has a CVE
// id; every text is valid UTF-8; every CVSS score is within 0..10.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "ingest/nvd_json.h"

namespace vigil::fuzz {
namespace {

Status CheckRecord(const CveRecord& r) {
  CheckKey(r.cve, "a CVE id");
  CheckText(r.source_identifier, "the source of " + r.cve);
  CheckText(r.status, "the status of " + r.cve);
  CheckText(r.description, "the description of " + r.cve);
  for (const std::string& cwe : r.cwes) {
    CheckKey(cwe, "a CWE of " + r.cve);
  }
  for (const CvssMetric& m : r.metrics) {
    CheckKey(m.version, "a CVSS version of " + r.cve);
    CheckText(m.source, "a CVSS source of " + r.cve);
    CheckText(m.type, "a CVSS type of " + r.cve);
    CheckText(m.vector, "a CVSS vector of " + r.cve);
    CheckText(m.severity, "a CVSS severity of " + r.cve);
    CheckRange(m.score, 0, 10, "a CVSS score of " + r.cve);
  }
  return Status::Ok();
}

}  // namespace
}  // namespace vigil::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)NvdKindOf(text);  // only that it neither crashes nor hangs
  size_t records = 0;
  auto document = ParseNvdDocument(text, [&](CveRecord& r) {
    ++records;
    return fuzz::CheckRecord(r);
  });
  if (!document.ok()) {
    fuzz::Check(document.status().code() == ErrorCode::kInvalidInput,
                "an NVD error that is not InvalidInput", document.status().message());
    return 0;
  }
  fuzz::Check(document->records == records, "the record count differs from the records given");
  return 0;
}
