// Streaming parser for Tenable CSV exports (docs/formats.md, "Tenable CSV"):
//  - the Nessus scanner's CSV ("Plugin ID,CVE,CVSS v2.0 Base Score,Risk,Host,Protocol,Port,
//    Name,...") and its Web App Scanning variant ("Plugin ID,CVE,CVSS,CVSSv3,Risk,Host,...");
//  - Tenable Security Center and Vulnerability Management vulnerability exports ("Plugin",
//    "Plugin Name","Family","Severity","IP Address",...,"DNS Name","NetBIOS Name",...).
// Comma or semicolon separated (chosen from the header line), columns found by name.
//
// Keys are "tenable:<plugin id>", as for .nessus files, so a CSV and an XML export of one scan
// give the same vulnerabilities. Nessus writes one row per CVE: the rows of one host with the
// same plugin, port and protocol are one item, with every CVE. Rows are grouped by host as they
// come: a host is emitted when the next row names another one, so a host that reappears later
// in the file is a second HostObservation. Memory is bounded by one host's rows.
#pragma once

#include "core/status.h"

namespace vigil {

class ByteSource;
class Diagnostics;
class ReportSink;

Status ParseNessusCsv(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics);

}  // namespace vigil
