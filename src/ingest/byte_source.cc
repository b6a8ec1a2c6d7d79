#include "ingest/byte_source.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "core/sha256.h"

namespace vigil {

Result<std::unique_ptr<FileSource>> FileSource::Open(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return IoError(path + ": cannot open: " + std::strerror(errno));
  }
  struct stat st {};
  if (fstat(fileno(f), &st) != 0 || S_ISDIR(st.st_mode)) {
    std::fclose(f);
    return IoError(path + ": not a regular file");
  }
  return std::unique_ptr<FileSource>(
      new FileSource(path, f, static_cast<uint64_t>(std::max<off_t>(st.st_size, 0))));
}

FileSource::~FileSource() {
  std::fclose(file_);
}

Result<size_t> FileSource::Read(char* buffer, size_t size) {
  size_t n = std::fread(buffer, 1, size, file_);
  if (n < size && std::ferror(file_)) {
    return IoError(path_ + ": read error: " + std::strerror(errno));
  }
  bytes_read_ += n;
  return n;
}

Result<std::string> FileSource::Peek(size_t max) {
  long pos = std::ftell(file_);
  std::string head(max, '\0');
  size_t n = std::fread(head.data(), 1, max, file_);
  if (std::ferror(file_)) {
    return IoError(path_ + ": read error: " + std::strerror(errno));
  }
  head.resize(n);
  std::clearerr(file_);
  std::fseek(file_, pos, SEEK_SET);
  return head;
}

Result<std::string> FileSource::Digest() {
  long pos = std::ftell(file_);
  std::fseek(file_, 0, SEEK_SET);
  Sha256 hash;
  std::vector<char> buf(1 << 20);
  while (true) {
    size_t n = std::fread(buf.data(), 1, buf.size(), file_);
    if (n == 0) {
      break;
    }
    hash.Update(std::string_view(buf.data(), n));
  }
  if (std::ferror(file_)) {
    return IoError(path_ + ": read error: " + std::strerror(errno));
  }
  std::clearerr(file_);
  std::fseek(file_, pos, SEEK_SET);
  return hash.FinishHex();
}

Result<std::string> FileSource::QuickDigest() {
  constexpr size_t kPart = 64 << 10;
  long pos = std::ftell(file_);
  Sha256 hash;
  hash.Update(std::to_string(total_) + "\n");
  std::vector<char> buf(kPart);
  for (uint64_t offset : {uint64_t{0}, total_ > kPart ? total_ - kPart : 0}) {
    std::fseek(file_, static_cast<long>(offset), SEEK_SET);
    size_t n = std::fread(buf.data(), 1, buf.size(), file_);
    if (std::ferror(file_)) {
      return IoError(path_ + ": read error: " + std::strerror(errno));
    }
    hash.Update(std::string_view(buf.data(), n));
  }
  std::clearerr(file_);
  std::fseek(file_, pos, SEEK_SET);
  return hash.FinishHex();
}

HashingSource::HashingSource(ByteSource& inner)
    : inner_(inner), hash_(std::make_unique<Sha256>()) {}

HashingSource::~HashingSource() = default;

Result<size_t> HashingSource::Read(char* buffer, size_t size) {
  auto n = inner_.Read(buffer, size);
  if (n.ok()) {
    hash_->Update(std::string_view(buffer, *n));
  }
  return n;
}

std::string HashingSource::FinishHex() {
  return hash_->FinishHex();
}

Result<size_t> StringSource::Read(char* buffer, size_t size) {
  size_t n = std::min(size, data_.size() - pos_);
  std::memcpy(buffer, data_.data() + pos_, n);
  pos_ += n;
  return n;
}

}  // namespace vigil
