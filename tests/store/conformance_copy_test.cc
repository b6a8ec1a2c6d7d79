// The Store contract, continued: the tables of the schema in copy order, and rows inserted as
// given (vigil migrate).
#include <algorithm>

#include "store/conformance_fixture.h"

namespace vigil::conformance {
namespace {

TEST_P(StoreConformance, TablesListEveryTableAfterTheTablesItRefersTo) {
  auto tables = MUST(s().Tables());
  auto at = [&](const std::string& name) {
    return std::find_if(tables.begin(), tables.end(),
                        [&](const TableColumns& t) { return t.table == name; }) -
           tables.begin();
  };
  EXPECT_EQ(tables.size(), 28U);
  EXPECT_EQ(at("schema_version"), static_cast<long>(tables.size()));
  EXPECT_LT(at("scanners"), at("scans"));
  EXPECT_LT(at("vulnerabilities"), at("findings"));
  EXPECT_LT(at("findings"), at("evidence"));
  EXPECT_LT(at("evidence"), at("finding_sources"));
  EXPECT_LT(at("users"), at("api_tokens"));
  EXPECT_LT(at("notifications"), at("notification_attempts"));
  const TableColumns& events = tables[static_cast<size_t>(at("events"))];
  EXPECT_EQ(events.columns, (std::vector<std::string>{"seq", "at", "actor", "type", "subject",
                                                      "payload", "leaf_hash", "root_hash"}));
}

TEST_P(StoreConformance, InsertRowsKeepsEveryValueAsGiven) {
  std::vector<std::string> columns = {"id",   "size",         "root_hash", "at",
                                      "note", "tsa_response", "tsa_time"};
  std::vector<std::vector<Cell>> rows;
  for (int i = 0; i < 3; ++i) {
    const std::string& text = HostileTexts()[static_cast<size_t>(i) % HostileTexts().size()];
    rows.push_back({Cell::Int(7 + i * 10), Cell::Int(i), Cell::Text("ab\\\t\n\r" + text),
                    Cell::Int(-5 + i), Cell::Text(text + "x"), Cell::Null(),
                    i == 0 ? Cell::Null() : Cell::Int(int64_t{1} << 40)});
  }
  ASSERT_TRUE(InTransaction(s(), [&] {
                return s().InsertRows("checkpoints", columns, [&](const RowPut& put) -> Status {
                  for (const auto& row : rows) {
                    RETURN_IF_ERROR(put(row));
                  }
                  return Status::Ok();
                });
              }).ok());
  std::vector<std::vector<Cell>> got;
  ASSERT_TRUE(s().ForEachRow("checkpoints", columns, {},
                             [&](const std::vector<Cell>& row) {
                               got.push_back(row);
                               return Status::Ok();
                             })
                  .ok());
  EXPECT_EQ(got, rows);
  // Reals read back as the same double.
  std::vector<std::string> epss = {"cve", "score", "percentile", "model_version", "score_date"};
  std::vector<Cell> real = {Cell::Text("CVE-2024-0001"), Cell::Real(0.1 + 0.2), Cell::Real(1e-300),
                            Cell::Text("v"), Cell::Int(3)};
  ASSERT_TRUE(InTransaction(s(), [&] {
                return s().InsertRows("epss", epss, [&](const RowPut& put) { return put(real); });
              }).ok());
  std::vector<Cell> read;
  ASSERT_TRUE(s().ForEachRow("epss", epss, {},
                             [&](const std::vector<Cell>& row) {
                               read = row;
                               return Status::Ok();
                             })
                  .ok());
  EXPECT_EQ(read, real);
  EXPECT_FALSE(s().InsertRows("checkpoints; DROP TABLE events", columns,
                              [](const RowPut&) { return Status::Ok(); })
                   .ok());
}

}  // namespace
}  // namespace vigil::conformance
