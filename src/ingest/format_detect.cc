#include "ingest/format_detect.h"

#include <algorithm>
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
  size_t offset = XmlRootOffset(head);
  if (offset == std::string_view::npos) {
    return "";
  }
  size_t n = offset + 1;
  while (n < head.size() && IsNameChar(head[n])) {
    ++n;
  }
  return std::string(head.substr(offset + 1, n - offset - 1));
}

size_t XmlRootOffset(std::string_view head) {
  std::string_view s = SkipSpaceAndBom(head);
  auto offset = [&] { return static_cast<size_t>(s.data() - head.data()) - 1; };
  constexpr size_t kNone = std::string_view::npos;
  while (!s.empty()) {
    size_t lt = s.find('<');
    if (lt == std::string_view::npos || lt + 1 >= s.size()) {
      return kNone;
    }
    s.remove_prefix(lt + 1);
    if (s.front() == '?') {
      size_t end = s.find("?>");
      if (end == std::string_view::npos) {
        return kNone;
      }
      s.remove_prefix(end + 2);
    } else if (s.substr(0, 3) == "!--") {
      size_t end = s.find("-->");
      if (end == std::string_view::npos) {
        return kNone;
      }
      s.remove_prefix(end + 3);
    } else if (s.front() == '!') {
      // DOCTYPE, possibly with an internal subset in brackets.
      size_t bracket = s.find('[');
      size_t gt = s.find('>');
      if (bracket != std::string_view::npos && bracket < gt) {
        gt = s.find("]>", bracket);
        if (gt == std::string_view::npos) {
          return kNone;
        }
        ++gt;
      }
      if (gt == std::string_view::npos) {
        return kNone;
      }
      s.remove_prefix(gt + 1);
    } else {
      return offset();
    }
  }
  return kNone;
}

namespace {

// "LINE:COLUMN: " of a byte offset in head.
std::string At(std::string_view head, size_t offset) {
  offset = std::min(offset, head.size());
  std::string_view before = head.substr(0, offset);
  size_t line = 1 + static_cast<size_t>(std::count(before.begin(), before.end(), '\n'));
  size_t nl = before.rfind('\n');
  size_t column = nl == std::string_view::npos ? offset + 1 : offset - nl;
  return std::to_string(line) + ":" + std::to_string(column) + ": ";
}

}  // namespace

Result<ReportFormat> DetectFormat(std::string_view head) {
  if (head.substr(0, 2) == "\xFE\xFF" || head.substr(0, 2) == "\xFF\xFE") {
    return InvalidInput(At(head, 0) +
                        "a UTF-16 document; vigil reads UTF-8 (convert the report first)");
  }
  std::string_view s = SkipSpaceAndBom(head);
  size_t first = static_cast<size_t>(s.data() - head.data());
  if (s.empty()) {
    return InvalidInput(At(head, first) +
                        (head.empty() ? "empty file" : "the file holds only white space"));
  }
  if (s.front() != '<') {
    return InvalidInput(
        At(head, first) +
        "not a recognised report: the content is not XML (known formats: Nessus v2 XML)");
  }
  size_t root_at = XmlRootOffset(head);
  std::string root = XmlRootName(head);
  if (root == "NessusClientData_v2") {
    return ReportFormat::kNessus;
  }
  if (root.empty()) {
    return InvalidInput(At(head, first) + "not a recognised report: no XML root element in " +
                        "the first " + std::to_string(head.size()) + " bytes");
  }
  if (root == "NessusClientData") {
    return InvalidInput(At(head, root_at) +
                        "Nessus v1 reports (<NessusClientData>) are not supported; export the "
                        "scan as .nessus v2");
  }
  return InvalidInput(At(head, root_at) + "not a recognised report: XML with root element <" +
                      root + "> (known: <NessusClientData_v2>)");
}

}  // namespace vigil
