#include "ingest/inventory_csv.h"

#include <gtest/gtest.h>

namespace vigil {
namespace {

void ExpectRejected(const std::string& csv, const std::string& needle) {
  auto r = ParseInventoryCsv(csv, "inv.csv");
  ASSERT_FALSE(r.ok()) << csv;
  EXPECT_NE(r.status().message().find(needle), std::string::npos) << r.status().message();
}

TEST(InventoryCsv, RejectsBrokenFiles) {
  ExpectRejected("", "inv.csv:1: empty file");
  ExpectRejected("host,zone\na,b\n", "inv.csv:1: no 'name' column");
  ExpectRejected("name,zone\na,b\n,c\n", "inv.csv:3: the name is empty");
  ExpectRejected("name\na\nA\n", "inv.csv:3: 'A' is listed twice");
  ExpectRejected("name,zone\na,\"b\n", "inv.csv:2: a quoted field is not closed");
  ExpectRejected("name,zone\na,b,c\n", "inv.csv:2: 3 fields, but the header names 2");
}

TEST(InventoryCsv, ReadsColumnsInAnyOrderWithQuoting) {
  auto r = ParseInventoryCsv(
      "\xEF\xBB\xBFZone,Name,addresses,Scanners,owner\r\n"
      "certificate-system,ca-signer01,\"10.20.0.11; CA-SIGNER01.dc1.example-ca.net\","
      "tenable-agents;network-weekly,\"PKI team, ops\"\r\n"
      "dmz,ra-web01,192.0.2.10,,\n",
      "inv.csv");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 2u);
  const InventoryEntry& e = r->at(0);
  EXPECT_EQ(e.name, "ca-signer01");
  EXPECT_EQ(e.zone, "certificate-system");
  EXPECT_EQ(e.owner, "PKI team, ops");
  EXPECT_EQ(e.addresses,
            (std::vector<std::string>{"10.20.0.11", "ca-signer01.dc1.example-ca.net"}));
  EXPECT_EQ(e.scanners, (std::vector<std::string>{"tenable-agents", "network-weekly"}));
  EXPECT_EQ(e.line, 2u);
  EXPECT_TRUE(r->at(1).scanners.empty());
}

}  // namespace
}  // namespace vigil
