// What an import or a decommissioning commits the log to (docs/audit.md#what-the-log-commits-to):
// the state of every finding, host scan and asset it leaves behind, as one LtHash per table
// over each row's committed columns. The running hashes are kept in the settings between runs
// and moved by exactly the rows a change touched (their state before and after), so keeping
// them costs O(changed rows); each `scan.imported`, `asset.decommissioned` and `state.adopted`
// event records their digests, and verification recomputes them from the tables in one pass.
// A row edited behind vigil's back then no longer matches the last recorded digest.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "audit/lthash.h"
#include "core/status.h"
#include "store/records.h"

namespace vigil {

class Store;

// A table whose rows the commitment covers, and which of its columns.
struct CommittedTable {
  std::string name;
  std::vector<std::string> columns;
};

// assets, findings, host_scans: the rows imports and decommissioning set; vulnerabilities and
// vulnerability_refs: the definitions imports store.
const std::vector<CommittedTable>& CommittedTables();

// The canonical bytes of one row of `table` (what is hashed): the table's name, then each
// cell with its type.
std::string EncodeRow(std::string_view table, const std::vector<Cell>& cells);

class StateCommitment {
 public:
  // The running commitment kept in the settings (all zero for a new database).
  static Result<StateCommitment> Load(Store& store);
  // Recomputed from every row of the committed tables.
  static Result<StateCommitment> Compute(Store& store);
  Status Save(Store& store);

  // The encoded rows of one table matching a filter, taken before a change.
  struct Rows {
    size_t table = 0;
    RowFilter where;
    std::vector<std::string> encoded;  // sorted
  };
  Result<Rows> Before(Store& store, std::string_view table, RowFilter where) const;
  // The findings of an asset as the import loaded them, encoded as the table holds them (the
  // store writes exactly these columns of a FindingRecord): the snapshot before a host pass
  // without reading the table again.
  static Rows FindingsBefore(int64_t asset_id, const std::vector<FindingOnAsset>& findings);
  // The findings an import created on an asset, encoded alike: what InsertFindings wrote.
  static Rows FindingsCreated(int64_t asset_id, const std::vector<NewFinding>& created);
  // Before and After for many keys of one table at once (one read each, where a database
  // server costs a round trip per read): the rows whose `column` is each of `values`, one Rows
  // per value in their order, and the move of each to its rows now.
  Result<std::vector<Rows>> BeforeEach(Store& store, std::string_view table,
                                       const std::string& column,
                                       const std::vector<int64_t>& values) const;
  Status AfterEach(Store& store, const std::vector<Rows>& befores);
  // No rows before: for a row about to be created, whose key is only known afterwards.
  static Result<Rows> None(std::string_view table, RowFilter where);
  // Moves the commitment from the rows in `before` to the rows matching its filter now.
  Status After(Store& store, const Rows& before);
  // Moves it from `before` to `after`, rows the caller knows without reading them again (an
  // asset that had no findings has, after an import's pass, exactly the ones it created).
  // Verification recomputes the commitment from the tables, so rows that differ from what
  // the store holds are found there.
  void Moved(const Rows& before, Rows after);

  // {"<table>": "<hex digest>", ...} for every committed table.
  nlohmann::json Digests();
  // The committed tables Load took as found because the database kept no hash of them (it
  // predates their commitment); empty for a database this vigil filled.
  const std::vector<std::string>& adopted() const { return adopted_; }
  // Sets an event's "state" (Digests) and, when Load adopted tables, "state_adopted".
  void Describe(nlohmann::json& payload);

  StateCommitment();
  ~StateCommitment();
  StateCommitment(StateCommitment&&) noexcept;
  StateCommitment& operator=(StateCommitment&&) noexcept;

 private:
  class Hasher;  // hashes the changed rows on a thread of its own, off the import's path
  void Flush();

  std::vector<LtHash> hashes_ = std::vector<LtHash>(CommittedTables().size());
  std::unique_ptr<Hasher> hasher_;
  std::vector<std::string> adopted_;
};

}  // namespace vigil
