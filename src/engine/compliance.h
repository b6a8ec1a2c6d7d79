// Loads the facts the compliance clocks need from the store (vulnerabilities, findings,
// decisions, asset zones, the KEV catalog) and evaluates the policy's rules at `now`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config.h"
#include "core/status.h"
#include "engine/clocks.h"

namespace vigil {

class Store;

// The clocks of every rule of `config.policy`; the rules are referenced, so `config` must
// outlive the result.
// With `only_vuln`, just that vulnerability's clocks (and only its facts are read).
Result<std::vector<ComplianceClock>> ComplianceClocks(
    Store& store, const Config& config, Timestamp now,
    const std::optional<std::string>& only_vuln = std::nullopt);

}  // namespace vigil
