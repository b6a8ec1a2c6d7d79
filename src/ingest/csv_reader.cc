#include "ingest/csv_reader.h"

#include <algorithm>
#include <charconv>

#include "core/text.h"
#include "ingest/byte_source.h"
#include "ingest/diagnostics.h"

namespace vigil {
namespace {

constexpr size_t kChunk = 64 << 10;
constexpr size_t kMaxSniff = 1 << 20;  // bytes looked at to choose the separator

}  // namespace

bool CsvRecord::blank() const {
  return std::all_of(fields.begin(), fields.end(),
                     [](const std::string& f) { return TrimSpace(f).empty(); });
}

CsvReader::CsvReader(ByteSource& source, CsvLimits limits) : source_(source), limits_(limits) {}

CsvReader::~CsvReader() = default;

const std::string& CsvReader::name() const {
  return source_.name();
}

Status CsvReader::Error(uint64_t line, uint64_t column, const std::string& message) const {
  return InvalidInput(name() + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                      message);
}

Result<bool> CsvReader::Append() {
  size_t old = buffer_.size();
  buffer_.resize(old + kChunk);
  ASSIGN_OR_RETURN(size_t n, source_.Read(buffer_.data() + old, kChunk));
  buffer_.resize(old + n);
  eof_ = n == 0;
  return n > 0;
}

Result<bool> CsvReader::Fill() {
  if (eof_) {
    return false;
  }
  if (pos_ > 0) {
    buffer_.erase(0, pos_);
    pos_ = 0;
  }
  ASSIGN_OR_RETURN(bool more, Append());
  if (!more || started_) {
    return more;
  }
  // The byte order mark may come in more than one read: it is looked for once three bytes, or
  // the whole input, are here.
  started_ = true;
  while (buffer_.size() < 3 && !eof_) {
    RETURN_IF_ERROR(Append().status());
  }
  if (buffer_.compare(0, 3, "\xEF\xBB\xBF") == 0) {
    pos_ = 3;
    if (pos_ == buffer_.size()) {
      return Fill();  // nothing after the mark yet
    }
  }
  return true;
}

Status CsvReader::DetectSeparator() {
  // Read until the first line end outside quotes is in the buffer (or enough was seen).
  size_t commas = 0, semicolons = 0;
  bool quoted = false;
  for (size_t i = pos_;; ++i) {
    if (i >= buffer_.size()) {
      size_t offset = i - pos_;
      ASSIGN_OR_RETURN(bool more, Fill());
      i = pos_ + offset;
      if (!more || offset > kMaxSniff) {
        break;
      }
    }
    char c = buffer_[i];
    if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && (c == '\n' || c == '\r')) {
      break;
    } else if (!quoted) {
      commas += c == ',' ? 1 : 0;
      semicolons += c == ';' ? 1 : 0;
    }
  }
  separator_ = semicolons > commas ? ';' : ',';
  return Status::Ok();
}

Status CsvReader::EndField(CsvRecord& record) {
  size_t bad = InvalidUtf8Offset(field_);
  if (bad != std::string_view::npos) {
    return Error(field_line_, field_column_,
                 "invalid UTF-8 in field " + std::to_string(record.fields.size() + 1) + " (byte " +
                     std::to_string(bad + 1) +
                     " of the field); vigil reads UTF-8 exports: convert the file first");
  }
  if (record.fields.size() >= limits_.max_fields) {
    return Error(field_line_, field_column_,
                 "more than " + std::to_string(limits_.max_fields) + " fields in one record");
  }
  record_bytes_ += field_.size();
  if (record_bytes_ > limits_.max_record_bytes) {
    return Error(record.line, 1,
                 "a record longer than " + FormatBytes(limits_.max_record_bytes) +
                     " (the limit, docs/security.md)");
  }
  record.fields.push_back(std::move(field_));
  record.positions.push_back({field_line_, field_column_});
  field_.clear();
  return Status::Ok();
}

Status CsvReader::ForEachRecord(const std::function<Status(const CsvRecord&)>& visit) {
  CsvRecord r;
  while (true) {
    ASSIGN_OR_RETURN(bool more, Next(r));
    if (!more) {
      return Status::Ok();
    }
    if (unterminated_ && header_fields_ > 0 && r.fields.size() < header_fields_ && !r.blank()) {
      return Error(r.line, 1,
                   "the file ends in the middle of this record: it has " +
                       std::to_string(r.fields.size()) + " of the header's " +
                       std::to_string(header_fields_) + " fields (a truncated file?)");
    }
    if (!r.blank()) {
      RETURN_IF_ERROR(visit(r));
    }
  }
}

// NOLINTNEXTLINE(readability-function-size): one state machine over a record's bytes (RFC 4180)
Result<bool> CsvReader::Next(CsvRecord& record) {
  enum class State { kFieldStart, kUnquoted, kQuoted, kClosingQuote };
  record.fields.clear();
  record.positions.clear();
  record.line = line_;
  record_bytes_ = 0;
  unterminated_ = false;
  field_.clear();
  field_line_ = line_;
  field_column_ = column_;
  State state = State::kFieldStart;
  uint64_t quote_line = 0, quote_column = 0;
  auto advance = [&](char c) {
    ++pos_;
    if (c == '\n') {
      ++line_;
      column_ = 1;
    } else {
      ++column_;
    }
  };
  // Consumes a line end at pos_ (CR, LF or CRLF) and counts one line.
  auto end_line = [&]() -> Status {
    char c = buffer_[pos_];
    ++pos_;
    if (c == '\r') {
      if (pos_ >= buffer_.size()) {
        ASSIGN_OR_RETURN(bool more, Fill());
        (void)more;
      }
      if (pos_ < buffer_.size() && buffer_[pos_] == '\n') {
        ++pos_;
      }
    }
    ++line_;
    column_ = 1;
    return Status::Ok();
  };
  while (true) {
    if (pos_ >= buffer_.size()) {
      ASSIGN_OR_RETURN(bool more, Fill());
      if (!more && pos_ >= buffer_.size()) {
        break;
      }
    }
    char c = buffer_[pos_];
    if (c == '\0') {
      return Error(line_, column_, "a NUL byte: this is not a text file");
    }
    if (state == State::kFieldStart) {
      field_line_ = line_;
      field_column_ = column_;
      if (c == '"') {
        state = State::kQuoted;
        quote_line = line_;
        quote_column = column_;
        advance(c);
        continue;
      }
      state = State::kUnquoted;
    }
    if (state == State::kQuoted) {
      if (c == '"') {
        state = State::kClosingQuote;
      } else {
        field_.push_back(c);
      }
      advance(c);
    } else if (state == State::kClosingQuote && c == '"') {
      field_.push_back('"');  // a doubled quote
      state = State::kQuoted;
      advance(c);
    } else if (c == separator_) {
      advance(c);
      RETURN_IF_ERROR(EndField(record));
      state = State::kFieldStart;
      field_line_ = line_;
      field_column_ = column_;
    } else if (c == '\n' || c == '\r') {
      RETURN_IF_ERROR(end_line());
      RETURN_IF_ERROR(EndField(record));
      return true;
    } else if (state == State::kClosingQuote) {
      return Error(line_, column_,
                   "text after the closing quote of a field (a quote inside a quoted field "
                   "must be doubled)");
    } else {
      field_.push_back(c);
      advance(c);
    }
    if (field_.size() > limits_.max_field_bytes) {
      return Error(field_line_, field_column_,
                   "a field longer than " + FormatBytes(limits_.max_field_bytes) +
                       " (the limit, docs/security.md)");
    }
  }
  if (state == State::kQuoted) {
    return Error(quote_line, quote_column,
                 "the quoted field that starts here is not closed before the end of the file");
  }
  if (state == State::kFieldStart && record.fields.empty()) {
    return false;
  }
  RETURN_IF_ERROR(EndField(record));
  unterminated_ = true;
  return true;
}

CsvHeader::CsvHeader(const std::vector<std::string>& names) : written_(names) {
  for (const auto& n : names) {
    names_.push_back(AsciiLower(TrimSpace(n)));
  }
}

int CsvHeader::Find(std::initializer_list<std::string_view> names) const {
  for (std::string_view want : names) {
    auto it = std::find(names_.begin(), names_.end(), want);
    if (it != names_.end()) {
      return static_cast<int>(it - names_.begin());
    }
  }
  return -1;
}

std::string CsvHeader::Listing() const {
  return Join(written_, ", ");
}

std::string CsvHeader::Written(int index) const {
  return index < 0 || static_cast<size_t>(index) >= written_.size()
             ? std::string()
             : std::string(TrimSpace(written_[static_cast<size_t>(index)]));
}

std::string_view CsvValue(const CsvRecord& record, int index) {
  if (index < 0 || static_cast<size_t>(index) >= record.fields.size()) {
    return {};
  }
  return TrimSpace(record.fields[static_cast<size_t>(index)]);
}

bool CsvFieldCountMatches(const CsvRecord& record, const CsvHeader& header) {
  size_t n = header.size();
  return record.fields.size() == n ||
         (record.fields.size() > n &&
          std::all_of(record.fields.begin() + static_cast<std::ptrdiff_t>(n), record.fields.end(),
                      [](const std::string& f) { return TrimSpace(f).empty(); }));
}

Diagnostic CsvDiagnostic(const CsvRecord& record, const CsvHeader& header, int column,
                         std::string what, std::string message) {
  Diagnostic d{.line = record.line, .column = 1, .record = std::move(what)};
  if (column >= 0 && static_cast<size_t>(column) < record.positions.size()) {
    d.line = record.positions[static_cast<size_t>(column)].line;
    d.column = record.positions[static_cast<size_t>(column)].column;
  }
  d.field = header.Written(column);
  d.message = std::move(message);
  return d;
}

std::optional<double> ParseCsvNumber(std::string_view text) {
  std::string s(TrimSpace(text));
  if (s.find('.') == std::string::npos && std::count(s.begin(), s.end(), ',') == 1) {
    std::replace(s.begin(), s.end(), ',', '.');
  }
  double d = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (s.empty() || ec != std::errc() || ptr != s.data() + s.size()) {
    return std::nullopt;
  }
  return d;
}

}  // namespace vigil
