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
  ExpectRejected("name,zone\na,\"b\n", "inv.csv:2:3: the quoted field that starts here is not");
  ExpectRejected("name,zone\na,b,c\n", "inv.csv:2: 3 fields, but the header names 2");
}

// Issue 13: an inventory took "10.0.0.1/99;999.1.1.1" as addresses, and NUL bytes and invalid
// UTF-8 as names.
TEST(InventoryCsv, RefusesAddressesThatAreNeitherIpNorHostName) {
  ExpectRejected(
      "name,addresses\na,10.0.0.1/99;999.1.1.1\n",
      "inv.csv:2: addresses: '10.0.0.1/99' is not a network: prefix length must be 0..32");
  ExpectRejected("name,addresses\na,999.1.1.1\n",
                 "inv.csv:2: addresses: '999.1.1.1' is neither an IP address nor a host name");
  ExpectRejected("name,addresses\na,10.0.0.0/24\n", "'10.0.0.0/24' is a network");
  ExpectRejected("name,addresses\na,-bad-.example.org\n", "neither an IP address");
  ExpectRejected("name,addresses\na,x'; DROP TABLE assets;--\n", "neither an IP address");
  auto ok = ParseInventoryCsv("name,addresses\na,\"10.0.0.1; 2001:db8::1 web01 x.example.org.\"\n",
                              "inv.csv");
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->at(0).addresses.size(), 4u);
}

TEST(InventoryCsv, RefusesNulInvalidUtf8ControlsAndCutRows) {
  ExpectRejected(std::string("name,zone\na\0b,z\n", 15), "inv.csv:2:2: a NUL byte");
  ExpectRejected("name,zone\ncaf\xE9,z\n", "inv.csv:2:1: invalid UTF-8");
  ExpectRejected("name,zone\nc\xC0\xAF,z\n", "invalid UTF-8");  // overlong '/'
  ExpectRejected("name,zone\na\x1b[31m,z\n", "inv.csv:2:1: name: a control character");
  ExpectRejected("name,zone,site\na,z", "inv.csv:2:1: the file ends in the middle of this record");
  ExpectRejected("name\n" + std::string(2000, 'n') + "\n", "name: longer than 1024 bytes");
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
