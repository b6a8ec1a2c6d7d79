// Parser for Greenbone / OpenVAS CSV results exports (the "CSV Results" report format:
// "IP,Hostname,Port,Port Protocol,CVSS,Severity,[QoD,]Solution Type,NVT Name,Summary,
// Specific Result,NVT OID,CVEs,Task ID,Task Name,Timestamp,Result ID,...").
//
// Columns are found by name. The records are those of the XML parser for the same report
// (openvas_parser.h): key "openvas:<nvt oid>", finding = host IP + NVT + port + protocol,
// results collected per host and emitted at the end of the file (the export lists results
// in severity order), so memory is bounded by the results, not by one host.
#pragma once

#include "core/status.h"

namespace vigil {

class ByteSource;
class Diagnostics;
class ReportSink;

Status ParseOpenVasCsv(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics);

}  // namespace vigil
