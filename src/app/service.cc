#include "app/service.h"

#include <cmath>

#include "core/credential.h"
#include "core/decision.h"
#include "core/duration.h"
#include "core/scanner_kind.h"
#include "core/sha256.h"
#include "core/text.h"
#include "core/time.h"
#include "engine/decisions.h"
#include "engine/registry.h"
#include "engine/reviews.h"
#include "ingest/memory_guard.h"
#include "store/store.h"

namespace vigil {
namespace {

// An ISO-8601 time given for `field`, or an error naming the field.
Result<std::optional<Timestamp>> OptionalTime(const char* field,
                                              const std::optional<std::string>& text) {
  if (!text || text->empty()) {
    return std::optional<Timestamp>();
  }
  auto t = ParseIso8601(*text);
  if (!t.ok()) {
    return FieldError(field, "is not a time: " + t.status().message());
  }
  return std::optional(*t);
}

// The DecideRequest of the engine from what a person gave, each field checked for its form;
// what depends on the database and the policy is checked by Decide.
Result<DecideRequest> ParseDecideInput(const DecideInput& in) {
  DecideRequest r{.vuln_key = in.key, .basis = in.basis, .new_class = in.severity};
  auto type = ParseDecisionType(in.type);
  if (!type) {
    return FieldError("type",
                      "must be recast, false-positive, accept-risk, mitigation-plan or classify, "
                      "not '" +
                          in.type + "'");
  }
  r.type = *type;
  auto reason = ParseReasonCategory(in.reason);
  if (!reason) {
    return FieldError("reason",
                      "must be disagree-with-nvd, false-positive, compensating-controls, "
                      "absence-of-threat, other or patch-harm, not '" +
                          in.reason + "'");
  }
  r.reason = *reason;
  if (in.score) {
    if (!std::isfinite(*in.score)) {
      return FieldError("score", "must be a CVSS score 0..10");
    }
    r.new_score = *in.score;
  }
  ASSIGN_OR_RETURN(r.expires, OptionalTime("expires", in.expires));
  ASSIGN_OR_RETURN(r.target, OptionalTime("target", in.target));
  for (const auto& a : in.assets) {
    if (TrimSpace(a).empty()) {
      return FieldError("assets", "holds an empty name");
    }
    r.assets.emplace_back(TrimSpace(a));
  }
  if (in.port) {
    if (*in.port < 0 || *in.port > 65535) {
      return FieldError("port", "must be 0..65535, not " + std::to_string(*in.port));
    }
    r.port = static_cast<int>(*in.port);
  }
  return r;
}

// The one asset `key` names (a name, FQDN or IP).
Result<AssetRecord> OneAsset(Store& store, const std::string& key) {
  ASSIGN_OR_RETURN(auto matches, store.FindAssets(key));
  if (matches.empty()) {
    return FieldError(ErrorCode::kNotFound, "asset",
                      "'" + key + "' names no asset (by name, FQDN or IP)");
  }
  if (matches.size() > 1) {
    std::string names;
    for (const auto& m : matches) {
      names += (names.empty() ? " " : ", ") + m.name + (m.ip.empty() ? "" : " (" + m.ip + ")");
    }
    return FieldError("asset", "'" + key + "' names " + std::to_string(matches.size()) +
                                   " assets; use a name that is unique:" + names);
  }
  return matches.front();
}

}  // namespace

std::optional<std::pair<std::string, std::string>> TokenCache::Find(
    const std::string& digest) const {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = entries_.find(digest);
  if (it == entries_.end()) {
    return std::nullopt;
  }
  return it->second;
}

void TokenCache::Remember(const std::string& digest, std::string user, std::string token_hash) {
  std::lock_guard<std::mutex> lock(mutex_);
  entries_[digest] = {std::move(user), std::move(token_hash)};
}

Result<Identity> Service::Authenticate(const std::string& token, TokenCache& cache) {
  ASSIGN_OR_RETURN(TokenCheck check, PrepareAuthentication(token, cache));
  return CompleteAuthentication(check, cache);
}

Result<Service::TokenCheck> Service::PrepareAuthentication(const std::string& token,
                                                           TokenCache& cache) {
  TokenCheck check{.token = token, .digest = Sha256Hex(token), .now = clock_.Now()};
  auto known = cache.Find(check.digest);
  int64_t id = 0;
  std::string secret;
  if (ParseApiToken(token, id, secret)) {
    check.pipeline = true;
    ASSIGN_OR_RETURN(auto tokens, store_.QueryApiTokens());
    for (auto& t : tokens) {
      if (t.id == id) {
        check.verified = known && known->second == t.token_hash;
        check.record = std::move(t);
        break;
      }
    }
    return check;
  }
  ASSIGN_OR_RETURN(auto users, store_.QueryUsers());
  for (auto& u : users) {
    if (known && u.name == known->first && u.token_hash == known->second) {
      check.verified = true;
      check.verified_user = u.name;
      check.users.clear();
      return check;
    }
    if (!u.token_hash.empty()) {
      check.users.emplace_back(u.name, u.token_hash);
    }
  }
  return check;
}

Result<Identity> Service::CompleteAuthentication(const TokenCheck& check, TokenCache& cache) {
  if (!check.pipeline) {
    if (check.verified) {
      return Identity{.user = check.verified_user, .token = check.token, .token_verified = true};
    }
    for (const auto& [name, hash] : check.users) {
      if (VerifyToken(check.token, hash)) {
        cache.Remember(check.digest, name, hash);
        return Identity{.user = name, .token = check.token, .token_verified = true};
      }
    }
    return PermissionDenied("the token is no registered user's (or it was renewed since)");
  }
  int64_t id = 0;
  std::string secret;
  ParseApiToken(check.token, id, secret);
  const auto& t = check.record;
  if (!t || (!check.verified && !VerifyToken(secret, t->token_hash))) {
    return PermissionDenied("the token is no pipeline token of this server");
  }
  cache.Remember(check.digest, t->user, t->token_hash);
  std::string which = "pipeline token " + std::to_string(id) + " (" + t->label + ")";
  if (t->revoked_at) {
    return PermissionDenied(which + " was revoked by " + t->revoked_by + " at " +
                            FormatIso8601(*t->revoked_at));
  }
  if (check.now >= t->expires_at) {
    return PermissionDenied(which + " expired at " + FormatIso8601(t->expires_at) +
                            ": issue a new one (vigil token add)");
  }
  ASSIGN_OR_RETURN(unsigned scopes, ParseScopes(t->scopes));
  return Identity{.user = t->user, .token = check.token, .token_verified = true, .scopes = scopes};
}

Status Service::Write(const Identity& who, Action action, const std::function<Status()>& work) {
  RETURN_IF_ERROR(Authorize(store_, who, action));
  Timestamp now = clock_.Now();
  return InTransaction(store_, [&]() -> Status {
    // Expiries since the last write are recorded by this one, before its own change.
    RETURN_IF_ERROR(
        LapseExpired(store_, now).status().WithPrefix("recording the decisions that expired"));
    RETURN_IF_ERROR(work());
    // The notifications the change causes, in its transaction (docs/notifications.md).
    return QueueChanges(who.user);
  });
}

Status Service::PrepareWrite(const Identity& who, Action action) {
  RETURN_IF_ERROR(Authorize(store_, who, action));
  // The engine call after it may read a file (a feed, an inventory): its memory limit counts
  // from here.
  StartImportMemory();
  return RecordExpiries();
}

Status Service::RecordExpiries() {
  Timestamp now = clock_.Now();
  return InTransaction(store_, [&] { return LapseExpired(store_, now).status(); })
      .WithPrefix("recording the decisions that expired");
}

DecisionContext Service::DecisionContextFor(const Identity& who) const {
  return DecisionContext{.store = store_,
                         .policy = config_.policy,
                         .scale = config_.classification.scale,
                         .user = who.user,
                         .now = clock_.Now(),
                         .login = who.login};
}

Result<DecisionRecord> Service::Decide(const Identity& who, const DecideInput& input) {
  ASSIGN_OR_RETURN(DecideRequest request, ParseDecideInput(input));
  DecisionRecord d;
  RETURN_IF_ERROR(Write(who, Action::kDecide, [&]() -> Status {
    ASSIGN_OR_RETURN(d, vigil::Decide(DecisionContextFor(who), request));
    return Status::Ok();
  }));
  return d;
}

Result<DecisionRecord> Service::Approve(const Identity& who, int64_t id, const std::string& note) {
  DecisionRecord d;
  RETURN_IF_ERROR(Write(who, Action::kApprove, [&]() -> Status {
    ASSIGN_OR_RETURN(d, vigil::Approve(DecisionContextFor(who), id, note));
    return Status::Ok();
  }));
  return d;
}

Result<DecisionRecord> Service::Reject(const Identity& who, int64_t id, const std::string& basis) {
  DecisionRecord d;
  RETURN_IF_ERROR(Write(who, Action::kApprove, [&]() -> Status {
    ASSIGN_OR_RETURN(d, vigil::Reject(DecisionContextFor(who), id, basis));
    return Status::Ok();
  }));
  return d;
}

Result<DecommissionOutcome> Service::Decommission(const Identity& who, const std::string& asset,
                                                  const std::string& reason) {
  if (TrimSpace(reason).empty()) {
    return FieldError("reason", "must say why the asset is decommissioned");
  }
  DecommissionOutcome out;
  RETURN_IF_ERROR(Write(who, Action::kWrite, [&]() -> Status {
    ASSIGN_OR_RETURN(out.asset, OneAsset(store_, asset));
    if (out.asset.state == AssetState::kDecommissioned) {
      out.at = out.asset.decommissioned_at.value_or(Timestamp{});
      return Status::Ok();
    }
    out.at = clock_.Now();
    out.changed = true;
    return vigil::Decommission(store_, out.asset, reason, who.user, out.at);
  }));
  return out;
}

Result<ReviewRecord> Service::RecordReview(const Identity& who,
                                           const std::vector<std::string>& participants,
                                           const std::string& notes) {
  ReviewRecord r;
  RETURN_IF_ERROR(Write(who, Action::kDecide, [&]() -> Status {
    ASSIGN_OR_RETURN(r, vigil::RecordReview(store_, participants, notes, who.user, clock_.Now()));
    return Status::Ok();
  }));
  return r;
}

Result<view::Table> Service::Reviews(const Identity& who) {
  RETURN_IF_ERROR(Authorize(store_, who, Action::kRead));
  ASSIGN_OR_RETURN(auto reviews, store_.QueryReviews());
  view::Table t;
  t.columns = {{"id", "ID"},
               {"at", "AT"},
               {"recorded_by", "BY"},
               {"participants", "PARTICIPANTS"},
               {"covered_since", "COVERS SINCE"},
               {"vulnerabilities", "VULNS"},
               {"notes", "NOTES", 60}};
  for (const auto& r : reviews) {
    t.rows.push_back({r.id, view::TimeCell(r.at), r.recorded_by, r.participants,
                      view::TimeCell(r.covered_since), static_cast<int64_t>(r.vuln_ids.size()),
                      r.notes});
  }
  return t;
}

Result<ScannerRecord> Service::SetScanner(const Identity& who, const ScannerInput& input) {
  if (!IsScannerKind(input.kind)) {
    return FieldError(
        "kind", "must be agent, network, external, container or code, not '" + input.kind + "'");
  }
  ASSIGN_OR_RETURN(auto cadence, ParseDurationField("cadence", input.cadence));
  if (cadence.count() <= 0) {
    return FieldError("cadence", "must be longer than zero");
  }
  ASSIGN_OR_RETURN(auto grace, ParseDurationField("grace", input.grace));
  for (const auto& declared : config_.scanners) {
    if (declared.name == input.name) {
      return FailedPrecondition("scanner " + input.name + " is declared in the configuration (" +
                                config_.path +
                                "); change it there and apply the configuration again");
    }
  }
  Timestamp now = clock_.Now();
  ScannerRecord s{.name = input.name,
                  .kind = input.kind,
                  .created_at = now,
                  .cadence = cadence,
                  .grace = grace};
  RETURN_IF_ERROR(Write(who, Action::kWrite,
                        [&] { return vigil::SetScanner(store_, s, who.user, "command", now); }));
  return s;
}

}  // namespace vigil
