// Fuzz target: format detection, then the parser of the format detected (the path of
// `vigil import --parser auto`).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "fuzz/report_target.h"
#include "ingest/format_detect.h"

namespace vigil::fuzz {
namespace {

void CheckXmlRoot(std::string_view head) {
  size_t offset = XmlRootOffset(head);
  std::string name = XmlRootName(head);
  if (offset == std::string_view::npos) {
    Check(name.empty(), "a root element name without a root offset", name);
    return;
  }
  Check(offset < head.size() && head[offset] == '<', "the root offset is not at a '<'");
  Check(name == head.substr(offset + 1, name.size()), "the root name is not at the root offset");
}

}  // namespace
}  // namespace vigil::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vigil;
  std::string_view head(reinterpret_cast<const char*>(data), size);
  fuzz::CheckXmlRoot(head);
  JsonHead json = ScanJsonHead(head);
  fuzz::Check(!(json.is_object && json.is_array), "a JSON head that is an object and an array");
  Result<ReportFormat> format = DetectFormat(head);
  if (!format.ok()) {
    fuzz::Check(format.status().code() == ErrorCode::kInvalidInput,
                "a detection error that is not InvalidInput", format.status().message());
    return 0;
  }
  return fuzz::FuzzReport(*format, data, size);
}
