#include "engine/asset_resolver.h"

#include <algorithm>

#include "ingest/report.h"
#include "store/store.h"

namespace vigil {
namespace {

bool Compatible(const std::string& stored, const std::string& seen) {
  return stored.empty() || seen.empty() || stored == seen;
}

// Rank of the key by which `a` matches `host` (0 = agent id, strongest), or -1.
int MatchRank(const AssetRecord& a, const HostObservation& host) {
  if (!host.agent_id.empty() && a.agent_id == host.agent_id) {
    return 0;
  }
  if (!Compatible(a.agent_id, host.agent_id)) {
    return -1;
  }
  if (!host.fqdn.empty() && a.fqdn == host.fqdn) {
    return 1;
  }
  if (!Compatible(a.fqdn, host.fqdn)) {
    return -1;
  }
  if (!host.ip.empty() && a.ip == host.ip) {
    return 2;
  }
  bool no_keys = host.agent_id.empty() && host.fqdn.empty() && host.ip.empty();
  bool stored_no_keys = a.agent_id.empty() && a.fqdn.empty() && a.ip.empty();
  if (no_keys && stored_no_keys && a.name == host.report_name) {
    return 3;
  }
  return -1;
}

void Learn(std::string& field, const std::string& value, bool newest) {
  if (!value.empty() && (field.empty() || newest)) {
    field = value;
  }
}

}  // namespace

std::string AssetDisplayName(const HostObservation& host) {
  if (!host.fqdn.empty()) {
    return host.fqdn;
  }
  if (!host.report_name.empty()) {
    return host.report_name;
  }
  return host.ip;
}

Result<AssetRecord> AssetResolver::Resolve(const HostObservation& host, Timestamp seen) {
  ASSIGN_OR_RETURN(AssetRecord a, Match(host, seen));
  RETURN_IF_ERROR(Save(a));
  return a;
}

Status AssetResolver::Save(AssetRecord& a) {
  if (a.id == 0) {
    ASSIGN_OR_RETURN(a.id, store_.InsertAsset(a));
    return Status::Ok();
  }
  return store_.UpdateAsset(a);
}

Result<AssetRecord> AssetResolver::Match(const HostObservation& host, Timestamp seen) {
  ASSIGN_OR_RETURN(auto candidates,
                   store_.FindAssetCandidates(host.agent_id, host.fqdn, host.ip, host.report_name));
  const AssetRecord* best = nullptr;
  int best_rank = 99;
  for (const auto& c : candidates) {
    int rank = MatchRank(c, host);
    if (rank < 0) {
      continue;
    }
    // Prefer the strongest key, then the asset seen most recently.
    if (rank < best_rank || (rank == best_rank && c.last_seen > best->last_seen)) {
      best = &c;
      best_rank = rank;
    }
  }
  AssetRecord a;
  bool newest = true;
  if (best != nullptr) {
    a = *best;
    newest = seen >= a.last_seen;
    a.first_seen = std::min(a.first_seen, seen);
    a.last_seen = std::max(a.last_seen, seen);
  } else {
    a.first_seen = seen;
    a.last_seen = seen;
  }
  Learn(a.agent_id, host.agent_id, false);
  Learn(a.fqdn, host.fqdn, false);
  Learn(a.ip, host.ip, newest);
  Learn(a.hostname, host.hostname, newest);
  Learn(a.netbios_name, host.netbios_name, newest);
  Learn(a.mac, host.mac, newest);
  Learn(a.os, host.os, newest);
  if (a.name.empty() || !host.fqdn.empty() || newest) {
    std::string name = AssetDisplayName(host);
    if (!name.empty() && (a.fqdn.empty() || name == a.fqdn)) {
      a.name = name;
    } else if (!a.fqdn.empty()) {
      a.name = a.fqdn;
    }
  }
  return a;
}

}  // namespace vigil
