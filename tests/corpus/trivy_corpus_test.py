#!/usr/bin/env python3
"""Corpus test: vigil's Trivy JSON import counts against an independent count.

Usage: trivy_corpus_test.py VIGIL_BINARY

Runs over every file under $VIGIL_CORPUS/trivy and $VIGIL_CORPUS/trivy_upstream. Each file is
read here with the json module and counted by the rules docs/formats.md states for Trivy:

- the document is SchemaVersion 2 (an object with Results), the legacy list of results, or
  the legacy `null` (nothing found: no host; auto-detection refuses it, so it is imported
  with --parser trivy and must give 0 hosts, 0 findings, 0 vulnerabilities);
- one asset per file: ArtifactName, else the first result Target with a trailing
  " (distro version)" removed; no asset when neither exists;
- Vulnerabilities: key = VulnerabilityID (trimmed); skipped without one, or without both
  PkgName and PkgIdentifier.PURL; location = the package rule (package_rules.py) with path
  PkgPath, or the result Target for language-package results (Class lang-pkgs, or no Class
  and a Target without " (distro version)");
- Misconfigurations with Status FAIL: key trivy:<ID>, location = the Target (leading "/" and
  "./" removed); other statuses are not findings;
- Secrets: key trivy-secret:<RuleID>, location = the Target;
- Licenses, Packages and ExperimentalModifiedFindings (suppressed findings) are not findings;
- findings = distinct (key, location); vulnerabilities = distinct keys.

Files that are not Trivy reports are listed in NOT_SCANS with the message vigil must refuse
them with; today every Trivy corpus file is a scan. Without VIGIL_CORPUS the test is skipped
(exit 77). Python 3 standard library only.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_lib  # noqa: E402
from package_rules import package_location, strip_path, text, WS  # noqa: E402

DIRECTORIES = ("trivy", "trivy_upstream")

# file name -> text the refusal must contain (documented in docs/formats.md, Trivy section).
NOT_SCANS = {}


def without_distro(target):
    target = target.strip(WS)
    at = target.rfind(" (")
    if target.endswith(")") and at > 0:
        return target[:at].strip(WS)
    return target


def result_findings(result, findings):
    target = text(result.get("Target"))
    cls = text(result.get("Class"))
    kind = text(result.get("Type"))
    language = cls == "lang-pkgs" or (cls == "" and without_distro(target) == target.strip(WS))
    for v in result.get("Vulnerabilities") or []:
        if not isinstance(v, dict):
            continue
        key = text(v.get("VulnerabilityID"))
        ident = v.get("PkgIdentifier") if isinstance(v.get("PkgIdentifier"), dict) else {}
        name, purl = text(v.get("PkgName")), text(ident.get("PURL"))
        if not key or not (name or purl):
            continue
        path = text(v.get("PkgPath")) or (target if language else "")
        findings.add((key, package_location(name, text(v.get("InstalledVersion")), purl,
                                            kind, path)))
    for m in result.get("Misconfigurations") or []:
        if isinstance(m, dict) and text(m.get("Status")).upper() == "FAIL" and text(m.get("ID")):
            findings.add(("trivy:" + text(m.get("ID")), strip_path(target)))
    for s in result.get("Secrets") or []:
        if isinstance(s, dict) and text(s.get("RuleID")):
            findings.add(("trivy-secret:" + text(s.get("RuleID")), strip_path(target)))


def count(doc):
    """(hosts, findings, vulnerabilities) of a parsed Trivy document; None when it has
    findings but names no target."""
    if doc is None:
        return 0, 0, 0
    if isinstance(doc, list):
        results, asset = doc, ""
    else:
        results, asset = doc.get("Results") or [], text(doc.get("ArtifactName"))
    results = [r for r in results if isinstance(r, dict)]
    if not asset:
        first = next((text(r.get("Target")) for r in results if text(r.get("Target"))), "")
        asset = without_distro(first)
    findings = set()
    for result in results:
        result_findings(result, findings)
    if not asset:
        return None if findings else (0, 0, 0)  # findings without an asset are refused
    return 1, len(findings), len({key for key, _ in findings})


def check(path):
    name = os.path.basename(path)
    if name in NOT_SCANS:
        return ("reject", NOT_SCANS[name], None)
    if name.endswith(".md"):
        return ("skip", "not a report")
    with open(path, "rb") as f:
        doc = json.loads(f.read().decode("utf-8"))
    counted = count(doc)
    if counted is None:
        return ("reject", "names no scanned target", None)
    hosts, findings, vulns = counted
    want = {"hosts": hosts, "findings": findings, "vulnerabilities": vulns}
    # The legacy null document is refused by auto-detection; --parser trivy imports it.
    return ("import", want, "trivy" if doc is None else None)


if __name__ == "__main__":
    sys.exit(corpus_lib.main(sys.argv, DIRECTORIES, check))
