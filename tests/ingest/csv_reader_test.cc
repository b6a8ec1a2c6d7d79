// The CSV record reader the Tenable, Greenbone and Qualys CSV parsers share: broken input
// first, then the liberties real exports take.
#include "ingest/csv_reader.h"

#include <gtest/gtest.h>

#include "ingest/byte_source.h"
#include "support/short_read_source.h"

namespace vigil {
namespace {

// Every record of `text`, or the error.
Result<std::vector<CsvRecord>> ReadAll(const std::string& text, CsvLimits limits = {},
                                       bool detect = false) {
  StringSource source(text, "x.csv");
  CsvReader reader(source, limits);
  if (detect) {
    RETURN_IF_ERROR(reader.DetectSeparator());
  }
  std::vector<CsvRecord> out;
  CsvRecord r;
  while (true) {
    ASSIGN_OR_RETURN(bool more, reader.Next(r));
    if (!more) {
      return out;
    }
    out.push_back(r);
  }
}

void ExpectError(const std::string& text, const std::string& message, CsvLimits limits = {}) {
  auto r = ReadAll(text, limits);
  ASSERT_FALSE(r.ok()) << text;
  EXPECT_EQ(r.status().message(), message);
}

TEST(CsvReader, RejectsAQuotedFieldLeftOpen) {
  ExpectError("a,b\n1,\"two\nlines\n",
              "x.csv:2:3: the quoted field that starts here is not closed before the end of the "
              "file");
}

TEST(CsvReader, RejectsTextAfterAClosingQuote) {
  ExpectError("a,b\n1,\"two\"x\n",
              "x.csv:2:8: text after the closing quote of a field (a quote inside a quoted "
              "field must be doubled)");
}

TEST(CsvReader, RejectsNulBytesAndInvalidUtf8) {
  ExpectError(std::string("a,b\n1,\0\n", 8), "x.csv:2:3: a NUL byte: this is not a text file");
  ExpectError("a,b\n1,caf\xE9\n",
              "x.csv:2:3: invalid UTF-8 in field 2 (byte 4 of the field); vigil reads UTF-8 "
              "exports: convert the file first");
}

TEST(CsvReader, RejectsOversizedFieldsAndRecords) {
  ExpectError("a,b\n1,0123456789ABCDEF\n",
              "x.csv:2:3: a field longer than 8 bytes (the limit, docs/security.md)",
              CsvLimits{.max_field_bytes = 8});
  ExpectError("a,b,c,d\n", "x.csv:1:5: more than 2 fields in one record",
              CsvLimits{.max_fields = 2});
}

TEST(CsvReader, ReadsQuotesLineBreaksAndPositions) {
  auto r = ReadAll("\xEF\xBB\xBFh1,h2,h3\r\n\"a \"\"b\"\"\",\"x\r\ny\",plain \"q\"\r\n\r\nlast,,");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->size(), 4u);
  EXPECT_EQ((*r)[0].fields, (std::vector<std::string>{"h1", "h2", "h3"}));
  EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"a \"b\"", "x\r\ny", "plain \"q\""}));
  EXPECT_EQ((*r)[1].line, 2u);
  EXPECT_EQ((*r)[1].positions[2].line, 3u);
  EXPECT_EQ((*r)[1].positions[2].column, 4u);
  EXPECT_TRUE((*r)[2].blank());
  EXPECT_EQ((*r)[3].line, 5u);
  EXPECT_EQ((*r)[3].fields, (std::vector<std::string>{"last", "", ""}));
}

TEST(CsvReader, ChoosesTheSeparatorFromTheFirstLine) {
  auto r = ReadAll("\"Plugin ID\";\"Name, long\";Port\n1;\"a;b\";2,5\n", {}, true);
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ((*r)[0].fields, (std::vector<std::string>{"Plugin ID", "Name, long", "Port"}));
  EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"1", "a;b", "2,5"}));
}

TEST(CsvReader, ReadsRecordsAcrossChunkBoundaries) {
  // A CRLF and a doubled quote straddling the reader's 64 KiB chunks.
  for (size_t pad : {65534u, 65535u, 65536u}) {
    std::string text = "\"" + std::string(pad - 1, 'x') + "\"\"\",b\r\nc,d\r\n";
    auto r = ReadAll(text);
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_EQ(r->size(), 2u) << pad;
    EXPECT_EQ((*r)[0].fields[0].size(), pad);
    EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"c", "d"}));
    EXPECT_EQ((*r)[1].line, 2u);
  }
}

// fuzz/regressions/inventory_csv/csv-byte-order-mark-split-across-reads.csv: a first read
// shorter than the mark kept it in the first field; a mark alone read the terminating NUL.
TEST(CsvReader, SkipsTheByteOrderMarkWhateverTheReadSizes) {
  for (size_t max_read : {1u, 2u, 3u, 4u, 64u}) {
    testing::ShortReadSource source("\xEF\xBB\xBFname,zone\nweb,dmz\n", max_read, "x.csv");
    CsvReader reader(source);
    CsvRecord r;
    auto more = reader.Next(r);
    ASSERT_TRUE(more.ok()) << more.status().message();
    EXPECT_EQ(r.fields, (std::vector<std::string>{"name", "zone"})) << max_read;
    EXPECT_EQ(r.positions[0].column, 1u) << max_read;
  }
  for (size_t max_read : {1u, 3u, 64u}) {
    testing::ShortReadSource source("\xEF\xBB\xBF", max_read, "x.csv");
    CsvReader reader(source);
    CsvRecord r;
    auto more = reader.Next(r);
    ASSERT_TRUE(more.ok()) << more.status().message();
    EXPECT_FALSE(*more) << "a byte order mark alone is an empty file";
  }
}

TEST(CsvReader, LooksColumnsUpByName) {
  CsvHeader h({" Plugin ID ", "HOST", "Port"});
  EXPECT_EQ(h.Find({"plugin", "plugin id"}), 0);
  EXPECT_EQ(h.Find({"host"}), 1);
  EXPECT_EQ(h.Find({"ip address"}), -1);
  EXPECT_EQ(h.Written(0), "Plugin ID");
  CsvRecord r{.fields = {"1", " 10.0.0.1 ", "22"}};
  EXPECT_EQ(CsvValue(r, 1), "10.0.0.1");
  EXPECT_EQ(CsvValue(r, 7), "");
  EXPECT_EQ(CsvValue(r, -1), "");
}

TEST(CsvReader, ReadsDecimalCommas) {
  EXPECT_EQ(ParseCsvNumber("7,5"), 7.5);
  EXPECT_EQ(ParseCsvNumber(" 10.0 "), 10.0);
  EXPECT_EQ(ParseCsvNumber("1,234.5"), std::nullopt);
  EXPECT_EQ(ParseCsvNumber("high"), std::nullopt);
  EXPECT_EQ(ParseCsvNumber(""), std::nullopt);
}

}  // namespace
}  // namespace vigil
