// Where parsers read their bytes from: a file (input_file.h), a decompressed stream
// (gunzip_source.h) or a string, read in chunks so a parser's memory does not grow with the
// input.
#pragma once

#include <atomic>
#include <cstdint>
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
