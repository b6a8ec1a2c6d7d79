// A hardened streaming XML reader (expat) shared by the XML parsers.
//
// Refuses DTD entity declarations (so no entity expansion bombs and no external entities),
// bounds the length of attribute values and text, and reports every error with the file's
// line and column. Memory stays bounded by the largest single token, not the file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil {

class ByteSource;

struct XmlLimits {
  size_t max_attribute_bytes = 1 << 20;  // one attribute value
  size_t max_text_bytes = 64 << 20;      // one element's collected text
};

struct XmlPosition {
  uint64_t line = 0;
  uint64_t column = 0;
};

// Receives the document as events. attrs is expat's null-terminated name/value array.
// Returning a non-OK Status stops the parse; the error gets the current position.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual Status OnStart(std::string_view name, const char** attrs) = 0;
  virtual Status OnEnd(std::string_view name) = 0;
  virtual Status OnText(std::string_view text) = 0;
};

class XmlReader {
 public:
  explicit XmlReader(XmlLimits limits = {}) : limits_(limits) {}

  // Streams the whole source through handler. Errors read
  // "<source>:<line>:<column>: <what>".
  Status Parse(ByteSource& source, XmlHandler& handler);

  // Position of the event being handled (valid inside handler callbacks).
  XmlPosition position() const;

  // Value of attribute `name` in expat's attrs array, or nullptr.
  static const char* Attr(const char** attrs, std::string_view name);

  struct State;  // the parse in progress; defined in xml_reader.cc

 private:
  XmlLimits limits_;
  State* state_ = nullptr;
};

}  // namespace vigil
