#include "web/multipart.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <functional>
#include <string_view>

#include "core/text.h"

namespace vigil::web {
namespace {

constexpr size_t kMaxFieldBytes = size_t{64} << 10;
constexpr size_t kMaxParts = 64;

// The value of parameter `name` in a header value (boundary=..., name="...").
std::string Parameter(std::string_view header, std::string_view name) {
  size_t at = 0;
  while ((at = header.find(name, at)) != std::string_view::npos) {
    bool starts = at == 0 || header[at - 1] == ';' || header[at - 1] == ' ';
    size_t eq = at + name.size();
    if (!starts || eq >= header.size() || header[eq] != '=') {
      at = eq;
      continue;
    }
    std::string_view rest = header.substr(eq + 1);
    if (!rest.empty() && rest.front() == '"') {
      size_t close = rest.find('"', 1);
      return std::string(
          rest.substr(1, close == std::string_view::npos ? rest.size() - 1 : close - 1));
    }
    size_t end = rest.find(';');
    return std::string(TrimSpace(rest.substr(0, end)));
  }
  return {};
}

class Mapped {
 public:
  explicit Mapped(const std::string& path) {
    fd_ = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd_ < 0 || fstat(fd_, &st) != 0) {
      return;
    }
    size_ = static_cast<size_t>(st.st_size);
    if (size_ > 0) {
      void* p = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd_, 0);
      data_ = p == MAP_FAILED ? nullptr : static_cast<const char*>(p);
    }
  }
  ~Mapped() {
    if (data_ != nullptr) {
      munmap(const_cast<char*>(data_), size_);
    }
    if (fd_ >= 0) {
      close(fd_);
    }
  }
  Mapped(const Mapped&) = delete;
  Mapped& operator=(const Mapped&) = delete;
  bool ok() const { return fd_ >= 0 && (size_ == 0 || data_ != nullptr); }
  std::string_view view() const { return {data_ == nullptr ? "" : data_, size_}; }

 private:
  int fd_ = -1;
  const char* data_ = nullptr;
  size_t size_ = 0;
};

Status WriteAll(const std::string& path, std::string_view data) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Internal("cannot create " + path);
  }
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), std::min<size_t>(data.size(), size_t{1} << 20));
    if (n <= 0) {
      close(fd);
      return Internal("cannot write " + path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return close(fd) == 0 ? Status::Ok() : Internal("cannot write " + path);
}

// The first delimiter in `data`: `next` (CRLF--boundary) followed by CRLF or "--" (RFC 2046
// 5.1.1); the same bytes followed by anything else are data. data.end() when there is none.
template <typename Searcher>
std::string_view::iterator NextDelimiter(std::string_view data, const std::string& next,
                                         const Searcher& searcher) {
  auto from = data.begin();
  while (true) {
    auto found = std::search(from, data.end(), searcher);
    if (found == data.end()) {
      return found;
    }
    std::string_view after = data.substr(static_cast<size_t>(found - data.begin()) + next.size());
    if (after.rfind("\r\n", 0) == 0 || after.rfind("--", 0) == 0) {
      return found;
    }
    from = found + 1;
  }
}

}  // namespace

Result<MultipartForm> ParseMultipart(const std::string& body_file, const std::string& content_type,
                                     const std::string& file_out) {
  if (AsciiLower(content_type).rfind("multipart/form-data", 0) != 0) {
    return InvalidInput("the form must be sent as multipart/form-data");
  }
  std::string boundary = Parameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > 70) {
    return InvalidInput("the multipart body has no usable boundary");
  }
  Mapped body(body_file);
  if (!body.ok()) {
    return Internal("cannot read the uploaded body");
  }
  std::string_view all = body.view();
  std::string delimiter = "--" + boundary;
  if (all.rfind(delimiter, 0) != 0) {
    return InvalidInput("the multipart body does not begin with its boundary");
  }
  std::string next = "\r\n" + delimiter;
  std::boyer_moore_horspool_searcher searcher(next.begin(), next.end());
  MultipartForm form;
  size_t at = delimiter.size();
  for (size_t parts = 0;; ++parts) {
    std::string_view rest = all.substr(at);
    if (rest.rfind("--", 0) == 0) {
      return form;  // the closing delimiter
    }
    if (rest.rfind("\r\n", 0) != 0 || parts >= kMaxParts) {
      return InvalidInput("the multipart body is malformed at byte " + std::to_string(at));
    }
    size_t headers_end = rest.find("\r\n\r\n", 2);
    if (headers_end == std::string_view::npos || headers_end > 8192) {
      return InvalidInput("a part of the multipart body has no end of headers (byte " +
                          std::to_string(at) + ")");
    }
    std::string_view headers = rest.substr(2, headers_end - 2);
    std::string disposition;
    for (const auto& line : SplitNonEmpty(headers, "\r\n")) {
      if (AsciiLower(line).rfind("content-disposition:", 0) == 0) {
        disposition = line.substr(20);
      }
    }
    std::string_view data_start = rest.substr(headers_end + 4);
    auto found = NextDelimiter(data_start, next, searcher);
    if (found == data_start.end()) {
      return InvalidInput("the multipart body ends inside a part (no closing boundary)");
    }
    std::string_view data = data_start.substr(0, static_cast<size_t>(found - data_start.begin()));
    std::string name = Parameter(disposition, "name");
    bool is_file = disposition.find("filename=") != std::string::npos;
    if (is_file && !form.has_file) {
      RETURN_IF_ERROR(WriteAll(file_out, data));
      form.has_file = true;
      form.file_field = name;
      form.file_name = Parameter(disposition, "filename");
    } else if (!is_file && !name.empty()) {
      if (data.size() > kMaxFieldBytes) {
        return InvalidInput("the form field '" + name + "' is larger than 64 KiB");
      }
      form.fields[name] = std::string(data);
    }
    at = static_cast<size_t>(found - all.begin()) + next.size();
  }
}

}  // namespace vigil::web
