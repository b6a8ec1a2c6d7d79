// The application layer: every use case of vigil as one call that authorizes the identity it
// is given, owns its transaction and returns domain records (and, for reads, their JSON view).
// The CLI and the server are front ends over it: they turn flags or HTTP requests into these
// inputs and the results (or errors) into their own words. Neither touches the store.
//
// Errors about one field of an input carry the field's name (Status::field()): `type`,
// `severity`, `expires`... Each front end words it its own way (--severity, /severity).
//
// Every write first records the decisions that expired since the last write (in the same
// transaction as its own change), then makes its change. A read changes nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"
#include "engine/authorize.h"
#include "store/records.h"

namespace vigil {

class Store;

// `vigil decide` / POST /api/v1/decisions. Strings as a person gives them; the service parses
// and checks each one and names the field it refuses.
struct DecideInput {
  std::string key;       // the vulnerability
  std::string type;      // recast | false-positive | accept-risk | mitigation-plan | classify
  std::string reason;    // disagree-with-nvd | false-positive | compensating-controls | ...
  std::string basis;     // the factual basis, in writing
  std::string severity;  // recast, classify: the new class
  std::optional<double> score;         // recast: the new score 0..10
  std::optional<std::string> expires;  // ISO-8601
  std::optional<std::string> target;   // mitigation-plan: ISO-8601
  std::vector<std::string> assets;     // names, FQDNs or IPs; empty = every asset
  std::optional<int64_t> port;         // 0..65535
};

// What a decommissioning did.
struct DecommissionOutcome {
  AssetRecord asset;
  bool changed = false;  // false: it was already decommissioned
  Timestamp at{};        // when it was decommissioned (now, or the earlier time)
};

// `vigil scanner set` / PUT /api/v1/scanners/{name}.
struct ScannerInput {
  std::string name;
  std::string kind;     // agent | network | external | container | code
  std::string cadence;  // a duration: 24h, 7d
  std::string grace = "0s";
};

class Service {
 public:
  Service(Store& store, const Clock& clock, const Config& config)
      : store_(store), clock_(clock), config_(config) {}

  Result<DecisionRecord> Decide(const Identity& who, const DecideInput& input);
  // `note` is kept with the approval; `basis` says why a decision is rejected.
  Result<DecisionRecord> Approve(const Identity& who, int64_t id, const std::string& note);
  Result<DecisionRecord> Reject(const Identity& who, int64_t id, const std::string& basis);

  // `asset` is a name, FQDN or IP naming exactly one asset.
  Result<DecommissionOutcome> Decommission(const Identity& who, const std::string& asset,
                                           const std::string& reason);

  Result<ReviewRecord> RecordReview(const Identity& who,
                                    const std::vector<std::string>& participants,
                                    const std::string& notes);
  Result<std::vector<ReviewRecord>> Reviews(const Identity& who);

  Result<ScannerRecord> SetScanner(const Identity& who, const ScannerInput& input);

  Timestamp Now() const { return clock_.Now(); }

 private:
  // Authorize `who` for `action`, then run `work` in one transaction after recording the
  // decisions that expired.
  Status Write(const Identity& who, Action action, const std::function<Status()>& work);

  Store& store_;
  const Clock& clock_;
  const Config& config_;
};

}  // namespace vigil
