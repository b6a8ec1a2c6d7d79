// Where parsers read their bytes from: a file or a string, read in chunks so a parser's
// memory does not grow with the input.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil {

class Sha256;

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `size` bytes into `buffer`; 0 means end of input.
  virtual Result<size_t> Read(char* buffer, size_t size) = 0;
  // Name used in messages ("scan.nessus", "<string>").
  virtual const std::string& name() const = 0;
  // Bytes handed out so far (safe to ask from any thread), and the total when known (0
  // otherwise).
  virtual uint64_t bytes_read() const = 0;
  virtual uint64_t total_bytes() const = 0;
};

class FileSource final : public ByteSource {
 public:
  static Result<std::unique_ptr<FileSource>> Open(const std::string& path);
  ~FileSource() override;

  Result<size_t> Read(char* buffer, size_t size) override;
  const std::string& name() const override { return path_; }
  uint64_t bytes_read() const override { return bytes_read_; }
  uint64_t total_bytes() const override { return total_; }

  // Reads the head of the file (up to `max` bytes) without consuming it.
  Result<std::string> Peek(size_t max);
  // SHA-256 of the whole file, read in a separate pass; the read position is unchanged.
  Result<std::string> Digest();
  // A cheap fingerprint: SHA-256 of the size, the first and the last 64 KiB. Equal files have
  // equal quick digests, so a file whose quick digest is new cannot be a repeat.
  Result<std::string> QuickDigest();

 private:
  FileSource(std::string path, std::FILE* file, uint64_t total)
      : path_(std::move(path)), file_(file), total_(total) {}
  std::string path_;
  std::FILE* file_;
  uint64_t total_;
  std::atomic<uint64_t> bytes_read_ = 0;  // read by progress reporting on another thread
};

// Passes another source through and computes the SHA-256 of everything read.
class HashingSource final : public ByteSource {
 public:
  explicit HashingSource(ByteSource& inner);
  ~HashingSource() override;

  Result<size_t> Read(char* buffer, size_t size) override;
  const std::string& name() const override { return inner_.name(); }
  uint64_t bytes_read() const override { return inner_.bytes_read(); }
  uint64_t total_bytes() const override { return inner_.total_bytes(); }
  // Hex digest of what was read; call once, after the last Read.
  std::string FinishHex();

 private:
  ByteSource& inner_;
  std::unique_ptr<Sha256> hash_;
};

class StringSource final : public ByteSource {
 public:
  explicit StringSource(std::string data, std::string name = "<string>")
      : data_(std::move(data)), name_(std::move(name)) {}

  Result<size_t> Read(char* buffer, size_t size) override;
  const std::string& name() const override { return name_; }
  uint64_t bytes_read() const override { return pos_; }
  uint64_t total_bytes() const override { return data_.size(); }

 private:
  std::string data_;
  std::string name_;
  std::atomic<size_t> pos_ = 0;
};

}  // namespace vigil
