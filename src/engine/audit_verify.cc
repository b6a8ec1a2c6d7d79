#include "engine/audit_verify.h"

#include <nlohmann/json.hpp>

#include "audit/audit_event.h"
#include "audit/merkle.h"
#include "audit/signed_note.h"
#include "audit/timestamp.h"
#include "core/text.h"
#include "engine/audit_log.h"
#include "engine/audit_trust.h"
#include "engine/projection.h"
#include "engine/state_verify.h"
#include "store/store.h"

namespace vigil {
namespace {

std::string Describe(const EventRecord& e) {
  return "event " + std::to_string(e.seq) + " (" + e.type + " of " + e.subject + " by " + e.actor +
         " at " + FormatIso8601(e.at) + ")";
}

std::string Raw(const merkle::Hash& h) {
  return std::string(h.begin(), h.end());
}

// The signed "time" extension line of a checkpoint, if it has one.
std::optional<Timestamp> SignedTime(const note::Checkpoint& cp) {
  for (const auto& line : cp.extensions) {
    if (line.rfind("time ", 0) == 0) {
      auto t = ParseIso8601(line.substr(5));
      if (t.ok()) {
        return *t;
      }
    }
  }
  return std::nullopt;
}

}  // namespace

// NOLINTNEXTLINE(readability-function-size): the checks in order, over the state they share
Result<VerifyReport> VerifyAuditLog(Store& store, const VerifyOptions& options) {
  VerifyReport report;
  std::vector<merkle::Hash> leaves;
  std::vector<Timestamp> times;  // of each event, for the checkpoints' times
  std::string last_root;         // as recorded with the last event
  bool structure_ok = true;
  bool times_ok = true;
  std::string genesis_key;
  Projection projection;
  std::optional<std::string> projection_problem;
  RETURN_IF_ERROR(store.ForEachEvent(1, 0, [&](const EventRecord& e) {
    if (!structure_ok) {
      return Status::Ok();
    }
    int64_t expected = static_cast<int64_t>(leaves.size()) + 1;
    if (e.seq != expected) {
      report.problems.push_back("event " + std::to_string(expected) +
                                " is missing: the log goes on with event " + std::to_string(e.seq) +
                                " (events were deleted)");
      structure_ok = false;
      return Status::Ok();
    }
    if (e.seq == 1) {
      auto payload = nlohmann::json::parse(e.payload, nullptr, false);
      auto key = payload.is_object() ? payload.find("verifier_key") : payload.end();
      if (e.type != "audit.key" || key == payload.end() || !key->is_string()) {
        report.problems.push_back("event 1 is not the log's key event");
      } else {
        genesis_key = key->get<std::string>();
      }
    }
    merkle::Hash leaf = merkle::LeafHash(CanonicalLeaf(EventOf(e)));
    if (merkle::ToHex(leaf) != e.leaf_hash) {
      report.problems.push_back(Describe(e) +
                                " does not match its recorded leaf hash: it was changed after "
                                "it was written");
      structure_ok = false;
      return Status::Ok();
    }
    if (times_ok && !times.empty() && e.at < times.back()) {
      report.problems.push_back(Describe(e) + " is dated before event " +
                                std::to_string(e.seq - 1) + " (" + FormatIso8601(times.back()) +
                                "): the log's times run backwards");
      times_ok = false;
    }
    if (!projection_problem) {
      Status applied = projection.Apply(e);
      if (!applied.ok()) {
        projection_problem = applied.message();
      }
    }
    leaves.push_back(leaf);
    times.push_back(e.at);
    last_root = e.root_hash;
    return Status::Ok();
  }));
  report.test_clock = projection.test_clock();
  if (report.test_clock) {
    report.notes.push_back(std::string(kTestClockWarning) +
                           ": this database was made with vigil init --test-clock, so its "
                           "writes could take any time given with --now");
  }
  report.events = static_cast<int64_t>(leaves.size());
  merkle::Tree tree(leaves);
  report.root = merkle::ToHex(tree.Root());
  // The root recorded with each event: checked at the last one, and when that differs, the
  // first event whose recorded root differs is found by bisection (once a root was recorded
  // wrong, every later one is).
  if (structure_ok && !leaves.empty() && last_root != report.root) {
    uint64_t lo = 1;
    uint64_t hi = leaves.size();
    while (lo < hi) {
      uint64_t mid = lo + (hi - lo) / 2;
      std::string recorded;
      RETURN_IF_ERROR(store.ForEachEvent(static_cast<int64_t>(mid), static_cast<int64_t>(mid),
                                         [&](const EventRecord& e) {
                                           recorded = e.root_hash;
                                           return Status::Ok();
                                         }));
      if (recorded == merkle::ToHex(tree.RootAt(mid))) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    report.problems.push_back("event " + std::to_string(lo) +
                              ": the recorded tree root differs from the one the events give "
                              "(the log was reordered or its hashes rewritten)");
    structure_ok = false;
  }
  ASSIGN_OR_RETURN(auto stored_range, store.GetSetting("audit.range"));
  if (structure_ok && stored_range) {
    auto size = ParseInt64(std::string_view(*stored_range).substr(0, stored_range->find(':')));
    int64_t recorded = size.ok() ? *size : -1;
    if (!size.ok()) {
      report.problems.push_back("the log's recorded size (setting audit.range) is damaged: " +
                                size.status().message());
    } else if (recorded != report.events) {
      report.problems.push_back("the log records " + std::to_string(recorded) +
                                " events but holds " + std::to_string(report.events) +
                                (recorded > report.events ? " (events were deleted at the end)"
                                                          : " (events were added outside vigil)"));
    }
  }
  // The key to trust: the auditor's, else the one the first event names.
  std::string trusted = options.verifier_key.value_or(genesis_key);
  if (options.verifier_key && !genesis_key.empty() && genesis_key != *options.verifier_key) {
    report.problems.push_back("the log's first event names another key than the one given: " +
                              genesis_key);
  }
  std::vector<note::Verifier> known;
  if (!trusted.empty()) {
    auto v = note::ParseVerifierKey(trusted);
    if (!v.ok()) {
      return InvalidInput("the verifier key: " + v.status().message());
    }
    known.push_back(*v);
  }
  auto check_note = [&](const std::string& what, const std::string& text,
                        std::optional<note::Checkpoint>& out) {
    auto opened = note::Open(text, known);
    if (!opened.ok()) {
      report.problems.push_back(what + " is not signed by the log's key (" +
                                opened.status().message() + "): the signing key was replaced");
      return;
    }
    auto cp = note::ParseCheckpoint(opened->text);
    if (!cp.ok()) {
      report.problems.push_back(what + ": " + cp.status().message());
      return;
    }
    if (!known.empty() && cp->origin != known[0].name) {
      report.problems.push_back(what + " is of another log (" + cp->origin + ")");
      return;
    }
    out = *cp;
  };
  ASSIGN_OR_RETURN(auto checkpoints, store.QueryCheckpoints());
  report.checkpoints = static_cast<int64_t>(checkpoints.size());
  if (!structure_ok) {
    // Past the first damaged event the tree cannot be rebuilt: the checkpoints' signatures
    // are still checked, their roots are not.
    for (const auto& record : checkpoints) {
      std::optional<note::Checkpoint> cp;
      check_note("checkpoint #" + std::to_string(record.id), record.note, cp);
    }
    return report;
  }
  std::optional<note::Checkpoint> previous;
  std::optional<Timestamp> previous_time;
  for (const auto& record : checkpoints) {
    std::string what = "checkpoint #" + std::to_string(record.id) + " (" +
                       std::to_string(record.size) + " events, " + FormatIso8601(record.at) + ")";
    std::optional<note::Checkpoint> cp;
    check_note(what, record.note, cp);
    if (!cp) {
      continue;
    }
    if (!record.tsa_response.empty()) {
      if (!options.tsa_trust_pem) {
        report.problems.push_back(what +
                                  " has an RFC 3161 time-stamp, but no [audit] tsa_certificate "
                                  "is configured to check it");
      } else {
        auto facts = CheckTimestampResponse(record.tsa_response, record.note, std::nullopt,
                                            *options.tsa_trust_pem);
        if (!facts.ok()) {
          report.problems.push_back(what +
                                    ": its RFC 3161 time-stamp: " + facts.status().message());
        } else if (record.tsa_time && facts->gen_time != *record.tsa_time) {
          report.problems.push_back(what + ": the stored time-stamp time " +
                                    FormatIso8601(*record.tsa_time) + " is not the token's " +
                                    FormatIso8601(facts->gen_time));
        } else {
          ++report.timestamped;
        }
      }
    }
    if (cp->size > static_cast<uint64_t>(report.events)) {
      report.problems.push_back(what + " covers more events than the log holds (" +
                                std::to_string(report.events) + "): events were removed");
      continue;
    }
    std::optional<Timestamp> signed_time = SignedTime(*cp);
    if (signed_time && cp->size >= 1 && cp->size <= times.size() &&
        *signed_time < times[cp->size - 1]) {
      report.problems.push_back(what + " is dated before the last event it covers (" +
                                FormatIso8601(times[cp->size - 1]) +
                                "): it was signed with a clock set back");
    }
    if (signed_time && previous_time && *signed_time < *previous_time) {
      report.problems.push_back(what + " is dated before the checkpoint signed before it (" +
                                FormatIso8601(*previous_time) + "): the times run backwards");
    }
    if (signed_time) {
      previous_time = signed_time;
    }
    if (cp->root != tree.RootAt(cp->size)) {
      uint64_t from = previous ? previous->size + 1 : 1;
      report.problems.push_back(what + " does not match the events: one of events " +
                                std::to_string(from) + ".." + std::to_string(cp->size) +
                                " was changed, removed or reordered");
      continue;
    }
    if (previous && previous->size <= cp->size) {
      auto proof = tree.ConsistencyProof(previous->size, cp->size);
      std::vector<std::string> raw;
      raw.reserve(proof.size());
      for (const auto& h : proof) {
        raw.push_back(Raw(h));
      }
      Status s = merkle::VerifyConsistency(previous->size, cp->size, raw, Raw(previous->root),
                                           Raw(cp->root));
      if (previous->size > 0 && !s.ok()) {
        report.problems.push_back(
            what + " is not consistent with the checkpoint before it: " + s.message());
      }
    }
    previous = cp;
  }
  if (projection_problem) {
    report.problems.push_back(*projection_problem);
  } else if (projection.describes_tables()) {
    ASSIGN_OR_RETURN(auto differences, CompareTablesWithLog(store, projection));
    report.tables_checked = true;
    report.problems.insert(report.problems.end(), differences.begin(), differences.end());
    if (projection.since() > 1) {
      report.notes.push_back("the tables are compared with the log from event " +
                             std::to_string(projection.since()) +
                             " (state.adopted), when an older vigil's database was upgraded; "
                             "changes made behind vigil's back before then cannot be detected");
    }
  } else {
    report.notes.push_back(
        "this log was started by an older vigil and never upgraded with vigil init: its "
        "tables cannot be compared with it");
  }
  if (options.kept_checkpoint) {
    std::optional<note::Checkpoint> kept;
    check_note("the kept checkpoint", *options.kept_checkpoint, kept);
    if (kept) {
      if (kept->size > static_cast<uint64_t>(report.events)) {
        report.problems.push_back("the kept checkpoint covers " + std::to_string(kept->size) +
                                  " events but the log holds " + std::to_string(report.events) +
                                  ": the log was truncated");
      } else if (kept->root != tree.RootAt(kept->size)) {
        report.problems.push_back("the log no longer extends the kept checkpoint: events 1.." +
                                  std::to_string(kept->size) + " were rewritten");
      }
    }
  }
  return report;
}

}  // namespace vigil
