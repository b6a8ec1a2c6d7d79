// Fuzz target: the bodies of the web UI's forms (web/forms.h, web/multipart.h). The input's
// first line is the request's Content-Type, the rest its body.
//   - ParseForm over the body: no field has an empty name; writing each field back with every
//     byte percent-encoded and parsing that gives the same fields.
//   - ParseMultipart over the body (spooled to a file as the server does): an error is
//     InvalidInput; a form read has at most 64 parts' worth of fields, each at most 64 KiB and
//     found in the body; the file part is written exactly when one was read, and its bytes are
//     found in the body.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.h"
#include "web/forms.h"
#include "web/multipart.h"

namespace vigil::fuzz {
namespace {

std::string PercentEncoded(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

void CheckForm(std::string_view body) {
  auto fields = web::ParseForm(body);
  std::string again;
  for (const auto& [name, value] : fields) {
    Check(!name.empty(), "a form field with an empty name");
    // A field given twice comes back joined with "\n"; written once, it reads the same.
    again += (again.empty() ? "" : "&") + PercentEncoded(name) + "=" + PercentEncoded(value);
  }
  Check(web::ParseForm(again) == fields, "the fields written back read differently", again);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void CheckMultipart(const std::string& content_type, std::string_view body) {
  static const std::string body_path = "/tmp/vigil-fuzz-forms-" + std::to_string(getpid());
  static const std::string file_path = body_path + ".file";
  std::remove(file_path.c_str());
  {
    std::ofstream out(body_path, std::ios::binary | std::ios::trunc);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
  }
  auto form = web::ParseMultipart(body_path, content_type, file_path);
  bool written = access(file_path.c_str(), F_OK) == 0;
  if (!form.ok()) {
    Check(form.status().code() == ErrorCode::kInvalidInput,
          "a multipart error that is not InvalidInput", form.status().message());
    std::remove(file_path.c_str());
    return;
  }
  Check(form->fields.size() <= 64, "more fields than parts allowed");
  for (const auto& [name, value] : form->fields) {
    Check(!name.empty(), "a multipart field with an empty name");
    Check(value.size() <= (size_t{64} << 10), "a field over 64 KiB", name);
    Check(body.find(value) != std::string_view::npos, "a field's value is not in the body", name);
  }
  Check(written == form->has_file, "the file part written or not, unlike the form says");
  if (written) {
    std::string file = ReadFile(file_path);
    Check(body.find(file) != std::string_view::npos, "the file part is not in the body");
    std::remove(file_path.c_str());
  }
}

}  // namespace
}  // namespace vigil::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  size_t newline = input.find('\n');
  std::string content_type(newline == std::string_view::npos ? input : input.substr(0, newline));
  std::string_view body =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  vigil::fuzz::CheckForm(body);
  vigil::fuzz::CheckMultipart(content_type, body);
  return 0;
}
