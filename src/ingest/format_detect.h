// Tells a report's format from its content (never from its file name).
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace vigil {

enum class ReportFormat { kNessus };

std::string_view ToString(ReportFormat format);
// Parses a --parser value ("nessus"); "auto" is handled by the caller.
Result<ReportFormat> ParseReportFormat(std::string_view name);

// Detects the format from the first bytes of a file (a few KB are enough; more are fine).
// Errors start with the line and column of what was found ("1:1: empty file",
// "2:1: ... XML with root element <foo>").
Result<ReportFormat> DetectFormat(std::string_view head);

// The name of the first element of an XML document, skipping the declaration, comments,
// processing instructions and DOCTYPE. Empty when the head holds no element start.
std::string XmlRootName(std::string_view head);
// Where the first element starts in `head`, or npos.
size_t XmlRootOffset(std::string_view head);

}  // namespace vigil
