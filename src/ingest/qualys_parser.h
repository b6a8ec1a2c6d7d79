// Streaming parser for Qualys XML (docs/formats.md, "Qualys"), three document types:
//  - ASSET_DATA_REPORT (the VM "scan report" template output): HOST_LIST/HOST with
//    VULN_INFO detections, then a GLOSSARY of VULN_DETAILS per QID (title, severity, texts).
//    The glossary comes after the hosts, so hosts are kept, without texts, until the end of
//    the file and joined with it there: memory is bounded by the detections and their
//    results, not by the QIDs' texts;
//  - SCAN (the scan results XML): IP elements with VULNS, PRACTICES (potential), INFOS and
//    SERVICES (information gathered), each QID with its texts; streamed host by host;
//  - HOST_LIST_VM_DETECTION_OUTPUT (the host detection API): HOST with DETECTION_LIST;
//    streamed host by host. It carries no titles or texts (those are in the KnowledgeBase).
// Keys are "qualys:<QID>"; a finding is host + QID + port + protocol. Detections whose status
// is Fixed are not findings and are left out. Information gathered is kept, at severity 0.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/vulnerability.h"

namespace vigil {

class ByteSource;
class Diagnostics;
class ReportSink;
struct HostObservation;

Status ParseQualys(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics);

// What the Qualys XML and CSV parsers share.
namespace qualys {

// Qualys levels 1 (minimal) .. 5 (urgent) are vigil's 0..4, risk words None, Low, Medium,
// High, Critical; information gathered is 0 and "None" whatever its level.
void SetSeverity(VulnerabilityDef& v, int level, bool information);
// A detection type that means information gathered: "Ig", "Info", "Information Gathered".
bool IsInformation(std::string_view type);
// A detection status that means it is gone: "Fixed".
bool IsFixed(std::string_view status);
// "8.1 (AV:N/AC:H/...)" or "8.1": the score and the vector as written (Qualys writes it
// without the "CVSS:3.x/" prefix). "", "-" and "'-" are no score. False when unreadable.
bool ParseCvss(std::string_view text, std::optional<double>& score, std::string& vector);
// DNS name: an FQDN (with a dot) into host.fqdn, lower-cased, else into host.hostname.
void SetHostName(HostObservation& host, std::string_view name);

// The texts and ratings of a QID as a report gives them.
struct QidTexts {
  std::string qid, title, category, threat, impact, solution, last_update, cvss2, cvss3;
  std::vector<std::string> cves, bids, vendor_refs, urls;
};
using Warner = std::function<void(std::string field, std::string message)>;
// The definition of a QID (without severity: it depends on the detection's type).
VulnerabilityDef Definition(const QidTexts& t, const Warner& warn);

}  // namespace qualys
}  // namespace vigil
