#include "store/reference_ledger.h"

#include <algorithm>

#include "store/audit_store.h"

namespace vigil {

const std::vector<CheckedReference>& CheckedReferences() {
  static const std::vector<CheckedReference> kReferences = {
      {"findings", "vuln_id", "vulnerabilities"},
      {"findings", "asset_id", "assets"},
      {"findings", "fixed_scan_id", "scans"},
      {"evidence", "finding_id", "findings"},
      {"evidence", "scanner_id", "scanners"},
      {"evidence", "scan_id", "scans"},
      {"finding_sources", "finding_id", "findings"},
      {"finding_sources", "scanner_id", "scanners"},
      {"finding_sources", "last_scan_id", "scans"},
      {"finding_sources", "evidence_id", "evidence"}};
  return kReferences;
}

bool IsCheckedTable(std::string_view table) {
  const auto& refs = CheckedReferences();
  return std::any_of(refs.begin(), refs.end(),
                     [&](const CheckedReference& ref) { return ref.table == table; });
}

void ReferenceLedger::Ranges::Add(int64_t id) {
  // Ids are inserted in increasing order (the largest so far plus one, or a copy in id
  // order): the common case extends the last range.
  if (!ranges.empty() && id >= ranges.back().first) {
    if (id <= ranges.back().second) {
      return;
    }
    if (id == ranges.back().second + 1) {
      ranges.back().second = id;
      return;
    }
    ranges.emplace_back(id, id);
    return;
  }
  auto at = std::lower_bound(ranges.begin(), ranges.end(), std::make_pair(id, id));
  if (at != ranges.begin() && std::prev(at)->second >= id) {
    return;  // already inside the previous range
  }
  ranges.insert(at, {id, id});
}

bool ReferenceLedger::Ranges::Contains(int64_t id) const {
  if (!ranges.empty() && id >= ranges.back().first) {
    return id <= ranges.back().second;
  }
  auto after =
      std::upper_bound(ranges.begin(), ranges.end(), id,
                       [](int64_t v, const std::pair<int64_t, int64_t>& r) { return v < r.first; });
  return after != ranges.begin() && std::prev(after)->second >= id;
}

void ReferenceLedger::Inserted(std::string_view table, int64_t id) {
  auto it = inserted_.find(table);
  if (it == inserted_.end()) {
    it = inserted_.emplace(std::string(table), Ranges{}).first;
  }
  it->second.Add(id);
}

void ReferenceLedger::Refers(std::string_view parent, int64_t id) {
  if (id == 0) {
    return;
  }
  if (auto own = inserted_.find(parent); own != inserted_.end() && own->second.Contains(id)) {
    return;
  }
  auto it = refers_.find(parent);
  if (it == refers_.end()) {
    it = refers_.emplace(std::string(parent), Referred{}).first;
  } else if (it->second.last == id) {
    return;
  }
  it->second.last = id;
  it->second.ids.insert(id);
}

void ReferenceLedger::NoteFinding(const FindingRecord& f) {
  Refers("vulnerabilities", f.vuln_id);
  Refers("assets", f.asset_id);
  Refers("scans", f.fixed_scan_id);
}

void ReferenceLedger::NoteEvidence(int64_t id, const AttributionRecord& a) {
  Inserted("evidence", id);
  Refers("findings", a.finding_id);
  Refers("scanners", a.scanner_id);
  Refers("scans", a.last_scan_id);
}

void ReferenceLedger::NoteAttribution(const AttributionRecord& a, int64_t evidence_id) {
  Refers("findings", a.finding_id);
  Refers("scanners", a.scanner_id);
  Refers("scans", a.last_scan_id);
  Refers("evidence", evidence_id);
}

ReferenceLedger::RowNotes::RowNotes(ReferenceLedger& ledger, std::string_view table,
                                    const std::vector<std::string>& columns)
    : ledger_(ledger), table_(table) {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i] == "id") {
      id_ = i;
    }
    for (const CheckedReference& ref : CheckedReferences()) {
      if (ref.table == table && ref.column == columns[i]) {
        refers_.emplace_back(i, ref.refers_to);
      }
    }
  }
}

void ReferenceLedger::RowNotes::Note(const std::vector<Cell>& row) {
  if (id_ && *id_ < row.size() && row[*id_].kind == Cell::Kind::kInt) {
    ledger_.Inserted(table_, row[*id_].i);
  }
  for (const auto& [column, parent] : refers_) {
    if (column < row.size() && row[column].kind == Cell::Kind::kInt) {
      ledger_.Refers(parent, row[column].i);
    }
  }
}

std::vector<std::pair<std::string, std::vector<int64_t>>> ReferenceLedger::ToLookUp() const {
  std::vector<std::pair<std::string, std::vector<int64_t>>> out;
  for (const auto& [parent, referred] : refers_) {
    auto own = inserted_.find(parent);
    std::vector<int64_t> ids;
    for (int64_t id : referred.ids) {
      if (own == inserted_.end() || !own->second.Contains(id)) {
        ids.push_back(id);
      }
    }
    if (!ids.empty()) {
      std::sort(ids.begin(), ids.end());
      out.emplace_back(parent, std::move(ids));
    }
  }
  return out;
}

void ReferenceLedger::Clear() {
  inserted_.clear();
  refers_.clear();
}

Status CheckReferences(
    const ReferenceLedger& ledger,
    const std::function<Result<int64_t>(const std::string& parent,
                                        const std::vector<int64_t>& ids)>& count_existing) {
  std::string missing;
  for (const auto& [parent, ids] : ledger.ToLookUp()) {
    ASSIGN_OR_RETURN(int64_t found, count_existing(parent, ids));
    if (found < static_cast<int64_t>(ids.size())) {
      missing += (missing.empty() ? "" : ", ") +
                 std::to_string(static_cast<int64_t>(ids.size()) - found) + " of " + parent;
    }
  }
  if (missing.empty()) {
    return Status::Ok();
  }
  return Internal("database error: rows written refer to rows that do not exist (" + missing +
                  "); nothing was written");
}

}  // namespace vigil

namespace vigil {

Status CheckReferences(const ReferenceLedger& ledger, AuditStore& store) {
  return CheckReferences(
      ledger, [&](const std::string& parent, const std::vector<int64_t>& ids) -> Result<int64_t> {
        int64_t found = 0;
        RETURN_IF_ERROR(store.ForEachRow(parent, {"id"}, {{"id", ids}}, [&](const auto&) {
          ++found;
          return Status::Ok();
        }));
        return found;
      });
}

}  // namespace vigil
