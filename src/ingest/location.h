// The location part of a package finding's identity, the same whichever scanner reports it,
// so that Trivy, Grype and an SBOM that find one advisory in one package on one target
// report one finding (attributed to each of them).
#pragma once

#include <string>
#include <string_view>

namespace vigil {

struct PackageRef;

// The package URL without qualifiers ("?arch=...&distro=...") and subpath, percent-decoded,
// with its type lower-cased: "pkg:apk/alpine/musl@1.1.22-r3", "pkg:npm/@babel/core@7.1.0".
// Empty when `purl` does not start with "pkg:".
std::string PurlIdentity(std::string_view purl);

// Whether a package type is an operating-system package (apk, deb, rpm, ...), whose "path"
// is the package database and so not part of its identity.
bool IsOsPackageType(std::string_view type);

// "<package>" or "<package> in <path>": the package is PurlIdentity(purl) when there is a
// purl, else "name@version"; the path (leading "/" and "./" removed) only for packages that
// are not OS packages.
std::string PackageLocation(const PackageRef& package);

}  // namespace vigil
