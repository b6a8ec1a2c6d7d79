// The application layer's passwords, sessions and pipeline tokens (app/service.h,
// engine/credentials.h).
#include "app/service.h"
#include "core/duration.h"
#include "store/store.h"

namespace vigil {

Result<Enrolment> Service::IssueEnrolment(const Identity& who, const std::string& name) {
  RETURN_IF_ERROR(PrepareWrite(who, Action::kManageUsers));
  return vigil::IssueEnrolment(store_, name, who.user, clock_.Now());
}

Status Service::Enrol(const std::string& name, const std::string& code, const std::string& password,
                      const std::string& from) {
  ASSIGN_OR_RETURN(EnrolmentCheck check, PrepareEnrol(name, code, password, from));
  ASSIGN_OR_RETURN(std::string hash, HashEnrolment(check));
  return FinishEnrol(check, hash);
}

Result<Service::EnrolmentCheck> Service::PrepareEnrol(const std::string& name,
                                                      const std::string& code,
                                                      const std::string& password,
                                                      const std::string& from) {
  if (name.empty()) {
    return FieldError("user", "must name the user the enrolment code was issued for");
  }
  if (code.empty()) {
    return FieldError("code", "must be the enrolment code an admin gave you");
  }
  RETURN_IF_ERROR(RecordExpiries());
  ASSIGN_OR_RETURN(auto user, store_.FindUser(name));
  return EnrolmentCheck{.name = name,
                        .code = code,
                        .password = password,
                        .from = from,
                        .now = clock_.Now(),
                        .user = std::move(user)};
}

Result<std::string> Service::HashEnrolment(const EnrolmentCheck& check) {
  return VerifyEnrolment(check.user, check.name, check.code, check.password, check.now);
}

Status Service::FinishEnrol(const EnrolmentCheck& check, const std::string& password_hash) {
  return RecordEnrolment(store_, check.name, check.user ? check.user->enrolment_hash : "",
                         password_hash, check.from, clock_.Now());
}

Result<Service::SignedIn> Service::Login(const std::string& name, const std::string& password) {
  ASSIGN_OR_RETURN(LoginCheck check, PrepareLogin(name));
  return CompleteLogin(check, password);
}

Result<Service::LoginCheck> Service::PrepareLogin(const std::string& name) {
  ASSIGN_OR_RETURN(auto user, store_.FindUser(name));
  return LoginCheck{.user = std::move(user)};
}

Result<Service::SignedIn> Service::CompleteLogin(const LoginCheck& check,
                                                 const std::string& password) {
  ASSIGN_OR_RETURN(UserRecord u, CheckPasswordOf(check.user, password));
  return SignedIn{.identity = Identity{.user = u.name, .password_verified = true},
                  .role = u.role,
                  .password_set_at = u.password_set_at.value_or(Timestamp{})};
}

Result<Service::SignedIn> Service::ResumeSession(const std::string& name,
                                                 Timestamp password_set_at) {
  ASSIGN_OR_RETURN(auto u, store_.FindUser(name));
  if (!u || u->password_set_at != password_set_at) {
    return PermissionDenied(
        "the session has ended: the password was changed since it began; sign in again");
  }
  return SignedIn{.identity = Identity{.user = u->name, .password_verified = true},
                  .role = u->role,
                  .password_set_at = password_set_at};
}

Result<int64_t> Service::DataVersion() {
  return store_.LastEventSeq();
}

Status Service::CanRead(const Identity& who) {
  return Authorize(store_, who, Action::kRead);
}

Result<Role> Service::RoleOf(const Identity& who) {
  ASSIGN_OR_RETURN(auto u, store_.FindUser(who.user));
  if (!u) {
    return NotFound("there is no user '" + who.user + "' (vigil user list)");
  }
  return u->role;
}

Result<IssuedApiToken> Service::IssueApiToken(const Identity& who, const ApiTokenInput& input) {
  std::string user = input.user.empty() ? who.user : input.user;
  ASSIGN_OR_RETURN(unsigned scopes, ParseScopes(input.scopes));
  ASSIGN_OR_RETURN(std::chrono::seconds lifetime,
                   ParseDurationField("expires", input.expires.empty() ? "90d" : input.expires));
  RETURN_IF_ERROR(PrepareWrite(who, user == who.user ? Action::kOwnToken : Action::kManageUsers));
  Timestamp now = clock_.Now();
  return vigil::IssueApiToken(store_, user, input.label, scopes, now + lifetime, who.user, now);
}

Status Service::RevokeApiToken(const Identity& who, int64_t id) {
  ASSIGN_OR_RETURN(auto tokens, store_.QueryApiTokens());
  std::string holder;
  for (const auto& t : tokens) {
    if (t.id == id) {
      holder = t.user;
    }
  }
  RETURN_IF_ERROR(PrepareWrite(
      who, holder.empty() || holder == who.user ? Action::kOwnToken : Action::kManageUsers));
  return vigil::RevokeApiToken(store_, id, who.user, clock_.Now());
}

Result<view::Table> Service::ApiTokens(const Identity& who) {
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  ASSIGN_OR_RETURN(auto tokens, store_.QueryApiTokens());
  Timestamp now = clock_.Now();
  view::Table t;
  t.columns = {{"id", "ID"},
               {"user", "USER"},
               {"label", "LABEL", 40},
               {"scopes", "SCOPES"},
               {"state", "STATE"},
               {"created_at", "CREATED"},
               {"created_by", "BY"},
               {"expires_at", "EXPIRES"},
               {"revoked_at", "REVOKED"},
               {"revoked_by", "REVOKED BY"}};
  for (const auto& k : tokens) {
    std::string state = k.revoked_at ? "revoked" : now >= k.expires_at ? "expired" : "active";
    t.rows.push_back({k.id, k.user, k.label, k.scopes, state, view::TimeCell(k.created_at),
                      k.created_by, view::TimeCell(k.expires_at), view::TimeCell(k.revoked_at),
                      view::TextCell(k.revoked_by)});
  }
  return t;
}

}  // namespace vigil
