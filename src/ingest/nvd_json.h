// NVD CVE records (CVE API 2.0): a response page ({"vulnerabilities": [{"cve": {...}}]}) or a
// single CVE record ({"id": "CVE-...", ...}). For each CVE: its dates and status, the English
// description, the CWEs, and every CVSS metric (v2, v3.0, v3.1, v4.0) with its source and
// type (Primary/Secondary). Everything else (configurations, references) is skipped unread.
// Untrusted input: malformed JSON is refused with its line and column; a record lacking its
// id or lastModified is refused with its position.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/cve_record.h"
#include "core/status.h"

namespace vigil {

// What a parsed document was.
struct NvdDocument {
  bool page = false;  // a response page (else a single record)
  int64_t total_results = 0;
  size_t records = 0;
};

enum class NvdDocumentKind { kPage, kRecord, kOther };
// What `text` is, from its top-level keys: a page has resultsPerPage/totalResults or format
// NVD_CVE; a record has id and lastModified.
NvdDocumentKind NvdKindOf(std::string_view text);

// Calls `on_record` for every record in `text`, in order; stops at its first error.
Result<NvdDocument> ParseNvdDocument(std::string_view text,
                                     const std::function<Status(CveRecord&)>& on_record);

}  // namespace vigil
