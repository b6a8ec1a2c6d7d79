#include "engine/state_commitment.h"

#include <algorithm>
#include <cstring>

#include "store/store.h"

namespace vigil {
namespace {

constexpr const char* kSettingPrefix = "state.";

void PutInt(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) {
    out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  }
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

Result<std::vector<std::string>> ReadRows(Store& store, size_t table, const RowFilter& where) {
  const CommittedTable& t = CommittedTables()[table];
  std::vector<std::string> rows;
  RETURN_IF_ERROR(store.ForEachRow(t.name, t.columns, where, [&](const std::vector<Cell>& cells) {
    rows.push_back(EncodeRow(t.name, cells));
    return Status::Ok();
  }));
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace

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
        PutInt(out, static_cast<uint64_t>(c.i));
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
    }
  }
  return c;
}

Result<StateCommitment> StateCommitment::Compute(Store& store) {
  StateCommitment c;
  const auto& tables = CommittedTables();
  for (size_t i = 0; i < tables.size(); ++i) {
    LtHash& h = c.hashes_[i];
    RETURN_IF_ERROR(store.ForEachRow(tables[i].name, tables[i].columns, {},
                                     [&](const std::vector<Cell>& cells) {
                                       h.Add(EncodeRow(tables[i].name, cells));
                                       return Status::Ok();
                                     }));
  }
  return c;
}

Status StateCommitment::Save(Store& store) const {
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

Result<StateCommitment::Rows> StateCommitment::None(std::string_view table, RowFilter where) {
  Rows rows;
  ASSIGN_OR_RETURN(rows.table, TableIndex(table));
  rows.where = std::move(where);
  return rows;
}

Status StateCommitment::After(Store& store, const Rows& before) {
  ASSIGN_OR_RETURN(auto now, ReadRows(store, before.table, before.where));
  LtHash& h = hashes_[before.table];
  std::vector<std::string> gone;
  std::set_difference(before.encoded.begin(), before.encoded.end(), now.begin(), now.end(),
                      std::back_inserter(gone));
  std::vector<std::string> added;
  std::set_difference(now.begin(), now.end(), before.encoded.begin(), before.encoded.end(),
                      std::back_inserter(added));
  for (const auto& row : gone) {
    h.Remove(row);
  }
  for (const auto& row : added) {
    h.Add(row);
  }
  return Status::Ok();
}

nlohmann::json StateCommitment::Digests() const {
  nlohmann::json out = nlohmann::json::object();
  const auto& tables = CommittedTables();
  for (size_t i = 0; i < tables.size(); ++i) {
    out[tables[i].name] = hashes_[i].Digest();
  }
  return out;
}

}  // namespace vigil
