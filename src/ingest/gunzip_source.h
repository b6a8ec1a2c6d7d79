// A gzip-compressed stream decompressed on the fly, under limits: what it may inflate to in
// all, and how much it may inflate each compressed byte. A compression bomb (a few MB that
// inflate to gigabytes) is stopped once it is past the ratio, after reading a small part of
// it; a truncated stream, a corrupt one and bytes after its end are refused.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "ingest/byte_source.h"

namespace vigil {

struct GunzipLimits {
  uint64_t max_bytes = 0;  // decompressed, in all
  uint64_t max_ratio = 0;  // decompressed per compressed byte, past the first kRatioSlack
  std::string what;        // "an NVD file", for messages
};

class GunzipSource final : public ByteSource {
 public:
  GunzipSource(std::unique_ptr<ByteSource> compressed, GunzipLimits limits);
  ~GunzipSource() override;

  // Decompressed bytes; errors name the compressed file.
  Result<size_t> Read(char* buffer, size_t size) override;
  const std::string& name() const override { return inner_->name(); }
  uint64_t bytes_read() const override { return out_; }
  uint64_t total_bytes() const override { return 0; }  // not known before the end

 private:
  struct Stream;  // zlib's state
  Result<bool> Refill();
  Status CheckLimits() const;
  Status Fail(const std::string& message) const;

  std::unique_ptr<ByteSource> inner_;
  GunzipLimits limits_;
  std::unique_ptr<Stream> stream_;
  std::vector<char> in_;
  uint64_t in_total_ = 0;  // compressed bytes read
  uint64_t out_ = 0;       // decompressed bytes handed out
  bool member_done_ = false;
};

}  // namespace vigil
