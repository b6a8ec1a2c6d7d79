// The references a transaction writes into the tables that hold a row per finding, checked
// when it commits. findings, evidence and finding_sources declare no foreign keys on either
// backend: a declared reference costs a lookup per row written (nine per new finding), a large
// part of an import's time. The backends note instead every reference value they bind into
// these tables, and every id they insert into them; at the commit each distinct referenced id
// must be a row the transaction inserted or one that exists, one lookup per distinct id (an
// import of 300,000 findings refers to a few thousand assets and vulnerabilities, one scan
// and one scanner). A transaction that breaks a reference writes nothing.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/records.h"

namespace vigil {

class AuditStore;

// A column of a per-finding table that refers to another table's row by its id.
struct CheckedReference {
  std::string_view table;
  std::string_view column;
  std::string_view refers_to;
};
// Every such column, in the order of their tables: findings, evidence, finding_sources.
const std::vector<CheckedReference>& CheckedReferences();
// Whether `table` is one of them (findings, evidence, finding_sources).
bool IsCheckedTable(std::string_view table);

class ReferenceLedger {
 public:
  // A row with this id was inserted into `table`.
  void Inserted(std::string_view table, int64_t id);
  // `id` was written into a column that refers to `parent` (nothing for 0, an absent id).
  void Refers(std::string_view parent, int64_t id);

  // The references of the rows the backends write one at a time, noted alike by both: a
  // finding's (its vulnerability, asset and fixing scan), an evidence row's (its id as well)
  // and an attribution's, with the id of its evidence when it has new evidence.
  void NoteFinding(const FindingRecord& f);
  void NoteEvidence(int64_t id, const AttributionRecord& a);
  void NoteAttribution(const AttributionRecord& a, int64_t evidence_id);

  // Notes rows written whole as cells of `columns` of a checked table (a copy, a bulk insert):
  // their ids and every reference among their cells.
  class RowNotes {
   public:
    RowNotes(ReferenceLedger& ledger, std::string_view table,
             const std::vector<std::string>& columns);
    void Note(const std::vector<Cell>& row);

   private:
    ReferenceLedger& ledger_;
    std::string table_;
    std::optional<size_t> id_;
    std::vector<std::pair<size_t, std::string_view>> refers_;  // column index, parent
  };

  // For each parent, the distinct ids referred to that are not rows the transaction inserted:
  // those must exist.
  std::vector<std::pair<std::string, std::vector<int64_t>>> ToLookUp() const;
  bool empty() const { return inserted_.empty() && refers_.empty(); }
  void Clear();

 private:
  // Ids inserted into one table, as sorted disjoint ranges [first, last].
  struct Ranges {
    std::vector<std::pair<int64_t, int64_t>> ranges;
    void Add(int64_t id);
    bool Contains(int64_t id) const;
  };
  struct Referred {
    std::unordered_set<int64_t> ids;
    int64_t last = 0;  // the previous id noted: references repeat (one scan, one asset)
  };
  std::map<std::string, Ranges, std::less<>> inserted_;
  std::map<std::string, Referred, std::less<>> refers_;
};

// Checks the ledger: `count_existing(parent, ids)` returns how many of the distinct `ids` are
// rows of `parent`. OK when all are; else the error naming the parents whose rows are missing.
Status CheckReferences(
    const ReferenceLedger& ledger,
    const std::function<Result<int64_t>(const std::string& parent,
                                        const std::vector<int64_t>& ids)>& count_existing);
// The same, counting through the store's ForEachRow (one read per referenced table).
Status CheckReferences(const ReferenceLedger& ledger, AuditStore& store);

}  // namespace vigil
