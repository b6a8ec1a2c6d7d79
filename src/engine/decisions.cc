#include "engine/decisions.h"

#include <algorithm>
#include <set>

#include "core/duration.h"
#include "core/text.h"
#include "engine/audit_log.h"
#include "engine/class_history.h"
#include "engine/classifier.h"
#include "engine/logged_rows.h"
#include "store/store.h"

namespace vigil {
namespace {

constexpr const char* kSystemActor = "vigil";

std::string Describe(const DecisionRecord& d) {
  return "decision #" + std::to_string(d.id) + " (" + std::string(ToString(d.type)) + " of " +
         d.vuln_key + ")";
}

// A step of a decision's history, kept with the decision and appended to the audit log with
// the decision's row as written.
Status Record(Store& store, const DecisionRecord& d, Timestamp at, const std::string& actor,
              const std::string& action, const std::string& note,
              const std::string& login = std::string()) {
  RETURN_IF_ERROR(store.InsertDecisionEvent(
      {.decision_id = d.id, .at = at, .actor = actor, .action = action, .note = note}));
  nlohmann::json payload = {{"decision", d.id},
                            {"vulnerability", d.vuln_key},
                            {"type", std::string(ToString(d.type))},
                            {"state", std::string(ToString(d.state))},
                            {"note", note}};
  if (!login.empty()) {
    // The operating-system login the step came from: two people acting from one login is
    // what an auditor looks for when four eyes are doubted (docs/decisions.md).
    payload["login"] = login;
  }
  ASSIGN_OR_RETURN(payload["row"], RowOf(store, logged::Decisions(), {{"id", d.id}}));
  return AppendEvent(store, at, actor, "decision." + action, "decision #" + std::to_string(d.id),
                     payload)
      .status();
}

// Sets the vulnerability's effective class and records the change.
Status SetClass(Store& store, const std::string& key, const std::string& class_name,
                const std::string& source, Timestamp at, const std::string& actor,
                int64_t decision_id, const std::string& note) {
  ASSIGN_OR_RETURN(auto stamp, store.FindVulnerability(key));
  if (!stamp) {
    return NotFound("vulnerability " + key + " is not in the database");
  }
  VulnClass cls = stamp->cls;
  if (cls.class_name == class_name && cls.class_source == source) {
    return Status::Ok();
  }
  cls.class_name = class_name;
  cls.class_source = source;
  RETURN_IF_ERROR(store.SetVulnerabilityClass(stamp->id, cls));
  return RecordClassChange(store, stamp->id, key, stamp->cls, cls,
                           {.actor = actor, .at = at, .decision_id = decision_id, .note = note});
}

// Back to the class the ratings give.
Status RevertClass(Store& store, const std::string& key, Timestamp at, const std::string& actor,
                   int64_t decision_id, const std::string& note) {
  ASSIGN_OR_RETURN(auto stamp, store.FindVulnerability(key));
  if (!stamp) {
    return NotFound("vulnerability " + key + " is not in the database");
  }
  return SetClass(store, key, stamp->cls.auto_class, stamp->cls.auto_source, at, actor, decision_id,
                  note);
}

bool SameScope(const DecisionRecord& a, const DecisionRecord& b) {
  std::vector<std::string> x = a.assets;
  std::vector<std::string> y = b.assets;
  std::sort(x.begin(), x.end());
  std::sort(y.begin(), y.end());
  return x == y && a.port == b.port;
}

// What a decision does when it takes effect: supersede what it replaces, set the class.
Status TakeEffect(const DecisionContext& ctx, DecisionRecord& d, const std::string& actor) {
  ASSIGN_OR_RETURN(auto active, ctx.store.QueryDecisions({.vuln_key = d.vuln_key,
                                                          .states = {DecisionState::kApproved}}));
  for (auto& old : active) {
    if (old.id == d.id) {
      continue;
    }
    bool replaces =
        ChangesClass(d.type) ? ChangesClass(old.type) : old.type == d.type && SameScope(old, d);
    if (!replaces) {
      continue;
    }
    old.state = DecisionState::kSuperseded;
    old.ended_at = ctx.now;
    old.superseded_by = d.id;
    RETURN_IF_ERROR(ctx.store.UpdateDecisionState(old));
    RETURN_IF_ERROR(Record(ctx.store, old, ctx.now, actor, "superseded",
                           "replaced by decision #" + std::to_string(d.id)));
  }
  if (ChangesClass(d.type)) {
    RETURN_IF_ERROR(SetClass(ctx.store, d.vuln_key, d.new_class, "manual", ctx.now, actor, d.id,
                             std::string(ToString(d.type)) + " by decision #" +
                                 std::to_string(d.id) + " of " + d.author + " (" +
                                 std::string(ToString(d.reason)) + ")"));
  }
  return Status::Ok();
}

Result<DecisionRecord> LoadPending(const DecisionContext& ctx, int64_t id, const char* verb) {
  ASSIGN_OR_RETURN(auto found, ctx.store.FindDecision(id));
  if (!found) {
    return NotFound("there is no decision #" + std::to_string(id));
  }
  DecisionRecord d = *found;
  if (d.state != DecisionState::kPending) {
    return FailedPrecondition(Describe(d) + " is " + std::string(ToString(d.state)) +
                              ", not pending: only a pending decision can be " + verb);
  }
  if (d.author == ctx.user) {
    return PermissionDenied(Describe(d) + " was made by " + d.author + "; four eyes: it must be " +
                            verb + " by a different person with the approver role");
  }
  ASSIGN_OR_RETURN(auto user, ctx.store.FindUser(ctx.user));
  if (!user || user->role != Role::kApprover) {
    return PermissionDenied(
        "user '" + ctx.user + "' " +
        (user ? "has the role " + std::string(ToString(user->role)) : std::string("is unknown")) +
        "; only a user with the approver role may approve or reject " + Describe(d));
  }
  // Four eyes means two people, not two accounts of one: the author may not have made the
  // approver's account, nor given it the approver role.
  if (user->created_by == d.author || user->role_granted_by == d.author) {
    return PermissionDenied(
        "four eyes: " + Describe(d) + " was made by " + d.author + ", who " +
        (user->created_by == d.author ? "created the account of " : "gave the approver role to ") +
        ctx.user + "; it must be " + verb + " by an approver whose account " + d.author +
        " neither created nor made an approver");
  }
  if (d.expires_at && *d.expires_at <= ctx.now) {
    return FailedPrecondition(Describe(d) + " expired at " + FormatIso8601(*d.expires_at) +
                              " before anyone approved it; record a new decision");
  }
  return d;
}

// --severity: a class of the scale, for the decisions that change the class, which take no
// --assets or --port.
Status CheckNewClass(const DecisionContext& ctx, const DecideRequest& r, const std::string& type) {
  if (ChangesClass(r.type)) {
    if (r.new_class.empty()) {
      return FieldError("severity", "is needed by a " + type + " decision: a class of the scale");
    }
    if (!ctx.scale.Contains(r.new_class)) {
      std::vector<std::string> names;
      for (const auto& l : ctx.scale.levels()) {
        names.push_back(l.name);
      }
      return FieldError("severity", "'" + r.new_class + "' is not a class of the scale (" +
                                        Join(names, ", ") + ")");
    }
    if (!r.assets.empty() || r.port) {
      return FieldError(r.assets.empty() ? "port" : "assets",
                        "is not taken by a " + type +
                            " decision: a class belongs to the whole vulnerability (use "
                            "false-positive, accept-risk or mitigation-plan for some assets)");
    }
  } else if (!r.new_class.empty()) {
    return FieldError("severity", "is for recast and classify decisions only");
  }
  return Status::Ok();
}

// --score, --expires and --target: each for the decision types that take it, and in range.
Status CheckScoreAndTimes(const DecisionContext& ctx, const DecideRequest& r) {
  const DecisionPolicy& policy = ctx.policy.decisions;
  if (r.new_score && (*r.new_score < 0 || *r.new_score > 10)) {
    return FieldError("score", "must be a CVSS score 0..10");
  }
  if (r.new_score && r.type != DecisionType::kRecast) {
    return FieldError("score", "is for recast decisions only");
  }
  if (r.expires && *r.expires <= ctx.now) {
    return FieldError("expires", FormatIso8601(*r.expires) + " is not in the future");
  }
  if (r.type == DecisionType::kAcceptRisk) {
    if (!r.expires) {
      return FieldError("expires",
                        "is needed by an accept-risk decision: an accepted risk must expire");
    }
    if (*r.expires - ctx.now > policy.max_accept_risk) {
      return FieldError("expires", "is beyond the longest accepted risk the policy allows (" +
                                       FormatDuration(policy.max_accept_risk) + " from now)");
    }
  }
  if (r.type == DecisionType::kMitigationPlan) {
    if (!r.target) {
      return FieldError("target",
                        "is needed by a mitigation-plan decision: when the plan is to be "
                        "carried out");
    }
    if (*r.target <= ctx.now) {
      return FieldError("target", FormatIso8601(*r.target) + " is not in the future");
    }
  } else if (r.target) {
    return FieldError("target", "is for mitigation-plan decisions only");
  }
  return Status::Ok();
}

}  // namespace

bool NeedsApproval(const DecisionPolicy& policy, DecisionType type) {
  return std::find(policy.need_approval.begin(), policy.need_approval.end(), type) !=
         policy.need_approval.end();
}

bool InEffectAt(const DecisionRecord& d, Timestamp t) {
  if (!d.effective_at || *d.effective_at > t) {
    return false;
  }
  if (d.ended_at && *d.ended_at <= t) {
    return false;
  }
  if (d.expires_at && *d.expires_at <= t) {
    return false;
  }
  return d.state == DecisionState::kApproved || d.state == DecisionState::kLapsed ||
         d.state == DecisionState::kSuperseded;
}

bool Covers(const DecisionRecord& d, const std::string& asset, int port) {
  if (d.port && *d.port != port) {
    return false;
  }
  if (d.assets.empty()) {
    return true;
  }
  return std::find(d.assets.begin(), d.assets.end(), asset) != d.assets.end();
}

const DecisionRecord* HandlingDecision(const std::vector<DecisionRecord>& decisions,
                                       const std::string& vuln_key, const std::string& asset,
                                       int port, Timestamp now) {
  const DecisionRecord* best = nullptr;
  for (const auto& d : decisions) {
    if (d.vuln_key != vuln_key || ChangesClass(d.type) || !InEffectAt(d, now) ||
        !Covers(d, asset, port)) {
      continue;
    }
    if (best == nullptr || *d.effective_at > *best->effective_at) {
      best = &d;
    }
  }
  return best;
}

Result<DecisionRecord> Decide(const DecisionContext& ctx, const DecideRequest& r) {
  const DecisionPolicy& policy = ctx.policy.decisions;
  std::string type = std::string(ToString(r.type));
  std::string basis(TrimSpace(r.basis));
  if (basis.size() < policy.min_basis_length) {
    return FieldError("basis", "must state the factual basis in at least " +
                                   std::to_string(policy.min_basis_length) + " characters (got " +
                                   std::to_string(basis.size()) + ")");
  }
  ASSIGN_OR_RETURN(auto stamp, ctx.store.FindVulnerability(r.vuln_key));
  if (!stamp) {
    return NotFound("vulnerability " + r.vuln_key + " is not in the database");
  }
  DecisionRecord d{.vuln_id = stamp->id,
                   .vuln_key = r.vuln_key,
                   .type = r.type,
                   .reason = r.reason,
                   .basis = basis,
                   .new_score = r.new_score,
                   .port = r.port,
                   .expires_at = r.expires,
                   .target_at = r.target,
                   .author = ctx.user,
                   .created_at = ctx.now};
  RETURN_IF_ERROR(CheckNewClass(ctx, r, type));
  d.new_class = r.new_class;  // empty unless the decision changes the class
  RETURN_IF_ERROR(CheckScoreAndTimes(ctx, r));
  for (const auto& key : r.assets) {
    ASSIGN_OR_RETURN(auto assets, ctx.store.FindAssets(key));
    if (assets.empty()) {
      return FieldError(ErrorCode::kNotFound, "assets", "names '" + key + "', which is no asset");
    }
    if (assets.size() > 1) {
      return FieldError("assets", "names '" + key + "', which names " +
                                      std::to_string(assets.size()) +
                                      " assets; give a name that is unique");
    }
    if (std::find(d.assets.begin(), d.assets.end(), assets.front().name) == d.assets.end()) {
      d.assets.push_back(assets.front().name);
    }
  }
  bool approval = r.proposal || NeedsApproval(policy, r.type);
  d.state = approval ? DecisionState::kPending : DecisionState::kApproved;
  if (!approval) {
    d.effective_at = ctx.now;
  }
  ASSIGN_OR_RETURN(d.id, ctx.store.InsertDecision(d));
  RETURN_IF_ERROR(Record(ctx.store, d, ctx.now, ctx.user, "created",
                         r.proposal ? "proposed by a document: awaiting approval"
                         : approval ? "awaiting approval"
                                    : "in effect: the policy asks no approval",
                         ctx.login));
  if (!approval) {
    RETURN_IF_ERROR(TakeEffect(ctx, d, ctx.user));
  }
  return d;
}

Result<DecisionRecord> Approve(const DecisionContext& ctx, int64_t id, const std::string& note) {
  ASSIGN_OR_RETURN(DecisionRecord d, LoadPending(ctx, id, "approved"));
  d.state = DecisionState::kApproved;
  d.decided_by = ctx.user;
  d.decided_at = ctx.now;
  d.decided_basis = std::string(TrimSpace(note));
  d.effective_at = ctx.now;
  RETURN_IF_ERROR(ctx.store.UpdateDecisionState(d));
  RETURN_IF_ERROR(Record(ctx.store, d, ctx.now, ctx.user, "approved", d.decided_basis, ctx.login));
  RETURN_IF_ERROR(TakeEffect(ctx, d, ctx.user));
  return d;
}

Result<DecisionRecord> Reject(const DecisionContext& ctx, int64_t id, const std::string& basis) {
  std::string why(TrimSpace(basis));
  if (why.size() < ctx.policy.decisions.min_basis_length) {
    return FieldError("basis", "must say why in at least " +
                                   std::to_string(ctx.policy.decisions.min_basis_length) +
                                   " characters");
  }
  ASSIGN_OR_RETURN(DecisionRecord d, LoadPending(ctx, id, "rejected"));
  d.state = DecisionState::kRejected;
  d.decided_by = ctx.user;
  d.decided_at = ctx.now;
  d.decided_basis = why;
  RETURN_IF_ERROR(ctx.store.UpdateDecisionState(d));
  RETURN_IF_ERROR(Record(ctx.store, d, ctx.now, ctx.user, "rejected", why, ctx.login));
  return d;
}

Result<int> LapseExpired(Store& store, Timestamp now) {
  ASSIGN_OR_RETURN(
      auto decisions,
      store.QueryDecisions({.states = {DecisionState::kApproved, DecisionState::kPending}}));
  int lapsed = 0;
  for (auto& d : decisions) {
    if (!d.expires_at || *d.expires_at > now) {
      continue;
    }
    bool was_in_effect = d.state == DecisionState::kApproved;
    d.state = DecisionState::kLapsed;
    d.ended_at = *d.expires_at;
    RETURN_IF_ERROR(store.UpdateDecisionState(d));
    // Recorded now, by the first write after the expiry; the decision ended at its expiry.
    RETURN_IF_ERROR(Record(store, d, now, kSystemActor, "lapsed",
                           std::string(was_in_effect ? "expired" : "expired before approval") +
                               " at " + FormatIso8601(*d.expires_at)));
    if (was_in_effect && ChangesClass(d.type)) {
      RETURN_IF_ERROR(
          RevertClass(store, d.vuln_key, now, kSystemActor, d.id,
                      "decision #" + std::to_string(d.id) + " lapsed: back to the derived class"));
    }
    ++lapsed;
  }
  return lapsed;
}

Result<std::vector<DecisionRecord>> QueryDecisionsAt(Store& store, const DecisionQuery& q,
                                                     Timestamp now) {
  DecisionQuery all = q;
  all.states.clear();
  ASSIGN_OR_RETURN(auto decisions, store.QueryDecisions(all));
  LapseAtReadTime(decisions, now);
  if (q.states.empty()) {
    return decisions;
  }
  std::vector<DecisionRecord> out;
  for (auto& d : decisions) {
    if (std::find(q.states.begin(), q.states.end(), d.state) != q.states.end()) {
      out.push_back(std::move(d));
    }
  }
  return out;
}

Result<std::vector<VulnSummary>> QueryVulnerabilitiesAt(Store& store, VulnQuery q, Timestamp now) {
  ASSIGN_OR_RETURN(auto in_effect, store.QueryDecisions({.states = {DecisionState::kApproved}}));
  std::set<int64_t> lapsed;  // vulnerabilities whose person-set class expired
  for (const auto& d : in_effect) {
    if (ChangesClass(d.type) && d.expires_at && *d.expires_at <= now) {
      lapsed.insert(d.vuln_id);
    }
  }
  if (lapsed.empty()) {
    return store.QueryVulnerabilities(q);
  }
  std::optional<std::string> wanted = std::move(q.class_name);
  q.class_name.reset();
  ASSIGN_OR_RETURN(auto vulns, store.QueryVulnerabilities(q));
  std::vector<VulnSummary> out;
  for (auto& v : vulns) {
    if (lapsed.count(v.id) != 0 && IsManualClassification(v.class_source)) {
      v.class_name = v.auto_class;
      v.class_source = v.auto_source;
    }
    if (!wanted || v.class_name == *wanted) {
      out.push_back(std::move(v));
    }
  }
  return out;
}

void LapseAtReadTime(std::vector<DecisionRecord>& decisions, Timestamp now) {
  for (auto& d : decisions) {
    bool open = d.state == DecisionState::kApproved || d.state == DecisionState::kPending;
    if (open && d.expires_at && *d.expires_at <= now) {
      d.state = DecisionState::kLapsed;
      d.ended_at = *d.expires_at;
    }
  }
}

}  // namespace vigil
