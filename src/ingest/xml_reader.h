// A hardened streaming XML reader shared by the XML parsers.
//
// It reads the subset of XML that scanner reports use — elements, attributes, text, CDATA,
// comments, processing instructions, the five predefined entities and character references —
// and checks well-formedness (matching tags, one root, valid UTF-8, valid XML characters).
// It refuses what scanner reports never need and attackers use: DTD entity declarations
// (entity expansion bombs, external entities), encodings other than UTF-8 and ISO-8859-1,
// oversized attributes, text and nesting. Every error names the file, line and column.
// Memory is bounded by the largest single tag (attributes are capped), never the file: text
// and CDATA are handed over in pieces. See docs/decisions/0002-own-xml-reader.md for why it
// is not expat.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"
#include "ingest/input_policy.h"

namespace vigil {

class ByteSource;

struct XmlLimits {
  size_t max_attribute_bytes = 1 << 20;   // one attribute value
  size_t max_text_bytes = kMaxTextBytes;  // one element's text between two tags
  size_t max_depth = 256;                 // element nesting
};

struct XmlPosition {
  uint64_t line = 0;
  uint64_t column = 0;  // 1-based, in bytes
};

// Receives the document as events. attrs is a null-terminated array of name, value, name,
// value, ..., nullptr (as expat passes it). Text may arrive in several pieces. Returning a
// non-OK Status stops the parse; the error gets the current position.
class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual Status OnStart(std::string_view name, const char** attrs) = 0;
  virtual Status OnEnd(std::string_view name) = 0;
  virtual Status OnText(std::string_view text) = 0;
};

class XmlReader {
 public:
  explicit XmlReader(XmlLimits limits = {});
  ~XmlReader() = default;

  // Streams the whole source through handler. Errors read
  // "<source>:<line>:<column>: <what>".
  Status Parse(ByteSource& source, XmlHandler& handler);

  // Position of the event being handled (valid inside handler callbacks): for a start or end
  // tag, its '<'.
  XmlPosition position() const;

  // Value of attribute `name` in an attrs array, or nullptr.
  static const char* Attr(const char** attrs, std::string_view name);

  class Impl;  // the parse in progress; defined in xml_reader.cc

 private:
  XmlLimits limits_;
  Impl* impl_ = nullptr;
};

}  // namespace vigil
