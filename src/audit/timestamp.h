// RFC 3161 time-stamps of checkpoints: the request vigil sends to a Time-Stamping Authority,
// and the checks of its response (status, message imprint, nonce, the TSA's signature and
// certificate against the configured trust anchors, at the time the token names).
// Pure functions over bytes; the transport is elsewhere (net/http_post.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "core/time.h"

namespace vigil {

// A random nonce for a request (from the operating system's generator).
Result<uint64_t> RandomNonce();

// A DER TimeStampReq for the SHA-256 of `data`, asking for the TSA's certificate, with
// `nonce`.
Result<std::string> MakeTimestampRequest(std::string_view data, uint64_t nonce);

struct TimestampFacts {
  Timestamp gen_time{};  // when the TSA says it saw the imprint
  std::string serial;    // the token's serial number, hex
  std::string policy;    // the TSA policy OID
};

// Checks a DER TimeStampResp: granted, a token over SHA-256(`data`), with `nonce` when
// given, signed by a certificate that chains to `trust_pem` (PEM certificates: the TSA's CA,
// or the TSA certificate itself) and is valid for time-stamping at the token's time.
// Errors say which check failed.
Result<TimestampFacts> CheckTimestampResponse(std::string_view response_der, std::string_view data,
                                              std::optional<uint64_t> nonce,
                                              std::string_view trust_pem);

}  // namespace vigil
