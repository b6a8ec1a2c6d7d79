// A ByteSource over a string whose reads return at most `max_read` bytes, as a pipe or a
// decompressor may: for tests that what a reader makes of its input does not depend on where
// its reads end (the regressions of fuzz/regressions/).
#pragma once

#include <algorithm>
#include <string>

#include "ingest/byte_source.h"

namespace vigil::testing {

class ShortReadSource final : public ByteSource {
 public:
  ShortReadSource(std::string text, size_t max_read, std::string name = "<string>")
      : text_(std::move(text)), max_read_(max_read), name_(std::move(name)) {}

  Result<size_t> Read(char* buffer, size_t size) override {
    size_t n = std::min({size, max_read_, text_.size() - pos_});
    std::copy_n(text_.data() + pos_, n, buffer);
    pos_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }
  uint64_t bytes_read() const override { return pos_; }
  uint64_t total_bytes() const override { return text_.size(); }

 private:
  std::string text_;
  size_t max_read_;
  std::string name_;
  size_t pos_ = 0;
};

}  // namespace vigil::testing
