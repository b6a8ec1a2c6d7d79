#include "ingest/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include "core/sha256.h"
#include "ingest/gunzip_source.h"
#include "ingest/memory_guard.h"

namespace vigil {
namespace {

// What a file that is not a regular file is, for the refusal.
std::string WhatItIs(mode_t mode) {
  if (S_ISDIR(mode)) {
    return "a directory";
  }
  if (S_ISFIFO(mode)) {
    return "a FIFO (named pipe)";
  }
  if (S_ISCHR(mode)) {
    return "a character device";
  }
  if (S_ISBLK(mode)) {
    return "a block device";
  }
  if (S_ISSOCK(mode)) {
    return "a socket";
  }
  return "not a file";
}

Status NotRegular(const std::string& path, mode_t mode, InputKind kind) {
  return InvalidInput(path + ": " + WhatItIs(mode) + ", not a regular file; vigil reads " +
                      std::string(Describe(kind)) + " only from a regular file");
}

Status TooLarge(const std::string& path, InputKind kind) {
  return InvalidInput(path + ": larger than " + FormatBytes(LimitsFor(kind).max_file_bytes) +
                      ", the limit for " + std::string(Describe(kind)) + " (docs/security.md)");
}

Status OpenError(const std::string& path, int error, InputKind kind) {
  struct stat st {};
  if (error == ENXIO && ::stat(path.c_str(), &st) == 0) {
    return NotRegular(path, st.st_mode, kind);  // a socket cannot be opened
  }
  return IoError(path + ": cannot open: " + std::strerror(error));
}

// Opens without blocking (a FIFO without a writer would block in open otherwise) and refuses
// anything but a regular file before a byte is read.
Result<int> OpenRegular(const std::string& path, InputKind kind, uint64_t& size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    return OpenError(path, errno, kind);
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int error = errno;
    ::close(fd);
    return IoError(path + ": cannot read: " + std::strerror(error));
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return NotRegular(path, st.st_mode, kind);
  }
  size = static_cast<uint64_t>(std::max<off_t>(st.st_size, 0));
  if (size > LimitsFor(kind).max_file_bytes) {
    ::close(fd);
    return TooLarge(path, kind);
  }
  // Reads of a regular file never block; the flag is cleared all the same.
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) {
    ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  }
  return fd;
}

bool IsGzip(const std::string& head) {
  return head.size() >= 2 && static_cast<unsigned char>(head[0]) == 0x1f &&
         static_cast<unsigned char>(head[1]) == 0x8b;
}

}  // namespace

Result<std::unique_ptr<FileSource>> FileSource::Open(const std::string& path, InputKind kind) {
  uint64_t size = 0;
  ASSIGN_OR_RETURN(int fd, OpenRegular(path, kind, size));
  std::FILE* f = ::fdopen(fd, "rb");
  if (f == nullptr) {
    int error = errno;
    ::close(fd);
    return IoError(path + ": cannot open: " + std::strerror(error));
  }
  return std::unique_ptr<FileSource>(new FileSource(path, f, size, kind));
}

FileSource::~FileSource() {
  std::fclose(file_);
}

Status FileSource::ReadError() const {
  return IoError(path_ + ": read error: " + std::strerror(errno));
}

Result<size_t> FileSource::Read(char* buffer, size_t size) {
  size_t n = std::fread(buffer, 1, size, file_);
  if (n < size && std::ferror(file_)) {
    return ReadError();
  }
  // A file that grows while it is read (or a /proc file, which says it is empty) is held to
  // the same limit.
  if (bytes_read_ + n > LimitsFor(kind_).max_file_bytes) {
    return TooLarge(path_, kind_);
  }
  uint64_t before = bytes_read_;
  bytes_read_ += n;
  // Every MiB read, the import's memory (memory_guard.h): what a parser holds grows with what
  // it has read.
  if (IsImport(kind_) && (before >> 20) != (bytes_read_ >> 20)) {
    RETURN_IF_ERROR(CheckImportMemory(path_, kMaxImportResidentBytes));
  }
  return n;
}

Status FileSource::Restrict(InputKind kind) {
  kind_ = kind;
  if (std::max(total_, bytes_read_.load()) > LimitsFor(kind).max_file_bytes) {
    return TooLarge(path_, kind);
  }
  return Status::Ok();
}

Result<std::string> FileSource::Peek(size_t max) {
  long pos = std::ftell(file_);
  std::string head(max, '\0');
  size_t n = std::fread(head.data(), 1, max, file_);
  if (std::ferror(file_)) {
    return ReadError();
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
    return ReadError();
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
      return ReadError();
    }
    hash.Update(std::string_view(buf.data(), n));
  }
  std::clearerr(file_);
  std::fseek(file_, pos, SEEK_SET);
  return hash.FinishHex();
}

Result<std::unique_ptr<ByteSource>> OpenInput(const std::string& path, InputKind kind) {
  ASSIGN_OR_RETURN(std::unique_ptr<FileSource> file, FileSource::Open(path, kind));
  InputLimits limits = LimitsFor(kind);
  if (!limits.gzip) {
    return std::unique_ptr<ByteSource>(std::move(file));
  }
  ASSIGN_OR_RETURN(std::string head, file->Peek(2));
  if (!IsGzip(head)) {
    return std::unique_ptr<ByteSource>(std::move(file));
  }
  return std::unique_ptr<ByteSource>(std::make_unique<GunzipSource>(
      std::move(file), GunzipLimits{.max_bytes = limits.max_decompressed_bytes,
                                    .max_ratio = limits.max_ratio,
                                    .what = std::string(Describe(kind))}));
}

Result<std::string> ReadInputText(const std::string& path, InputKind kind) {
  ASSIGN_OR_RETURN(std::unique_ptr<ByteSource> source, OpenInput(path, kind));
  std::string text;
  text.reserve(source->total_bytes());  // the file's size; a gzip stream grows past it
  std::vector<char> buffer(1 << 16);
  while (true) {
    ASSIGN_OR_RETURN(size_t n, source->Read(buffer.data(), buffer.size()));
    if (n == 0) {
      return text;
    }
    text.append(buffer.data(), n);
  }
}

}  // namespace vigil
