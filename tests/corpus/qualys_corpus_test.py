#!/usr/bin/env python3
"""Corpus test: vigil's Qualys import counts against an independent count.

Usage: qualys_corpus_test.py VIGIL_BINARY

Runs over every file under $VIGIL_CORPUS/qualys: XML (read with ElementTree) and CSV (read
with the csv module), counted by the rules docs/formats.md states for Qualys:

XML, by root element:
- ASSET_DATA_REPORT: hosts are HOST_LIST/HOST, detections their VULN_INFO_LIST/VULN_INFO;
- SCAN: hosts are the IP elements (IP in @value, DNS name in @name), detections the VULN,
  PRACTICE, INFO and SERVICE elements under their CAT (port and protocol on the CAT);
- HOST_LIST_VM_DETECTION_OUTPUT: hosts are RESPONSE/HOST_LIST/HOST, detections their
  DETECTION_LIST/DETECTION;
- a host without IP, DNS and NetBIOS name is skipped; a detection is left out when its status
  (VULN_STATUS, STATUS) is Fixed, and skipped when its QID is not all digits or its port is
  neither empty nor an integer in 0..65535;
CSV: the header is the first line with columns "IP" and "QID"; blank rows ignored; a row is
left out when Vuln Status is Fixed and skipped when its field count differs from the header's
(extra empty fields allowed), it names no host, its QID is not all digits or its port is bad;
a host pass is a run of consecutive rows with the same IP, DNS and NetBIOS: hosts = runs.
Both: asset identity by FQDN (a DNS name with a dot, lower-cased) then IP; vulnerability key
qualys:<QID>; finding = (asset, key, port, protocol lower-cased).

An XML file with another root element is expected to be refused as "not a recognised
report"; every file in the corpus today is a report (empty.* import as empty scans). Without VIGIL_CORPUS the test is skipped (exit 77). Python 3 standard library only.
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


def good_port(port):
    return port == "" or (port.isdigit() and port.isascii() and int(port) <= 65535)


class Tally:
    def __init__(self):
        self.book = AssetBook()
        self.hosts = 0
        self.identities, self.findings, self.vulns = set(), set(), set()

    def host(self, ip, dns, netbios):
        """Counts a host pass; returns its identity, or None when it names no host."""
        dns = dns.strip(WS)
        if dns == "No registered hostname" or dns == ip:
            dns = ""
        fqdn = ascii_lower(dns) if "." in dns else ""
        name = ip or fqdn or dns or netbios
        if not name:
            return None
        self.hosts += 1
        identity = self.book.resolve({"agent": "", "fqdn": fqdn, "ip": ip, "name": name})
        self.identities.add(identity)
        return identity

    def detection(self, identity, qid, port, protocol, status=""):
        if ascii_lower(status.strip(WS)) == "fixed":
            return
        qid, port = qid.strip(WS), port.strip(WS)
        if not (qid.isdigit() and qid.isascii()) or not good_port(port):
            return
        self.vulns.add("qualys:" + qid)
        self.findings.add((identity, "qualys:" + qid, int(port or 0),
                           ascii_lower(protocol.strip(WS))))

    def counts(self):
        return {"hosts": self.hosts, "findings": len(self.findings),
                "vulnerabilities": len(self.vulns), "assets": len(self.identities)}


def text(elem, path):
    found = elem.find(path)
    return "".join(found.itertext()).strip(WS) if found is not None else ""


def count_xml(path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        raise ValueError("python could not parse the file: %s" % e) from e
    t = Tally()
    if root.tag == "ASSET_DATA_REPORT":
        for host in root.findall("HOST_LIST/HOST"):
            identity = t.host(text(host, "IP"), text(host, "DNS"), text(host, "NETBIOS"))
            if identity is None:
                continue
            for v in host.findall("VULN_INFO_LIST/VULN_INFO"):
                t.detection(identity, text(v, "QID"), text(v, "PORT"), text(v, "PROTOCOL"),
                            text(v, "VULN_STATUS"))
    elif root.tag == "SCAN":
        for ip in root.findall("IP"):
            identity = t.host((ip.get("value") or "").strip(WS), ip.get("name") or "",
                              text(ip, "NETBIOS_HOSTNAME"))
            if identity is None:
                continue
            for section in ("VULNS", "PRACTICES", "INFOS", "SERVICES"):
                for cat in ip.findall(section + "/CAT"):
                    for v in cat:
                        if v.tag in ("VULN", "PRACTICE", "INFO", "SERVICE"):
                            t.detection(identity, v.get("number") or "", cat.get("port") or "",
                                        cat.get("protocol") or "")
    elif root.tag == "HOST_LIST_VM_DETECTION_OUTPUT":
        for host in root.findall("RESPONSE/HOST_LIST/HOST"):
            dns = text(host, "DNS_DATA/FQDN") or text(host, "DNS")
            identity = t.host(text(host, "IP") or text(host, "IPV6"), dns, text(host, "NETBIOS"))
            if identity is None:
                continue
            for d in host.findall("DETECTION_LIST/DETECTION"):
                t.detection(identity, text(d, "QID"), text(d, "PORT"), text(d, "PROTOCOL"),
                            text(d, "STATUS"))
    else:
        return None  # not a Qualys report: detection refuses it
    return t.counts()


def count_csv(path):
    with open(path, "rb") as f:
        rows = list(csv.reader(io.StringIO(f.read().decode("utf-8-sig"), newline="")))
    for at, row in enumerate(rows):
        header = [ascii_lower(h.strip(WS)) for h in row]
        if "ip" in header and "qid" in header:
            break
    else:
        raise ValueError("no header line with IP and QID")

    def col(*names):
        return next((header.index(n) for n in names if n in header), -1)

    c = {"ip": col("ip"), "dns": col("dns", "hostname", "dns name"), "netbios": col("netbios"),
         "qid": col("qid"), "port": col("port"), "protocol": col("protocol"),
         "status": col("vuln status", "status")}
    t, last, identity = Tally(), None, None
    for row in rows[at + 1:]:
        if not any(x.strip(WS) for x in row):
            continue
        if len(row) != len(header) and not (len(row) > len(header) and
                                            not any(x.strip(WS) for x in row[len(header):])):
            continue
        get = lambda name: row[c[name]].strip(WS) if c[name] >= 0 else ""  # noqa: E731
        if ascii_lower(get("status")) == "fixed":
            continue
        if not (get("qid").isdigit() and get("qid").isascii()) or not good_port(get("port")):
            continue
        dns = ascii_lower(get("dns")) if "." in get("dns") else get("dns")
        if (get("ip"), dns, get("netbios")) != last:
            last = (get("ip"), dns, get("netbios"))
            identity = t.host(get("ip"), get("dns"), get("netbios"))
        if identity is None:
            continue
        t.detection(identity, get("qid"), get("port"), get("protocol"))
    return t.counts()


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
    sys.exit(corpus_lib.main(sys.argv, ("qualys",), check))
