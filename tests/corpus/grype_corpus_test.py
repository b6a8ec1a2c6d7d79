#!/usr/bin/env python3
"""Corpus test: vigil's Grype JSON import counts against an independent count.

Usage: grype_corpus_test.py VIGIL_BINARY

Runs over every file under $VIGIL_CORPUS/grype and $VIGIL_CORPUS/grype_upstream. Each file is
read here with the json module and counted by the rules docs/formats.md states for Grype:

- one asset per file: source.target when it is a string, else source.target.userInput, else
  its first tag; no asset for source type "unknown" with target "unknown" or no source;
- a match counts when vulnerability.id is a non-empty string and the artifact has a name or
  a purl; key = vulnerability.id (trimmed); location = the package rule (package_rules.py)
  with the artifact's purl, name, version, type and locations[0].path;
- ignoredMatches are not findings;
- findings = distinct (key, location); vulnerabilities = distinct keys;
- a report with findings but no asset is refused ("does not say what was scanned"); one
  without either imports as a report with no host.

NOT_SCANS lists the files vigil must refuse and the text its message must contain (also
documented in docs/formats.md, Grype section). Without VIGIL_CORPUS the test is skipped
(exit 77). Python 3 standard library only.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_lib  # noqa: E402
from package_rules import package_location, text  # noqa: E402

DIRECTORIES = ("grype", "grype_upstream")

# file name -> text the refusal must contain.
NOT_SCANS = {
    # A DefectDojo excerpt: "matches" only, no "source" or "descriptor", so the scanned
    # target is unknown and its finding belongs to no asset.
    "anchore_grype_epss_problem.json": "does not say what was scanned",
}


def asset_of(doc):
    source = doc.get("source") if isinstance(doc.get("source"), dict) else {}
    target = source.get("target")
    if isinstance(target, str):
        name = text(target)
    elif isinstance(target, dict):
        tags = [text(t) for t in target.get("tags") or [] if text(t)]
        name = text(target.get("userInput")) or (tags[0] if tags else "")
    else:
        name = ""
    if text(source.get("type")).lower() == "unknown" and name == "unknown":
        return ""
    return name


def count(doc):
    """(asset, findings) of a parsed Grype document."""
    findings = set()
    for m in doc.get("matches") or []:
        if not isinstance(m, dict) or not isinstance(m.get("vulnerability"), dict):
            continue
        key = text(m["vulnerability"].get("id"))
        a = m.get("artifact")
        if not key or not isinstance(a, dict):
            continue
        name, purl = text(a.get("name")), text(a.get("purl"))
        if not (name or purl):
            continue
        locations = a.get("locations") if isinstance(a.get("locations"), list) else []
        first = locations[0] if locations and isinstance(locations[0], dict) else {}
        findings.add((key, package_location(name, text(a.get("version")), purl,
                                            text(a.get("type")), text(first.get("path")))))
    return asset_of(doc), findings


def check(path):
    name = os.path.basename(path)
    if name in NOT_SCANS:
        return ("reject", NOT_SCANS[name], None)
    if name.endswith(".md"):
        return ("skip", "not a report")
    with open(path, "rb") as f:
        doc = json.loads(f.read().decode("utf-8"))
    asset, findings = count(doc)
    if not asset and findings:
        return ("reject", "does not say what was scanned", None)
    want = {"hosts": 1 if asset else 0, "findings": len(findings),
            "vulnerabilities": len({key for key, _ in findings})}
    return ("import", want, None)


if __name__ == "__main__":
    sys.exit(corpus_lib.main(sys.argv, DIRECTORIES, check))
