// A ByteSource over a string that hands out its bytes in short reads, the sizes following a
// sequence that depends only on the string's length (so that the fuzzer varies it, and an
// input always reads the same way): half of them 1 to 61 bytes, the others up to 4 KiB. The fuzz
// targets parse every input through one of these and through a StringSource (one read), and require
// the same outcome: what a reader makes of its input must not depend on where reads end.
//
// Not all reads are tiny because the readers rescan an unfinished token (a tag, a field) from
// its start after each read, which real sources make rare (regular files, read 64 KiB to
// 1 MiB at a time) but reads of a few bytes would make quadratic in the token's length.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/byte_source.h"

namespace vigil::fuzz {

class ChunkedSource final : public ByteSource {
 public:
  // `text` must outlive the source.
  explicit ChunkedSource(std::string_view text, std::string name = "<string>")
      : text_(text), name_(std::move(name)), step_(static_cast<uint32_t>(text.size())) {}

  Result<size_t> Read(char* buffer, size_t size) override {
    step_ = step_ * 1103515245u + 12345u;
    size_t r = step_ >> 16;
    size_t n = std::min({size, text_.size() - pos_, 1 + (r & 1 ? (r >> 1) % 61 : (r >> 1) % 4096)});
    std::copy_n(text_.data() + pos_, n, buffer);
    pos_ += n;
    return n;
  }
  const std::string& name() const override { return name_; }
  uint64_t bytes_read() const override { return pos_; }
  uint64_t total_bytes() const override { return text_.size(); }

 private:
  std::string_view text_;
  std::string name_;
  size_t pos_ = 0;
  uint32_t step_;
};

}  // namespace vigil::fuzz
