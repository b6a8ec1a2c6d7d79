// PgStore: the tables of the schema and rows inserted as given, through COPY (vigil migrate).
#include <charconv>

#include "store/postgres/pg_schema.h"
#include "store/postgres/pg_store.h"
#include "store/reference_ledger.h"

namespace vigil::postgres {
namespace {

// The COPY of InsertRows; empty when a name is not a plain identifier.
std::string CopySql(std::string_view table, const std::vector<std::string>& columns) {
  if (!IsSqlIdentifier(table) || columns.empty()) {
    return {};
  }
  std::string names;
  for (size_t i = 0; i < columns.size(); ++i) {
    if (!IsSqlIdentifier(columns[i])) {
      return {};
    }
    names += (i == 0 ? "" : ", ") + QuotedIdentifier(columns[i]);
  }
  return "COPY " + QuotedIdentifier(table) + " (" + names + ") FROM STDIN";
}

// A value in COPY's text format: \N for NULL, numbers as they are (reals in the shortest form
// that reads back the same double), text with backslash, tab, newline and return escaped.
void AppendCell(std::string& line, const Cell& cell) {
  switch (cell.kind) {
    case Cell::Kind::kNull:
      line += "\\N";
      return;
    case Cell::Kind::kInt:
      line += std::to_string(cell.i);
      return;
    case Cell::Kind::kReal: {
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, cell.r);
      line.append(buf, ec == std::errc() ? end : buf);
      return;
    }
    case Cell::Kind::kText:
      for (char c : cell.text) {
        switch (c) {
          case '\\':
            line += "\\\\";
            break;
          case '\t':
            line += "\\t";
            break;
          case '\n':
            line += "\\n";
            break;
          case '\r':
            line += "\\r";
            break;
          default:
            line.push_back(c);
        }
      }
      return;
  }
}

}  // namespace

Result<std::vector<TableColumns>> PgStore::Tables() {
  std::vector<TableColumns> tables;
  RETURN_IF_ERROR(ForEach(
      "SELECT c.table_name::text, c.column_name::text FROM information_schema.columns c "
      "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = "
      "c.table_name WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' "
      "AND c.table_name <> 'schema_version' ORDER BY 1, c.ordinal_position",
      Params(), [&](const Row& row) -> Status {
        std::string table = row.Text(0);
        if (tables.empty() || tables.back().table != table) {
          tables.push_back(TableColumns{.table = table, .columns = {}});
        }
        tables.back().columns.push_back(row.Text(1));
        return Status::Ok();
      }));
  std::vector<std::pair<std::string, std::string>> refers;
  RETURN_IF_ERROR(
      ForEach("SELECT DISTINCT t.relname::text, r.relname::text FROM pg_constraint k "
              "JOIN pg_class t ON t.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid "
              "JOIN pg_namespace n ON n.oid = t.relnamespace "
              "WHERE k.contype = 'f' AND n.nspname = current_schema()",
              Params(), [&](const Row& row) -> Status {
                refers.emplace_back(row.Text(0), row.Text(1));
                return Status::Ok();
              }));
  // The references the per-finding tables keep without declaring them.
  for (const CheckedReference& ref : CheckedReferences()) {
    refers.emplace_back(std::string(ref.table), std::string(ref.refers_to));
  }
  return InCopyOrder(std::move(tables), refers);
}

Status PgStore::InsertRows(std::string_view table, const std::vector<std::string>& columns,
                           const RowSource& rows) {
  if (!in_transaction_) {
    return Internal("InsertRows: outside a transaction");
  }
  std::string sql = CopySql(table, columns);
  if (sql.empty()) {
    return Internal("InsertRows: bad table or column name");
  }
  // One COPY for the whole table: its foreign keys are checked when it ends, so a row may
  // refer to a later row of the same table; the per-finding tables' references when the
  // transaction commits (the ledger).
  std::optional<ReferenceLedger::RowNotes> notes;
  if (IsCheckedTable(table)) {
    notes.emplace(ledger_, table, columns);
  }
  Status st = db_->CopyIn(sql, [&](const std::function<Status(std::string_view)>& line) {
    std::string text;
    return rows([&](const std::vector<Cell>& row) -> Status {
      if (row.size() != columns.size()) {
        return Internal("InsertRows: a row of " + std::to_string(row.size()) + " values for " +
                        std::to_string(columns.size()) + " columns");
      }
      if (notes) {
        notes->Note(row);
      }
      text.clear();
      for (size_t i = 0; i < row.size(); ++i) {
        if (i > 0) {
          text.push_back('\t');
        }
        AppendCell(text, row[i]);
      }
      return line(text);
    });
  });
  return st.WithPrefix(std::string(table));
}

}  // namespace vigil::postgres
