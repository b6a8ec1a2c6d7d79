#!/usr/bin/env python3
"""Corpus test: vigil's CycloneDX import counts against an independent count.

Usage: cyclonedx_corpus_test.py VIGIL_BINARY

Runs over every file under $VIGIL_CORPUS/cyclonedx and $VIGIL_CORPUS/cyclonedx_vex:

- README.md files are skipped (they explain the examples);
- CycloneDX XML (root element <bom>) must be rejected with the detector's "CycloneDX XML"
  message: vigil reads CycloneDX JSON only;
- a file that is not JSON is rejected; a JSON document whose bomFormat is not "CycloneDX" is
  rejected, one whose specVersion is not 1.4, 1.5 or 1.6 is rejected naming the version, one
  without a "vulnerabilities" key is rejected as "an SBOM without vulnerabilities", and one
  whose "vulnerabilities" is not an array is rejected;
- every other file must import, and its `hosts`, `findings` and `vulnerabilities` must equal
  a count made here, in Python, from the raw JSON by the rules of docs/formats.md
  ("CycloneDX"):
  - the document's asset is metadata.component ("group/name", or the name), else none;
  - a vulnerability without a non-blank string id, or that is not an object, is skipped; its
    key is the id;
  - each affects[] entry with a non-blank string ref gives one finding (asset, key, location):
    a BOM-link "urn:cdx:<serial>/<version>#<ref>" to another BOM than this one goes to the
    document's asset, else to the asset "urn:cdx:<serial>", at the location of the
    percent-decoded <ref> (its purl identity when it is a purl); any other ref (a BOM-link to
    this document is read as its <ref>) goes to the document's asset (else
    "cyclonedx:unknown"), at the package location of the component or service with that
    bom-ref (nested ones and metadata.component included), else the ref's purl identity,
    else the ref itself;
  - a vulnerability without affects gives one finding at location "" on the document's asset
    (else "cyclonedx:unknown");
  - package location: the purl without qualifiers and subpath, type lower-cased, rest
    percent-decoded ("name@version" without a purl), plus " in <path>" for a package that is
    not an OS package (apk, deb, rpm, ...) when the component's aquasecurity:trivy:FilePath or
    syft:location:0:path property gives a path;
  - hosts = distinct assets with a finding, plus the document's asset when it has one;
    findings = distinct (asset, key, location); vulnerabilities = distinct keys.

Python 3 standard library only; without VIGIL_CORPUS the test is skipped (exit 77).
"""

import json
import os
import sys
from urllib.parse import unquote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_lib  # noqa: E402

WS = " \t\r\n"
UNKNOWN = "cyclonedx:unknown"
OS_TYPES = ("apk", "deb", "rpm", "alpm", "alpine", "debian", "ubuntu", "redhat", "opkg")
PATH_PROPERTIES = ("aquasecurity:trivy:FilePath", "syft:location:0:path")


def text(obj, key):
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, str) else ""


def listed(obj, key):
    v = obj.get(key) if isinstance(obj, dict) else None
    return v if isinstance(v, list) else []


def purl_identity(purl):
    purl = purl.strip(WS)
    if not purl.startswith("pkg:"):
        return ""
    for stop in "?#":
        purl = purl.split(stop, 1)[0]
    rest = purl[4:].lstrip("/")
    kind, slash, tail = rest.partition("/")
    return "pkg:" + kind.lower() + (slash + unquote(tail, errors="surrogateescape") if slash else "")


def purl_type(purl):
    if not purl.startswith("pkg:"):
        return ""
    return purl[4:].lstrip("/").split("/", 1)[0].lower()


def component_name(c):
    name, group = text(c, "name").strip(WS), text(c, "group").strip(WS)
    return group + "/" + name if group and name else name


def package_location(c):
    purl = text(c, "purl").strip(WS)
    ident = purl_identity(purl)
    kind = purl_type(purl) if ident else ""
    if not ident:
        ident = component_name(c)
        if text(c, "version"):
            ident += "@" + text(c, "version")
    path = ""
    for prop in listed(c, "properties"):
        if not path and text(prop, "name") in PATH_PROPERTIES:
            path = text(prop, "value")
    path = path.strip(WS)
    while path.startswith("./") or path.startswith("/"):
        path = path[2:] if path.startswith("./") else path[1:]
    if path and kind.lower() not in OS_TYPES:
        ident += " in " + path
    return ident


def packages_of(doc):
    found = {}
    todo = []
    component = (doc.get("metadata") or {}).get("component") if isinstance(doc.get("metadata"), dict) else None
    if isinstance(component, dict):
        todo.append(component)
    todo += listed(doc, "components") + listed(doc, "services")
    while todo:
        c = todo.pop(0)
        if not isinstance(c, dict):
            continue
        ref = text(c, "bom-ref")
        if ref and ref not in found:
            found[ref] = package_location(c)
        todo = listed(c, "components") + listed(c, "services") + todo
    return found


def count(doc):
    metadata = doc.get("metadata") if isinstance(doc.get("metadata"), dict) else {}
    component = metadata.get("component")
    asset = component_name(component) if isinstance(component, dict) else ""
    serial = text(doc, "serialNumber").strip(WS)
    serial = serial[9:] if serial.startswith("urn:uuid:") else serial
    packages = packages_of(doc)
    hosts = {asset} if asset else set()
    findings, vulns = set(), set()

    def local(ref):
        if not ref:
            return asset or UNKNOWN, ""
        if ref in packages:
            return asset or UNKNOWN, packages[ref]
        return asset or UNKNOWN, purl_identity(ref) or ref

    def resolve(ref):
        if ref.startswith("urn:cdx:"):
            rest = ref[len("urn:cdx:"):]
            head, _, fragment = rest.partition("#")
            fragment = unquote(fragment, errors="surrogateescape")
            other = head.split("/", 1)[0]
            if not serial or other != serial:
                return asset or "urn:cdx:" + other, purl_identity(fragment) or fragment
            return local(fragment)
        return local(ref)

    for v in listed(doc, "vulnerabilities"):
        if not isinstance(v, dict):
            continue
        key = text(v, "id").strip(WS)
        if not key:
            continue
        refs = [text(a, "ref").strip(WS) for a in listed(v, "affects")]
        refs = [r for r in refs if r]
        targets = [resolve(r) for r in refs] if refs else [(asset or UNKNOWN, "")]
        vulns.add(key)
        for target_asset, location in targets:
            hosts.add(target_asset)
            findings.add((target_asset, key, location))
    return len(hosts), len(findings), len(vulns)


def check(path):
    name = os.path.basename(path)
    if name == "README.md":
        return ("skip", "a README explaining the example")
    if name.endswith(".expected.json"):
        return ("skip", "a golden test's expected result")
    with open(path, "rb") as f:
        raw = f.read()
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return ("reject", "a CycloneDX XML document", None)
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except ValueError:
        return ("reject", "malformed JSON", None)
    if not isinstance(doc, dict) or doc.get("bomFormat") != "CycloneDX":
        return ("reject", "not a CycloneDX document", None)
    spec = doc.get("specVersion")
    if spec not in ("1.4", "1.5", "1.6"):
        return ("reject", "specVersion %s is not supported" % spec, None)
    if "vulnerabilities" not in doc:
        return ("reject", "an SBOM without vulnerabilities", None)
    if not isinstance(doc["vulnerabilities"], list):
        return ("reject", "'vulnerabilities' is", None)
    hosts, findings, vulns = count(doc)
    return ("import", {"hosts": hosts, "findings": findings, "vulnerabilities": vulns}, None)


if __name__ == "__main__":
    sys.exit(corpus_lib.main(sys.argv, ["cyclonedx", "cyclonedx_vex"], check))
