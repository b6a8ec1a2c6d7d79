// Files opened under the input policy (input_policy.h): only a regular file is read. It is
// opened non-blocking, so that a FIFO never blocks, and checked with fstat before a byte is
// read, so that a directory, a FIFO, a device (/dev/zero) or a socket is refused by name; its
// size is checked against the limit of its kind before and while it is read.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "core/status.h"
#include "ingest/byte_source.h"
#include "ingest/input_policy.h"

namespace vigil {

class FileSource final : public ByteSource {
 public:
  // Fails, naming `path`, for a missing or unreadable file, anything but a regular file, and
  // a file larger than the limit of `kind`.
  static Result<std::unique_ptr<FileSource>> Open(const std::string& path, InputKind kind);
  ~FileSource() override;

  Result<size_t> Read(char* buffer, size_t size) override;
  const std::string& name() const override { return path_; }
  uint64_t bytes_read() const override { return bytes_read_; }
  uint64_t total_bytes() const override { return total_; }

  // Holds the file to the limit of `kind` from now on (a scan report once its format is
  // known); fails when it is already larger.
  Status Restrict(InputKind kind);

  // Reads the head of the file (up to `max` bytes) without consuming it.
  Result<std::string> Peek(size_t max);
  // SHA-256 of the whole file, read in a separate pass; the read position is unchanged.
  Result<std::string> Digest();
  // A cheap fingerprint: SHA-256 of the size, the first and the last 64 KiB. Equal files have
  // equal quick digests, so a file whose quick digest is new cannot be a repeat.
  Result<std::string> QuickDigest();

 private:
  FileSource(std::string path, std::FILE* file, uint64_t total, InputKind kind)
      : path_(std::move(path)), file_(file), total_(total), kind_(kind) {}
  Status ReadError() const;
  std::string path_;
  std::FILE* file_;
  uint64_t total_;
  InputKind kind_;
  std::atomic<uint64_t> bytes_read_ = 0;  // read by progress reporting on another thread
};

// A file of `kind`, decompressed on the fly when it is gzip-compressed (told by its first
// bytes, not its name) and `kind` accepts gzip, with the decompression limits of `kind`.
Result<std::unique_ptr<ByteSource>> OpenInput(const std::string& path, InputKind kind);

// The whole of what OpenInput reads, for inputs read as a whole (feeds, inventory, config).
Result<std::string> ReadInputText(const std::string& path, InputKind kind);

}  // namespace vigil
