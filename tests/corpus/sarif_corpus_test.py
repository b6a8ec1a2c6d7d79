#!/usr/bin/env python3
"""Corpus test: vigil's SARIF import counts against an independent count.

Usage: sarif_corpus_test.py VIGIL_BINARY

Runs over every file under $VIGIL_CORPUS/sarif. A README.md is skipped; a file that is not JSON,
whose version is not "2.1.0", that has no "runs" array, a run that is not an object or results
that are not an array must be rejected; every other file must import, and its
`hosts`, `findings` and `vulnerabilities` must equal a count made here, in Python, from the raw
JSON by the rules docs/formats.md ("SARIF 2.1.0") documents:

- one host per distinct asset: runs[].versionControlProvenance[0].repositoryUri (user info
  dropped, scheme and host lower-cased, trailing "/" and ".git" removed), else the resolved
  originalUriBaseIds SRCROOT (or %SRCROOT%) without its trailing "/", else "code:<tool>";
- tool = tool.driver.name lower-cased, white space made "-" ("unknown" when missing);
- results of kind pass, informational and notApplicable are not findings; a result that is
  not an object, whose ruleId is not a string, ruleIndex not an integer or rule not an object,
  or that names no rule (ruleId, rule.id, the id of rules[ruleIndex]) is skipped;
- vulnerability key: sarif:<tool>:<rule id>;
- location: the artifact URI of locations[0] (or of artifacts[index]) resolved against
  originalUriBaseIds, relative to the source root (the base versionControlProvenance[0]
  maps, else SRCROOT, else %SRCROOT%), "file:" dropped, backslashes made "/", percent-decoded,
  empty and "." segments dropped; + "#" + primaryLocationLineHash (else the value of the
  lexicographically first partialFingerprints key) when there is a URI; "" without a URI;
- findings = distinct (asset, key, location); vulnerabilities = distinct keys.

Python 3 standard library only; without VIGIL_CORPUS the test is skipped (exit 77).
"""

import json
import os
import sys
from urllib.parse import unquote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_lib  # noqa: E402

SKIPPED_KINDS = ("pass", "informational", "notApplicable")


def get(obj, key):
    """obj[key] when obj is a dict holding a non-null value there, else None."""
    if isinstance(obj, dict):
        return obj.get(key)
    return None


def text(obj, key):
    v = get(obj, key)
    return v if isinstance(v, str) else ""


def scheme_length(s):
    i = 0
    while i < len(s) and (s[i].isalnum() and s[i].isascii() or s[i] in "+-."):
        i += 1
    if i >= 2 and i < len(s) and s[i] == ":" and s[0].isalpha():
        return i + 1
    return 0


def is_absolute(s):
    s = s.strip(" \t\r\n")
    return (scheme_length(s) > 0 or s[:1] in ("/", "\\")
            or (len(s) >= 2 and s[0].isalpha() and s[1] == ":"))


def normalize_path(uri):
    s = uri.strip(" \t\r\n").replace("\\", "/")
    prefix = ""
    n = scheme_length(s)
    if n and s[:n].lower() == "file:":
        s = s[n:]
    elif n:
        prefix, s = s[:n], s[n:]
        if s.startswith("//"):
            prefix, s = prefix + "//", s[2:]
    s = unquote(s, errors="surrogateescape")
    return prefix + "/".join(p for p in s.split("/") if p and p != ".")


def normalize_repository(uri):
    s = uri.strip(" \t\r\n").rstrip("/")
    if len(s) > 4 and s[-4:].lower() == ".git":
        s = s[:-4]
    if "://" not in s:
        return s
    authority = s.index("://") + 3
    path = s.find("/", authority)
    path = len(s) if path < 0 else path
    at = s.rfind("@", authority, path)
    if at >= 0:
        s = s[:authority] + s[at + 1:]
        path -= at + 1 - authority
    return s[:path].lower() + s[path:]


class Bases:
    def __init__(self, bases):
        self.bases = bases if isinstance(bases, dict) else {}

    def has(self, base_id):
        return self.bases.get(base_id) is not None

    def resolve(self, uri, base_id, depth=0):
        uri = uri.strip(" \t\r\n")
        if not base_id or is_absolute(uri):
            return uri
        base = self.bases.get(base_id)
        if base is None or depth > 16:
            return None
        parent = self.resolve(text(base, "uri"), text(base, "uriBaseId"), depth + 1)
        if parent is None:
            return None
        if parent and not parent.endswith("/"):
            parent += "/"
        return parent + uri


def location_of(uri, base_id, bases, root_id):
    if root_id and base_id == root_id and not is_absolute(uri):
        return normalize_path(uri)
    resolved = bases.resolve(uri, base_id)
    path = normalize_path(uri if resolved is None else resolved)
    if root_id:
        root = bases.resolve("", root_id)
        root = normalize_path(root) if root is not None else ""
        if root and path == root:
            return ""
        if root and path.startswith(root + "/"):
            return path[len(root) + 1:]
    return path


def fingerprint_of(result):
    prints = get(result, "partialFingerprints")
    if not isinstance(prints, dict):
        return ""
    first = prints.get("primaryLocationLineHash")
    if isinstance(first, str) and first:
        return first
    for key in sorted(prints):
        if isinstance(prints[key], str) and prints[key]:
            return prints[key]
    return ""


def rules_of(component):
    rules = get(component, "rules")
    return rules if isinstance(rules, list) else []


def rule_id_of(result, driver, extensions):
    rule = get(result, "rule")
    rid = text(result, "ruleId")
    index = get(result, "ruleIndex")
    index = -1 if index is None else index
    component = driver
    if isinstance(rule, dict):
        rid = rid or text(rule, "id")
        if index < 0 and isinstance(rule.get("index"), int) and not isinstance(rule.get("index"), bool):
            index = rule["index"]
        comp = get(get(rule, "toolComponent"), "index")
        if isinstance(comp, int) and not isinstance(comp, bool) and 0 <= comp < len(extensions):
            component = extensions[comp]
    if rid:
        return rid
    rules = rules_of(component)
    if 0 <= index < len(rules):
        return text(rules[index], "id")
    return ""


def valid_result(r):
    if not isinstance(r, dict):
        return False
    rid, index, rule = r.get("ruleId"), r.get("ruleIndex"), r.get("rule")
    if rid is not None and not isinstance(rid, str):
        return False
    if index is not None and (not isinstance(index, int) or isinstance(index, bool)):
        return False
    if rule is not None and not isinstance(rule, dict):
        return False
    return True


def count(doc):
    """(hosts, findings, vulnerabilities) of a SARIF log."""
    assets, findings, vulns = [], set(), set()
    for run in doc["runs"]:
        driver = get(get(run, "tool"), "driver") or {}
        name = text(driver, "name").strip(" \t\r\n") or "unknown"
        tool = "".join("-" if c in " \t\r\n" else c for c in name.lower())
        extensions = get(get(run, "tool"), "extensions")
        extensions = extensions if isinstance(extensions, list) else []
        bases = Bases(get(run, "originalUriBaseIds"))
        vcp = get(run, "versionControlProvenance")
        repo = vcp[0] if isinstance(vcp, list) and vcp else None
        root_id = text(get(repo, "mappedTo"), "uriBaseId") if repo is not None else ""
        for candidate in ("SRCROOT", "%SRCROOT%"):
            if not root_id and bases.has(candidate):
                root_id = candidate
        asset = normalize_repository(text(repo, "repositoryUri")) if repo is not None else ""
        for candidate in ("SRCROOT", "%SRCROOT%"):
            if not asset and bases.has(candidate):
                resolved = bases.resolve("", candidate) or ""
                asset = resolved.strip(" \t\r\n")
                while len(asset) > 1 and asset.endswith("/"):
                    asset = asset[:-1]
        asset = asset or "code:" + tool
        if asset not in assets:
            assets.append(asset)
        artifacts = get(run, "artifacts")
        artifacts = artifacts if isinstance(artifacts, list) else []
        results = get(run, "results") or []
        for r in results:
            if isinstance(r, dict) and text(r, "kind") in SKIPPED_KINDS:
                continue
            if not valid_result(r):
                continue
            rid = rule_id_of(r, driver, extensions)
            if not rid:
                continue
            key = "sarif:%s:%s" % (tool, rid)
            uri = base = ""
            locations = get(r, "locations")
            if isinstance(locations, list) and locations:
                artifact = get(get(locations[0], "physicalLocation"), "artifactLocation")
                uri, base = text(artifact, "uri"), text(artifact, "uriBaseId")
                index = get(artifact, "index")
                if not uri and isinstance(index, int) and 0 <= index < len(artifacts):
                    loc = get(artifacts[index], "location")
                    uri, base = text(loc, "uri"), text(loc, "uriBaseId")
            location = location_of(uri, base, bases, root_id) if uri else ""
            fp = fingerprint_of(r)
            if location and fp:
                location += "#" + fp
            vulns.add(key)
            findings.add((asset, key, location))
    return len(assets), len(findings), len(vulns)


def check(path):
    name = os.path.basename(path)
    if name == "README.md":
        return ("skip", "a README")
    if name.endswith(".expected.json"):
        return ("skip", "a golden test's expected result")
    with open(path, "rb") as f:
        try:
            doc = json.loads(f.read().decode("utf-8-sig"))
        except ValueError:
            return ("reject", "malformed JSON", None)
    if not isinstance(doc, dict):
        return ("reject", "not a SARIF log", None)
    if "version" in doc and doc["version"] != "2.1.0":
        return ("reject", "is not supported; vigil reads SARIF 2.1.0", None)
    if not isinstance(doc.get("runs"), list):
        return ("reject", "not a SARIF log", None)
    for run in doc["runs"]:
        if not isinstance(run, dict):
            return ("reject", "not a run object", None)
        if run.get("results") is not None and not isinstance(run["results"], list):
            return ("reject", "not an array", None)
    hosts, findings, vulns = count(doc)
    return ("import", {"hosts": hosts, "findings": findings, "vulnerabilities": vulns}, None)


if __name__ == "__main__":
    sys.exit(corpus_lib.main(sys.argv, ["sarif"], check))
