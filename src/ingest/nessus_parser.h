// Streaming parser for Tenable Nessus v2 reports (.nessus, <NessusClientData_v2>).
//
// Emits one ReportHeader (policy name and plugin_set) and then one HostObservation per
// <ReportHost>, with every <ReportItem> on it. Memory is bounded by one host, never the file.
// Vulnerability keys are "tenable:<pluginID>"; policy-compliance items (cm:compliance-*)
// get "tenable:<pluginID>:<compliance-check-id>" since one plugin reports many checks.
// Items that cannot be read (no pluginID, bad port) are skipped with a diagnostic.
#pragma once

#include "core/status.h"

namespace vigil {

class ByteSource;
class Diagnostics;
class ReportSink;

Status ParseNessus(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics);

}  // namespace vigil
