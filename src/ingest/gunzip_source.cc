#include "ingest/gunzip_source.h"

#include <zlib.h>

#include <algorithm>

#include "ingest/input_policy.h"

namespace vigil {

struct GunzipSource::Stream {
  z_stream z{};
  bool ready = false;
};

GunzipSource::GunzipSource(std::unique_ptr<ByteSource> compressed, GunzipLimits limits)
    : inner_(std::move(compressed)),
      limits_(std::move(limits)),
      stream_(std::make_unique<Stream>()),
      in_(16 << 10) {
  // 16 + MAX_WBITS: a gzip header and trailer (CRC-32 and length checked), not zlib or raw.
  stream_->ready = inflateInit2(&stream_->z, 16 + MAX_WBITS) == Z_OK;
}

GunzipSource::~GunzipSource() {
  if (stream_->ready) {
    inflateEnd(&stream_->z);
  }
}

Status GunzipSource::Fail(const std::string& message) const {
  return InvalidInput(inner_->name() + ": " + message);
}

Result<bool> GunzipSource::Refill() {
  ASSIGN_OR_RETURN(size_t n, inner_->Read(in_.data(), in_.size()));
  in_total_ += n;
  stream_->z.next_in = reinterpret_cast<Bytef*>(in_.data());
  stream_->z.avail_in = static_cast<uInt>(n);
  return n > 0;
}

Status GunzipSource::CheckLimits() const {
  if (out_ > limits_.max_bytes) {
    return Fail("decompresses to more than " + FormatBytes(limits_.max_bytes) + ", the limit for " +
                limits_.what + " (docs/security.md)");
  }
  if (limits_.max_ratio > 0 && out_ > kRatioSlack && out_ / limits_.max_ratio > in_total_) {
    return Fail("decompresses to more than " + std::to_string(limits_.max_ratio) +
                " times its compressed size, the limit for " + limits_.what +
                " (a compression bomb?)");
  }
  return Status::Ok();
}

Result<size_t> GunzipSource::Read(char* buffer, size_t size) {
  if (!stream_->ready) {
    return Internal("zlib could not be initialised");
  }
  z_stream& z = stream_->z;
  z.next_out = reinterpret_cast<Bytef*>(buffer);
  z.avail_out = static_cast<uInt>(std::min<size_t>(size, 1 << 30));
  const uInt wanted = z.avail_out;
  while (z.avail_out == wanted) {
    if (member_done_) {
      // Another gzip member may follow (gzip allows concatenated files); nothing else may.
      if (z.avail_in == 0) {
        ASSIGN_OR_RETURN(bool more, Refill());
        if (!more) {
          return size_t{0};
        }
      }
      if (*z.next_in != 0x1f) {
        return Fail("data after the end of the gzip stream");
      }
      inflateReset(&z);
      member_done_ = false;
    }
    if (z.avail_in == 0) {
      ASSIGN_OR_RETURN(bool more, Refill());
      if (!more) {
        return Fail("the gzip stream is truncated: it ends before its end marker");
      }
    }
    int rc = inflate(&z, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      member_done_ = true;
    } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
      return Fail(std::string("a corrupt gzip stream: ") +
                  (z.msg != nullptr ? z.msg : "inflate failed"));
    }
  }
  size_t n = wanted - z.avail_out;
  out_ += n;
  RETURN_IF_ERROR(CheckLimits());
  return n;
}

}  // namespace vigil
