// Streaming parser for SARIF 2.1.0 logs (static analysis, secret and dependency scanners that
// write SARIF: CodeQL, Semgrep, Flawfinder, Gitleaks, ...).
//
// Emits one ReportHeader and then one HostObservation per analysed target: the repository
// (versionControlProvenance), else the source root (originalUriBaseIds SRCROOT), else
// "code:<tool>"; runs with the same target are merged into one host. Results are streamed one
// at a time and kept as compact records until their run ends, because a run's rules, base URIs
// and version-control facts may come after its results in the file; memory grows with the
// number of results, never with the document's tree.
//
// Vulnerability keys are "sarif:<tool>:<ruleId>"; a finding's location is the artifact's path
// relative to the source root, plus "#<partial fingerprint>" when the result has one. Results
// of kind pass, informational and notApplicable are not findings. Results that name no rule are
// skipped with a diagnostic. docs/formats.md ("SARIF 2.1.0") has every rule.
#pragma once

#include "core/status.h"

namespace vigil {

class ByteSource;
class Diagnostics;
class ReportSink;

Status ParseSarif(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics);

}  // namespace vigil
