// Streaming parser for Qualys CSV exports (docs/formats.md, "Qualys CSV"): the scan and
// vulnerability reports (lines of report facts, then a header line with "IP" and "QID" among
// its columns, then one row per detection) and the monthly PCI report ("IP,HOSTNAME,LAST SCAN,
// QID,VULN TITLE,TYPE,SEVERITY,...,Q_SEVERITY,...").
//
// Columns are found by name; the records are those of the Qualys XML parser (qualys_parser.h):
// key "qualys:<QID>", finding = host + QID + port + protocol, Fixed detections left out,
// information gathered at severity 0. Rows are grouped by host as they come (the exports list
// them host by host); a host that reappears later is a second HostObservation. Memory is
// bounded by one host's rows.
#pragma once

#include "core/status.h"

namespace vigil {

class ByteSource;
class Diagnostics;
class ReportSink;

Status ParseQualysCsv(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics);

}  // namespace vigil
