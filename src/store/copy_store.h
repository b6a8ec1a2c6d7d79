// Copying a whole database into another (vigil migrate, app/migrate.h): every table the
// schema has, with its columns, and rows inserted exactly as given (ids kept: the audit log
// and the state commitment refer to them). No policy: which database may be copied into
// which is the application layer's.
// Part of the Store (store/store.h); its contract on transactions applies.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "store/records.h"

namespace vigil {

// A table and its columns, in the order the schema declares them.
struct TableColumns {
  std::string table;
  std::vector<std::string> columns;
  bool operator==(const TableColumns&) const = default;
};

// Hands each row to `put`, in order; stops at the first error `put` returns.
using RowPut = std::function<Status(const std::vector<Cell>&)>;
using RowSource = std::function<Status(const RowPut& put)>;

class CopyStore {
 public:
  virtual ~CopyStore() = default;

  // Every table of vigil's schema (not the backend's own bookkeeping, such as the schema
  // version), each after the tables its foreign keys refer to, so that inserting the tables in
  // this order satisfies every foreign key between tables; ties by name.
  virtual Result<std::vector<TableColumns>> Tables() = 0;
  // Inserts the rows `rows` hands out into `table`, each with the values of `columns` in that
  // order, as they are (no id is assigned): inside a transaction (Begin). A row may refer to a
  // row of the same table that comes later in the same call (decisions.superseded_by).
  virtual Status InsertRows(std::string_view table, const std::vector<std::string>& columns,
                            const RowSource& rows) = 0;
};

// `tables` ordered so that each comes after the tables it refers to (`refers`: pairs of
// table, referenced table; a table's references to itself are ignored), ties by name. An
// error names the tables of a cycle.
Result<std::vector<TableColumns>> InCopyOrder(
    std::vector<TableColumns> tables,
    const std::vector<std::pair<std::string, std::string>>& refers);

}  // namespace vigil
