// Small text helpers shared by every layer: ASCII case folding, trimming, splitting, joining,
// checked number parsing, and the nearest word for "did you mean" hints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace vigil {

// Removes leading and trailing XML white space (space, tab, CR, LF).
std::string_view TrimSpace(std::string_view s);

// Case folding of ASCII letters only; other bytes (UTF-8) are kept as they are.
std::string AsciiLower(std::string_view s);

// The value of a hexadecimal digit (either case), or -1.
int HexDigitValue(char c);
std::string AsciiUpper(std::string_view s);

// The offset of the first byte that is not part of valid UTF-8 (RFC 3629: no overlong forms,
// no surrogates, nothing above U+10FFFF), or npos when all of `s` is valid.
size_t InvalidUtf8Offset(std::string_view s);

// Splits at any of `separators`, trims each piece and drops the empty ones.
std::vector<std::string> SplitNonEmpty(std::string_view s, std::string_view separators);

std::string Join(const std::vector<std::string>& items, std::string_view separator);

// A whole decimal number (surrounding white space allowed), or nullopt.
std::optional<double> ParseDouble(std::string_view s);

// A decimal integer that is the whole text: an optional '-' (ParseInt64 only) and digits, no
// white space, in range. Otherwise an InvalidInput error quoting the text; callers reading
// stored data turn it into an Internal error naming what was damaged.
Result<int64_t> ParseInt64(std::string_view s);
Result<uint64_t> ParseUint64(std::string_view s);

// The optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// adjacent characters each count 1 ("vulsn" is 1 from "vulns").
size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `word` (ASCII case ignored) for a "did you mean" hint: the one
// with the smallest edit distance when that is at most a third of the word's length, else
// the only candidate that starts with `word`; nullopt when none is close. Ties go to the
// earlier candidate.
std::optional<std::string> NearestWord(std::string_view word,
                                       const std::vector<std::string>& candidates);

// What a CSV cell holds: text from anywhere (a scan, a person, a feed), or a number vigil
// wrote itself from a binary value.
enum class CsvCell { kText, kNumber };

// A CSV field (RFC 4180) that a spreadsheet shows as it is. Text that a spreadsheet would run
// as a formula, one starting with '=', '+', '-', '@', a tab or a carriage return (OWASP's CSV
// injection rule), gets a leading apostrophe. The field is quoted, with quotes doubled, when
// it holds a comma, quote or line break, and also a semicolon or a tab: spreadsheets set up
// for other locales split cells there, and a formula must not start a cell of its own. A
// kNumber cell with the shape of a decimal number ("-3", "7.5", "1e-05") is written as it is
// and stays a number; any other kNumber cell ("-inf") is written as text.
std::string CsvField(std::string_view s, CsvCell cell = CsvCell::kText);

}  // namespace vigil
