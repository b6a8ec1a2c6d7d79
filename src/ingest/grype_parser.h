// Parser for Grype JSON reports (`grype IMAGE|dir:PATH|sbom:FILE -o json`).
//
// One report is one scanned target: one ReportHeader, then one HostObservation named after
// source.target.userInput (images) or source.target (directories, files, SBOMs), carrying one
// item per match: key = vulnerability.id as given ("CVE-…", "GHSA-…"), location =
// PackageLocation of the artifact (purl, else name@version; its first location's path for
// packages that are not OS packages). Matches repeating a (key, location) are one item;
// ignoredMatches are not findings.
//
// Grype writes "source" and "descriptor" after "matches", so the matches are streamed into
// compact items (each definition kept once per key) and the host is emitted at the end:
// memory is bounded by the target's findings, not the file. A match that cannot be read is
// skipped with a diagnostic; a document of the wrong shape is refused with its position.
#pragma once

#include "core/status.h"

namespace vigil {

class ByteSource;
class Diagnostics;
class ReportSink;

Status ParseGrype(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics);

}  // namespace vigil
