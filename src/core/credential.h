// Users' secrets: a random token, shown once when the user is registered, and its scrypt hash,
// the only thing stored. Acting as another user than the login name needs that user's token
// (engine/authorize.h), so nobody can approve in someone else's name.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil {

// A new token: `prefix` ("vgt_" for a user's token) and 32 random bytes in base64url (no
// padding).
Result<std::string> NewToken(std::string_view prefix = "vgt_");

// A one-time enrolment code for a person to type: 20 characters of Crockford's base32 (100
// random bits) in groups of five, "K7M2Q-...". Case and hyphens do not matter when it is
// typed back (NormalizeEnrolmentCode).
Result<std::string> NewEnrolmentCode();
std::string NormalizeEnrolmentCode(std::string_view typed);

// "scrypt$N$r$p$<salt hex>$<hash hex>" with a fresh random salt.
Result<std::string> HashToken(std::string_view token);

// A password's stored form: scrypt with N=2^16, r=8, p=2 (64 MiB; OWASP's password storage
// parameters), in the same format as HashToken, so VerifyToken checks it.
Result<std::string> HashPassword(std::string_view password);

// True when `token` matches `stored` (a HashToken result); the comparison takes constant time.
bool VerifyToken(std::string_view token, std::string_view stored);

}  // namespace vigil
