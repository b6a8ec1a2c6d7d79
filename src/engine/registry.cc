#include "engine/registry.h"

#include "core/credential.h"
#include "core/duration.h"
#include "engine/audit_log.h"
#include "store/store.h"

namespace vigil {
namespace {

nlohmann::json DurationOrNull(const std::optional<std::chrono::seconds>& d) {
  return d ? nlohmann::json(FormatDuration(*d)) : nlohmann::json();
}

}  // namespace

Result<std::string> AddUser(Store& store, const std::string& name, Role role,
                            const std::string& actor, Timestamp now) {
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
  ASSIGN_OR_RETURN(std::string token, NewToken());
  ASSIGN_OR_RETURN(std::string hash, HashToken(token));
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    RETURN_IF_ERROR(store.InsertUser(
        {.name = name, .role = role, .created_at = now, .created_by = actor, .token_hash = hash}));
    return AppendEvent(store, now, actor, "user.added", name,
                       {{"name", name}, {"role", std::string(ToString(role))}})
        .status();
  }));
  return token;
}

Result<std::string> RenewToken(Store& store, const std::string& name, const std::string& actor,
                               Timestamp now) {
  ASSIGN_OR_RETURN(auto user, store.FindUser(name));
  if (!user) {
    return NotFound("there is no user '" + name + "' (vigil user list)");
  }
  ASSIGN_OR_RETURN(std::string token, NewToken());
  ASSIGN_OR_RETURN(std::string hash, HashToken(token));
  RETURN_IF_ERROR(InTransaction(store, [&]() -> Status {
    RETURN_IF_ERROR(store.SetUserToken(name, hash));
    return AppendEvent(store, now, actor, "user.token_renewed", name, {{"name", name}}).status();
  }));
  return token;
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
  return AppendEvent(store, now, actor, "scanner.set", s.name,
                     {{"name", s.name},
                      {"kind", s.kind},
                      {"cadence", DurationOrNull(s.cadence)},
                      {"grace", FormatDuration(s.grace)},
                      {"before", before},
                      {"source", source}})
      .status();
}

Status Decommission(Store& store, const AssetRecord& asset, const std::string& reason,
                    const std::string& actor, Timestamp now) {
  RETURN_IF_ERROR(store.DecommissionAsset(asset.id, now, actor, reason));
  return AppendEvent(store, now, actor, "asset.decommissioned", asset.name,
                     {{"asset", asset.name}, {"ip", asset.ip}, {"reason", reason}})
      .status();
}

}  // namespace vigil
