// Parser for CycloneDX 1.4, 1.5 and 1.6 JSON documents that carry vulnerabilities: a BOM a
// scanner wrote with its results (Trivy, Grype, OSS Index, Dependency-Track) or a VEX.
//
// Emits one ReportHeader and one HostObservation per asset: the BOM's subject
// (metadata.component, "group/name" without its version), else the BOM a VEX points to with
// BOM-links ("urn:cdx:<serial>"), else "cyclonedx:unknown". Each vulnerability gives one item
// per affected ref; the location is the package of that ref (ingest/location.h), the key is
// the vulnerability id, and an `analysis` becomes the item's VexAnalysis (a proposed decision,
// never an approved one).
//
// Components may follow the vulnerabilities in the file, so refs are resolved after the whole
// document is read: the component map (bom-ref → package) and the vulnerabilities, each read
// into its compact parsed form as soon as it ends, are held in memory; the document's tree
// never is. A BOM without a "vulnerabilities" array is an SBOM, not a scan, and is refused.
// docs/formats.md ("CycloneDX") has every rule.
#pragma once

#include "core/status.h"

namespace vigil {

class ByteSource;
class Diagnostics;
class ReportSink;

Status ParseCycloneDx(ByteSource& source, ReportSink& sink, Diagnostics& diagnostics);

}  // namespace vigil
