#!/usr/bin/env python3
"""Corpus test: vigil's Nessus import counts against an independent count.

Usage: nessus_corpus_test.py VIGIL_BINARY

Runs over every file under $VIGIL_CORPUS/nessus whose name ends in .nessus or .xml and
whose root element is NessusClientData_v2 (other files are skipped with a note). Each file is
imported into a fresh database; the import's `hosts`, `findings` and `vulnerabilities` are
compared with a count made here, in Python, from the rules vigil documents:

- asset identity: an agent id tag (agent-id, nessus-agent-uuid, agent-uuid, tenable-uuid,
  strongest first), else host-fqdn (lowercased), else host-ip, else ReportHost/@name;
- vulnerability key: tenable:<pluginID>; a policy-compliance item (a ReportItem child named
  cm:compliance-*) is tenable:<pluginID>:<cm:compliance-check-id>, or the check name when there
  is no id;
- finding key: (asset, vulnerability key, port, protocol lowercased); items repeating a finding
  key are one finding;
- items whose pluginID is missing or not all digits, or whose port is not an integer in
  0..65535, are skipped;
- hosts = ReportHost elements; findings = distinct finding keys; vulnerabilities = distinct
  vulnerability keys.

It also checks that `findings` and `vulns` list exactly that many rows (everything is open
after one import) and that `assets` lists one row per distinct host identity.

Without VIGIL_CORPUS the test is skipped (exit 77, the CTest/automake "skipped" code): the
corpus holds real scanner output, which is not part of the repository.
Python 3 standard library only.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

SKIP_EXIT = 77
ROOT = "NessusClientData_v2"
NOW = "2026-01-01T00:00:00Z"
AGENT_TAGS = ("agent-id", "nessus-agent-uuid", "agent-uuid", "tenable-uuid")  # strongest first
WS = " \t\r\n"  # XML whitespace
DIGITS = re.compile(r"[0-9]+")
INTEGER = re.compile(r"-?[0-9]+")
TIMEOUT = 1800  # seconds per vigil command; corpus files can be large


def local(tag):
    """Element name without a namespace."""
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def text_of(elem):
    return "".join(elem.itertext())


def root_element(path):
    """Name of the document's root element, or None when the file is not XML."""
    try:
        for _event, elem in ET.iterparse(path, events=("start",)):
            return local(elem.tag)
    except (ET.ParseError, UnicodeError, ValueError):
        return None
    return None


def host_keys(host):
    """The identity keys of one ReportHost: agent id, FQDN, IP, report name."""
    agent, agent_rank = "", len(AGENT_TAGS)
    fqdn = ip = ""
    for props in host:
        if local(props.tag) != "HostProperties":
            continue
        for tag in props:
            if local(tag.tag) != "tag":
                continue
            name = tag.get("name", "")
            value = text_of(tag).strip(WS)
            if name in AGENT_TAGS:
                rank = AGENT_TAGS.index(name)
                if value and rank < agent_rank:
                    agent, agent_rank = ascii_lower(value), rank
            elif name == "host-fqdn":
                fqdn = ascii_lower(value)
            elif name == "host-ip":
                ip = value
    return {"agent": agent, "fqdn": fqdn, "ip": ip, "name": host.get("name", "")}


def ascii_lower(text):
    return "".join(c.lower() if "A" <= c <= "Z" else c for c in text)


class AssetBook:
    """docs/lifecycle.md, "Asset identity": the strongest key wins; a weaker key matches only
    an asset whose stronger keys do not contradict the host; a match learns missing keys."""

    ORDER = ("agent", "fqdn", "ip")

    def __init__(self):
        self.assets = []  # dicts of keys

    def resolve(self, keys):
        best, best_rank = None, 99
        for index, asset in enumerate(self.assets):
            rank = self._rank(asset, keys)
            if rank is not None and rank < best_rank:
                best, best_rank = index, rank
        if best is None:
            self.assets.append(dict(keys))
            return len(self.assets) - 1
        asset = self.assets[best]
        for k in self.ORDER:
            if keys[k] and not asset[k]:
                asset[k] = keys[k]
        if keys["ip"]:
            asset["ip"] = keys["ip"]
        return best

    def _rank(self, asset, keys):
        for rank, k in enumerate(self.ORDER):
            if keys[k] and asset[k] == keys[k]:
                return rank
            if keys[k] and asset[k] and asset[k] != keys[k]:
                return None
        if not any(keys[k] for k in self.ORDER) and not any(asset[k] for k in self.ORDER) \
                and asset["name"] == keys["name"]:
            return 3
        return None


def vulnerability_key(item, plugin_id, compliance_ns):
    """tenable:<id>, or tenable:<id>:<check> for a policy-compliance item."""
    checks = {}
    for child in item:
        tag = child.tag
        if not tag.startswith("{"):
            continue
        uri, name = tag[1:].split("}", 1)
        if uri in compliance_ns and name.startswith("compliance-"):
            checks[name[len("compliance-"):]] = text_of(child).strip(WS)
    key = "tenable:" + plugin_id
    if checks:
        check = checks.get("check-id") or checks.get("check-name")
        if check:
            key += ":" + check
    return key


def port_of(item):
    """The item's port as an int, or None when it is not an integer in 0..65535."""
    raw = (item.get("port") or "").strip(WS)
    if raw == "":
        return 0  # no port: a host-level item
    if not INTEGER.fullmatch(raw):
        return None
    port = int(raw)
    return port if 0 <= port <= 65535 else None


def count(path):
    """Independent count: (hosts, findings, vulnerabilities, identities, skipped items)."""
    hosts = skipped = 0
    identities, vulns, findings = set(), set(), set()
    book = AssetBook()
    compliance_ns = set()  # namespace URIs bound to the prefix "cm"
    for event, obj in ET.iterparse(path, events=("start-ns", "end")):
        if event == "start-ns":
            prefix, uri = obj
            if prefix == "cm":
                compliance_ns.add(uri)
            continue
        name = local(obj.tag)
        if name == "Policy":
            obj.clear()
        if name != "ReportHost":
            continue
        hosts += 1
        identity = book.resolve(host_keys(obj))
        identities.add(identity)
        for item in obj:
            if local(item.tag) != "ReportItem":
                continue
            plugin_id = (item.get("pluginID") or "").strip(WS)
            port = port_of(item)
            if not DIGITS.fullmatch(plugin_id) or port is None:
                skipped += 1
                continue
            key = vulnerability_key(item, plugin_id, compliance_ns)
            protocol = (item.get("protocol") or "").strip(WS).lower()
            vulns.add(key)
            findings.add((identity, key, port, protocol))
        obj.clear()
    return hosts, len(findings), len(vulns), len(identities), skipped


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)


def short(data, limit=400):
    text = data.decode("utf-8", "replace").strip().replace("\n", " | ")
    return text if len(text) <= limit else text[:limit] + "..."


def json_rows(vigil, db, command):
    p = run([vigil, "--db", db, command, "--format", "json"])
    if p.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (command, p.returncode, short(p.stderr)))
    rows = json.loads(p.stdout)
    if not isinstance(rows, list):
        raise RuntimeError("%s --format json did not return an array" % command)
    return rows


def check_file(vigil, path):
    """Returns (ok, message)."""
    try:
        hosts, findings, vulns, assets, skipped = count(path)
    except ET.ParseError as e:
        return False, "python could not parse the file: %s" % e
    tmp = tempfile.mkdtemp(prefix="vigil-corpus-")
    try:
        db = os.path.join(tmp, "vigil.db")
        p = run([vigil, "--db", db, "--now", NOW, "init", "--test-clock"])
        if p.returncode != 0:
            return False, "init exited %d: %s" % (p.returncode, short(p.stderr))
        p = run([vigil, "--db", db, "--now", NOW, "import", "--format", "json", path])
        if p.returncode != 0:
            return False, "import exited %d: %s" % (p.returncode, short(p.stderr))
        verify = run([vigil, "--db", db, "audit", "verify"])
        if verify.returncode != 0 or b"the tables match the log" not in verify.stdout:
            return False, "audit verify after the import: %s" % short(verify.stdout + verify.stderr)
        try:
            got = json.loads(p.stdout)
        except ValueError as e:
            return False, "import --format json printed no JSON object (%s): %s" % (e, short(p.stdout))
        if isinstance(got, list) and len(got) == 1:
            got = got[0]
        if not isinstance(got, dict):
            return False, "import --format json did not print one object"
        problems = []
        for field, want in (("hosts", hosts), ("findings", findings), ("vulnerabilities", vulns)):
            if got.get(field) != want:
                problems.append("%s: vigil %s, expected %d" % (field, got.get(field), want))
        for command, want, what in (("findings", findings, "finding rows"),
                                    ("vulns", vulns, "vulnerability rows"),
                                    ("assets", assets, "asset rows (distinct host identities)")):
            try:
                n = len(json_rows(vigil, db, command))
            except (RuntimeError, ValueError) as e:
                problems.append(str(e))
                continue
            if n != want:
                problems.append("%s: vigil listed %d, expected %d" % (what, n, want))
        if skipped and got.get("warnings", 0) < skipped:
            problems.append("warnings: vigil %s, but %d items must be skipped with a warning"
                            % (got.get("warnings"), skipped))
        if problems:
            return False, "; ".join(problems)
        return True, "hosts=%d findings=%d vulns=%d" % (hosts, findings, vulns)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def corpus_files(directory):
    for dirpath, dirnames, filenames in os.walk(directory, followlinks=True):
        dirnames.sort()
        for name in sorted(filenames):
            if name.endswith((".nessus", ".xml")):
                yield os.path.join(dirpath, name)


def main(argv):
    if len(argv) != 2:
        print("usage: %s VIGIL_BINARY" % os.path.basename(argv[0]), file=sys.stderr)
        return 2
    corpus = os.environ.get("VIGIL_CORPUS", "")
    if not corpus:
        print("SKIP: VIGIL_CORPUS is not set; corpus tests need real scanner files (see README)")
        return SKIP_EXIT
    vigil = os.path.abspath(argv[1])
    if not os.access(vigil, os.X_OK):
        print("FAIL: %s is not an executable vigil binary" % argv[1])
        return 1
    directory = os.path.join(corpus, "nessus")
    if not os.path.isdir(directory):
        print("note: %s does not exist; no Nessus files to test" % directory)
    passed = failed = 0
    for path in corpus_files(directory):
        shown = os.path.relpath(path, corpus)
        root = root_element(path)
        if root != ROOT:
            print("skip %s: root element is %s, not %s" % (shown, root or "unreadable", ROOT))
            continue
        try:
            ok, message = check_file(vigil, path)
        except (OSError, subprocess.SubprocessError) as e:
            ok, message = False, "could not run vigil: %s" % e
        if ok:
            passed += 1
            print("ok %s %s" % (shown, message))
        else:
            failed += 1
            print("FAIL %s: %s" % (shown, message))
        sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
