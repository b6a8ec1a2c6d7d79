#include "engine/credentials.h"

#include <charconv>

#include "core/credential.h"
#include "core/text.h"
#include "engine/audit_log.h"
#include "engine/authorize.h"
#include "engine/logged_rows.h"
#include "store/store.h"

namespace vigil {
namespace {

constexpr size_t kMinPasswordCharacters = 12;
constexpr size_t kMaxPasswordBytes = 256;
constexpr size_t kMaxLabelBytes = 100;

Status AppendUserRowEvent(Store& store, Timestamp now, const std::string& actor,
                          const std::string& type, const std::string& name,
                          nlohmann::json payload) {
  payload["name"] = name;
  ASSIGN_OR_RETURN(payload["row"], RowOf(store, logged::Users(), {{"name", name}}));
  return AppendEvent(store, now, actor, type, name, payload).status();
}

Status AppendTokenEvent(Store& store, Timestamp now, const std::string& actor,
                        const std::string& type, const ApiTokenRecord& t) {
  nlohmann::json payload = {{"id", t.id}, {"user", t.user}, {"label", t.label}};
  ASSIGN_OR_RETURN(payload["row"], RowOf(store, logged::ApiTokens(), {{"id", t.id}}));
  return AppendEvent(store, now, actor, type, "token " + std::to_string(t.id), payload).status();
}

const char* const kBadCode =
    "the enrolment code is not valid for this user: it is wrong, used or expired (an admin "
    "issues a new one with 'vigil user enrol NAME')";

size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) {
    n += (c & 0xC0) != 0x80 ? 1 : 0;
  }
  return n;
}

}  // namespace

Result<Enrolment> IssueEnrolment(Store& store, const std::string& name, const std::string& actor,
                                 Timestamp now) {
  ASSIGN_OR_RETURN(auto user, store.FindUser(name));
  if (!user) {
    return FieldError("name", "is no user's: there is no user '" + name + "' (vigil user list)");
  }
  ASSIGN_OR_RETURN(std::string code, NewEnrolmentCode());
  ASSIGN_OR_RETURN(std::string hash, HashToken(code));
  Enrolment out{.code = code, .expires_at = now + kEnrolmentValidity};
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    RETURN_IF_ERROR(store.SetUserEnrolment(name, hash, out.expires_at));
    return AppendUserRowEvent(
        store, now, actor, "user.enrolment_issued", name,
        {{"issued_by", actor}, {"expires_at", FormatIso8601(out.expires_at)}});
  }));
  return out;
}

Status CheckPasswordRules(const std::string& name, const std::string& password) {
  if (password.size() > kMaxPasswordBytes) {
    return FieldError("password",
                      "must be at most " + std::to_string(kMaxPasswordBytes) + " bytes");
  }
  if (InvalidUtf8Offset(password) != std::string::npos) {
    return FieldError("password", "must be UTF-8 text");
  }
  for (unsigned char c : password) {
    if (c < 0x20 || c == 0x7F) {
      return FieldError("password", "must not hold control characters");
    }
  }
  if (CodePoints(password) < kMinPasswordCharacters) {
    return FieldError("password", "must be at least " + std::to_string(kMinPasswordCharacters) +
                                      " characters (a passphrase of a few words is good)");
  }
  if (password.find_first_not_of(password[0]) == std::string::npos) {
    return FieldError("password", "must not be one character repeated");
  }
  if (name.size() >= 3 && AsciiLower(password).find(AsciiLower(name)) != std::string::npos) {
    return FieldError("password", "must not contain the user name");
  }
  return Status::Ok();
}

Status Enrol(Store& store, const std::string& name, const std::string& code,
             const std::string& password, const std::string& from, Timestamp now) {
  ASSIGN_OR_RETURN(auto user, store.FindUser(name));
  ASSIGN_OR_RETURN(std::string hash, VerifyEnrolment(user, name, code, password, now));
  return RecordEnrolment(store, name, user->enrolment_hash, hash, from, now);
}

Result<std::string> VerifyEnrolment(const std::optional<UserRecord>& user, const std::string& name,
                                    const std::string& code, const std::string& password,
                                    Timestamp now) {
  RETURN_IF_ERROR(CheckPasswordRules(name, password));
  std::string normalized = NormalizeEnrolmentCode(code);
  bool valid = user && user->name == name && !user->enrolment_hash.empty() &&
               user->enrolment_expires_at && now < *user->enrolment_expires_at &&
               VerifyToken(normalized, user->enrolment_hash);
  if (!valid) {
    return PermissionDenied(kBadCode);
  }
  return HashPassword(password);
}

Status RecordEnrolment(Store& store, const std::string& name, const std::string& verified_code_hash,
                       const std::string& password_hash, const std::string& from, Timestamp now) {
  return InTransaction(store, [&]() -> Status {
    // In the transaction: a code used or renewed since it was verified no longer counts.
    ASSIGN_OR_RETURN(auto user, store.FindUser(name));
    if (!user || user->enrolment_hash.empty() || user->enrolment_hash != verified_code_hash ||
        !user->enrolment_expires_at || now >= *user->enrolment_expires_at) {
      return PermissionDenied(kBadCode);
    }
    RETURN_IF_ERROR(store.SetUserPassword(name, password_hash, now));
    return AppendUserRowEvent(store, now, name, "user.password_set", name,
                              {{"with", "an enrolment code"}, {"from", from}});
  });
}

Result<UserRecord> CheckPassword(Store& store, const std::string& name,
                                 const std::string& password) {
  ASSIGN_OR_RETURN(auto user, store.FindUser(name));
  return CheckPasswordOf(user, password);
}

Result<UserRecord> CheckPasswordOf(const std::optional<UserRecord>& user,
                                   const std::string& password) {
  // A hash of a password nobody has: an unknown user costs the same work as a known one.
  static const std::string kDecoy = [] {
    auto hash = HashPassword("vigil decoy password");
    return hash.ok() ? *hash : std::string();
  }();
  bool known = user && !user->password_hash.empty();
  bool match = VerifyToken(password, known ? user->password_hash : kDecoy);
  if (!known || !match) {
    return PermissionDenied("the user name or the password is wrong");
  }
  return *user;
}

Result<IssuedApiToken> IssueApiToken(Store& store, const std::string& user,
                                     const std::string& label, unsigned scopes,
                                     Timestamp expires_at, const std::string& actor,
                                     Timestamp now) {
  ASSIGN_OR_RETURN(auto holder, store.FindUser(user));
  if (!holder) {
    return FieldError("user", "is no user's: there is no user '" + user + "' (vigil user list)");
  }
  if (label.empty() || label.size() > kMaxLabelBytes ||
      InvalidUtf8Offset(label) != std::string::npos) {
    return FieldError("label", "must say what the token is for, in 1.." +
                                   std::to_string(kMaxLabelBytes) + " bytes of text");
  }
  if (scopes == 0) {
    return FieldError("scopes", "must name at least one scope: read, import or write");
  }
  if (expires_at <= now) {
    return FieldError("expires", "must be in the future");
  }
  if (expires_at > now + kMaxApiTokenLifetime) {
    return FieldError("expires", "must be at most 366 days away: a pipeline token is renewed");
  }
  ASSIGN_OR_RETURN(std::string secret, NewToken(""));
  ASSIGN_OR_RETURN(std::string hash, HashToken(secret));
  IssuedApiToken out;
  out.record = ApiTokenRecord{.user = user,
                              .label = label,
                              .scopes = FormatScopes(scopes),
                              .token_hash = hash,
                              .created_at = now,
                              .created_by = actor,
                              .expires_at = expires_at};
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    ASSIGN_OR_RETURN(out.record.id, store.InsertApiToken(out.record));
    return AppendTokenEvent(store, now, actor, "token.issued", out.record);
  }));
  out.token = "vgp_" + std::to_string(out.record.id) + "_" + secret;
  return out;
}

Status RevokeApiToken(Store& store, int64_t id, const std::string& actor, Timestamp now) {
  ASSIGN_OR_RETURN(auto tokens, store.QueryApiTokens());
  for (auto& t : tokens) {
    if (t.id != id) {
      continue;
    }
    if (t.revoked_at) {
      return FailedPrecondition("token " + std::to_string(id) + " was revoked already, by " +
                                t.revoked_by + " at " + FormatIso8601(*t.revoked_at));
    }
    return InTransaction(store, [&]() -> Status {
      RETURN_IF_ERROR(store.RevokeApiToken(id, now, actor));
      return AppendTokenEvent(store, now, actor, "token.revoked", t);
    });
  }
  return NotFound("there is no pipeline token " + std::to_string(id) + " (vigil token list)");
}

bool ParseApiToken(const std::string& token, int64_t& id, std::string& secret) {
  if (token.rfind("vgp_", 0) != 0) {
    return false;
  }
  size_t sep = token.find('_', 4);
  if (sep == std::string::npos || sep == 4 || sep + 1 >= token.size()) {
    return false;
  }
  auto [end, ec] = std::from_chars(token.data() + 4, token.data() + sep, id);
  if (ec != std::errc() || end != token.data() + sep || id <= 0) {
    return false;
  }
  secret = token.substr(sep + 1);
  return true;
}

Result<ApiTokenRecord> FindApiToken(Store& store, const std::string& token) {
  int64_t id = 0;
  std::string secret;
  if (!ParseApiToken(token, id, secret)) {
    return PermissionDenied("the token is not a vigil token");
  }
  ASSIGN_OR_RETURN(auto tokens, store.QueryApiTokens());
  for (auto& t : tokens) {
    if (t.id == id && VerifyToken(secret, t.token_hash)) {
      return std::move(t);
    }
  }
  return PermissionDenied("the token is no pipeline token of this server");
}

}  // namespace vigil
