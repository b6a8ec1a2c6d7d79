#include "ingest/file_text.h"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace vigil {
namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

Result<std::string> ReadPlain(std::FILE* f, const std::string& path) {
  std::string out;
  if (std::fseek(f, 0, SEEK_END) == 0) {
    long size = std::ftell(f);
    if (size > 0) {
      out.reserve(static_cast<size_t>(size));
    }
    std::rewind(f);
  }
  char buffer[1 << 16];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, f)) > 0) {
    out.append(buffer, n);
  }
  if (std::ferror(f)) {
    return InvalidInput(path + ": read error: " + std::strerror(errno));
  }
  return out;
}

Result<std::string> ReadGzip(const std::string& path) {
  gzFile gz = gzopen(path.c_str(), "rb");
  if (gz == nullptr) {
    return InvalidInput(path + ": cannot open: " + std::strerror(errno));
  }
  gzbuffer(gz, 1 << 17);
  std::string out;
  std::unique_ptr<char[]> buffer(new char[1 << 17]);
  while (true) {
    int n = gzread(gz, buffer.get(), 1 << 17);
    if (n < 0) {
      int code = 0;
      std::string message = gzerror(gz, &code);
      gzclose(gz);
      return InvalidInput(path + ": a corrupt gzip stream: " + message);
    }
    if (n == 0) {
      break;
    }
    out.append(buffer.get(), static_cast<size_t>(n));
  }
  int code = gzclose(gz);
  if (code != Z_OK) {
    return InvalidInput(path + ": a corrupt or truncated gzip stream");
  }
  return out;
}

}  // namespace

Result<std::string> ReadFileText(const std::string& path) {
  std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
  if (!f) {
    return NotFound(path + ": cannot open: " + std::strerror(errno));
  }
  unsigned char magic[2] = {0, 0};
  size_t got = std::fread(magic, 1, 2, f.get());
  if (got == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
    f.reset();
    return ReadGzip(path);
  }
  std::rewind(f.get());
  return ReadPlain(f.get(), path);
}

}  // namespace vigil
