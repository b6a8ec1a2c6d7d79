// Changes to who and what vigil knows, each with its event in the audit log: users and their
// tokens, scanners, and decommissioning an asset.
#pragma once

#include <string>

#include "core/role.h"
#include "core/status.h"
#include "core/time.h"
#include "store/records.h"

namespace vigil {

class Store;

struct NewUser {
  std::string token;           // for the CLI and API clients; shown once
  std::string enrolment_code;  // for setting a password (engine/credentials.h); shown once
  Timestamp enrolment_expires_at{};
};

// Registers a user; returns their token and enrolment code (shown once; only their hashes are
// kept). The first user must be an admin.
Result<NewUser> AddUser(Store& store, const std::string& name, Role role, const std::string& actor,
                        Timestamp now);
// Gives a user a new token; the old one stops working. `login` is the operating-system login
// the renewal came from: the event records how the renewer proved who they were.
Result<std::string> RenewToken(Store& store, const std::string& name, const std::string& actor,
                               Timestamp now, const std::string& login = {});

// Gives a user another role; `actor` (an admin) becomes who granted it, which four eyes
// checks: nobody approves a decision of the person who made them an approver.
Status SetRole(Store& store, const std::string& name, Role role, const std::string& actor,
               Timestamp now);

// Registers a scanner or changes its kind, cadence and grace. `source` says where the change
// came from ("command" or the configuration file's path).
Status SetScanner(Store& store, const ScannerRecord& scanner, const std::string& actor,
                  const std::string& source, Timestamp now);

// The rule of decommissioning, without its record in the audit log: the asset is out of
// service (who, when, why) and its open findings become inactive: no longer exposure, and
// reopened if the asset reappears in a scan (scan_applier.cc).
Status RetireAsset(Store& store, int64_t asset_id, Timestamp at, const std::string& by,
                   const std::string& reason);

// Takes the asset out of service (RetireAsset) and records it in the audit log.
Status Decommission(Store& store, const AssetRecord& asset, const std::string& reason,
                    const std::string& actor, Timestamp now);

}  // namespace vigil
