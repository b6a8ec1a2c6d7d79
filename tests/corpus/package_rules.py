"""The package-finding location rule of vigil (src/ingest/location.h, docs/formats.md),
written again in Python for the Trivy and Grype corpus tests: a package is its purl without
qualifiers and subpath (percent-decoded, type lower-cased), else name@version; the path is
added as " in PATH" (leading "/" and "./" removed) only for packages that are not OS packages.
Python 3 standard library only."""

WS = " \t\r\n"
OS_TYPES = {"apk", "deb", "rpm", "alpm", "alpine", "debian", "ubuntu", "redhat", "opkg"}


def text(value):
    """A JSON string trimmed as vigil trims it; anything else reads as empty."""
    return value.strip(WS) if isinstance(value, str) else ""


def percent_decode(s):
    raw = s.encode("utf-8", "surrogateescape")
    out = bytearray()
    i = 0
    while i < len(raw):
        if raw[i:i + 1] == b"%" and i + 2 < len(raw):
            try:
                out.append(int(raw[i + 1:i + 3].decode("ascii"), 16))
                i += 3
                continue
            except ValueError:
                pass
        out.append(raw[i])
        i += 1
    return out.decode("utf-8", "surrogateescape")


def purl_parts(purl):
    """(identity, type) of a package URL, or ("", "") when it does not start with pkg:."""
    purl = purl.strip(WS)
    if not purl.startswith("pkg:"):
        return "", ""
    for stop in "?#":
        purl = purl.split(stop, 1)[0]
    rest = purl[4:].lstrip("/")
    kind, slash, tail = rest.partition("/")
    kind = "".join(c.lower() if "A" <= c <= "Z" else c for c in kind)
    return "pkg:" + kind + (percent_decode(slash + tail) if slash else ""), kind


def strip_path(path):
    path = path.strip(WS)
    while True:
        if path.startswith("./"):
            path = path[2:]
        elif path.startswith("/"):
            path = path[1:]
        else:
            return path


def package_location(name, version, purl, kind, path):
    ident, purl_kind = purl_parts(purl)
    if ident:
        kind = purl_kind
    else:
        ident = name + ("@" + version if version else "")
    path = strip_path(path)
    if path and kind.lower() not in OS_TYPES:
        ident += " in " + path
    return ident
