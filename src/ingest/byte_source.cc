#include "ingest/byte_source.h"

#include <algorithm>
#include <cstring>

#include "core/sha256.h"

namespace vigil {

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
