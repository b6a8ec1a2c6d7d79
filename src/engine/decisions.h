// Decisions and four eyes (docs/decisions.md). A decision documents how a vulnerability, or
// some of its findings, is handled: a recast, a false positive, an accepted risk (which must
// expire), a mitigation plan (with a target date), or a class for an unclassified one.
//
// The policy says which types need approval (default: all but mitigation-plan). Approval must
// come from a different person holding the approver role; until then the decision has no
// effect. Approving one decision supersedes the earlier one it replaces (a newer class for
// the same vulnerability; the same type for the same scope). An expired decision lapses at
// the next run: its state, the time and (for a class) the return to the derived class are
// recorded. Every step is an event of the decision's history; every change of class is a
// class change with who and when.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/class_scale.h"
#include "core/policy.h"
#include "core/status.h"
#include "store/queries.h"
#include "store/records.h"

namespace vigil {

class Store;

struct DecideRequest {
  std::string vuln_key;
  DecisionType type = DecisionType::kRecast;
  ReasonCategory reason = ReasonCategory::kOther;
  std::string basis;
  std::string new_class;  // recast, classify: a class of the scale
  std::optional<double> new_score;
  std::vector<std::string> assets;  // names, FQDNs or IPs; empty = every asset
  std::optional<int> port;
  std::optional<Timestamp> expires;
  std::optional<Timestamp> target;  // mitigation-plan
  // A proposal from a document (VEX): pending until approved, whatever the policy says.
  bool proposal = false;
};

struct DecisionContext {
  Store& store;
  const Policy& policy;
  const ClassScale& scale;
  std::string user;  // the acting user
  Timestamp now;
  std::string login = {};  // the operating-system login it acts from, recorded with each step
};

// Validates and records a decision; it takes effect at once when the policy does not ask for
// approval. Refuses (kInvalidInput) a missing or short basis, a class not on the scale, an
// accept-risk without expiry or beyond the maximum, an expiry in the past, a plan without a
// target, an unknown vulnerability or asset.
Result<DecisionRecord> Decide(const DecisionContext& ctx, const DecideRequest& request);

// Approves a pending decision. Refused for the author (no self-approval), for anyone without
// the approver role, and for a decision that is not pending or has already expired.
Result<DecisionRecord> Approve(const DecisionContext& ctx, int64_t id, const std::string& note);

// Rejects a pending decision with a written basis; the same people rules as Approve.
Result<DecisionRecord> Reject(const DecisionContext& ctx, int64_t id, const std::string& basis);

// Lapses every decision whose expiry is at or before `now`; returns how many. Writes run it
// before their own change, so an expiry is recorded by the first write after it.
Result<int> LapseExpired(Store& store, Timestamp now);

// What a read sees at `now` of decisions whose expiry passed since the last write: lapsed,
// ended at their expiry, exactly as LapseExpired will record them (reads never write).
void LapseAtReadTime(std::vector<DecisionRecord>& decisions, Timestamp now);

// The decisions `q` asks for as a read sees them at `now` (LapseAtReadTime applied before the
// state filter): what every read uses.
Result<std::vector<DecisionRecord>> QueryDecisionsAt(Store& store, const DecisionQuery& q,
                                                     Timestamp now);

// True when the decision is in effect at `t` by its recorded times.
bool InEffectAt(const DecisionRecord& d, Timestamp t);

// True when the decision's scope covers a finding on `asset` at `port`.
bool Covers(const DecisionRecord& d, const std::string& asset, int port);

// The decision in effect at `now` that handles the finding (`vuln_key` on `asset` at `port`)
// without a class: a false positive, an accepted risk or a mitigation plan; the newest when
// several apply. nullptr when none does.
const DecisionRecord* HandlingDecision(const std::vector<DecisionRecord>& decisions,
                                       const std::string& vuln_key, const std::string& asset,
                                       int port, Timestamp now);

// The vulnerabilities `q` asks for as a read sees them at `now`: a class a person set by a
// decision whose expiry passed since the last write is back to the derived class (as
// LapseExpired will record it), and `q.class_name` filters on that class.
Result<std::vector<VulnSummary>> QueryVulnerabilitiesAt(Store& store, VulnQuery q, Timestamp now);

// True when the policy asks for approval of this type.
bool NeedsApproval(const DecisionPolicy& policy, DecisionType type);

}  // namespace vigil
