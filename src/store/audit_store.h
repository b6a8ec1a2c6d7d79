// The audit log's events and checkpoints, and the rows verification compares
// with it. Sequence numbers are allocated by the engine (engine/audit_log.cc), in the write
// transaction that appends the event: Store::Begin's exclusion of every other writer is what
// keeps the log one linear sequence.
// Part of the Store (store/store.h); its contract on transactions applies.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/records.h"

namespace vigil {

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // The audit log: appended in the transaction of the change it records.
  virtual Status InsertEvent(const EventRecord& event) = 0;
  // Events with from <= seq <= to (to = 0: to the end), in order, one at a time.
  virtual Status ForEachEvent(int64_t from, int64_t to,
                              const std::function<Status(const EventRecord&)>& visit) = 0;
  // The newest event, if any.
  virtual Result<std::optional<EventRecord>> LastEvent() = 0;
  // The sequence number of the last event (0 for none): every change appends one, so a cache
  // of what was read keeps while it is unchanged.
  virtual Result<int64_t> LastEventSeq() = 0;
  virtual Status InsertCheckpoint(const CheckpointRecord& checkpoint) = 0;
  virtual Result<std::vector<CheckpointRecord>> QueryCheckpoints() = 0;

  // The rows of `table` whose `where` columns hold the given values (all rows when empty),
  // with the named `columns`, ordered by the first column, one at a time: how an import
  // keeps its commitment to the state it leaves, and how verification reads what it
  // compares with the log. The names are the engine's constants, never user input.
  virtual Status ForEachRow(std::string_view table, const std::vector<std::string>& columns,
                            const RowFilter& where,
                            const std::function<Status(const std::vector<Cell>&)>& visit) = 0;
};

}  // namespace vigil
