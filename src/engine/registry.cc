#include "engine/registry.h"

#include "core/credential.h"
#include "core/duration.h"
#include "engine/audit_log.h"
#include "engine/credentials.h"
#include "engine/logged_rows.h"
#include "engine/state_commitment.h"
#include "store/store.h"

namespace vigil {
namespace {

nlohmann::json DurationOrNull(const std::optional<std::chrono::seconds>& d) {
  return d ? nlohmann::json(FormatDuration(*d)) : nlohmann::json();
}

// A user event with the user's row as written (the token as the SHA-256 of its hash).
Status AppendUserEvent(Store& store, Timestamp now, const std::string& actor,
                       const std::string& type, const std::string& name, nlohmann::json payload) {
  payload["name"] = name;
  ASSIGN_OR_RETURN(payload["row"], RowOf(store, logged::Users(), {{"name", name}}));
  return AppendEvent(store, now, actor, type, name, payload).status();
}

}  // namespace

Result<NewUser> AddUser(Store& store, const std::string& name, Role role, const std::string& actor,
                        Timestamp now) {
  ASSIGN_OR_RETURN(auto users, store.QueryUsers());
  if (users.empty() && role != Role::kAdmin) {
    return FailedPrecondition(
        "the first user must be an admin, who then registers the "
        "others: vigil --as NAME user add NAME --role admin");
  }
  for (const auto& u : users) {
    if (u.name == name) {
      return FailedPrecondition("user '" + name + "' already exists with the role " +
                                std::string(ToString(u.role)));
    }
  }
  NewUser out;
  ASSIGN_OR_RETURN(out.token, NewToken());
  ASSIGN_OR_RETURN(std::string hash, HashToken(out.token));
  ASSIGN_OR_RETURN(out.enrolment_code, NewEnrolmentCode());
  ASSIGN_OR_RETURN(std::string code_hash, HashToken(out.enrolment_code));
  out.enrolment_expires_at = now + kEnrolmentValidity;
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    RETURN_IF_ERROR(store.InsertUser({.name = name,
                                      .role = role,
                                      .created_at = now,
                                      .created_by = actor,
                                      .token_hash = hash,
                                      .token_issued_by = actor,
                                      .role_granted_by = actor,
                                      .enrolment_hash = code_hash,
                                      .enrolment_expires_at = out.enrolment_expires_at}));
    return AppendUserEvent(store, now, actor, "user.added", name,
                           {{"role", std::string(ToString(role))},
                            {"enrolment_expires_at", FormatIso8601(out.enrolment_expires_at)}});
  }));
  return out;
}

Result<std::string> RenewToken(Store& store, const std::string& name, const std::string& actor,
                               Timestamp now, const std::string& login) {
  ASSIGN_OR_RETURN(auto user, store.FindUser(name));
  if (!user) {
    return NotFound("there is no user '" + name + "' (vigil user list)");
  }
  ASSIGN_OR_RETURN(std::string token, NewToken());
  ASSIGN_OR_RETURN(std::string hash, HashToken(token));
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    RETURN_IF_ERROR(store.SetUserToken(name, hash, actor));
    // How the renewer proved who they were: an auditor reads a renewal of someone's token
    // made with a token an admin issued as the admin's, not the holder's.
    std::string proof = !login.empty() && login == actor
                            ? "login " + login
                            : "a token issued by " + user->token_issued_by +
                                  (login.empty() ? std::string() : ", from the login " + login);
    return AppendUserEvent(store, now, actor, "user.token_renewed", name,
                           {{"issued_by", actor}, {"own", actor == name}, {"proved_by", proof}});
  }));
  return token;
}

Status SetRole(Store& store, const std::string& name, Role role, const std::string& actor,
               Timestamp now) {
  ASSIGN_OR_RETURN(auto user, store.FindUser(name));
  if (!user) {
    return NotFound("there is no user '" + name + "' (vigil user list)");
  }
  if (user->role == role) {
    return FailedPrecondition("user '" + name + "' already has the role " +
                              std::string(ToString(role)));
  }
  if (user->role == Role::kAdmin && name == actor) {
    return FailedPrecondition(
        "an admin cannot take the admin role from themselves; another "
        "admin must");
  }
  return InTransaction(store, [&]() -> Status {
    RETURN_IF_ERROR(store.SetUserRole(name, role, actor));
    return AppendUserEvent(
        store, now, actor, "user.role_changed", name,
        {{"role", std::string(ToString(role))}, {"previous", std::string(ToString(user->role))}});
  });
}

Status SetScanner(Store& store, const ScannerRecord& s, const std::string& actor,
                  const std::string& source, Timestamp now) {
  ASSIGN_OR_RETURN(auto scanners, store.QueryScanners());
  nlohmann::json before;
  for (const auto& old : scanners) {
    if (old.name == s.name) {
      before = {{"kind", old.kind},
                {"cadence", DurationOrNull(old.cadence)},
                {"grace", FormatDuration(old.grace)}};
    }
  }
  RETURN_IF_ERROR(store.SetScanner(s));
  nlohmann::json payload = {{"name", s.name},
                            {"kind", s.kind},
                            {"cadence", DurationOrNull(s.cadence)},
                            {"grace", FormatDuration(s.grace)},
                            {"before", before},
                            {"source", source}};
  ASSIGN_OR_RETURN(payload["row"], RowOf(store, logged::Scanners(), {{"name", s.name}}));
  return AppendEvent(store, now, actor, "scanner.set", s.name, payload).status();
}

Status RetireAsset(Store& store, int64_t asset_id, Timestamp at, const std::string& by,
                   const std::string& reason) {
  RETURN_IF_ERROR(store.DecommissionAsset(asset_id, at, by, reason));
  return store.SetFindingStates(asset_id, OpenFindingStates(), FindingState::kInactive).status();
}

Status Decommission(Store& store, const AssetRecord& asset, const std::string& reason,
                    const std::string& actor, Timestamp now) {
  ASSIGN_OR_RETURN(StateCommitment state, StateCommitment::Load(store));
  ASSIGN_OR_RETURN(auto asset_before, state.Before(store, "assets", {{"id", asset.id}}));
  ASSIGN_OR_RETURN(auto findings_before, state.Before(store, "findings", {{"asset_id", asset.id}}));
  RETURN_IF_ERROR(RetireAsset(store, asset.id, now, actor, reason));
  RETURN_IF_ERROR(state.After(store, asset_before));
  RETURN_IF_ERROR(state.After(store, findings_before));
  RETURN_IF_ERROR(state.Save(store));
  nlohmann::json payload = {
      {"asset", asset.name}, {"asset_id", asset.id}, {"ip", asset.ip}, {"reason", reason}};
  state.Describe(payload);
  ASSIGN_OR_RETURN(payload["row"], RowOf(store, logged::AssetStates(), {{"id", asset.id}}));
  return AppendEvent(store, now, actor, "asset.decommissioned", asset.name, payload).status();
}

}  // namespace vigil
