// SqliteStore: the tables of the schema and rows inserted as given (vigil migrate).
#include "store/sqlite/sqlite_store.h"

namespace vigil::sqlite {
namespace {

// The INSERT of InsertRows; empty when a name is not a plain identifier.
std::string InsertSql(std::string_view table, const std::vector<std::string>& columns) {
  if (!IsSqlIdentifier(table) || columns.empty()) {
    return {};
  }
  std::string names;
  std::string values;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!IsSqlIdentifier(columns[i])) {
      return {};
    }
    names += (i == 0 ? "" : ", ") + QuotedIdentifier(columns[i]);
    values += (i == 0 ? "?" : ", ?") + std::to_string(i + 1);
  }
  return "INSERT INTO " + QuotedIdentifier(table) + " (" + names + ") VALUES (" + values + ")";
}

void BindCell(Statement& st, int index, const Cell& cell) {
  switch (cell.kind) {
    case Cell::Kind::kNull:
      st.BindNull(index);
      break;
    case Cell::Kind::kInt:
      st.Bind(index, cell.i);
      break;
    case Cell::Kind::kReal:
      st.Bind(index, cell.r);
      break;
    case Cell::Kind::kText:
      st.Bind(index, std::string_view(cell.text));
      break;
  }
}

}  // namespace

Result<std::vector<TableColumns>> SqliteStore::Tables() {
  ASSIGN_OR_RETURN(Statement * names,
                   db_->Prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name "
                                "NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"));
  ASSIGN_OR_RETURN(std::vector<std::string> tables,
                   names->Rows([](const Statement& st) { return st.Text(0); }));
  std::vector<TableColumns> out;
  std::vector<std::pair<std::string, std::string>> refers;
  for (const std::string& table : tables) {
    if (!IsSqlIdentifier(table)) {
      return Internal("a table with an unexpected name: " + table);
    }
    ASSIGN_OR_RETURN(Statement * info,
                     db_->Prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid"));
    info->Bind(1, table);
    ASSIGN_OR_RETURN(std::vector<std::string> columns,
                     info->Rows([](const Statement& st) { return st.Text(0); }));
    ASSIGN_OR_RETURN(Statement * keys,
                     db_->Prepare("SELECT DISTINCT \"table\" FROM pragma_foreign_key_list(?1)"));
    keys->Bind(1, table);
    ASSIGN_OR_RETURN(std::vector<std::string> parents,
                     keys->Rows([](const Statement& st) { return st.Text(0); }));
    for (std::string& parent : parents) {
      refers.emplace_back(table, std::move(parent));
    }
    out.push_back(TableColumns{.table = table, .columns = std::move(columns)});
  }
  // The references the per-finding tables keep without declaring them.
  for (const CheckedReference& ref : CheckedReferences()) {
    refers.emplace_back(std::string(ref.table), std::string(ref.refers_to));
  }
  return InCopyOrder(std::move(out), refers);
}

Status SqliteStore::InsertRows(std::string_view table, const std::vector<std::string>& columns,
                               const RowSource& rows) {
  std::string sql = InsertSql(table, columns);
  if (sql.empty()) {
    return Internal("InsertRows: bad table or column name");
  }
  // Foreign keys are checked at the commit, so that a row may refer to a later one; so are the
  // per-finding tables' references (the ledger).
  RETURN_IF_ERROR(db_->Exec("PRAGMA defer_foreign_keys = ON"));
  std::optional<ReferenceLedger::RowNotes> notes;
  if (IsCheckedTable(table)) {
    notes.emplace(ledger_, table, columns);
  }
  ASSIGN_OR_RETURN(Statement * st, db_->Prepare(sql));
  return rows([&](const std::vector<Cell>& row) -> Status {
    if (row.size() != columns.size()) {
      return Internal("InsertRows: a row of " + std::to_string(row.size()) + " values for " +
                      std::to_string(columns.size()) + " columns");
    }
    for (size_t i = 0; i < row.size(); ++i) {
      BindCell(*st, static_cast<int>(i + 1), row[i]);
    }
    Status s = st->Run();
    st->Reset();
    if (notes && s.ok()) {
      notes->Note(row);
    }
    return s.WithPrefix(std::string(table));
  });
}

}  // namespace vigil::sqlite
