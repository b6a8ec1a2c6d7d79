// multipart/form-data (RFC 7578), as a browser sends a form with a file: the web UI's upload
// of a scan report. The body was spooled to a file as it arrived; this reads it once, keeps
// the small text fields and writes the one file part to a file of its own.
#pragma once

#include <map>
#include <string>

#include "core/status.h"

namespace vigil::web {

struct MultipartForm {
  std::map<std::string, std::string> fields;  // text fields, at most 64 KiB each
  bool has_file = false;
  std::string file_field;  // the name of the file part
  std::string file_name;   // its filename parameter, as the browser sent it
};

// `content_type`: the request's Content-Type (multipart/form-data; boundary=...). The file
// part (the first part with a filename) is written to `file_out` (created, mode 0600). An
// error says what is wrong with the body (InvalidInput).
Result<MultipartForm> ParseMultipart(const std::string& body_file, const std::string& content_type,
                                     const std::string& file_out);

}  // namespace vigil::web
