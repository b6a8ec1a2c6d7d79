#include "engine/state_commitment.h"

#include <map>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>

#include "store/store.h"

namespace vigil {
namespace {

constexpr const char* kSettingPrefix = "state.";

// Big-endian, so that rows read in the order of their integer key are already in the byte
// order the difference of two snapshots needs.
void PutInt(std::string& out, uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
}

// A signed integer with its sign bit flipped: byte order is numeric order.
uint64_t Ordered(int64_t v) {
  return static_cast<uint64_t>(v) ^ (uint64_t{1} << 63);
}

Result<size_t> TableIndex(std::string_view name) {
  const auto& tables = CommittedTables();
  for (size_t i = 0; i < tables.size(); ++i) {
    if (tables[i].name == name) {
      return i;
    }
  }
  return Internal("'" + std::string(name) + "' is not a committed table");
}

Result<std::vector<std::string>> ReadRows(Store& store, size_t table, const RowFilter& where,
                                          bool sorted = true) {
  const CommittedTable& t = CommittedTables()[table];
  std::vector<std::string> rows;
  RETURN_IF_ERROR(store.ForEachRow(t.name, t.columns, where, [&](const std::vector<Cell>& cells) {
    rows.push_back(EncodeRow(t.name, cells));
    return Status::Ok();
  }));
  if (sorted && !std::is_sorted(rows.begin(), rows.end())) {
    std::sort(rows.begin(), rows.end());
  }
  return rows;
}

// The encoded rows of `table` whose `column` is one of `values`, by that column's value.
Result<std::map<int64_t, std::vector<std::string>>> ReadRowsOf(Store& store, size_t table,
                                                               const std::string& column,
                                                               const std::vector<int64_t>& values) {
  const CommittedTable& t = CommittedTables()[table];
  auto at = std::find(t.columns.begin(), t.columns.end(), column);
  if (at == t.columns.end()) {
    return Internal("the state commitment of " + t.name + " has no column " + column);
  }
  auto index = static_cast<size_t>(at - t.columns.begin());
  std::map<int64_t, std::vector<std::string>> rows;
  RETURN_IF_ERROR(
      store.ForEachRow(t.name, t.columns, {{column, values}}, [&](const std::vector<Cell>& cells) {
        rows[cells[index].i].push_back(EncodeRow(t.name, cells));
        return Status::Ok();
      }));
  for (auto& [key, encoded] : rows) {
    std::sort(encoded.begin(), encoded.end());
  }
  return rows;
}

}  // namespace

// Expanding a row costs about a microsecond: an import of a million findings hands its rows
// to this thread and keeps applying the report. The deltas it sums (added rows minus removed
// ones, per table) are merged into the commitment when it is read or saved.
class StateCommitment::Hasher {
 public:
  Hasher() : deltas_(CommittedTables().size()), thread_([this] { Run(); }) {}
  ~Hasher() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

  void Submit(size_t table, std::vector<std::string> added, std::vector<std::string> removed) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      jobs_.push_back({table, std::move(added), std::move(removed)});
    }
    wake_.notify_all();
  }

  // Waits for every job so far, and hands over (and resets) the summed deltas.
  std::vector<LtHash> Take() {
    std::unique_lock<std::mutex> lock(mu_);
    idle_.wait(lock, [&] { return jobs_.empty() && !busy_; });
    std::vector<LtHash> out(deltas_.size());
    std::swap(out, deltas_);
    return out;
  }

 private:
  struct Job {
    size_t table;
    std::vector<std::string> added;
    std::vector<std::string> removed;
  };

  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      wake_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
      if (jobs_.empty()) {
        return;  // stopping
      }
      Job job = std::move(jobs_.front());
      jobs_.pop_front();
      busy_ = true;
      lock.unlock();
      LtHash delta;
      for (const auto& row : job.added) {
        delta.Add(row);
      }
      for (const auto& row : job.removed) {
        delta.Remove(row);
      }
      lock.lock();
      deltas_[job.table].Merge(delta);
      busy_ = false;
      if (jobs_.empty()) {
        idle_.notify_all();
      }
    }
  }

  std::mutex mu_;
  std::condition_variable wake_;
  std::condition_variable idle_;
  std::deque<Job> jobs_;
  bool busy_ = false;
  bool stop_ = false;
  std::vector<LtHash> deltas_;
  std::thread thread_;  // last: starts after the members it uses
};

StateCommitment::StateCommitment() = default;
StateCommitment::~StateCommitment() = default;
StateCommitment::StateCommitment(StateCommitment&&) noexcept = default;
StateCommitment& StateCommitment::operator=(StateCommitment&&) noexcept = default;

void StateCommitment::Flush() {
  if (!hasher_) {
    return;
  }
  std::vector<LtHash> deltas = hasher_->Take();
  for (size_t i = 0; i < hashes_.size(); ++i) {
    hashes_[i].Merge(deltas[i]);
  }
}

const std::vector<CommittedTable>& CommittedTables() {
  static const std::vector<CommittedTable> kTables = {
      {"assets",
       {"id", "name", "agent_id", "fqdn", "ip", "hostname", "netbios_name", "mac", "os", "state",
        "first_seen", "last_seen", "decommissioned_at", "decommissioned_by", "decommission_reason",
        "reappeared_at"}},
      {"findings",
       {"id", "vuln_id", "asset_id", "port", "protocol", "location", "state", "first_seen",
        "last_seen", "fixed_at", "fixed_scan_id", "times_reopened", "absent_unverified"}},
      {"host_scans", {"scan_id", "asset_id", "scanner_id", "observed_at", "credentialed"}},
      // The definitions imports store, every column but the classes (which class.changed events
      // carry whole: logged_rows.cc), and their references.
      {"vulnerabilities",
       {"id",
        "key",
        "source",
        "source_id",
        "title",
        "family",
        "synopsis",
        "description",
        "solution",
        "risk_factor",
        "scanner_severity",
        "cvss2_vector",
        "cvss2_score",
        "cvss3_vector",
        "cvss3_score",
        "cvss4_vector",
        "cvss4_score",
        "vpr_score",
        "epss_score",
        "exploit_available",
        "check_type",
        "published",
        "modified",
        "patch_published",
        "vuln_published",
        "content_hash",
        "defined_at"}},
      {"vulnerability_refs", {"vuln_id", "kind", "value"}},
  };
  return kTables;
}

std::string EncodeRow(std::string_view table, const std::vector<Cell>& cells) {
  std::string out(table);
  out.push_back('\0');
  for (const Cell& c : cells) {
    switch (c.kind) {
      case Cell::Kind::kNull:
        out.push_back('n');
        break;
      case Cell::Kind::kInt:
        out.push_back('i');
        PutInt(out, Ordered(c.i));
        break;
      case Cell::Kind::kReal: {
        out.push_back('r');
        uint64_t bits = 0;
        std::memcpy(&bits, &c.r, sizeof(bits));
        PutInt(out, bits);
        break;
      }
      case Cell::Kind::kText:
        out.push_back('t');
        PutInt(out, c.text.size());
        out += c.text;
        break;
    }
  }
  return out;
}

Result<StateCommitment> StateCommitment::Load(Store& store) {
  StateCommitment c;
  const auto& tables = CommittedTables();
  for (size_t i = 0; i < tables.size(); ++i) {
    ASSIGN_OR_RETURN(auto stored, store.GetSetting(kSettingPrefix + tables[i].name));
    if (stored) {
      auto parsed = LtHash::Parse(*stored);
      if (!parsed.ok()) {
        return Internal("the stored state hash of " + tables[i].name +
                        " is damaged: " + parsed.status().message());
      }
      c.hashes_[i] = *parsed;
      continue;
    }
    // No hash kept: a table a newer vigil commits to than the one that filled it. Its rows
    // are taken as found, and the change's event says so (adopted()).
    ASSIGN_OR_RETURN(auto rows, ReadRows(store, i, {}, /*sorted=*/false));
    for (const std::string& row : rows) {
      c.hashes_[i].Add(row);
    }
    if (!rows.empty()) {
      c.adopted_.push_back(tables[i].name);
    }
  }
  return c;
}

void StateCommitment::Describe(nlohmann::json& payload) {
  payload["state"] = Digests();
  if (!adopted_.empty()) {
    payload["state_adopted"] = adopted_;
  }
}

Result<StateCommitment> StateCommitment::Compute(Store& store) {
  // The rows go to the hasher in batches: reading the table and hashing it overlap.
  constexpr size_t kBatch = 4096;
  StateCommitment c;
  c.hasher_ = std::make_unique<Hasher>();
  const auto& tables = CommittedTables();
  for (size_t i = 0; i < tables.size(); ++i) {
    std::vector<std::string> batch;
    RETURN_IF_ERROR(store.ForEachRow(tables[i].name, tables[i].columns, {},
                                     [&](const std::vector<Cell>& cells) {
                                       batch.push_back(EncodeRow(tables[i].name, cells));
                                       if (batch.size() == kBatch) {
                                         c.hasher_->Submit(i, std::move(batch), {});
                                         batch.clear();
                                       }
                                       return Status::Ok();
                                     }));
    c.hasher_->Submit(i, std::move(batch), {});
  }
  c.Flush();
  return c;
}

Status StateCommitment::Save(Store& store) {
  Flush();
  const auto& tables = CommittedTables();
  for (size_t i = 0; i < tables.size(); ++i) {
    RETURN_IF_ERROR(store.PutSetting(kSettingPrefix + tables[i].name, hashes_[i].Serialize()));
  }
  return Status::Ok();
}

Result<StateCommitment::Rows> StateCommitment::Before(Store& store, std::string_view table,
                                                      RowFilter where) const {
  Rows rows;
  ASSIGN_OR_RETURN(rows.table, TableIndex(table));
  ASSIGN_OR_RETURN(rows.encoded, ReadRows(store, rows.table, where));
  rows.where = std::move(where);
  return rows;
}

namespace {

size_t FindingsTable() {
  static const size_t kFindings = [] {
    const auto& tables = CommittedTables();
    return static_cast<size_t>(
        std::find_if(tables.begin(), tables.end(),
                     [](const CommittedTable& t) { return t.name == "findings"; }) -
        tables.begin());
  }();
  return kFindings;
}

// A finding's row as the table holds it (the store writes exactly these columns of a
// FindingRecord).
std::string EncodeFinding(const FindingRecord& f) {
  auto time = [](Timestamp t) { return Cell::Int(ToUnixSeconds(t)); };
  return EncodeRow(
      "findings",
      {Cell::Int(f.id), Cell::Int(f.vuln_id), Cell::Int(f.asset_id), Cell::Int(f.port),
       Cell::Text(f.protocol), Cell::Text(f.location), Cell::Text(std::string(ToString(f.state))),
       time(f.first_seen), time(f.last_seen), f.fixed_at ? time(*f.fixed_at) : Cell::Null(),
       f.fixed_scan_id != 0 ? Cell::Int(f.fixed_scan_id) : Cell::Null(),
       Cell::Int(f.times_reopened), Cell::Int(f.absent_unverified ? 1 : 0)});
}

}  // namespace

namespace {

// The rows of an asset's findings, encoded and sorted as Before would read them.
template <typename Each, typename Record>
StateCommitment::Rows FindingRows(size_t table, int64_t asset_id, const std::vector<Each>& all,
                                  Record record) {
  StateCommitment::Rows rows{.table = table, .where = {{"asset_id", asset_id}}};
  rows.encoded.reserve(all.size());
  for (const Each& e : all) {
    rows.encoded.push_back(EncodeFinding(record(e)));
  }
  std::sort(rows.encoded.begin(), rows.encoded.end());
  return rows;
}

}  // namespace

StateCommitment::Rows StateCommitment::FindingsBefore(int64_t asset_id,
                                                      const std::vector<FindingOnAsset>& findings) {
  return FindingRows(FindingsTable(), asset_id, findings,
                     [](const FindingOnAsset& e) -> const FindingRecord& { return e.finding; });
}

StateCommitment::Rows StateCommitment::FindingsCreated(int64_t asset_id,
                                                       const std::vector<NewFinding>& created) {
  return FindingRows(FindingsTable(), asset_id, created,
                     [](const NewFinding& e) -> const FindingRecord& { return e.finding; });
}

Result<std::vector<StateCommitment::Rows>> StateCommitment::BeforeEach(
    Store& store, std::string_view table, const std::string& column,
    const std::vector<int64_t>& values) const {
  ASSIGN_OR_RETURN(size_t index, TableIndex(table));
  std::vector<Rows> out;
  out.reserve(values.size());
  std::map<int64_t, std::vector<std::string>> rows;
  if (!values.empty()) {
    ASSIGN_OR_RETURN(rows, ReadRowsOf(store, index, column, values));
  }
  for (int64_t value : values) {
    Rows r{.table = index, .where = {{column, value}}};
    if (auto found = rows.find(value); found != rows.end()) {
      r.encoded = std::move(found->second);
      rows.erase(found);
    }
    out.push_back(std::move(r));
  }
  return out;
}

Status StateCommitment::AfterEach(Store& store, const std::vector<Rows>& befores) {
  if (befores.empty()) {
    return Status::Ok();
  }
  // Every before of one table, filtered on one integer column.
  std::vector<int64_t> values;
  for (const Rows& before : befores) {
    if (before.table != befores.front().table || before.where.size() != 1 ||
        before.where.front().first != befores.front().where.front().first ||
        !std::holds_alternative<int64_t>(before.where.front().second)) {
      return Internal("AfterEach: rows of different tables or keys");
    }
    values.push_back(std::get<int64_t>(before.where.front().second));
  }
  ASSIGN_OR_RETURN(auto rows, ReadRowsOf(store, befores.front().table,
                                         befores.front().where.front().first, values));
  for (const Rows& before : befores) {
    Rows now{.table = before.table};
    if (auto found = rows.find(std::get<int64_t>(before.where.front().second));
        found != rows.end()) {
      now.encoded = std::move(found->second);
      rows.erase(found);
    }
    Moved(before, std::move(now));
  }
  return Status::Ok();
}

Result<StateCommitment::Rows> StateCommitment::None(std::string_view table, RowFilter where) {
  Rows rows;
  ASSIGN_OR_RETURN(rows.table, TableIndex(table));
  rows.where = std::move(where);
  return rows;
}

Status StateCommitment::After(Store& store, const Rows& before) {
  // A row that did not exist before needs no sorting to tell what changed.
  bool none_before = before.encoded.empty();
  ASSIGN_OR_RETURN(auto now, ReadRows(store, before.table, before.where, !none_before));
  Moved(before, Rows{.table = before.table, .encoded = std::move(now)});
  return Status::Ok();
}

void StateCommitment::Moved(const Rows& before, Rows after) {
  bool none_before = before.encoded.empty();
  std::vector<std::string>& now = after.encoded;
  std::vector<std::string> gone;
  std::vector<std::string> added;
  if (none_before) {
    added = std::move(now);
  } else {
    std::set_difference(before.encoded.begin(), before.encoded.end(), now.begin(), now.end(),
                        std::back_inserter(gone));
    std::set_difference(now.begin(), now.end(), before.encoded.begin(), before.encoded.end(),
                        std::back_inserter(added));
  }
  if (added.empty() && gone.empty()) {
    return;
  }
  if (!hasher_) {
    hasher_ = std::make_unique<Hasher>();
  }
  hasher_->Submit(before.table, std::move(added), std::move(gone));
}

nlohmann::json StateCommitment::Digests() {
  Flush();
  nlohmann::json out = nlohmann::json::object();
  const auto& tables = CommittedTables();
  for (size_t i = 0; i < tables.size(); ++i) {
    out[tables[i].name] = hashes_[i].Digest();
  }
  return out;
}

}  // namespace vigil
