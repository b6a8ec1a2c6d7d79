// An oracle for the XML reader: the same XmlHandler events produced by expat, a mature
// parser. Differential tests run both over the same documents and compare what they see.
#pragma once

#include "core/status.h"
#include "ingest/xml_reader.h"

namespace vigil::testing {

class ExpatReader {
 public:
  Status Parse(ByteSource& source, XmlHandler& handler);
  XmlPosition position() const;

  struct State;

 private:
  State* state_ = nullptr;
};

}  // namespace vigil::testing
