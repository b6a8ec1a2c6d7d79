// Streaming parser for Trivy JSON reports (`trivy image|fs|repo|rootfs|sbom … -f json`):
// SchemaVersion 2 (Trivy 0.20 and later), the legacy list of results (earlier versions) and
// the legacy `null` document (nothing found: a valid report with no host).
//
// One report is one scanned target: one ReportHeader, then one HostObservation named after
// ArtifactName (or, without one, the first result's Target without its " (distro version)"),
// carrying every finding of every result:
//  - Vulnerabilities: key = VulnerabilityID as given ("CVE-…", "GHSA-…"), location =
//    PackageLocation (purl, else name@installed version; the path for language packages);
//  - Misconfigurations with Status FAIL: key "trivy:<ID>", location = the result's Target;
//  - Secrets: key "trivy-secret:<RuleID>", location = the result's Target.
// Licenses, packages and suppressed findings are dropped as they stream by. Repeats of a
// (key, location) are one item. Memory is bounded by the target's findings (definitions kept
// once per key), never by the file. Records that cannot be read are skipped with a
// diagnostic; a document of the wrong shape is refused with its position.
#pragma once

#include "core/status.h"

namespace vigil {

class ByteSource;
class Diagnostics;
class ReportSink;

Status ParseTrivy(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics);

}  // namespace vigil
