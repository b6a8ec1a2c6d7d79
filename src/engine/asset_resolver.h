// Asset identity: which stored asset a scanned host is.
//
// The strongest key the report gives wins: agent id (a host-resident UUID), then FQDN, then
// IP, then the report's own host name. A weaker key only matches an asset whose stronger
// keys do not contradict the host's (same IP but another FQDN is another machine). A match
// learns the keys it lacked, so a host first seen by IP and later by FQDN stays one asset.
#pragma once

#include "core/status.h"
#include "store/records.h"

namespace vigil {

class Store;
struct HostObservation;

class AssetResolver {
 public:
  explicit AssetResolver(Store& store) : store_(store) {}

  // Finds or creates the asset for `host`, seen at `seen`, and records what the host told.
  // Properties (IP, OS, ...) follow the newest observation only.
  Result<AssetRecord> Resolve(const HostObservation& host, Timestamp seen);

  // Resolve in two steps, for a caller that looks at the stored row before it changes:
  // Match finds the asset and applies what the host told (id 0: a new asset), Save writes it.
  Result<AssetRecord> Match(const HostObservation& host, Timestamp seen);
  Status Save(AssetRecord& asset);

 private:
  Store& store_;
};

// The name vigil shows for a host: its FQDN, else the report's host name, else its IP.
std::string AssetDisplayName(const HostObservation& host);

}  // namespace vigil
