#include "ingest/format_detect.h"

#include <cctype>

namespace vigil {
namespace {

std::string_view SkipSpaceAndBom(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") {
    s.remove_prefix(3);
  }
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) {
    s.remove_prefix(1);
  }
  return s;
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.' ||
         c == ':' || (static_cast<unsigned char>(c) & 0x80);
}

}  // namespace

std::string_view ToString(ReportFormat format) {
  switch (format) {
    case ReportFormat::kNessus:
      return "nessus";
  }
  return "?";
}

Result<ReportFormat> ParseReportFormat(std::string_view name) {
  if (name == "nessus") {
    return ReportFormat::kNessus;
  }
  return UsageError("unknown parser '" + std::string(name) + "' (known: auto, nessus)");
}

std::string XmlRootName(std::string_view head) {
  std::string_view s = SkipSpaceAndBom(head);
  while (!s.empty()) {
    size_t lt = s.find('<');
    if (lt == std::string_view::npos || lt + 1 >= s.size()) {
      return "";
    }
    s.remove_prefix(lt + 1);
    if (s.front() == '?') {
      size_t end = s.find("?>");
      if (end == std::string_view::npos) {
        return "";
      }
      s.remove_prefix(end + 2);
    } else if (s.substr(0, 3) == "!--") {
      size_t end = s.find("-->");
      if (end == std::string_view::npos) {
        return "";
      }
      s.remove_prefix(end + 3);
    } else if (s.front() == '!') {
      // DOCTYPE, possibly with an internal subset in brackets.
      size_t bracket = s.find('[');
      size_t gt = s.find('>');
      if (bracket != std::string_view::npos && bracket < gt) {
        gt = s.find("]>", bracket);
        if (gt == std::string_view::npos) {
          return "";
        }
        ++gt;
      }
      if (gt == std::string_view::npos) {
        return "";
      }
      s.remove_prefix(gt + 1);
    } else {
      size_t n = 0;
      while (n < s.size() && IsNameChar(s[n])) {
        ++n;
      }
      return std::string(s.substr(0, n));
    }
  }
  return "";
}

Result<ReportFormat> DetectFormat(std::string_view head) {
  std::string_view s = SkipSpaceAndBom(head);
  if (s.empty()) {
    return InvalidInput(head.empty() ? "empty file" : "the file holds only white space");
  }
  if (s.front() != '<') {
    return InvalidInput(
        "not a recognised report: the content is not XML (known formats: Nessus v2 XML)");
  }
  std::string root = XmlRootName(s);
  if (root == "NessusClientData_v2") {
    return ReportFormat::kNessus;
  }
  if (root.empty()) {
    return InvalidInput("not a recognised report: no XML root element in the first " +
                        std::to_string(head.size()) + " bytes");
  }
  if (root == "NessusClientData") {
    return InvalidInput(
        "Nessus v1 reports (<NessusClientData>) are not supported; export the scan as "
        ".nessus v2");
  }
  return InvalidInput("not a recognised report: XML with root element <" + root +
                      "> (known: <NessusClientData_v2>)");
}

}  // namespace vigil
