// How people and pipelines prove who they are to the server (docs/server.md#people-and-
// sessions), each change with its event in the audit log:
//   - an enrolment code: one-time, issued by an admin (with `vigil user add`, or `vigil user
//     enrol` to reset a password), valid for 72 hours, stored as a hash;
//   - a password the person sets with that code: at least 12 characters, stored as a
//     memory-hard hash (scrypt, 64 MiB), known to nobody else, so it is good for approving;
//   - a pipeline token: acts as a user within scopes (read, import, write) until it expires or
//     is revoked; never approves, never manages users.
#pragma once

#include <chrono>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "store/records.h"

namespace vigil {

class Store;

inline constexpr std::chrono::hours kEnrolmentValidity{72};
inline constexpr std::chrono::hours kMaxApiTokenLifetime{24 * 366};

struct Enrolment {
  std::string code;  // shown once
  Timestamp expires_at{};
};

// A new enrolment code for `name` (the old code, if any, stops working; a password already
// set keeps working until the code is used).
Result<Enrolment> IssueEnrolment(Store& store, const std::string& name, const std::string& actor,
                                 Timestamp now);

// OK when `password` may be a password of `name`; otherwise an error naming the field
// "password" that says which rule it breaks.
Status CheckPasswordRules(const std::string& name, const std::string& password);

// Sets the password of `name` with the enrolment code an admin gave them; the code is used
// up. A wrong, used or expired code and an unknown user are refused alike. `from` says where
// the request came from (the client's address), for the event.
Status Enrol(Store& store, const std::string& name, const std::string& code,
             const std::string& password, const std::string& from, Timestamp now);

// Enrol in two steps around the memory-hard hashes, for a caller that serializes store access:
// VerifyEnrolment checks the password rules and the code against `user` as read before
// (unset: no such user) and hashes the new password, touching no store; RecordEnrolment then
// sets it if the user's code is still the one verified (neither used nor renewed meanwhile).
Result<std::string> VerifyEnrolment(const std::optional<UserRecord>& user, const std::string& name,
                                    const std::string& code, const std::string& password,
                                    Timestamp now);
Status RecordEnrolment(Store& store, const std::string& name, const std::string& verified_code_hash,
                       const std::string& password_hash, const std::string& from, Timestamp now);

// The user whose password this is; the same refusal for an unknown user, a user without a
// password and a wrong password (and the same work: a hash is checked either way).
Result<UserRecord> CheckPassword(Store& store, const std::string& name,
                                 const std::string& password);
// The same against a user record already read (unset: no such user); touches no store.
Result<UserRecord> CheckPasswordOf(const std::optional<UserRecord>& user,
                                   const std::string& password);

struct IssuedApiToken {
  ApiTokenRecord record;
  std::string token;  // "vgp_<id>_<secret>", shown once
};

// A pipeline token acting as `user` with `scopes` (authorize.h Scope bits) until
// `expires_at` (at most a year and a day from now).
Result<IssuedApiToken> IssueApiToken(Store& store, const std::string& user,
                                     const std::string& label, unsigned scopes,
                                     Timestamp expires_at, const std::string& actor, Timestamp now);
Status RevokeApiToken(Store& store, int64_t id, const std::string& actor, Timestamp now);

// The pipeline token `token` names (by its id) when its secret matches; no check of expiry or
// revocation here. NotFound/PermissionDenied otherwise.
Result<ApiTokenRecord> FindApiToken(Store& store, const std::string& token);
// Splits "vgp_<id>_<secret>"; false when `token` is not of that form.
bool ParseApiToken(const std::string& token, int64_t& id, std::string& secret);

}  // namespace vigil
