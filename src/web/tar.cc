#include "web/tar.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

namespace vigil::web {
namespace {

constexpr size_t kBlock = 512;

// An octal field of `width` bytes: digits, then NUL.
void Octal(char* field, size_t width, uint64_t value) {
  std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1),
                static_cast<unsigned long long>(value));
}

// A header of a regular file. The modification time is 0: an archive of the same pack is the
// same bytes whenever it is made.
std::array<char, kBlock> Header(const std::string& name, uint64_t size) {
  std::array<char, kBlock> h{};
  std::memcpy(h.data(), name.data(), name.size());
  Octal(h.data() + 100, 8, 0644);       // mode
  Octal(h.data() + 108, 8, 0);          // uid
  Octal(h.data() + 116, 8, 0);          // gid
  Octal(h.data() + 124, 12, size);      // size
  Octal(h.data() + 136, 12, 0);         // mtime
  std::memset(h.data() + 148, ' ', 8);  // the checksum counts as spaces
  h[156] = '0';                         // a regular file
  std::memcpy(h.data() + 257, "ustar", 6);
  std::memcpy(h.data() + 263, "00", 2);
  unsigned sum = 0;
  for (char c : h) {
    sum += static_cast<unsigned char>(c);
  }
  std::snprintf(h.data() + 148, 8, "%06o", sum);
  h[155] = ' ';
  return h;
}

}  // namespace

Status WriteTar(const std::string& dir, const std::string& out) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file()) {
      files.push_back(entry.path());
    }
  }
  if (ec) {
    return Internal("cannot list " + dir + ": " + ec.message());
  }
  std::sort(files.begin(), files.end());
  std::string prefix = fs::path(dir).filename().string() + "/";
  std::ofstream tar(out, std::ios::binary | std::ios::trunc);
  fs::permissions(out, fs::perms::owner_read | fs::perms::owner_write, ec);
  if (!tar) {
    return Internal("cannot create " + out);
  }
  std::vector<char> buffer(size_t{1} << 20);
  for (const auto& path : files) {
    std::string name = prefix + path.filename().string();
    if (name.size() >= 100) {
      return Internal("the name " + name + " is too long for a ustar archive");
    }
    uint64_t size = fs::file_size(path, ec);
    auto header = Header(name, size);
    tar.write(header.data(), header.size());
    std::ifstream in(path, std::ios::binary);
    uint64_t copied = 0;
    while (in && copied < size) {
      in.read(buffer.data(),
              static_cast<std::streamsize>(std::min<uint64_t>(buffer.size(), size - copied)));
      tar.write(buffer.data(), in.gcount());
      copied += static_cast<uint64_t>(in.gcount());
    }
    if (copied != size) {
      return Internal("cannot read " + path.string());
    }
    std::array<char, kBlock> zeros{};
    tar.write(zeros.data(), static_cast<std::streamsize>((kBlock - size % kBlock) % kBlock));
  }
  std::array<char, kBlock * 2> end{};
  tar.write(end.data(), end.size());
  tar.close();
  return tar ? Status::Ok() : Internal("cannot write " + out);
}

}  // namespace vigil::web
