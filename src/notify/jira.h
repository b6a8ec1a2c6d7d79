// Jira (docs/notifications.md#jira): one issue per distinct vulnerability that meets the
// [notify.jira] filter, created when it is open, updated when its class changes, moved to the
// done transition when none of its findings is open any more (a rescan verified the fix, or its
// assets were decommissioned) and back when it returns, commented when a
// decision on it is approved. REST API v2 or v3 with an API token (HTTP Basic, the account's
// email and the token). Every change is a notification in the outbox like a mail.
#pragma once

#include <map>
#include <string>

#include "core/config.h"
#include "core/status.h"
#include "notify/deliver.h"
#include "store/queries.h"

namespace vigil::notify {

// Queues the Jira changes the vulnerabilities call for (the caller's transaction).
// `zones`: each asset's zone by name (needed when the filter names zones).
Result<int> QueueJira(Store& store, const Config& config,
                      const std::map<std::string, VulnSummary>& vulns,
                      const std::map<std::string, std::string>& zones, Timestamp now,
                      const std::string& actor);

// Sends one Jira change.
Delivery SendJira(const JiraConfig& jira, const std::string& token, const Claimed& claimed);

// The label that marks the issue of a vulnerability ("vigil-" and 16 hex digits of the key's
// SHA-256): how an in-doubt creation finds the issue it may have made.
std::string IssueLabel(const std::string& vuln_key);

}  // namespace vigil::notify
