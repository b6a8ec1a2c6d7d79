// The audit log's identity: its origin (the checkpoints' first line) and the installation's
// Ed25519 signing key. `vigil init` creates the key (a file readable by its owner only) and
// the log's first event, which names the public key; every checkpoint is signed with it.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/config.h"
#include "core/status.h"
#include "core/time.h"
#include "store/records.h"

namespace vigil {

class Store;

// Creates the key file when it does not exist and, when the log is empty, appends the first
// event ("audit.key") naming the origin, the public key, the log format and whether this is a
// test-clock database (whose writes may take their time from --now; every checkpoint and
// evidence pack it makes says so). An existing log keeps what its first event says: a
// database cannot become a test-clock one later. Returns the verifier key.
Result<std::string> InitializeAudit(Store& store, const std::string& key_path,
                                    const std::string& origin, Timestamp now,
                                    const std::string& actor, bool test_clock);

// What the log's first event says of it.
struct LogFacts {
  std::string verifier_key;
  int format = 1;           // 1: an older vigil's log, whose events do not carry whole rows
  bool test_clock = false;  // times set by hand: not evidence
};
Result<LogFacts> ReadLogFacts(Store& store);

// The text every output of a test-clock database carries.
inline constexpr const char* kTestClockWarning = "NOT EVIDENCE: times set by hand";

// The verifier key the log's first event names ("<origin>+<key id>+<key>").
Result<std::string> LogVerifierKey(Store& store);

// Signs a checkpoint of the whole log now (C2SP tlog-checkpoint with a "time" extension line)
// and stores it. With a TSA configured (`audit.tsa_url`), the signed note is first
// time-stamped (RFC 3161) and the checked token stored with it; when the TSA cannot be
// reached or its answer does not verify, nothing is stored.
Result<CheckpointRecord> MakeCheckpoint(Store& store, const std::string& key_path, Timestamp now,
                                        const AuditConfig& audit);

// The scheduled checkpoint: MakeCheckpoint when none was signed within `every` before `now`,
// decided again in the transaction that stores it, so that of several servers sharing one
// database exactly one signs each period's (nullopt for the others).
Result<std::optional<CheckpointRecord>> MakeScheduledCheckpoint(Store& store,
                                                                const std::string& key_path,
                                                                Timestamp now,
                                                                const AuditConfig& audit,
                                                                std::chrono::seconds every);

// Reads the PEM trust file of the TSA.
Result<std::string> ReadTsaTrust(const std::string& path);

}  // namespace vigil
