#!/usr/bin/env python3
"""Corpus test: vigil's Tenable CSV import counts against an independent count.

Usage: nessus_csv_corpus_test.py VIGIL_BINARY

Runs over the .csv files under $VIGIL_CORPUS/nessus and $VIGIL_CORPUS/nessus_was (the .nessus
and .xml files there are Nessus v2, covered by corpus_nessus, and skipped here). Each file is
read with Python's csv module and counted by the rules docs/formats.md states for Tenable CSV:

- the separator is ';' when the first line holds more semicolons than commas, else ',';
  a UTF-8 byte order mark is ignored; blank rows (only empty fields) are ignored;
- columns are found by name (case-insensitive): the plugin in "Plugin ID" or "Plugin"; the
  host in "Host", "IP Address", "DNS Name", "NetBIOS Name"; "Port", "Protocol", "Agent ID";
- a row is skipped when its field count differs from the header's (extra empty fields
  allowed), its plugin is not all digits, its port is not empty or an integer in 0..65535,
  or it names no host;
- a host pass is a run of consecutive rows with the same host columns: hosts = runs;
- asset identity as for .nessus (agent id, FQDN, IP, name): the FQDN is "DNS Name", or
  "Host" when it is a name with a dot; the IP is "IP Address", or "Host" when it is an IP;
- vulnerability key tenable:<plugin>; finding = (asset, key, port, protocol lower-cased);
  rows repeating a finding (one per CVE) are one finding.

A CSV file without a plugin column or without any host column is expected to be refused as
"not a recognised report"; every file in the corpus today is a scan export. Without VIGIL_CORPUS the
test is skipped (exit 77). Python 3 standard library only.
"""

import csv
import io
import ipaddress
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corpus_lib  # noqa: E402
from nessus_corpus_test import AssetBook, ascii_lower  # noqa: E402

DIRECTORIES = ("nessus", "nessus_was")
WS = " \t\r\n"


def is_ip(text):
    try:
        ipaddress.ip_address(text)
        return True
    except ValueError:
        return False


def separator(first_line):
    quoted, commas, semicolons = False, 0, 0
    for c in first_line:
        if c == '"':
            quoted = not quoted
        elif not quoted:
            commas += c == ","
            semicolons += c == ";"
    return ";" if semicolons > commas else ","


def column(header, *names):
    for name in names:
        if name in header:
            return header.index(name)
    return -1


def count(path):
    with open(path, "rb") as f:
        text = f.read().decode("utf-8-sig")
    rows = [r for r in csv.reader(io.StringIO(text, newline=""),
                                  delimiter=separator(text.split("\n", 1)[0]))
            if any(x.strip(WS) for x in r)]
    if not rows:
        raise ValueError("no header line")
    header = [ascii_lower(h.strip(WS)) for h in rows[0]]
    c = {"plugin": column(header, "plugin id", "plugin"), "host": column(header, "host"),
         "ip": column(header, "ip address", "ip"), "dns": column(header, "dns name", "fqdn"),
         "netbios": column(header, "netbios name"), "agent": column(header, "agent id"),
         "port": column(header, "port"), "protocol": column(header, "protocol")}

    if c["plugin"] < 0 or not {"host", "ip address", "dns name"} & set(header):
        return None  # not a Tenable export: detection refuses it

    def get(row, name):
        i = c[name]
        return row[i].strip(WS) if 0 <= i < len(row) else ""

    book = AssetBook()
    runs, last = 0, None
    identities, findings, vulns = set(), set(), set()
    for row in rows[1:]:
        if len(row) != len(header) and not (len(row) > len(header) and
                                            not any(x.strip(WS) for x in row[len(header):])):
            continue
        plugin, port = get(row, "plugin"), get(row, "port")
        if not plugin.isdigit() or not plugin.isascii():
            continue
        if port and not (port.isdigit() and port.isascii() and int(port) <= 65535):
            continue
        named, ip, dns = get(row, "host"), get(row, "ip"), ascii_lower(get(row, "dns"))
        netbios, agent = get(row, "netbios"), ascii_lower(get(row, "agent"))
        name = named or dns or ip or netbios
        if not name:
            continue
        named_ip = bool(named) and is_ip(named)
        keys = {"agent": agent, "ip": ip or (named if named_ip else ""),
                "fqdn": dns or (ascii_lower(named) if named and not named_ip and "." in named
                                else ""),
                "name": name}
        host = (name, keys["ip"], keys["fqdn"], netbios, agent)
        if host != last:
            runs, last = runs + 1, host
            identity = book.resolve(keys)
            identities.add(identity)
        key = "tenable:" + plugin
        vulns.add(key)
        findings.add((identity, key, int(port or 0), ascii_lower(get(row, "protocol"))))
    return {"hosts": runs, "findings": len(findings), "vulnerabilities": len(vulns),
            "assets": len(identities)}


def check(path):
    if not path.endswith(".csv"):
        return ("skip", "not a CSV export (.nessus/.xml files are covered by corpus_nessus)")
    counts = count(path)
    if counts is None:
        return ("reject", "not a recognised report", None)
    return ("import", counts, None)


if __name__ == "__main__":
    sys.exit(corpus_lib.main(sys.argv, DIRECTORIES, check))
