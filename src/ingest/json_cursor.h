// A pull parser over JSON text held in memory, for feeds read field by field (NVD): it walks
// the document without building it, skips what the reader does not ask for at memory speed,
// and tells the line and column of any error. Strict RFC 8259 syntax; a key given twice in
// one object and invalid UTF-8 in a string are refused, in skipped values too; "\u0000" is
// read as U+FFFD.
//
//   JsonCursor c(text);
//   if (!c.EnterObject()) return c.error();
//   std::string_view key;
//   while (c.NextKey(key)) {
//     if (key == "id") c.String(id); else c.Skip();
//   }
//   if (!c.ok()) return c.error();
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/status.h"

namespace vigil {

class JsonCursor {
 public:
  enum class Kind { kObject, kArray, kString, kNumber, kBool, kNull, kEnd };

  static constexpr int kMaxDepth = 63;  // first_bits_ holds one bit per level

  explicit JsonCursor(std::string_view text) : text_(text) {}

  // The kind of the next value (kEnd at the end of the text or after an error).
  Kind Peek();

  // Consumes '{' or '['. False (with an error) when the next value is something else.
  bool EnterObject();
  bool EnterArray();
  // Inside an object: the next key (its colon consumed), or false at '}' (consumed) or on
  // an error. `key` stays valid until the next call (keys with escapes are decoded).
  bool NextKey(std::string_view& key);
  // Inside an array: true when another element follows, false at ']' (consumed) or on error.
  bool NextElement();

  // Reads the next value as the type asked; false with an error naming what was found.
  bool String(std::string& out);
  bool Number(double& out);
  bool Integer(int64_t& out);
  bool Bool(bool& out);
  // A string, or "" for null.
  bool OptString(std::string& out);
  // Skips one value of any kind.
  bool Skip();
  // After the root value: only white space may follow.
  bool End();

  bool ok() const { return error_.ok(); }
  const Status& error() const { return error_; }
  // "LINE:COLUMN" of the current position, or of a byte offset (counts lines: for errors).
  std::string Where() const { return WhereAt(pos_); }
  std::string WhereAt(uint64_t offset) const;
  uint64_t offset() const { return pos_; }

 private:
  void SkipSpace();
  bool Fail(const std::string& message);
  bool Expect(char c, const char* what);
  // Scans a string at pos_ (at the opening quote). Sets `raw` to the bytes between the
  // quotes; `escaped` tells whether it holds backslashes.
  bool ScanString(std::string_view& raw, bool& escaped);
  bool Decode(std::string_view raw, std::string& out);
  // A \uXXXX escape (and its low surrogate) at raw[i] == 'u'; leaves i on its last digit.
  bool DecodeUnicode(std::string_view raw, size_t& i, std::string& out);
  // Checks the escapes of a string that has some (`start`: its first byte's offset).
  bool CheckEscapes(std::string_view raw, size_t start);
  bool ScanNumber(std::string_view& raw);
  bool AfterValue();  // consumes a ',' before the next element or key, if any
  void ForgetKeys();  // a new object at depth_: no keys seen yet

  std::string_view text_;
  size_t pos_ = 0;
  int depth_ = 0;
  // Whether the next NextKey/NextElement in the innermost container is its first.
  uint64_t first_bits_ = 0;
  std::string scratch_;
  // The keys read so far of the object open at each depth: a key given twice is refused (a
  // document that says two things). Keys with escapes are decoded into owned_keys_.
  std::array<std::unordered_set<std::string_view>, kMaxDepth + 1> keys_;
  std::deque<std::string> owned_keys_;
  Status error_;
};

}  // namespace vigil
