// Users' secrets: a random token, shown once when the user is registered, and its scrypt hash,
// the only thing stored. Acting as another user than the login name needs that user's token
// (engine/authorize.h), so nobody can approve in someone else's name.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil {

// A new token: "vgt_" and 32 random bytes in base64url (no padding).
Result<std::string> NewToken();

// "scrypt$N$r$p$<salt hex>$<hash hex>" with a fresh random salt.
Result<std::string> HashToken(std::string_view token);

// True when `token` matches `stored` (a HashToken result); the comparison takes constant time.
bool VerifyToken(std::string_view token, std::string_view stored);

}  // namespace vigil
