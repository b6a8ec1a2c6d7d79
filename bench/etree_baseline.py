#!/usr/bin/env python3
"""Baseline: parse a .nessus file the way a user would, with xml.etree.ElementTree.iterparse.

    etree_baseline.py FILE

Streams the file (start/end events), extracts the fields vigil extracts, and clears each
ReportHost once it is processed so memory stays bounded.  Records are built and counted but not
stored anywhere.  Prints one summary line:

    hosts=H items=I plugins=P findings=F plugin_set=S
"""

import sys
import xml.etree.ElementTree as ET

HOST_TAGS = ("host-ip", "host-fqdn", "hostname", "netbios-name", "mac-address",
             "operating-system", "HOST_START", "HOST_END", "Credentialed_Scan")
ITEM_ATTRS = ("pluginID", "pluginName", "pluginFamily", "port", "protocol", "svc_name",
              "severity")
ITEM_TEXT = ("synopsis", "description", "solution", "plugin_output", "risk_factor",
             "cvss_base_score", "cvss_vector", "cvss3_base_score", "cvss3_vector",
             "cvss4_base_score", "cvss4_vector", "vpr_score", "epss_score", "see_also",
             "exploit_available", "plugin_type", "plugin_publication_date",
             "patch_publication_date", "vuln_publication_date")
ITEM_LISTS = ("cve", "cwe", "xref")


def parse(path):
    plugin_set = []
    plugins = {}          # pluginID -> plugin record (first seen)
    findings = set()      # (host, pluginID, port, protocol)
    n_hosts = n_items = 0
    report = None
    host = None

    for event, elem in ET.iterparse(path, events=("start", "end")):
        tag = elem.tag
        if event == "start":
            if tag == "Report":
                report = elem
            elif tag == "ReportHost":
                host = {"name": elem.get("name")}
            continue

        if tag == "ReportItem":
            item = {a: elem.get(a) for a in ITEM_ATTRS}
            for t in ITEM_TEXT:
                item[t] = None
            for t in ITEM_LISTS:
                item[t] = []
            for child in elem:
                ct = child.tag
                if ct in ITEM_LISTS:
                    item[ct].append(child.text)
                elif ct in item:
                    item[ct] = child.text
            n_items += 1
            pid = item["pluginID"]
            if pid not in plugins:
                plugins[pid] = {k: item[k] for k in item if k not in (
                    "plugin_output", "port", "protocol", "svc_name")}
            hkey = host.get("host-fqdn") or host.get("host-ip") or host["name"]
            findings.add((hkey, pid, item["port"], item["protocol"]))
            elem.clear()
        elif tag == "tag" and host is not None:
            name = elem.get("name")
            if name in HOST_TAGS:
                host[name] = elem.text
        elif tag == "HostProperties":
            elem.clear()
        elif tag == "ReportHost":
            n_hosts += 1
            host = None
            elem.clear()
            if report is not None:
                report.clear()      # drop the finished ReportHost from the tree
        elif tag == "preference":
            if elem.findtext("name") == "plugin_set":
                plugin_set = [p for p in (elem.findtext("value") or "").split(";") if p.strip()]
        elif tag == "Policy":
            elem.clear()

    return n_hosts, n_items, len(plugins), len(findings), len(plugin_set)


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: etree_baseline.py FILE\n")
        return 2
    h, i, p, f, s = parse(argv[1])
    print("hosts=%d items=%d plugins=%d findings=%d plugin_set=%d" % (h, i, p, f, s))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
