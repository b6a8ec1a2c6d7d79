// A streaming reader of CSV records, shared by the CSV report parsers (Tenable, Greenbone,
// Qualys exports).
//
// RFC 4180 with the liberties real exports take: the separator is ',' or ';', a UTF-8 byte
// order mark is skipped, lines end in LF, CRLF or CR, a quoted field may span lines, and a
// quote inside an unquoted field is kept as a character. Refused, with "<source>:<line>:
// <column>: what": a quoted field still open at the end of the file, text after a closing
// quote, a NUL byte, invalid UTF-8, a field over the size limit, a record with too many
// fields, a record over its size limit, and a last record the end of the file cuts short
// (fewer fields than the header and no line end: a truncated file). Memory is bounded by one
// record, never the file.
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "ingest/input_policy.h"

namespace vigil {

class ByteSource;
struct Diagnostic;

struct CsvLimits {
  size_t max_field_bytes = kMaxTextBytes;       // one field, as for XML element text
  size_t max_record_bytes = 2 * kMaxTextBytes;  // all fields of one record
  size_t max_fields = 4096;                     // fields in one record
};

struct CsvRecord {
  struct Position {
    uint64_t line = 0;
    uint64_t column = 0;  // from 1, in bytes
  };
  std::vector<std::string> fields;
  std::vector<Position> positions;  // where each field starts
  uint64_t line = 0;                // where the record starts, from 1
  // True when no field holds anything but white space (an empty line, or ",,,").
  bool blank() const;
};

class CsvReader {
 public:
  explicit CsvReader(ByteSource& source, CsvLimits limits = {});
  ~CsvReader();

  // Chooses the separator for what follows from the next line: ';' when it holds more
  // semicolons than commas outside quotes, else ','. Consumes nothing.
  Status DetectSeparator();
  void set_separator(char separator) { separator_ = separator; }
  // The header's field count: from now on a last record with fewer fields and no line end is
  // refused as cut short.
  void set_header_fields(size_t n) { header_fields_ = n; }
  char separator() const { return separator_; }

  // Reads the next record; false at the end of the input.
  Result<bool> Next(CsvRecord& record);
  // Calls `visit` for every remaining record that is not blank, in order; stops at the first
  // error of either.
  Status ForEachRecord(const std::function<Status(const CsvRecord&)>& visit);

  // "<source>:<line>:<column>: <message>", for errors about the file's structure.
  Status Error(uint64_t line, uint64_t column, const std::string& message) const;
  const std::string& name() const;

 private:
  Result<bool> Fill();    // appends a chunk to the buffer; false at the end of the input
  Result<bool> Append();  // one read of the source, appended; false (and eof_) when it ends
  Status EndField(CsvRecord& record);

  ByteSource& source_;
  CsvLimits limits_;
  char separator_ = ',';
  std::string buffer_;
  size_t pos_ = 0;
  bool eof_ = false;
  bool started_ = false;  // the byte order mark has been looked at
  uint64_t line_ = 1;
  uint64_t column_ = 1;
  std::string field_;
  uint64_t field_line_ = 1, field_column_ = 1;
  size_t record_bytes_ = 0;
  size_t header_fields_ = 0;
  bool unterminated_ = false;  // the record just read ended with the input, not a line end
};

// The columns of a header record, looked up by name (trimmed, case-insensitive), never by
// position.
class CsvHeader {
 public:
  CsvHeader() = default;
  explicit CsvHeader(const std::vector<std::string>& names);

  // The index of the first of `names` (lower case) the header has, or -1.
  int Find(std::initializer_list<std::string_view> names) const;
  bool Has(std::string_view name) const { return Find({name}) >= 0; }
  size_t size() const { return names_.size(); }
  // The names as written, joined with ", " (for messages).
  std::string Listing() const;
  // Column `index`'s name as the file writes it; empty for -1.
  std::string Written(int index) const;

 private:
  std::vector<std::string> names_;  // lower case, trimmed
  std::vector<std::string> written_;
};

// Field `index` of the record with surrounding white space removed; empty when index is -1
// or past the record's end.
std::string_view CsvValue(const CsvRecord& record, int index);

// Whether the record has as many fields as the header names (extra trailing empty fields
// are allowed). A record with another count is misaligned and is skipped by the parsers.
bool CsvFieldCountMatches(const CsvRecord& record, const CsvHeader& header);

// A problem with field `column` of `record` (the record as a whole for -1): the position is
// the field's, the field is named as the header writes it, the record is `what`.
Diagnostic CsvDiagnostic(const CsvRecord& record, const CsvHeader& header, int column,
                         std::string what, std::string message);

// A decimal number with '.' or ',' as the decimal mark ("7.5", "7,5"); nullopt otherwise.
std::optional<double> ParseCsvNumber(std::string_view text);

}  // namespace vigil
