// Building the VulnerabilityDef of an advisory reported against a package (Trivy, Grype):
// its source from the id, its references, its CVSS ratings.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/vulnerability.h"

namespace vigil {

// The lower-cased prefix of an advisory id: "CVE-2021-44228" -> "cve", "GHSA-…" -> "ghsa",
// "ALAS2-2020-1234" -> "alas2"; without a '-', its leading letters; `fallback` when none.
std::string AdvisorySource(std::string_view id, std::string_view fallback);

// Whether `id` is a CVE id in any case ("cve-2024-0001" too; core/cve_id.h).
bool IsCveIdAnyCase(std::string_view id);

// Adds a reference unless an equal one is there or `value` is empty.
void AddRef(VulnerabilityDef& def, std::string_view kind, std::string_view value);

// Adds another id of the same vulnerability: kind "cve" for a CVE id, else "alias". An alias
// equal to the definition's own key is not added (the key itself, when a CVE, is a "cve").
void AddAdvisoryId(VulnerabilityDef& def, std::string_view id);

// The CVSS major version (2, 3 or 4) of a rating, from its version text ("2.0", "3.1",
// "4.0") or else its vector ("CVSS:3.1/…", "CVSS:4.0/…", "AV:N/…" is v2); 0 when unknown.
int CvssMajor(std::string_view version, std::string_view vector);

// Fills the definition's CVSS v2, v3 or v4 vector and score, unless that version already has
// one (the first rating offered wins). Returns whether it filled anything.
bool OfferCvss(VulnerabilityDef& def, int major, std::string_view vector,
               std::optional<double> score);

}  // namespace vigil
