#include "ingest/nvd_json.h"

#include <algorithm>

#include "core/cve_id.h"
#include "ingest/json_cursor.h"

namespace vigil {
namespace {

// Reads `"descriptions": [{"lang": "en", "value": "..."}]`: the English text.
bool ReadDescriptions(JsonCursor& c, std::string& out) {
  if (!c.EnterArray()) {
    return false;
  }
  std::string lang, value;
  while (c.NextElement()) {
    if (!c.EnterObject()) {
      return false;
    }
    lang.clear();
    value.clear();
    std::string_view key;
    while (c.NextKey(key)) {
      if (key == "lang") {
        c.String(lang);
      } else if (key == "value") {
        c.String(value);
      } else {
        c.Skip();
      }
    }
    if (lang == "en" && out.empty()) {
      out = std::move(value);
    }
  }
  return c.ok();
}

// Reads `"weaknesses": [{"description": [{"lang": "en", "value": "CWE-79"}]}]`.
bool ReadWeaknesses(JsonCursor& c, std::vector<std::string>& out) {
  if (!c.EnterArray()) {
    return false;
  }
  while (c.NextElement()) {
    if (!c.EnterObject()) {
      return false;
    }
    std::string_view key;
    while (c.NextKey(key)) {
      if (key != "description") {
        c.Skip();
        continue;
      }
      if (!c.EnterArray()) {
        return false;
      }
      while (c.NextElement()) {
        if (!c.EnterObject()) {
          return false;
        }
        std::string value;
        std::string_view k;
        while (c.NextKey(k)) {
          if (k == "value") {
            c.String(value);
          } else {
            c.Skip();
          }
        }
        if (!value.empty() && std::find(out.begin(), out.end(), value) == out.end()) {
          out.push_back(std::move(value));
        }
      }
    }
  }
  return c.ok();
}

// Reads one `cvssMetricV31` (etc.) array.
bool ReadMetricList(JsonCursor& c, std::string_view version_hint, std::vector<CvssMetric>& out) {
  if (!c.EnterArray()) {
    return false;
  }
  while (c.NextElement()) {
    if (!c.EnterObject()) {
      return false;
    }
    CvssMetric m;
    m.version = std::string(version_hint);
    bool has_score = false;
    std::string_view key;
    while (c.NextKey(key)) {
      if (key == "source") {
        c.String(m.source);
      } else if (key == "type") {
        c.String(m.type);
      } else if (key == "baseSeverity") {
        c.OptString(m.severity);  // v2 keeps it beside cvssData
      } else if (key == "cvssData") {
        if (!c.EnterObject()) {
          return false;
        }
        std::string_view k;
        while (c.NextKey(k)) {
          if (k == "version") {
            c.String(m.version);
          } else if (k == "vectorString") {
            c.String(m.vector);
          } else if (k == "baseScore") {
            has_score = c.Number(m.score);
          } else if (k == "baseSeverity") {
            c.OptString(m.severity);
          } else {
            c.Skip();
          }
        }
      } else {
        c.Skip();
      }
    }
    if (!c.ok()) {
      return false;
    }
    if (has_score && !m.vector.empty()) {
      out.push_back(std::move(m));
    }
  }
  return c.ok();
}

bool ReadMetrics(JsonCursor& c, std::vector<CvssMetric>& out) {
  if (!c.EnterObject()) {
    return false;
  }
  std::string_view key;
  while (c.NextKey(key)) {
    if (key == "cvssMetricV2") {
      ReadMetricList(c, "2.0", out);
    } else if (key == "cvssMetricV30") {
      ReadMetricList(c, "3.0", out);
    } else if (key == "cvssMetricV31") {
      ReadMetricList(c, "3.1", out);
    } else if (key == "cvssMetricV40") {
      ReadMetricList(c, "4.0", out);
    } else {
      c.Skip();
    }
  }
  return c.ok();
}

Status ReadRecord(JsonCursor& c, CveRecord& r) {
  c.Peek();  // skip white space: the record starts here
  uint64_t start = c.offset();
  auto where = [&] { return c.WhereAt(start); };
  if (!c.EnterObject()) {
    return c.error();
  }
  std::string published, modified;
  std::string_view key;
  while (c.NextKey(key)) {
    if (key == "id") {
      c.String(r.cve);
    } else if (key == "sourceIdentifier") {
      c.OptString(r.source_identifier);
    } else if (key == "published") {
      c.OptString(published);
    } else if (key == "lastModified") {
      c.String(modified);
    } else if (key == "vulnStatus") {
      c.OptString(r.status);
    } else if (key == "descriptions") {
      ReadDescriptions(c, r.description);
    } else if (key == "metrics") {
      ReadMetrics(c, r.metrics);
    } else if (key == "weaknesses") {
      ReadWeaknesses(c, r.cwes);
    } else {
      c.Skip();
    }
  }
  if (!c.ok()) {
    return c.error();
  }
  if (r.cve.empty()) {
    return InvalidInput(where() + ": a CVE record without an id");
  }
  if (!IsCveId(r.cve)) {
    return InvalidInput(where() + ": the id '" + r.cve.substr(0, 40) +
                        "' is not a CVE id (CVE-YYYY-NNNN)");
  }
  for (const CvssMetric& m : r.metrics) {
    if (!(m.score >= 0 && m.score <= 10)) {
      return InvalidInput(where() + ": " + r.cve + ": a CVSS baseScore of " +
                          std::to_string(m.score) + " is not in 0..10");
    }
  }
  if (modified.empty()) {
    return InvalidInput(where() + ": " + r.cve + " has no lastModified");
  }
  auto m = ParseIso8601(modified);
  if (!m.ok()) {
    return InvalidInput(where() + ": " + r.cve + ": lastModified: " + m.status().message());
  }
  r.last_modified = *m;
  if (!published.empty()) {
    auto p = ParseIso8601(published);
    if (!p.ok()) {
      return InvalidInput(where() + ": " + r.cve + ": published: " + p.status().message());
    }
    r.published = *p;
  }
  return Status::Ok();
}

}  // namespace

NvdDocumentKind NvdKindOf(std::string_view text) {
  JsonCursor probe(text);
  if (probe.Peek() != JsonCursor::Kind::kObject || !probe.EnterObject()) {
    return NvdDocumentKind::kOther;
  }
  bool id = false, modified = false;
  std::string_view key;
  while (probe.NextKey(key)) {
    if (key == "resultsPerPage" || key == "totalResults") {
      return NvdDocumentKind::kPage;
    }
    if (key == "format") {
      std::string format;
      probe.String(format);
      if (format == "NVD_CVE") {
        return NvdDocumentKind::kPage;
      }
      continue;
    }
    id = id || key == "id";
    modified = modified || key == "lastModified";
    if (id && modified) {
      return NvdDocumentKind::kRecord;
    }
    probe.Skip();
  }
  return NvdDocumentKind::kOther;
}

Result<NvdDocument> ParseNvdDocument(std::string_view text,
                                     const std::function<Status(CveRecord&)>& on_record) {
  // A single record starts with its id; a page with its paging fields. Tell them apart by the
  // keys, reading the document once.
  JsonCursor c(text);
  NvdDocument doc;
  if (c.Peek() != JsonCursor::Kind::kObject) {
    if (!c.EnterObject()) {
      return c.error();
    }
  }
  NvdDocumentKind kind = NvdKindOf(text);
  if (kind == NvdDocumentKind::kOther) {
    return InvalidInput("1:1: not an NVD CVE API response page nor a CVE record");
  }
  doc.page = kind == NvdDocumentKind::kPage;
  if (!doc.page) {
    CveRecord r;
    RETURN_IF_ERROR(ReadRecord(c, r));
    if (!c.End()) {
      return c.error();
    }
    doc.records = 1;
    RETURN_IF_ERROR(on_record(r));
    return doc;
  }
  if (!c.EnterObject()) {
    return c.error();
  }
  bool saw_list = false;
  std::string_view key;
  while (c.NextKey(key)) {
    if (key == "totalResults") {
      c.Integer(doc.total_results);
    } else if (key == "format") {
      std::string format;
      c.String(format);
      if (c.ok() && format != "NVD_CVE") {
        return InvalidInput(c.Where() + ": format '" + format + "' is not NVD_CVE");
      }
    } else if (key == "vulnerabilities") {
      saw_list = true;
      if (!c.EnterArray()) {
        return c.error();
      }
      while (c.NextElement()) {
        if (!c.EnterObject()) {
          return c.error();
        }
        bool had_cve = false;
        std::string_view k;
        while (c.NextKey(k)) {
          if (k != "cve") {
            c.Skip();
            continue;
          }
          CveRecord r;
          RETURN_IF_ERROR(ReadRecord(c, r));
          had_cve = true;
          ++doc.records;
          RETURN_IF_ERROR(on_record(r));
        }
        if (!c.ok()) {
          return c.error();
        }
        if (!had_cve) {
          return InvalidInput(c.Where() + ": an element of vulnerabilities without a cve");
        }
      }
    } else {
      c.Skip();
    }
  }
  if (!c.ok() || !c.End()) {
    return c.error();
  }
  if (!saw_list) {
    return InvalidInput("1:1: an NVD response page without a vulnerabilities list");
  }
  return doc;
}

}  // namespace vigil
