#!/usr/bin/env python3
"""Corpus test: vigil's Greenbone / OpenVAS import counts against an independent count.

Usage: openvas_corpus_test.py VIGIL_BINARY

Runs over every file under $VIGIL_CORPUS/openvas: XML reports (read with ElementTree) and CSV
results exports (read with the csv module), counted by the rules docs/formats.md states:

XML (root <report> or <get_reports_response>; results are report/results/result, at any
<report> nesting):
- a result is skipped when its <delta> is "gone", its host text (the IP) is empty, nvt/@oid is
  empty, it is an error message (threat "Error", or severity -3), or its port is neither
  "N/proto", "name (N/proto)", "general/...", "package" nor empty, with N in 0..65535;
- port: "general/..." , "package" and "" are port 0 with no protocol;
- hosts = the distinct IPs of kept results and of report-level <host> elements;
- the asset of an IP: its FQDN is the first host name with a dot, from the results' <hostname>
  in file order, then the host details named "hostname";
CSV (a header with "IP" and "NVT OID"):
- blank rows ignored; a row is skipped when its field count differs from the header's (extra
  empty fields allowed), IP or NVT OID is empty, it is an error ("Error" severity or CVSS -3),
  or Port is not empty or an integer in 0..65535; empty Port is port 0 with no protocol, else
  the protocol is "Port Protocol" lower-cased; the FQDN comes from "Hostname" likewise;
Both: vulnerability key openvas:<oid>; finding = (asset, key, port, protocol).

An XML file with another root element is expected to be refused as "not a recognised
report"; every file in the corpus today is a report (no_vuln.* import as empty scans). Without VIGIL_CORPUS the test is skipped (exit 77). Python 3 standard library only.
"""

import csv
import io
import os
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_lib  # noqa: E402
from nessus_corpus_test import AssetBook, ascii_lower  # noqa: E402

WS = " \t\r\n"


def port_of(text):
    """(port, protocol), or None when the text is not a port."""
    text = text.strip(WS)
    if " (" in text and text.endswith(")"):
        text = text[text.index(" (") + 2:-1]
    number, _, proto = text.partition("/")
    if text == "" or number == "general" or text == "package":
        return 0, ""
    if not (number.isdigit() and number.isascii() and int(number) <= 65535):
        return None
    return int(number), ascii_lower(proto.strip(WS))


def number(text):
    try:
        return float(text.strip(WS))
    except ValueError:
        return None


def is_error(threat, severity):
    n = number(severity)
    return threat.strip(WS) == "Error" or (n is not None and -3.5 <= n <= -2.5)


def dotted(name):
    name = name.strip(WS)
    return "." in name and not all(c.isdigit() or c in ".:" for c in name)


class Hosts:
    """Hosts in order of appearance, each with its first FQDN, and the findings."""

    def __init__(self):
        self.fqdn = {}
        self.findings = set()
        self.vulns = set()

    def host(self, ip, name=""):
        self.fqdn.setdefault(ip, "")
        if not self.fqdn[ip] and dotted(name) and name.strip(WS) != ip:
            self.fqdn[ip] = ascii_lower(name.strip(WS))

    def result(self, ip, oid, port, name):
        self.host(ip, name)
        self.vulns.add("openvas:" + oid)
        self.findings.add((ip, "openvas:" + oid) + port)

    def counts(self):
        book = AssetBook()
        identity = {ip: book.resolve({"agent": "", "fqdn": fqdn, "ip": ip, "name": ip})
                    for ip, fqdn in self.fqdn.items()}
        findings = {(identity[f[0]],) + f[1:] for f in self.findings}
        return {"hosts": len(self.fqdn), "findings": len(findings),
                "vulnerabilities": len(self.vulns), "assets": len(set(identity.values()))}


def report_levels(elem):
    """The root and every <report> nested directly in it or in another such <report>."""
    yield elem
    for child in elem:
        if child.tag == "report":
            yield from report_levels(child)


def child_text(elem, name):
    found = elem.find(name)
    return "".join(found.itertext()) if found is not None else ""


def count_xml(path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        raise ValueError("python could not parse the file: %s" % e) from e
    hosts = Hosts()
    if root.tag not in ("report", "get_reports_response"):
        return None  # not a Greenbone report: detection refuses it
    results, report_hosts = [], []
    for report in report_levels(root):
        for results_elem in report.findall("results"):
            results.extend(results_elem.findall("result"))
        report_hosts.extend(report.findall("host"))
    for r in results:
        if child_text(r, "delta").strip(WS) == "gone":
            continue
        host = r.find("host")
        ip = (host.text or "").strip(WS) if host is not None else ""
        nvt = r.find("nvt")
        oid = (nvt.get("oid") or "").strip(WS) if nvt is not None else ""
        if not ip or not oid:
            continue
        original = child_text(r, "original_severity").strip(WS) != ""
        severity = child_text(r, "original_severity" if original else "severity")
        threat = child_text(r, "threat")
        if original and child_text(r, "original_threat").strip(WS):
            threat = child_text(r, "original_threat")
        if is_error(threat, severity):
            continue
        port = port_of(child_text(r, "port"))
        if port is None:
            continue
        hostname = child_text(host, "hostname") if host is not None else ""
        hosts.result(ip, oid, port, hostname)
    for h in report_hosts:
        ip = child_text(h, "ip").strip(WS)
        if not ip:
            continue
        hosts.host(ip)
        for detail in h.findall("detail"):
            if child_text(detail, "name").strip(WS) == "hostname":
                hosts.host(ip, child_text(detail, "value"))
    return hosts.counts()


def count_csv(path):
    with open(path, "rb") as f:
        rows = [r for r in csv.reader(io.StringIO(f.read().decode("utf-8-sig"), newline=""))
                if any(x.strip(WS) for x in r)]
    header = [ascii_lower(h.strip(WS)) for h in rows[0]]
    col = {n: header.index(n) if n in header else -1
           for n in ("ip", "hostname", "port", "port protocol", "cvss", "severity", "nvt oid")}
    hosts = Hosts()
    for row in rows[1:]:
        if len(row) != len(header) and not (len(row) > len(header) and
                                            not any(x.strip(WS) for x in row[len(header):])):
            continue
        get = lambda name: row[col[name]].strip(WS) if col[name] >= 0 else ""  # noqa: E731
        ip, oid, port = get("ip"), get("nvt oid"), get("port")
        if not ip or not oid or is_error(get("severity"), get("cvss")):
            continue
        if port and not (port.isdigit() and port.isascii() and int(port) <= 65535):
            continue
        where = (int(port), ascii_lower(get("port protocol"))) if port else (0, "")
        hosts.result(ip, oid, where, get("hostname"))
    return hosts.counts()


def check(path):
    if path.endswith(".xml"):
        counts = count_xml(path)
        if counts is None:
            return ("reject", "not a recognised report", None)
        return ("import", counts, None)
    if path.endswith(".csv"):
        return ("import", count_csv(path), None)
    return ("skip", "neither an XML report nor a CSV export")


if __name__ == "__main__":
    sys.exit(corpus_lib.main(sys.argv, ("openvas",), check))
