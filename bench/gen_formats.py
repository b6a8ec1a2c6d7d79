#!/usr/bin/env python3
"""Generate a synthetic, real-shaped scanner report of at least a given size.

    gen_formats.py FORMAT OUT_FILE MEGABYTES [--seed S] [--quiet]

FORMAT is one of:

  openvas     Greenbone/OpenVAS XML: a GMP <report><report>...; the results of thousands of
              hosts, sorted by severity (so every host's results are spread over the file),
              then one <host> element per host with its times and host details.
  qualys      Qualys ASSET_DATA_REPORT XML: HEADER, RISK_SCORE_PER_HOST, HOST_LIST (one HOST
              with its VULN_INFO detections each), then the GLOSSARY of the QIDs used.
  nessus-csv  Nessus scanner CSV export: one row per (host, plugin, port) and CVE, the plugin's
              texts repeated on every row, hosts one after another.
  trivy       Trivy JSON, SchemaVersion 2, one container image: an os-pkgs result (Debian
              packages) and many lang-pkgs results (jar, node, python and Go lockfiles/binaries),
              one Vulnerabilities[] entry per (advisory, package).
  grype       Grype JSON of one image: matches[] (vulnerability, relatedVulnerabilities,
              matchDetails, artifact), then source, distro and descriptor at the end.
  sarif       SARIF 2.1.0 with one CodeQL run over a large monorepo: rules, artifacts, then many
              results (a third with codeFlows) in thousands of files, versionControlProvenance
              after the results.
  cyclonedx   CycloneDX 1.5 JSON (as Trivy writes it): metadata, components (all packages),
              then vulnerabilities, each once with its ratings and affects[] refs.

MEGABYTES is in 10^6 bytes; the file is at least that long (the last host, package or result
is completed and the document closed, so it is a little longer). Python 3 standard library
only. The output is deterministic for a given (FORMAT, MEGABYTES, seed). The document is
written as it is generated; what stays in memory is the catalogues (checks, rules,
vulnerability definitions seen so far) and, for OpenVAS, the (host, check) pairs that must be
sorted by severity, a few tens of MB at 200 MB.

Shapes follow the real exports (Greenbone 22.x GMP reports, Qualys VM ASSET_DATA_REPORT,
Nessus 10 CSV, Trivy 0.5x, Grype 0.8x, CodeQL 2.x SARIF, Trivy CycloneDX) and the golden
inputs in tests/testdata/<format>/. Vocabulary, CVSS vectors (with scores computed by the
published formulas) and description sentences come from gen_nessus.py.

The network formats get thousands of hosts (10.a.b.c, FQDNs under example.com, Linux
distributions and Windows, credentialed or not) with 6-80 findings each (about 30 on
average), drawn from a catalogue of about 2,650 checks (local package checks per
distribution, Windows KBs and applications, remote service checks, weak-configuration checks,
host information); outputs carry host-specific versions, banners, paths and text that needs
escaping. The package formats draw from an open-ended catalogue of CVE and GHSA advisories
(one per index, so larger files have more distinct vulnerabilities).
"""

import argparse
import calendar
import csv
import io
import json
import math
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True   # no __pycache__ in bench/
import gen_nessus as gn  # noqa: E402  (vocabulary and CVSS tables)

FORMATS = ("openvas", "qualys", "nessus-csv", "trivy", "grype", "sarif", "cyclonedx")
SCAN_EPOCH = calendar.timegm((2026, 3, 2, 9, 0, 0))   # 2026-03-02T09:00:00Z
DAY = 86400
M64 = (1 << 64) - 1
NET_CATALOGUE_SEED = 20260302
PKG_CATALOGUE_SEED = 20260303

# --------------------------------------------------------------------------------------------
# small helpers


def mix(*xs):
    """A stable 64-bit hash of a few integers (splitmix64 rounds)."""
    h = 0x9E3779B97F4A7C15
    for x in xs:
        h = ((h ^ (x & M64)) * 0xBF58476D1CE4E5B9) & M64
        h ^= h >> 31
        h = (h * 0x94D049BB133111EB) & M64
        h ^= h >> 29
    return h


def uuid_of(*xs):
    a = mix(*xs)
    b = mix(a, 0x5BD1E995)
    return "%08x-%04x-4%03x-%04x-%012x" % (a >> 32, (a >> 16) & 0xFFFF, a & 0xFFF,
                                            0x8000 | ((b >> 48) & 0x3FFF), b & 0xFFFFFFFFFFFF)


def hexid(n, *xs):
    s = "%016x%016x%016x%016x" % (mix(*xs), mix(1, *xs), mix(2, *xs), mix(3, *xs))
    return s[:n]


def iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


def ymd(epoch, sep="-"):
    return time.strftime("%Y" + sep + "%m" + sep + "%d", time.gmtime(epoch))


def xesc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xattr(s):
    return xesc(s).replace('"', "&quot;")


def cdata(s):
    return "<![CDATA[" + s.replace("]]>", "]]]]><![CDATA[>") + "]]>"


_jenc = json.encoder.encode_basestring   # C implementation, keeps non-ASCII as UTF-8


def jstr(s):
    return _jenc(s)


def go_html_escape(s):
    """Go's encoding/json escapes <, > and & in strings (Trivy and Grype are Go programs)."""
    return s.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def jblock(obj, indent, level):
    """obj as indented JSON whose first line is already at `level` spaces."""
    s = json.dumps(obj, indent=indent, ensure_ascii=False)
    return s.replace("\n", "\n" + " " * level)


def jmembers(obj, indent, level):
    """The members of a dict as indented JSON lines (no braces), each at `level` spaces,
    separated by ',\\n'; to splice into a hand-written object."""
    s = json.dumps(obj, indent=indent, ensure_ascii=False)
    inner = s[2:-2]                       # drop "{\n" and "\n}"
    pad = " " * (level - indent)
    return pad + inner.replace("\n", "\n" + pad) if inner else ""


class Sink(object):
    """A binary output file that counts bytes; text is written as UTF-8."""

    def __init__(self, path):
        self.path = path
        self.tmp = path + ".tmp"
        self.f = open(self.tmp, "wb", buffering=8 << 20)
        self.n = 0

    def w(self, s):
        b = s.encode("utf-8")
        self.f.write(b)
        self.n += len(b)

    def close(self):
        self.f.close()
        os.replace(self.tmp, self.path)

    def abandon(self):
        self.f.close()
        os.remove(self.tmp)


class JArray(object):
    """Writes the elements of a JSON array (already rendered) with their separators."""

    def __init__(self, out):
        self.out = out
        self.first = True
        self.buf = []
        self.n = 0

    def add(self, s):
        self.buf.append(s)
        self.n += 1
        if len(self.buf) >= 256:
            self.flush()

    def flush(self):
        if self.buf:
            self.out.w(("" if self.first else ",\n") + ",\n".join(self.buf))
            self.first = False
            self.buf = []


class Counter(object):
    """A Sink that only counts (for size estimates)."""

    def __init__(self):
        self.n = 0

    def w(self, s):
        self.n += len(s.encode("utf-8"))


# --------------------------------------------------------------------------------------------
# CVSS and texts

V3ALL = gn.cvss31_all()
V2ALL = [(v.replace("CVSS2#", ""), s) for v, s in gn.cvss2_all()]
V3_BY_SEV = {s: [x for x in V3ALL if gn.sev_of(x[1]) == s] for s in range(5)}
V2_BY_SEV = {1: [x for x in V2ALL if 0 < x[1] < 4.0], 2: [x for x in V2ALL if 4.0 <= x[1] < 7.0],
             3: [x for x in V2ALL if 7.0 <= x[1] < 9.0], 4: [x for x in V2ALL if x[1] >= 9.0]}
V4_BY_SEV = {s: [x for x in gn.CVSS4_TABLE if gn.sev_of(x[1]) == s] or
             [min(gn.CVSS4_TABLE, key=lambda t: t[1])] for s in range(1, 5)}
RISK = gn.RISK   # None Low Medium High Critical
GREENBONE_THREAT = ["Log", "Low", "Medium", "High", "Critical"]


def pick_sev(r, weights=(0, 8, 45, 35, 12)):
    x = r.random() * sum(weights)
    for s, w in enumerate(weights):
        if x < w:
            return s
        x -= w
    return 4


FILLER = [f for f in gn.FILLER if "Nessus" not in f]
INFO_SENTENCES = [s.replace("Nessus was", "The scanner was") for s in gn.INFO_SENTENCES]


def make_text(r, comp, lo, hi, filler=0.35, sentences=gn.VULN_SENTENCES):
    """Description sentences about `comp` (some with markup and non-ASCII), lo..hi chars."""
    target = r.randint(lo, hi)
    out, n = [], 0
    while n < target:
        if out and r.random() < filler:
            s = r.choice(FILLER)
        else:
            s = r.choice(sentences)
            s = s % comp if "%s" in s else s
        out.append(s)
        n += len(s) + 1
    return " ".join(out)


def cve_list(r, n, lo_year=2016, hi_year=2025):
    out = []
    seen = set()
    while len(out) < n:
        c = "CVE-%d-%d" % (r.randint(lo_year, hi_year), r.randint(1000, 52999))
        if c not in seen:
            seen.add(c)
            out.append(c)
    return out


def lognorm_int(r, mu, sigma, lo, hi):
    return max(lo, min(hi, int(r.lognormvariate(mu, sigma))))


# --------------------------------------------------------------------------------------------
# Network scanner catalogue (OpenVAS, Qualys, Nessus CSV share it; ids differ per format)


class Check(object):
    __slots__ = ("idx", "kind", "scope", "os_key", "title", "family", "product", "sev", "v3",
                 "v2", "v4", "cves", "cwe", "summary", "insight", "affected", "impact",
                 "solution", "sol_type", "vuldetect", "qod", "qod_type", "urls", "epss", "pub",
                 "mod", "pkgs", "oid", "qid", "pid", "qcat", "info", "ver", "fix", "certs",
                 "cache")

    def __init__(self):
        self.cache = {}
        self.v3 = self.v2 = self.v4 = None
        self.cves = []
        self.cwe = None
        self.pkgs = ()
        self.info = None
        self.ver = self.fix = ""
        self.certs = []
        self.epss = None


# Host information checks: (name, family, scope, output kind, severity, Qualys category)
INFO_CHECKS = [
    ("OS Detection Consolidation and Reporting", "Product detection", "general", "os", 0, "Information gathering"),
    ("Traceroute", "General", "general", "traceroute", 0, "Information gathering"),
    ("Hostname Determination Reporting", "Service detection", "general", "hostname", 0, "Information gathering"),
    ("Host Summary", "General", "general", "summary", 0, "Information gathering"),
    ("CPE Inventory", "Service detection", "cpe", "cpe", 0, "Information gathering"),
    ("Services", "Service detection", "svc", "service", 0, "TCP/IP"),
    ("SSL/TLS: Report Supported Cipher Suites", "SSL and TLS", "tls", "ciphers", 0, "General remote services"),
    ("SSL/TLS: Collect and Report Certificate Details", "SSL and TLS", "tls", "cert", 0, "General remote services"),
    ("SSH Protocol Algorithms Supported", "Service detection", "ssh", "sshalgo", 0, "General remote services"),
    ("HTTP Server Banner Enumeration", "Web application abuses", "www", "banner", 0, "Web server"),
    ("Authenticated Scan / LSC Info Consolidation (Linux/Unix SSH Login)", "Service detection", "general", "lscinfo", 0, "Information gathering"),
    ("SMB NativeLanMan", "Windows", "smb", "smbinfo", 0, "Windows"),
    ("Microsoft Windows SMB Accessible Shares", "Windows", "smb", "shares", 0, "Windows"),
    ("Windows Installed Software Enumeration (Registry)", "Windows", "general", "software", 0, "Windows"),
    ("ICMP Timestamp Reply Information Disclosure", "General", "icmp", "icmp", 1, "TCP/IP"),
    ("TCP Timestamps Information Disclosure", "General", "general", "tcpts", 1, "TCP/IP"),
    ("Open Port Detection (TCP)", "Port scanners", "general", "ports", 0, "TCP/IP"),
    ("Installed Packages List (Linux)", "Service detection", "general", "packages", 0, "Information gathering"),
]

WEAK_CHECKS = [
    ("SSL/TLS: Deprecated TLSv1.0 and TLSv1.1 Protocol Detection", "SSL and TLS", "tls", 2),
    ("SSL/TLS: Report Vulnerable Cipher Suites for HTTPS (SWEET32)", "SSL and TLS", "tls", 3),
    ("SSL/TLS: Certificate Signed Using A Weak Signature Algorithm", "SSL and TLS", "tls", 2),
    ("SSL/TLS: Certificate Expired", "SSL and TLS", "tls", 2),
    ("SSL/TLS: Diffie-Hellman Key Exchange Insufficient DH Group Strength", "SSL and TLS", "tls", 2),
    ("SSL/TLS: Untrusted Certificate Authority", "SSL and TLS", "tls", 2),
    ("Weak Key Exchange (KEX) Algorithm(s) Supported (SSH)", "General", "ssh", 2),
    ("Weak Encryption Algorithm(s) Supported (SSH)", "General", "ssh", 2),
    ("Weak MAC Algorithm(s) Supported (SSH)", "General", "ssh", 1),
    ("SSH Terrapin Prefix Truncation Attack", "General", "ssh", 2),
    ("Cleartext Transmission of Sensitive Information via HTTP", "Web application abuses", "www", 2),
    ("Missing `X-Content-Type-Options` Header", "Web application abuses", "www", 1),
    ("HTTP Debugging Methods (TRACE/TRACK) Enabled", "Web application abuses", "www", 2),
    ("Anonymous FTP Login Reporting", "FTP", "ftp", 2),
    ("SNMP Agent Default Community Name (public)", "SNMP", "snmp", 3),
    ("DNS Server Recursive Query Cache Poisoning Weakness", "DNS", "dns", 2),
    ("NTP Mode 6 Query Amplification", "Misc.", "ntp", 2),
    ("SMB Signing not required", "Windows", "smb", 2),
    ("Microsoft Windows RDP Network Level Authentication Not Enforced", "Windows", "rdp", 2),
    ("MySQL / MariaDB weak password", "Default Accounts", "mysql", 4),
    ("PostgreSQL weak password", "Default Accounts", "pgsql", 4),
    ("Redis Server No Password", "Databases", "redis", 4),
]

DISTRO_VENDOR = {"ubuntu2004": "Ubuntu", "ubuntu2204": "Ubuntu", "rhel8": "RedHat",
                 "rhel9": "RedHat", "debian12": "Debian", "sles15": "SUSE", "amzn2": "Amazon Linux",
                 "ol8": "Oracle Linux"}
DISTRO_CODE = {"ubuntu2004": 12, "ubuntu2204": 12, "rhel8": 3, "rhel9": 3, "debian12": 2,
               "sles15": 4, "amzn2": 5, "ol8": 6}
DISTRO_CPE = {"ubuntu2004": "cpe:/o:canonical:ubuntu_linux:20.04",
              "ubuntu2204": "cpe:/o:canonical:ubuntu_linux:22.04",
              "rhel8": "cpe:/o:redhat:enterprise_linux:8", "rhel9": "cpe:/o:redhat:enterprise_linux:9",
              "debian12": "cpe:/o:debian:debian_linux:12", "sles15": "cpe:/o:suse:sles:15:sp5",
              "amzn2": "cpe:/o:amazon:linux:2", "ol8": "cpe:/o:oracle:linux:8"}
LSC_RELEASE = {"ubuntu2004": "ubuntu0.20.04.%d", "ubuntu2204": "ubuntu0.22.04.%d",
               "rhel8": ".el8_%d", "rhel9": ".el9_%d", "debian12": "+deb12u%d",
               "sles15": ".150500.%d.1", "amzn2": ".amzn2.0.%d", "ol8": ".0.1.el8_%d"}
WIN_CPE = {"win2016": "cpe:/o:microsoft:windows_server_2016", "win2019":
           "cpe:/o:microsoft:windows_server_2019", "win2022": "cpe:/o:microsoft:windows_server_2022"}


class NetCatalogue(object):
    def __init__(self):
        r = random.Random(NET_CATALOGUE_SEED)
        self.checks = []
        self.info = {}          # output kind -> check index
        self.lsc = {}           # distro key -> [check index]
        self.win = []
        self.winapp = []
        self.remote = {}        # scope -> [check index]
        self.weak = {}          # scope -> [check index]
        oids, qids, pids = set(), set(), set()

        def new(kind, scope, title, family, sev, os_key=None):
            c = Check()
            c.idx = len(self.checks)
            c.kind, c.scope, c.title, c.family, c.sev = kind, scope, title, family, sev
            c.os_key = os_key
            self.checks.append(c)
            # ids per format, unique
            while True:
                if kind == "lsc":
                    oid = "1.3.6.1.4.1.25623.1.1.%d.%d.%d.%d" % (
                        DISTRO_CODE.get(c.os_key or "", 2), r.randint(2019, 2025),
                        r.randint(1000, 99999), r.randint(1, 3))
                else:
                    oid = "1.3.6.1.4.1.25623.1.0.%d" % r.randint(100000, 899999)
                if oid not in oids:
                    oids.add(oid)
                    c.oid = oid
                    break
            while True:
                q = r.randint(6, 380000)
                if q not in qids:
                    qids.add(q)
                    c.qid = q
                    break
            while True:
                p = r.randint(10000, 260000)
                if p not in pids:
                    pids.add(p)
                    c.pid = p
                    break
            return c

        def rate(c, with_v2=True):
            if c.sev == 0:
                return
            c.v3 = r.choice(V3_BY_SEV[c.sev])
            if with_v2 and r.random() < 0.7:
                c.v2 = r.choice(V2_BY_SEV[c.sev])
            if r.random() < 0.15:
                c.v4 = r.choice(V4_BY_SEV[c.sev])

        def dates(c, lo=2016):
            c.pub = calendar.timegm((r.randint(lo, 2025), r.randint(1, 12), r.randint(1, 28), 0, 0, 0))
            c.mod = min(SCAN_EPOCH - 30 * DAY, c.pub + r.randint(0, 700) * DAY)

        def refs(c, host_hint):
            n = r.randint(1, 3)
            c.urls = [r.choice(gn.SEE_ALSO_HOSTS) + host_hint + ("%d" % r.randint(1000, 99999))
                      for _ in range(n)]
            if c.cves:
                c.certs = ["DFN-CERT-%d-%04d" % (r.randint(2019, 2025), r.randint(1, 3200))
                           for _ in range(r.randint(0, 3))]
                c.certs += ["WID-SEC-%d-%04d" % (r.randint(2021, 2025), r.randint(1, 3000))
                            for _ in range(r.randint(0, 2))]
                if r.random() < 0.6:
                    c.epss = (round(r.random() ** 3, 5), round(r.random(), 5))

        # host information
        for name, family, scope, info, sev, qcat in INFO_CHECKS:
            c = new("info", scope, name, family, sev)
            c.info = info
            c.qcat = qcat
            if sev:
                c.v2 = r.choice(V2_BY_SEV[1])
                c.v3 = None
            c.summary = "%s: the scanner collected this information about the host." % name
            c.insight = make_text(r, name, 100, 400, filler=0.2, sentences=INFO_SENTENCES)
            c.affected = ""
            c.impact = ""
            c.solution = "N/A" if not sev else "Disable the feature on the remote host or filter it."
            c.sol_type = "" if not sev else "Mitigation"
            c.vuldetect = "Reports the information gathered during the scan."
            c.qod, c.qod_type = 80, "remote_banner"
            dates(c, 2009)
            c.urls = []
            self.info[info] = c.idx

        # local security checks per distribution
        for key, family, osname, adv in gn.DISTROS:
            lst = self.lsc.setdefault(key, [])
            for j in range(220):
                pk = r.sample(gn.LINUX_PKGS, r.randint(1, 3))
                a = adv % tuple(r.randint(1000, 7999) for _ in range(adv.count("%d")))
                c = new("lsc", "general", "%s: Security Advisory for %s (%s)" % (
                    DISTRO_VENDOR[key], pk[0], a), family, pick_sev(r), key)
                c.pkgs = tuple(pk)
                c.qcat = {"Ubuntu": "Ubuntu", "Debian": "Debian", "RedHat": "Local",
                          "SUSE": "SUSE"}.get(DISTRO_VENDOR[key], "Local")
                rate(c)
                c.cves = cve_list(r, lognorm_int(r, 0.8, 0.9, 1, 60))
                c.cwe = r.choice(gn.CWES)
                c.summary = "The remote host is missing an update for the '%s' package(s) " \
                            "announced via the %s advisory." % ("', '".join(pk), a)
                c.insight = make_text(r, pk[0], 150, 1100)
                c.affected = "'%s' package(s) on %s." % ("', '".join(pk), osname)
                c.impact = ""
                c.solution = "Please install the updated package(s)."
                c.sol_type = "VendorFix"
                c.vuldetect = "Checks if a vulnerable package version is present on the target host."
                c.qod, c.qod_type = 97, "package"
                dates(c)
                refs(c, a.lower() + "/")
                c.urls[0] = gn.SEE_ALSO_HOSTS[gn.DISTRO_SEE_ALSO[key]] + a
                lst.append(c.idx)

        # Windows cumulative updates and applications
        for j in range(240):
            kb = 5000000 + r.randint(1000, 99999)
            c = new("win", "general", "Microsoft Windows Multiple Vulnerabilities (KB%d)" % kb,
                    "Windows : Microsoft Bulletins", pick_sev(r, (0, 2, 25, 50, 23)))
            c.qcat = "Windows"
            rate(c)
            c.cves = cve_list(r, lognorm_int(r, 1.8, 0.7, 3, 90), 2022, 2025)
            c.summary = "This host is missing an important security update according to " \
                        "Microsoft KB%d" % kb
            c.insight = make_text(r, "Windows %s" % r.choice(["Kernel", "SMB", "Print Spooler",
                                                                "Hyper-V", "LSASS", "DNS"]),
                                  200, 1300)
            c.affected = "- Microsoft Windows Server 2016\n\n  - Microsoft Windows Server 2019\n\n" \
                         "  - Microsoft Windows Server 2022"
            c.impact = "Successful exploitation allows an attacker to elevate privileges, " \
                       "execute arbitrary commands, disclose information & bypass restrictions."
            c.solution = "The vendor has released updates. Please see the references for more " \
                         "information."
            c.sol_type = "VendorFix"
            c.vuldetect = "Checks if a vulnerable version is present on the target host."
            c.qod, c.qod_type = 80, "executable_version"
            c.ver = "%d" % kb
            dates(c, 2021)
            refs(c, "kb%d/" % kb)
            self.win.append(c.idx)
        for j in range(160):
            app = r.choice(gn.WIN_APPS)
            adv = "%s-%d-%02d" % (app[0].split()[0].lower(), r.randint(2021, 2025), r.randint(1, 60))
            c = new("winapp", "general", "%s Security Update (%s) - Windows" % (app[0], adv),
                    "General", pick_sev(r))
            c.qcat = "Local"
            c.product = app
            rate(c)
            c.cves = cve_list(r, lognorm_int(r, 1.2, 0.9, 1, 40), 2020, 2025)
            c.summary = "%s is prone to multiple vulnerabilities." % app[0]
            c.insight = make_text(r, app[0], 150, 1000)
            c.affected = "%s prior to version %s.%d." % (app[0], app[2], r.randint(1, 99))
            c.impact = "Successful exploitation may allow an attacker to execute arbitrary code."
            c.solution = "Update to version %s.%d or later." % (app[2], r.randint(100, 300))
            c.sol_type = "VendorFix"
            c.vuldetect = "Checks if a vulnerable version is present on the target host."
            c.qod, c.qod_type = 80, "registry"
            dates(c, 2020)
            refs(c, adv + "/")
            self.winapp.append(c.idx)

        # remote checks on services
        for prod, scope, family, cpe, base in gn.REMOTE_PRODUCTS:
            for j in range(14):
                issue, cwe = r.choice(gn.ISSUES)
                lo = "%s.%d" % (base, r.randint(0, 9))
                hi = "%s.%d" % (base, r.randint(10, 60))
                c = new("remote", scope, "%s %s - %s %s" % (prod, lo, hi, issue), family,
                        pick_sev(r))
                c.qcat = {"www": "Web server", "tls": "General remote services",
                          "ssh": "General remote services", "dns": "DNS and BIND",
                          "smtp": "Mail services"}.get(scope, "Database" if family == "Databases"
                                                      else "General remote services")
                c.product = (prod, cpe, base)
                c.ver, c.fix = lo, hi
                rate(c)
                c.cves = cve_list(r, lognorm_int(r, 0.7, 0.9, 0, 12))
                c.cwe = cwe or r.choice(gn.CWES)
                c.summary = "%s is prone to %s." % (prod, issue.lower())
                c.insight = make_text(r, prod, 150, 1000)
                c.affected = "%s version %s through %s." % (prod, lo, hi)
                c.impact = "N/A" if r.random() < 0.3 else \
                    "Successful exploitation allows a remote attacker to %s." % r.choice(
                        ["execute arbitrary code", "cause a denial of service",
                         "read sensitive <data> from memory", "bypass authentication & access "
                         "controls"])
                c.solution = "Update to version %s or later." % hi
                c.sol_type = "VendorFix"
                c.vuldetect = "Checks if a vulnerable version is present on the target host."
                c.qod, c.qod_type = r.choice([(80, "remote_banner"), (99, "remote_vul"),
                                              (95, "remote_active"), (30, "remote_banner_unreliable")])
                dates(c)
                refs(c, prod.split()[0].lower() + "/")
                self.remote.setdefault(scope, []).append(c.idx)

        # weak configuration checks
        for name, family, scope, sev in WEAK_CHECKS:
            c = new("weak", scope, name, family, sev)
            c.qcat = "General remote services"
            rate(c)
            c.summary = "The remote service is configured in a way that weakens its security: %s." \
                        % name
            c.insight = make_text(r, "the %s service" % scope, 150, 900, filler=0.5)
            c.affected = ""
            c.impact = "An attacker might be able to decrypt or modify the traffic."
            c.solution = "Reconfigure the service; see the references."
            c.sol_type = "Mitigation"
            c.vuldetect = "Checks the service's configuration."
            c.qod, c.qod_type = 98, "remote_active"
            dates(c, 2012)
            refs(c, "weak/")
            self.weak.setdefault(scope, []).append(c.idx)


# --------------------------------------------------------------------------------------------
# Hosts of a network scan


class Host(object):
    __slots__ = ("i", "ip", "fqdn", "short", "os_key", "os_name", "os_cpe", "win", "cred",
                 "services", "start", "end", "mac", "items", "asset")


def plan_host(cat, seed, i):
    """Host i: identity, OS, services and its items [(check index, service key or scope)]."""
    r = random.Random(mix(seed, 77, i))
    h = Host()
    h.i = i
    h.ip = "10.%d.%d.%d" % (i // 62500 % 250 + 1, i // 250 % 250, i % 250 + 2)
    h.short = "%s%05d" % (r.choice(["srv", "web", "db", "app", "ca", "ocsp", "hsm", "dc", "mx",
                                    "jump", "k8s", "ws"]), i)
    h.fqdn = ("%s.%s.example.com" % (h.short, r.choice(["dc1", "dc2", "dmz", "pki", "corp"]))
              if r.random() < 0.8 else "")
    h.win = r.random() < 0.3
    if h.win:
        k, name, build = r.choice(gn.WIN_OS)
        h.os_key, h.os_name, h.os_cpe = k, name, WIN_CPE[k]
        h.services = list(r.choice(gn.ROLES_WIN))
    else:
        k = r.choice(gn.DISTROS)[0]
        h.os_key, h.os_name, h.os_cpe = k, gn.LINUX_OS_NAME[k], DISTRO_CPE[k]
        h.services = list(r.choice(gn.ROLES_LINUX))
    h.cred = r.random() < 0.75
    h.start = SCAN_EPOCH + r.randint(0, 6 * 3600)
    h.end = h.start + r.randint(300, 5400)
    h.mac = "00:50:56:%02x:%02x:%02x" % (r.randint(0, 255), r.randint(0, 255), r.randint(0, 255))
    h.asset = uuid_of(seed, 5, i)
    items = []
    seen = set()

    def add(ci, where):
        if (ci, where) not in seen:
            seen.add((ci, where))
            items.append((ci, where))

    info = cat.info
    add(info["os"], "general")
    add(info["traceroute"], "general")
    add(info["cpe"], "cpe")
    if r.random() < 0.5:
        add(info["summary"], "general")
    if r.random() < 0.5:
        add(info["ports"], "general")
    if h.fqdn:
        add(info["hostname"], "general")
    if r.random() < 0.5:
        add(info["tcpts"], "general")
    if r.random() < 0.3:
        add(info["icmp"], "icmp")
    for s in h.services:
        if r.random() < 0.6:
            add(info["service"], s)
        tls = gn.SERVICES[s][3]
        if tls:
            add(info["ciphers"], s)
            add(info["cert"], s)
        if s == "ssh":
            add(info["sshalgo"], s)
        if s.startswith("www"):
            add(info["banner"], s)
        if s == "smb":
            add(info["smbinfo"], s)
            if r.random() < 0.5:
                add(info["shares"], s)
        # remote and weak checks that apply to this service
        for scope, grp in gn.SVC_GROUP.items():
            if s not in grp:
                continue
            pool = cat.remote.get(scope, ())
            for _ in range(r.randint(0, 4) if pool else 0):
                add(r.choice(pool), s)
            wpool = cat.weak.get(scope, ())
            for ci in wpool:
                if r.random() < 0.25:
                    add(ci, s)
    if h.cred:
        if h.win:
            add(info["software"], "general")
            for _ in range(lognorm_int(r, 2.0, 0.6, 2, 25)):
                add(r.choice(cat.win), "general")
            for _ in range(lognorm_int(r, 1.3, 0.8, 0, 20)):
                add(r.choice(cat.winapp), "general")
        else:
            add(info["lscinfo"], "general")
            add(info["packages"], "general")
            pool = cat.lsc[h.os_key]
            for _ in range(lognorm_int(r, 2.4, 0.6, 3, 55)):
                add(r.choice(pool), "general")
    h.items = items
    return h


def svc_port(where):
    """(port number, protocol, service name) of an item's location."""
    if where in gn.SERVICES:
        name, port, proto, tls = gn.SERVICES[where]
        return port, proto, name
    if where == "icmp":
        return 0, "icmp", "general"
    if where == "cpe":
        return 0, "", "CPE-T"
    return 0, "tcp", "general"


def ov_port(where):
    if where in gn.SERVICES:
        name, port, proto, tls = gn.SERVICES[where]
        return "%d/%s" % (port, proto)
    return {"icmp": "general/icmp", "cpe": "general/CPE-T"}.get(where, "general/tcp")


def vnum(h, ci, k=0):
    return mix(h.i, ci, k) & 0xFFFFFF


def net_output(cat, c, h, where, v):
    """The plain-text result of check c on host h (Greenbone style; the other formats reuse
    it)."""
    ip = h.ip
    name = h.fqdn or h.short
    if c.kind == "lsc":
        lines = []
        rel = LSC_RELEASE[h.os_key]
        for p in c.pkgs:
            base = "%d.%d.%d-%d" % (v % 9, (v >> 4) % 40, v % 17, v % 5 + 1)
            n = (v >> 8) % 9
            lines.append("Vulnerable package: %s\nInstalled version: %s-%s%s\n"
                         "Fixed version:     >=%s-%s%s\n" % (
                             p, p, base, rel % n, p, base, rel % (n + 1)))
        return "\n".join(lines)
    if c.kind == "win":
        b = int(h.os_cpe[-4:]) if h.os_cpe[-4:].isdigit() else 2022
        build = {2016: 14393, 2019: 17763, 2022: 20348}.get(b, 20348)
        return ("File checked:     C:\\Windows\\system32\\%s\nFile version:     10.0.%d.%d\n"
                "Vulnerable range: Less than 10.0.%d.%d\n" % (
                    ["ntoskrnl.exe", "win32kfull.sys", "mshtml.dll", "lsasrv.dll", "srv2.sys",
                     "localspl.dll"][v % 6], build, 1000 + v % 5000, build, 6000 + v % 900))
    if c.kind == "winapp":
        app = c.product
        return ("Installed version: %s.%d\nFixed version:     %s\nInstallation\n"
                "path / port:       %s\n" % (app[2], v % 100, c.solution.split()[3], app[1]))
    if c.kind == "remote":
        port = ov_port(where)
        return ("Installed version: %s.%d\nFixed version:     %s\nInstallation\n"
                "path / port:       %s\n" % (c.ver, v % 7, c.fix,
                                              "/" if port.endswith("tcp") and v % 3 else port))
    if c.kind == "weak":
        if c.scope == "tls":
            return ("'Vulnerable' cipher suites accepted by this service via the TLSv1.2 protocol:\n\n"
                    "TLS_RSA_WITH_3DES_EDE_CBC_SHA\nTLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA\n"
                    "TLS_RSA_WITH_RC4_128_SHA (%d bits)\n" % (112 + v % 16))
        if c.scope == "ssh":
            return ("The remote SSH server supports the following weak KEX algorithm(s):\n\n"
                    "KEX algorithm                      | Reason\n"
                    "-------------------------------------------------------------------\n"
                    "diffie-hellman-group-exchange-sha1 | Using SHA-1\n"
                    "diffie-hellman-group1-sha1         | Using Oakley Group 2 (a 1024-bit MODP "
                    "group) and SHA-1\n")
        return "The service on %s was found to be affected (probe %d returned \"%s\").\n" % (
            ov_port(where), v % 1000, ["<html>", "OK & done", "220 ready", "public"][v % 4])
    # host information
    k = c.info
    if k == "os":
        return ("Best matching OS:\n\nOS:           %s\nCPE:          %s\nFound by NVT: "
                "1.3.6.1.4.1.25623.1.0.105937 (%s)\nConcluded from %s on port %s\n"
                "Setting key \"Host/runs_%s\" based on this information\n" % (
                    h.os_name, h.os_cpe, "SMB/WMI" if h.win else "SSH login",
                    "registry" if h.win else "/etc/os-release", "445/tcp" if h.win else "22/tcp",
                    "windows" if h.win else "unixoide"))
    if k == "traceroute":
        return ("Network route from scanner (10.250.0.5) to target (%s):\n\n10.250.0.5\n10.250.0.1\n"
                "10.%s.254\n%s\n\nNetwork distance between scanner and target: %d\n" % (
                    ip, ".".join(ip.split(".")[1:3]), ip, 3 + v % 3))
    if k == "hostname":
        return ("Hostname determination for IP %s:\n\nHostname|Source\n%s|Reverse-DNS\n%s|SSL/TLS "
                "server certificate\n" % (ip, h.fqdn, h.fqdn))
    if k == "summary":
        return "traceroute:10.250.0.5,10.250.0.1,%s\nTCP ports:%s\nUDP ports:%s\n" % (
            ip, ",".join(str(svc_port(s)[0]) for s in h.services if svc_port(s)[1] == "tcp"),
            ",".join(str(svc_port(s)[0]) for s in h.services if svc_port(s)[1] == "udp"))
    if k == "cpe":
        lines = ["%s|%s" % (ip, h.os_cpe)]
        for j, s in enumerate(h.services):
            lines.append("%s|cpe:/a:%s:%s:%d.%d" % (ip, s, gn.SERVICES[s][0], v % 9, (v >> j) % 30))
        return "\n".join(lines) + "\n"
    if k == "service":
        nm, port, proto, tls = gn.SERVICES[where]
        return "A %s server is running on this port%s.\n" % (nm, " through TLSv1.2" if tls else "")
    if k == "ciphers":
        return ("\"Strong\" cipher suites accepted by this service via the TLSv1.2 protocol:\n\n"
                "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256\nTLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384\n"
                "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256\n\n\"Strong\" cipher suites accepted "
                "by this service via the TLSv1.3 protocol:\n\nTLS_AES_128_GCM_SHA256\n"
                "TLS_AES_256_GCM_SHA384\n\nNo 'Weak' cipher suites accepted by this service via "
                "the TLSv1.2 protocol.\n")
    if k == "cert":
        return ("The following certificate details of the remote service were collected.\n\n"
                "Certificate details:\nfingerprint (SHA-1)             | %s\nfingerprint (SHA-256)"
                "           | %s\nissuer                          | CN=Müller & Söhne Issuing CA "
                "%d,O=Müller & Söhne GmbH,L=München,C=DE\nserial                          | %s\n"
                "signature algorithm             | sha256WithRSAEncryption\nsubject                "
                "         | CN=%s,O=Müller & Söhne GmbH <IT>,C=DE\nsubject alternative names "
                "(SAN) | %s, %s\nvalid from                      | 2025-%02d-%02d 00:00:00 UTC\n"
                "valid until                     | 2026-%02d-%02d 23:59:59 UTC\n" % (
                    hexid(40, h.i, 1).upper(), hexid(64, h.i, 2).upper(), v % 4, hexid(16, h.i, 3).upper(),
                    name, name, ip, v % 12 + 1, v % 28 + 1, (v >> 3) % 12 + 1, (v >> 5) % 28 + 1))
    if k == "sshalgo":
        return ("The following options are supported by the remote SSH service:\n\n"
                "kex_algorithms:\ncurve25519-sha256\ncurve25519-sha256@libssh.org\n"
                "diffie-hellman-group16-sha512\necdh-sha2-nistp256\n\nserver_host_key_algorithms:\n"
                "rsa-sha2-512\nrsa-sha2-256\nssh-ed25519\n\nencryption_algorithms_server_to_client:"
                "\naes128-ctr\naes256-gcm@openssh.com\nchacha20-poly1305@openssh.com\n")
    if k == "banner":
        return ("The remote HTTP Server banner is:\n\nServer: Apache/2.4.%d (Ubuntu) OpenSSL/3.0.%d\n"
                "X-Powered-By: PHP/8.1.%d\n" % (40 + v % 20, v % 14, v % 30))
    if k == "lscinfo":
        return ("Description (Knowledge base entry)                  : Value/Content\n"
                "----------------------------------------------------------------------\n"
                "Access to the remote system possible (login/ssh/success) : TRUE\n"
                "Login via SSH as user 'scanner' on %s\nOS detected: %s\nPackage manager: %s\n"
                "Number of installed packages: %d\n" % (ip, h.os_name, "dpkg" if "ubuntu" in
                                                      h.os_key or "debian" in h.os_key else "rpm",
                                                      400 + v % 1600))
    if k == "packages":
        pk = gn.LINUX_PKGS
        n = 12 + v % 40
        return "".join("ii  %-28s %d.%d.%d-%d  amd64  %s\n" % (
            pk[(v + j * 7) % len(pk)], j % 5, (v >> j % 8) % 30, j % 11, v % 7 + 1,
            "Größenänderung & <tools> für %s" % pk[(v + j * 7) % len(pk)]) for j in range(n))
    if k == "smbinfo":
        return "Detected SMB workgroup: CORP\nDetected SMB server: Windows Server %s\n" \
               "Detected OS: %s\n" % (h.os_key[3:], h.os_name)
    if k == "shares":
        return "The following shares were found:\nADMIN$\nC$\nIPC$\nDaten_Müller\nscans & reports\n"
    if k == "software":
        apps = gn.WIN_APPS
        n = 8 + v % 20
        return "".join("%s %s.%d installed at %s\n" % (
            apps[(v + j) % len(apps)][0], apps[(v + j) % len(apps)][2], j,
            apps[(v + j) % len(apps)][1]) for j in range(n))
    if k == "icmp":
        return "The following response / ICMP packet has been received:\n- ICMP Type: 14\n" \
               "- ICMP Code: 0\n"
    if k == "tcpts":
        return "It was detected that the host implements RFC1323/RFC7323.\n\nThe following " \
               "timestamps were retrieved with a delay of 1 seconds in-between:\nPacket 1: %d\n" \
               "Packet 2: %d\n" % (v * 13, v * 13 + 1012)
    if k == "ports":
        return "Open TCP ports: %s\n" % ", ".join(
            str(svc_port(s)[0]) for s in h.services if svc_port(s)[1] == "tcp")
    return "Information about %s on %s\n" % (c.title, ip)


def severity_of(c):
    """(CVSS score used as severity, its vector) of a check."""
    if c.v3 is not None:
        return c.v3[1], c.v3[0]
    if c.v2 is not None:
        return c.v2[1], c.v2[0]
    return 0.0, ""


def plan_network(seed, mb, sample_fn, overhead_fn, hosts_override=None):
    """Number of hosts for about mb MB, from a sample of rendered hosts."""
    if hosts_override:
        return hosts_override
    sample = 120
    per_host = sample_fn(sample) / float(sample)
    n = int(math.ceil((mb * 1e6 * 1.01 - overhead_fn()) / per_host))
    return max(2, n)


# --------------------------------------------------------------------------------------------
# OpenVAS / Greenbone XML


def ov_nvt_block(c):
    b = c.cache.get("ov")
    if b is not None:
        return b
    score, vector = severity_of(c)
    tags = ["cvss_base_vector=%s" % vector if vector else "cvss_base_vector=AV:N/AC:L/Au:N/C:N/I:N/A:N",
            "summary=%s" % c.summary]
    if c.insight:
        tags.append("insight=%s" % c.insight)
    if c.affected:
        tags.append("affected=%s" % c.affected)
    if c.impact:
        tags.append("impact=%s" % c.impact)
    tags.append("solution=%s" % c.solution)
    tags.append("vuldetect=%s" % c.vuldetect)
    if c.sol_type:
        tags.append("solution_type=%s" % c.sol_type)
    s = ['        <nvt oid="%s">\n          <type>nvt</type>\n          <name>%s</name>\n'
         '          <family>%s</family>\n          <cvss_base>%.1f</cvss_base>\n' % (
             c.oid, xesc(c.title), xesc(c.family), score)]
    sev = []
    if c.v3 is not None:
        sev.append('            <severity type="cvss_base_v3">\n              <origin>NVD</origin>\n'
                   '              <date>%sT00:00:00Z</date>\n              <score>%.1f</score>\n'
                   '              <value>%s</value>\n            </severity>\n' % (
                       ymd(c.mod), c.v3[1], c.v3[0]))
    if c.v2 is not None:
        sev.append('            <severity type="cvss_base_v2">\n              <origin/>\n'
                   '              <date>%sT00:00:00Z</date>\n              <score>%.1f</score>\n'
                   '              <value>%s</value>\n            </severity>\n' % (
                       ymd(c.pub), c.v2[1], c.v2[0]))
    if sev:
        s.append('          <severities score="%.1f">\n%s          </severities>\n' % (score, "".join(sev)))
    s.append('          <tags>%s</tags>\n' % xesc("|".join(tags)))
    if c.sol_type:
        s.append('          <solution type="%s">%s</solution>\n' % (c.sol_type, xesc(c.solution)))
    if c.epss and c.cves:
        s.append('          <epss>\n            <max_severity>\n              <score>%.5f</score>\n'
                 '              <percentile>%.5f</percentile>\n              <cve id="%s">\n'
                 '                <severity>%.1f</severity>\n              </cve>\n'
                 '            </max_severity>\n            <max_epss>\n'
                 '              <score>%.5f</score>\n              <percentile>%.5f</percentile>\n'
                 '              <cve id="%s">\n                <severity>%.1f</severity>\n'
                 '              </cve>\n            </max_epss>\n          </epss>\n' % (
                     c.epss[0] / 2, c.epss[1] / 2, c.cves[0], score, c.epss[0], c.epss[1],
                     c.cves[-1], score))
    refs = ['            <ref type="cve" id="%s"/>\n' % x for x in c.cves]
    if c.cwe:
        refs.append('            <ref type="cwe" id="CWE-%d"/>\n' % c.cwe)
    refs += ['            <ref type="url" id="%s"/>\n' % xattr(u) for u in c.urls]
    refs += ['            <ref type="%s" id="%s"/>\n' % (
        "dfn-cert" if x.startswith("DFN") else "cert-bund", x) for x in c.certs]
    if refs:
        s.append('          <refs>\n%s          </refs>\n' % "".join(refs))
    s.append('        </nvt>\n')
    b = "".join(s)
    c.cache["ov"] = b
    return b


def ov_result(cat, c, h, where, k, seed):
    v = vnum(h, c.idx, k)
    score, vector = severity_of(c)
    sevlvl = gn.sev_of(score)
    threat = GREENBONE_THREAT[sevlvl]
    t = iso(h.start + 60 + v % max(60, h.end - h.start - 60))
    return ('      <result id="%s">\n        <name>%s</name>\n        <owner>\n          <name>admin'
            '</name>\n        </owner>\n        <modification_time>%s</modification_time>\n'
            '        <comment/>\n        <creation_time>%s</creation_time>\n'
            '        <host>%s<asset asset_id="%s"/><hostname>%s</hostname></host>\n'
            '        <port>%s</port>\n%s        <scan_nvt_version>%s</scan_nvt_version>\n'
            '        <threat>%s</threat>\n        <severity>%.1f</severity>\n'
            '        <qod>\n          <value>%d</value>\n          <type>%s</type>\n        </qod>\n'
            '        <description>%s</description>\n        <original_threat>%s</original_threat>\n'
            '        <original_severity>%.1f</original_severity>\n'
            '        <compliance>undefined</compliance>\n      </result>\n') % (
                uuid_of(seed, 1, h.i, c.idx, k), xesc(c.title), t, t, h.ip, h.asset,
                h.fqdn or "", ov_port(where), ov_nvt_block(c), ymd(c.mod) + "T08:10:11Z", threat,
                score, c.qod, c.qod_type, xesc(net_output(cat, c, h, where, v)), threat, score)


def ov_host(cat, h):
    counts = [0] * 5
    for ci, where in h.items:
        counts[gn.sev_of(severity_of(cat.checks[ci])[0])] += 1
    ports = sorted(set(ov_port(w) for _, w in h.items if w in gn.SERVICES))
    s = ['      <host>\n        <ip>%s</ip>\n        <asset asset_id="%s"/>\n'
         '        <start>%s</start>\n        <end>%s</end>\n'
         '        <port_count>\n          <page>%d</page>\n        </port_count>\n'
         '        <result_count>\n          <page>%d</page>\n'
         '          <critical>\n            <page>%d</page>\n          </critical>\n'
         '          <hole>\n            <page>%d</page>\n          </hole>\n'
         '          <warning>\n            <page>%d</page>\n          </warning>\n'
         '          <info>\n            <page>%d</page>\n          </info>\n'
         '          <log>\n            <page>%d</page>\n          </log>\n'
         '          <false_positive>\n            <page>0</page>\n          </false_positive>\n'
         '        </result_count>\n' % (h.ip, h.asset, iso(h.start), iso(h.end), len(ports),
                                        len(h.items), counts[4], counts[3], counts[2], counts[1],
                                        counts[0])]

    def detail(name, value, nvt, desc):
        s.append('        <detail>\n          <name>%s</name>\n          <value>%s</value>\n'
                 '          <source>\n            <type>nvt</type>\n            <name>%s</name>\n'
                 '            <description>%s</description>\n          </source>\n'
                 '          <extra/>\n        </detail>\n' % (name, xesc(value), nvt, desc))

    if h.fqdn:
        detail("hostname", h.fqdn, "1.3.6.1.4.1.25623.1.0.103997", "Host Details")
    detail("best_os_cpe", h.os_cpe, "1.3.6.1.4.1.25623.1.0.105937", "OS Detection Consolidation "
           "and Reporting")
    detail("best_os_txt", h.os_name.split(" on ")[-1], "1.3.6.1.4.1.25623.1.0.105937", "OS Detection Consolidation "
           "and Reporting")
    detail("OS", h.os_cpe, "1.3.6.1.4.1.25623.1.0.105937", "OS Detection Consolidation and "
           "Reporting")
    detail("ports", ",".join(p.split("/")[0] for p in ports if p.endswith("tcp")),
           "1.3.6.1.4.1.25623.1.0.900239", "Check Open TCP Ports")
    detail("traceroute", "10.250.0.5,10.250.0.1,%s" % h.ip, "1.3.6.1.4.1.25623.1.0.51662",
           "Traceroute")
    if h.cred:
        detail("Auth-SMB-Success" if h.win else "Auth-SSH-Success",
               "Protocol %s, Port %d, User scanner" % (("SMB", 445) if h.win else ("SSH", 22)),
               "1.3.6.1.4.1.25623.1.0.103591", "SSH/SMB login")
    elif h.win or "ssh" in h.services:
        detail("Auth-SMB-Failure" if h.win else "Auth-SSH-Failure",
               "Protocol %s, Port %d, User scanner : Login failure" % (
                   ("SMB", 445) if h.win else ("SSH", 22)),
               "1.3.6.1.4.1.25623.1.0.103591", "SSH/SMB login")
    for w in h.services:
        nm, port, proto, tls = gn.SERVICES[w]
        detail("App", "cpe:/a:%s:%s" % (nm, "server"), "1.3.6.1.4.1.25623.1.0.10330",
               "Services")
    s.append("      </host>\n")
    return "".join(s)[2:].replace("\n  ", "\n")      # <host> is a child of the inner <report>


def write_openvas(out, cat, seed, n_hosts):
    hosts = [plan_host(cat, seed, i) for i in range(n_hosts)]
    rid = uuid_of(seed, 100)
    tid = uuid_of(seed, 101)
    t0 = min(h.start for h in hosts) - 90
    t1 = max(h.end for h in hosts) + 60
    keys = []
    for h in hosts:
        for k, (ci, where) in enumerate(h.items):
            score = severity_of(cat.checks[ci])[0]
            keys.append((((1000 - int(round(score * 10))) * 8192 + ci) * (1 << 20) + h.i) * 256 + k)
    keys.sort()
    out.w('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<report id="%s" format_id="a994b278-1f62-11e1-96ac-406186ea4fc5" extension="xml" '
          'content_type="text/xml">\n  <owner>\n    <name>admin</name>\n  </owner>\n'
          '  <name>%s</name>\n  <comment/>\n  <creation_time>%s</creation_time>\n'
          '  <modification_time>%s</modification_time>\n  <writable>0</writable>\n'
          '  <in_use>0</in_use>\n  <task id="%s">\n    <name>Datacenter full and fast</name>\n'
          '  </task>\n  <report_format id="a994b278-1f62-11e1-96ac-406186ea4fc5">\n'
          '    <name>XML</name>\n  </report_format>\n  <report id="%s">\n    <gmp>\n'
          '      <version>22.7</version>\n    </gmp>\n    <sort>\n      <field>severity<order>'
          'descending</order></field>\n    </sort>\n    <filters id="">\n'
          '      <term>apply_overrides=0 min_qod=0 levels=chmlg rows=-1 first=1 '
          'sort-reverse=severity</term>\n      <keywords>\n        <keyword>\n'
          '          <column>apply_overrides</column>\n          <relation>=</relation>\n'
          '          <value>0</value>\n        </keyword>\n      </keywords>\n    </filters>\n'
          '    <scan_run_status>Done</scan_run_status>\n    <hosts>\n      <count>%d</count>\n'
          '    </hosts>\n    <closed_cves>\n      <count>0</count>\n    </closed_cves>\n'
          '    <vulns>\n      <count>%d</count>\n    </vulns>\n'
          '    <task id="%s">\n      <name>Datacenter full and fast</name>\n'
          '      <comment>Weekly scan of DC1 &amp; DC2 (credentialed)</comment>\n'
          '      <target id="%s">\n        <trash>0</trash>\n        <name>DC networks</name>\n'
          '        <comment/>\n      </target>\n      <progress>100</progress>\n    </task>\n'
          '    <timestamp>%s</timestamp>\n    <scan_start>%s</scan_start>\n'
          '    <timezone>Coordinated Universal Time</timezone>\n'
          '    <timezone_abbrev>UTC</timezone_abbrev>\n' % (
              rid, iso(t0), iso(t0), iso(t1), tid, rid, n_hosts,
              len(set(ci for h in hosts for ci, _ in h.items)), tid, uuid_of(seed, 102),
              iso(t0), iso(t0)))
    # the ports summary
    plist = []
    for h in hosts:
        best = {}
        for ci, where in h.items:
            if where in gn.SERVICES:
                sc = severity_of(cat.checks[ci])[0]
                best[where] = max(best.get(where, 0.0), sc)
        for w, sc in sorted(best.items()):
            plist.append('      <port>%s<host>%s</host><severity>%.1f</severity><threat>%s'
                         '</threat></port>\n' % (ov_port(w), h.ip, sc, GREENBONE_THREAT[gn.sev_of(sc)]))
    out.w('    <ports start="1" max="-1">\n      <count>%d</count>\n' % len(plist))
    for i in range(0, len(plist), 500):
        out.w("".join(plist[i:i + 500]))
    del plist
    out.w('    </ports>\n    <results start="1" max="-1">\n')
    buf = []
    for key in keys:
        k = key & 255
        hi = (key >> 8) & ((1 << 20) - 1)
        h = hosts[hi]
        ci, where = h.items[k]
        buf.append(ov_result(cat, cat.checks[ci], h, where, k, seed))
        if len(buf) >= 200:
            out.w("".join(buf))
            buf = []
    out.w("".join(buf))
    n = len(keys)
    out.w('    </results>\n    <result_count>%d<full>%d</full><filtered>%d</filtered>\n'
          '    </result_count>\n    <severity>\n      <full>10.0</full>\n'
          '      <filtered>10.0</filtered>\n    </severity>\n' % (n, n, n))
    for h in hosts:
        out.w(ov_host(cat, h))
    out.w('    <scan_end>%s</scan_end>\n    <errors>\n      <count>0</count>\n    </errors>\n'
          '    <report_format/>\n  </report>\n</report>\n' % iso(t1))
    return {"hosts": n_hosts, "results": n}


def ov_sample(cat, seed, n):
    c = Counter()
    for i in range(n):
        h = plan_host(cat, seed, 10 ** 6 + i)
        for k, (ci, where) in enumerate(h.items):
            c.w(ov_result(cat, cat.checks[ci], h, where, k, seed))
        c.w(ov_host(cat, h))
        c.n += 130 * sum(1 for _, w in h.items if w in gn.SERVICES) // 2   # ports summary
    return c.n


# --------------------------------------------------------------------------------------------
# Qualys ASSET_DATA_REPORT


def q_type(c, r_val):
    if c.kind == "info" and c.sev == 0:
        return "Ig"
    if c.kind == "weak" and r_val % 10 < 3:
        return "Practice"
    return "Vuln"


def q_severity(c):
    """Qualys 1..5."""
    if c.kind == "info":
        return 1 + (c.idx % 3) if c.sev == 0 else 2
    return {0: 1, 1: 2, 2: 3, 3: 4, 4: 5}[gn.sev_of(severity_of(c)[0])]


def q_result(cat, c, h, where, v):
    text = net_output(cat, c, h, where, v)
    if c.kind == "lsc":
        rows = ["Package\tInstalled Version\tRequired Version"]
        for p in c.pkgs:
            rows.append("%s\t%d.%d.%d-%d\t%d.%d.%d-%d" % (p, v % 9, (v >> 4) % 40, v % 17, v % 5 + 1,
                                                         v % 9, (v >> 4) % 40, v % 17, v % 5 + 2))
        return True, "\n".join(rows)
    if c.kind == "win":
        return False, text.replace("File checked:     ", "").replace("\n", " ", 1)
    return c.kind == "info" and c.info in ("hostname", "cpe", "ports", "packages"), text


def q_host(cat, h, seed):
    s = ['    <HOST>\n      <IP>%s</IP>\n      <TRACKING_METHOD>%s</TRACKING_METHOD>\n' % (
        h.ip, "DNS" if h.fqdn else ("AGENT" if h.cred and h.i % 7 == 0 else "IP"))]
    if h.fqdn:
        s.append('      <DNS>%s</DNS>\n' % cdata(h.fqdn))
    if h.win or h.i % 3 == 0:
        s.append('      <NETBIOS>%s</NETBIOS>\n' % cdata(h.short.upper()))
    s.append('      <OPERATING_SYSTEM>%s</OPERATING_SYSTEM>\n' % cdata(
        h.os_name.replace("Linux Kernel ", "Linux ").split(" on ")[-1]))
    s.append('      <ASSET_GROUPS>\n        <ASSET_GROUP_TITLE>%s</ASSET_GROUP_TITLE>\n'
             '      </ASSET_GROUPS>\n      <VULN_INFO_LIST>\n' % cdata(
                 ["DC1 servers", "DC2 servers", "PKI & HSM", "DMZ"][h.i % 4]))
    for k, (ci, where) in enumerate(h.items):
        c = cat.checks[ci]
        v = vnum(h, ci, k)
        port, proto, svc = svc_port(where)
        typ = q_type(c, v)
        table, res = q_result(cat, c, h, where, v)
        first = h.start - (v % 400) * DAY
        times = 1 + (h.start - first) // (7 * DAY)
        status = "New" if times == 1 else ("Re-Opened" if v % 23 == 0 else "Active")
        if v % 97 == 0 and c.kind != "info":
            status = "Fixed"
        s.append('        <VULN_INFO>\n          <QID id="qid_%d">%d</QID>\n          <TYPE>%s</TYPE>\n'
                 % (c.qid, c.qid, typ))
        if where in gn.SERVICES:
            s.append('          <PORT>%d</PORT>\n          <SERVICE>%s</SERVICE>\n'
                     '          <PROTOCOL>%s</PROTOCOL>\n' % (port, svc, proto))
            if h.fqdn:
                s.append('          <FQDN>%s</FQDN>\n' % cdata(h.fqdn))
        s.append('          <SSL>%s</SSL>\n' % ("true" if where in gn.SERVICES and
                                                gn.SERVICES[where][3] else "false"))
        s.append('          <RESULT%s>%s</RESULT>\n' % (' format="table"' if table else "",
                                                        cdata(res)))
        s.append('          <FIRST_FOUND>%s</FIRST_FOUND>\n          <LAST_FOUND>%s</LAST_FOUND>\n'
                 '          <TIMES_FOUND>%d</TIMES_FOUND>\n' % (iso(first), iso(h.start), times))
        if typ != "Ig":
            s.append('          <VULN_STATUS>%s</VULN_STATUS>\n' % status)
            score, vector = severity_of(c)
            if c.v3 is not None:
                s.append('          <CVSS_FINAL>%.1f</CVSS_FINAL>\n          <CVSS3_FINAL>%.1f'
                         '</CVSS3_FINAL>\n' % (c.v2[1] if c.v2 else score, c.v3[1]))
        s.append('        </VULN_INFO>\n')
    s.append('      </VULN_INFO_LIST>\n    </HOST>\n')
    return "".join(s)


def q_details(c):
    sev = q_severity(c)
    s = ['      <VULN_DETAILS id="qid_%d">\n        <QID id="qid_%d">%d</QID>\n'
         '        <TITLE>%s</TITLE>\n        <SEVERITY>%d</SEVERITY>\n'
         '        <CATEGORY>%s</CATEGORY>\n' % (c.qid, c.qid, c.qid, cdata(c.title), sev, c.qcat)]
    threat = c.summary + "<P>\n" + c.insight.replace(". ", ".<BR>\n", 2)
    if c.affected:
        threat += "<P>\nAffected Versions:<BR>\n" + c.affected
    s.append('        <THREAT>%s</THREAT>\n        <IMPACT>%s</IMPACT>\n'
             '        <SOLUTION>%s</SOLUTION>\n' % (
                 cdata(threat), cdata(c.impact or "N/A"),
                 cdata(c.solution + ("<P>Patch:<BR>\nFollowing are links for downloading patches "
                                     "to fix the vulnerabilities:\n<P> <A HREF=\"%s\" TARGET="
                                     "\"_blank\">%s</A>" % (c.urls[0], c.urls[0])
                                     if c.urls else ""))))
    if c.cves and c.epss and c.epss[0] > 0.3:
        s.append('        <CORRELATION>\n          <EXPLOITABILITY>\n            <EXPLT_SRC>\n'
                 '              <SRC_NAME>%s</SRC_NAME>\n              <EXPLT_LIST>\n'
                 '                <EXPLT>\n                  <REF>%s</REF>\n'
                 '                  <DESC>%s</DESC>\n                  <LINK>%s</LINK>\n'
                 '                </EXPLT>\n              </EXPLT_LIST>\n            </EXPLT_SRC>\n'
                 '          </EXPLOITABILITY>\n        </CORRELATION>\n' % (
                     cdata("The Exploit-DB"), cdata(c.cves[0]), cdata("%s - %s - The Exploit-DB "
                                                                     "Ref : %d" % (c.title[:40], c.cves[0], c.qid)),
                     cdata("http://www.exploit-db.com/exploits/%d" % c.qid)))
    s.append('        <PCI_FLAG>%d</PCI_FLAG>\n        <LAST_UPDATE>%s</LAST_UPDATE>\n' % (
        1 if sev >= 3 else 0, iso(c.mod)))
    if c.v2 is not None or c.v3 is not None:
        if c.v2 is not None:
            s.append('        <CVSS_SCORE>\n          <CVSS_BASE source="service">%.1f (%s)'
                     '</CVSS_BASE>\n          <CVSS_TEMPORAL>%.1f</CVSS_TEMPORAL>\n'
                     '        </CVSS_SCORE>\n' % (c.v2[1], c.v2[0], max(0.0, c.v2[1] - 0.8)))
        if c.v3 is not None:
            s.append('        <CVSS3_SCORE>\n          <CVSS3_BASE>%.1f (%s)</CVSS3_BASE>\n'
                     '          <CVSS3_TEMPORAL>%.1f</CVSS3_TEMPORAL>\n        </CVSS3_SCORE>\n' % (
                         c.v3[1], c.v3[0].replace("CVSS:3.1/", ""), max(0.0, c.v3[1] - 0.6)))
    if c.kind == "win":
        s.append('        <VENDOR_REFERENCE_LIST>\n          <VENDOR_REFERENCE>\n'
                 '            <ID>%s</ID>\n            <URL>%s</URL>\n          </VENDOR_REFERENCE>\n'
                 '        </VENDOR_REFERENCE_LIST>\n' % (
                     cdata("KB" + c.ver), cdata("https://support.microsoft.com/en-us/help/" + c.ver)))
    if c.cves:
        s.append('        <CVE_ID_LIST>\n')
        for x in c.cves:
            s.append('          <CVE_ID>\n            <ID>%s</ID>\n            <URL>%s</URL>\n'
                     '          </CVE_ID>\n' % (cdata(x), cdata(
                         "http://cve.mitre.org/cgi-bin/cvename.cgi?name=" + x)))
        s.append('        </CVE_ID_LIST>\n')
    s.append('      </VULN_DETAILS>\n')
    return "".join(s)


def write_qualys(out, cat, seed, n_hosts):
    out.w('<?xml version="1.0" encoding="UTF-8" ?>\n\n<!DOCTYPE ASSET_DATA_REPORT SYSTEM '
          '"https://qualysguard.qg2.apps.qualys.eu/asset_data_report.dtd">\n<ASSET_DATA_REPORT>\n'
          '  <HEADER>\n    <COMPANY>%s</COMPANY>\n    <GENERATION_DATETIME>%s'
          '</GENERATION_DATETIME>\n    <TEMPLATE>%s</TEMPLATE>\n    <TARGET>\n'
          '      <USER_ASSET_GROUPS>\n        <ASSET_GROUP_TITLE>%s</ASSET_GROUP_TITLE>\n'
          '      </USER_ASSET_GROUPS>\n      <COMBINED_IP_LIST>\n        <RANGE>\n'
          '          <START>10.1.0.2</START>\n          <END>10.250.249.251</END>\n'
          '        </RANGE>\n      </COMBINED_IP_LIST>\n    </TARGET>\n'
          '    <RISK_SCORE_SUMMARY>\n      <TOTAL_VULNERABILITIES>0</TOTAL_VULNERABILITIES>\n'
          '      <AVG_SECURITY_RISK>2.7</AVG_SECURITY_RISK>\n      <BUSINESS_RISK>31/100'
          '</BUSINESS_RISK>\n    </RISK_SCORE_SUMMARY>\n  </HEADER>\n  <RISK_SCORE_PER_HOST>\n' % (
              cdata("Müller & Söhne Trust Services GmbH"), iso(SCAN_EPOCH + 8 * 3600),
              cdata("Technical report: all confirmed, potential and information gathered"),
              cdata("All")))
    buf = []
    for i in range(n_hosts):
        h = plan_host(cat, seed, i)
        buf.append('    <HOSTS>\n      <IP_ADDRESS>%s</IP_ADDRESS>\n      <TOTAL_VULNERABILITIES>%d'
                   '</TOTAL_VULNERABILITIES>\n      <SECURITY_RISK>%.1f</SECURITY_RISK>\n'
                   '    </HOSTS>\n' % (h.ip, len(h.items), 1.0 + (h.i % 30) / 10.0))
        if len(buf) >= 500:
            out.w("".join(buf))
            buf = []
    out.w("".join(buf))
    out.w('  </RISK_SCORE_PER_HOST>\n  <HOST_LIST>\n')
    used = set()
    n_items = 0
    for i in range(n_hosts):
        h = plan_host(cat, seed, i)
        out.w(q_host(cat, h, seed))
        for ci, _ in h.items:
            used.add(ci)
        n_items += len(h.items)
    out.w('  </HOST_LIST>\n  <GLOSSARY>\n    <VULN_DETAILS_LIST>\n')
    for ci in sorted(used, key=lambda x: cat.checks[x].qid):
        out.w(q_details(cat.checks[ci]))
    out.w('    </VULN_DETAILS_LIST>\n  </GLOSSARY>\n  <APPENDICES>\n    <NO_RESULTS>\n'
          '      <IP_LIST>\n        <RANGE>\n          <START>10.250.250.1</START>\n'
          '          <END>10.250.250.254</END>\n        </RANGE>\n      </IP_LIST>\n'
          '    </NO_RESULTS>\n    <TEMPLATE_DETAILS>\n      <FILTER_SUMMARY>%s</FILTER_SUMMARY>\n'
          '    </TEMPLATE_DETAILS>\n  </APPENDICES>\n</ASSET_DATA_REPORT>\n'
          '<!-- CONFIDENTIAL AND PROPRIETARY INFORMATION. Qualys provides the QualysGuard Service '
          '"As Is," without any warranty of any kind. -->\n' % cdata(
              "Status:New, Active, Re-Opened, Fixed\nVulnerabilities:State:Active\n"
              "Included Operating Systems: All Operating Systems"))
    return {"hosts": n_hosts, "detections": n_items, "qids": len(used)}


def q_sample(cat, seed, n):
    c = Counter()
    for i in range(n):
        h = plan_host(cat, seed, 10 ** 6 + i)
        c.w(q_host(cat, h, seed))
        c.n += 150
    return c.n


def q_overhead(cat):
    return 3000 + sum(len(q_details(c)) for c in cat.checks) * 0.8


# --------------------------------------------------------------------------------------------
# Nessus CSV

NESSUS_CSV_HEADER = [
    "Plugin ID", "CVE", "CVSS v2.0 Base Score", "Risk", "Host", "Protocol", "Port", "Name",
    "Synopsis", "Description", "Solution", "See Also", "Plugin Output", "STIG Severity",
    "CVSS v4.0 Base Score", "CVSS v4.0 Base+Threat Score", "CVSS v3.0 Base Score",
    "CVSS v2.0 Temporal Score", "CVSS v3.0 Temporal Score", "VPR Score", "EPSS Score",
    "Risk Factor", "BID", "XREF", "MSKB", "Plugin Publication Date", "Plugin Modification Date",
    "Metasploit", "Core Impact", "CANVAS"]


def csv_fixed(c):
    """The columns of a plugin that do not depend on the host: (before output, after output)."""
    f = c.cache.get("csv")
    if f is not None:
        return f
    score, vector = severity_of(c)
    lvl = gn.sev_of(score) if c.sev else 0
    risk = RISK[lvl]
    desc = c.insight
    if c.affected:
        desc += "\n\n" + c.affected.replace("\n\n", "\n")
    if c.kind in ("lsc", "win"):
        desc += "\n\nNote that Nessus has not tested for these issues but has instead relied only " \
                "on the application's self-reported version number."
    xref = []
    if c.cwe:
        xref.append("CWE:%d" % c.cwe)
    if c.kind == "lsc":
        xref.append(c.title.split("(")[-1].rstrip(")").replace("-", ":", 1) if "USN" in c.title
                    else "IAVA:2025-A-%04d" % (c.pid % 9999))
    pre = (str(c.pid), "%.1f" % c.v2[1] if c.v2 else "", risk)
    mid = (c.title, c.summary, desc, c.solution, "\n".join(c.urls))
    post = ("", "%.1f" % c.v4[1] if c.v4 else "", "%.1f" % c.v4[1] if c.v4 else "",
            "%.1f" % c.v3[1] if c.v3 else "", "%.1f" % max(0.0, c.v2[1] - 0.8) if c.v2 else "",
            "%.1f" % max(0.0, c.v3[1] - 0.6) if c.v3 else "",
            "%.1f" % (2 + (c.pid % 80) / 10.0) if c.cves else "",
            "%.4f" % c.epss[0] if c.epss else "", risk, "", ";".join(xref),
            "KB" + c.ver if c.kind == "win" else "", ymd(c.pub, "/"), ymd(c.mod, "/"),
            "true" if c.epss and c.epss[0] > 0.5 else "", "", "")
    f = (pre, mid, post)
    c.cache["csv"] = f
    return f


def csv_output(cat, c, h, where, v):
    t = net_output(cat, c, h, where, v)
    if c.kind == "lsc":
        return "\n" + t.replace("Vulnerable package: ", "  - Installed package : ").replace(
            "Installed version: ", "    Installed version : ").replace(
            "Fixed version:     >=", "    Fixed version     : ")
    return "\n" + t


def write_nessus_csv(out, cat, seed, mb):
    target = int(mb * 1e6)
    sio = io.StringIO()
    wr = csv.writer(sio, lineterminator="\n")
    wr.writerow(NESSUS_CSV_HEADER)
    out.w(sio.getvalue())
    i = rows = items = 0
    while out.n < target:
        h = plan_host(cat, seed, i)
        sio.seek(0)
        sio.truncate()
        host = h.ip if not h.fqdn or i % 4 else h.fqdn
        for k, (ci, where) in enumerate(h.items):
            c = cat.checks[ci]
            port, proto, svc = svc_port(where)
            if not proto:
                proto = "tcp"
            pre, mid, post = csv_fixed(c)
            output = csv_output(cat, c, h, where, vnum(h, ci, k))
            items += 1
            for cve in (c.cves or [""]):
                wr.writerow((pre[0], cve, pre[1], pre[2], host, proto, port) + mid + (output,) + post)
                rows += 1
        out.w(sio.getvalue())
        i += 1
    return {"hosts": i, "rows": rows, "items": items}


# --------------------------------------------------------------------------------------------
# Package advisories (Trivy, Grype, CycloneDX)

CLASS_OF = ["deb", "deb", "deb", "deb", "maven", "maven", "npm", "npm", "pypi", "gomod"]
OFFSETS = {}
for _o, _c in enumerate(CLASS_OF):
    OFFSETS.setdefault(_c, []).append(_o)
LANG_CLASSES = ["maven", "npm", "pypi", "gomod"]
WORDS = ["core", "http", "json", "xml", "yaml", "auth", "jwt", "crypto", "net", "io", "util",
         "log", "cache", "config", "stream", "parser", "client", "server", "async", "codec",
         "template", "image", "archive", "zip", "sql", "orm", "grpc", "proto", "cli", "test",
         "websocket", "router", "session", "cookie", "mail", "tls", "dns", "retry", "queue",
         "metrics", "trace", "schema", "validator", "markdown", "html", "csv", "time", "uuid"]
DEB_SUFFIX = ["", "-dev", "-common", "-bin", "-data", "-utils", "1", "2", "-doc", "-tools", "6",
              "-base", "-modules", "-runtime"]
GHSA_ALPHA = "23456789cfghjmpqrvwx"
CVSS_SOURCES = ["nvd", "redhat", "ghsa", "bitnami", "ubuntu"]


class PkgVuln(object):
    __slots__ = ("i", "id", "cls", "comp", "title", "desc", "sev", "v3", "v2", "v4", "vendor_v3",
                 "cwes", "refs", "pub", "mod", "epss", "kev", "aliases")


_pv_cache = {}


def pkgvuln(i):
    """Advisory i of the open-ended package advisory catalogue."""
    pv = _pv_cache.get(i)
    if pv is not None:
        return pv
    r = random.Random(mix(PKG_CATALOGUE_SEED, i))
    pv = PkgVuln()
    pv.i = i
    pv.cls = CLASS_OF[i % 10]
    year = 2016 + i % 10                  # unique per i: (i % 10, i // 10)
    num = 1000 + ((i // 10) * 7919) % 59000 + (i // 590000) * 60000
    cve = "CVE-%d-%d" % (year, num)
    pv.aliases = []
    if pv.cls != "deb" and r.random() < 0.35:
        pv.id = "GHSA-%s-%s-%s" % tuple("".join(GHSA_ALPHA[(mix(i, j, q) >> 7) % 20]
                                                for q in range(4)) for j in range(3))
        pv.aliases = [cve]
    else:
        pv.id = cve
    if pv.cls == "deb":
        pv.comp = r.choice(gn.LINUX_PKGS)
    else:
        pv.comp = "%s-%s" % (r.choice(WORDS), r.choice(WORDS))
    issue, cwe = r.choice(gn.ISSUES)
    pv.title = "%s: %s in %s" % (pv.comp, issue.lower(), r.choice(
        ["the parser", "%s()" % r.choice(WORDS), "the TLS handshake", "request handling",
         "the <%s> element" % r.choice(WORDS), "path normalisation", "cookie handling"]))
    pv.desc = make_text(r, pv.comp, 150, 1400)
    pv.sev = pick_sev(r, (3, 12, 45, 30, 10))
    pv.v3 = r.choice(V3_BY_SEV[pv.sev]) if pv.sev else None
    pv.v2 = r.choice(V2_BY_SEV[pv.sev]) if pv.sev and r.random() < 0.5 else None
    pv.v4 = r.choice(V4_BY_SEV[pv.sev]) if pv.sev and r.random() < 0.12 else None
    pv.vendor_v3 = r.choice(V3ALL) if r.random() < 0.5 else None
    pv.cwes = sorted(set([cwe or r.choice(gn.CWES)] + ([r.choice(gn.CWES)] if r.random() < 0.3 else [])))
    n = r.randint(2, 12)
    low = cve.lower()
    pv.refs = ["https://nvd.nist.gov/vuln/detail/%s" % cve] + [
        r.choice(["https://github.com/%s/%s/commit/%s" % (pv.comp, pv.comp, hexid(40, i, j)),
                  "https://lists.debian.org/debian-lts-announce/2024/%02d/msg%05d.html" % (
                      j % 12 + 1, (i + j) % 100000),
                  "https://security.netapp.com/advisory/ntap-2024%04d-%04d/" % (j, i % 10000),
                  "https://www.openwall.com/lists/oss-security/2024/%02d/%02d/%d" % (
                      j % 12 + 1, j % 28 + 1, j),
                  "https://access.redhat.com/security/cve/%s" % low,
                  "https://ubuntu.com/security/notices/USN-%d-1" % (6000 + (i + j) % 2000)])
        for j in range(n)]
    pv.pub = calendar.timegm((year, r.randint(1, 12), r.randint(1, 28), r.randint(0, 23),
                              r.randint(0, 59), r.randint(0, 59)))
    pv.mod = min(SCAN_EPOCH - DAY, pv.pub + r.randint(10, 900) * DAY)
    pv.epss = round(r.random() ** 4, 5)
    pv.kev = r.random() < 0.01
    if len(_pv_cache) > 60000:
        _pv_cache.clear()
    _pv_cache[i] = pv
    return pv


class Pkg(object):
    __slots__ = ("j", "cls", "name", "group", "version", "fixed", "purl", "path", "vulns",
                 "src", "bomref", "lic")


def deb_pkg(j, vspace):
    r = random.Random(mix(PKG_CATALOGUE_SEED, 11, j))
    p = Pkg()
    p.j, p.cls = j, "deb"
    base = gn.LINUX_PKGS[j % len(gn.LINUX_PKGS)]
    rest = j // len(gn.LINUX_PKGS)
    p.name = base + DEB_SUFFIX[rest % len(DEB_SUFFIX)] + (
        "-%d" % (rest // len(DEB_SUFFIX)) if rest >= len(DEB_SUFFIX) else "")
    p.group = ""
    p.src = base
    a, b, c = r.randint(0, 9), r.randint(0, 40), r.randint(0, 30)
    p.version = "%d.%d.%d-%d+deb12u%d" % (a, b, c, r.randint(1, 9), r.randint(1, 5))
    p.fixed = "%d.%d.%d-%d+deb12u%d" % (a, b, c + 1, r.randint(1, 9), r.randint(1, 5))
    p.purl = "pkg:deb/debian/%s@%s?arch=amd64&distro=debian-12.5" % (p.name, p.version.replace("+", "%2B"))
    p.path = ""
    p.bomref = p.purl
    p.lic = r.choice(["GPL-2.0", "LGPL-2.1", "MIT", "BSD-3-Clause", "Apache-2.0", "GPL-3.0"])
    k = lognorm_int(r, 1.4, 1.1, 1, 300)
    p.vulns = pick_vulns(r, "deb", k, vspace)
    return p


def lang_pkg(j, vspace):
    r = random.Random(mix(PKG_CATALOGUE_SEED, 12, j))
    p = Pkg()
    p.j = j
    p.cls = LANG_CLASSES[j % 4]
    q = j // 4                            # index within the class: names unique per class
    w1, w2 = WORDS[q % len(WORDS)], WORDS[(q // len(WORDS)) % len(WORDS)]
    gen = q // (len(WORDS) * len(WORDS))
    suffix = "" if gen == 0 else str(gen)
    a, b, c = r.randint(0, 12), r.randint(0, 40), r.randint(0, 30)
    p.src = ""
    if p.cls == "maven":
        p.group = "org.%s%s.%s" % (w2, suffix, r.choice(["commons", "lib", "tools", "cloud"]))
        p.name = "%s-%s" % (w1, w2)
        p.version = "%d.%d.%d" % (a, b, c)
        p.fixed = "%d.%d.%d" % (a, b, c + 1)
        p.purl = "pkg:maven/%s/%s@%s" % (p.group, p.name, p.version)
        p.path = "opt/app/lib/%s-%s.jar" % (p.name, p.version)
    elif p.cls == "npm":
        p.group = ""
        p.name = ("@%s%s/%s" % (w2, suffix, w1)) if j % 3 == 0 else "%s-%s%s" % (w1, w2, suffix)
        p.version = "%d.%d.%d" % (a, b, c)
        p.fixed = "%d.%d.%d" % (a, b, c + 1)
        p.purl = "pkg:npm/%s@%s" % (p.name.replace("@", "%40"), p.version)
        p.path = "usr/src/app/node_modules/%s/package.json" % p.name
    elif p.cls == "pypi":
        p.group = ""
        p.name = "%s-%s%s" % (w1, w2, suffix)
        p.version = "%d.%d.%d" % (a, b, c)
        p.fixed = "%d.%d.%d" % (a, b, c + 1)
        p.purl = "pkg:pypi/%s@%s" % (p.name, p.version)
        p.path = "usr/local/lib/python3.11/site-packages/%s-%s.dist-info/METADATA" % (
            p.name.replace("-", "_"), p.version)
    else:
        p.group = ""
        p.name = "github.com/%s%s/%s" % (w2, suffix, w1)
        p.version = "v%d.%d.%d" % (a, b, c)
        p.fixed = "v%d.%d.%d" % (a, b, c + 1)
        p.purl = "pkg:golang/%s@%s" % (p.name, p.version)
        p.path = "usr/local/bin/%s" % r.choice(["api-server", "worker", "migrate", "gateway"])
    p.bomref = p.purl if j % 5 else uuid_of(PKG_CATALOGUE_SEED, 13, j)
    p.lic = r.choice(["MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "MPL-2.0"])
    k = lognorm_int(r, 0.9, 0.9, 1, 60)
    p.vulns = pick_vulns(r, p.cls, k, vspace)
    return p


def pick_vulns(r, cls, k, vspace):
    offs = OFFSETS[cls]
    blocks = max(1, vspace // 10)
    out = []
    seen = set()
    for _ in range(k * 2):
        # skewed towards lower indices: popular advisories recur across packages
        b = int(blocks * r.random() ** 1.6)
        i = b * 10 + r.choice(offs)
        if i not in seen:
            seen.add(i)
            out.append(i)
            if len(out) >= k:
                break
    return out


def vspace_for(mb):
    return max(5000, int(mb * 300))


# ---- Trivy


def trivy_vuln_fixed(pv):
    """Trivy's per-advisory fields (the same for every package it affects), pre-rendered."""
    cvss = {}
    if pv.v3 or pv.v2:
        d = {}
        if pv.v2:
            d["V2Vector"], d["V2Score"] = pv.v2[0], pv.v2[1]
        if pv.v3:
            d["V3Vector"], d["V3Score"] = pv.v3[0], pv.v3[1]
        cvss["nvd"] = d
    if pv.vendor_v3:
        cvss["redhat" if pv.cls == "deb" else "ghsa"] = {"V3Vector": pv.vendor_v3[0],
                                                         "V3Score": pv.vendor_v3[1]}
    if pv.v4:
        cvss["ghsa"] = dict(cvss.get("ghsa", {}), V40Vector=pv.v4[0], V40Score=pv.v4[1])
    vs = {"nvd": max(1, pv.sev)}
    if pv.cls == "deb":
        vs["debian"] = max(1, pv.sev - 1)
        vs["redhat"] = max(1, pv.sev)
    else:
        vs["ghsa"] = max(1, pv.sev)
    obj = {
        "SeveritySource": "nvd" if pv.cls == "deb" else "ghsa",
        "PrimaryURL": "https://avd.aquasec.com/nvd/%s" % (pv.aliases[0] if pv.aliases else pv.id).lower(),
        "DataSource": ({"ID": "debian", "Name": "Debian Security Tracker",
                        "URL": "https://salsa.debian.org/security-tracker-team/security-tracker"}
                       if pv.cls == "deb" else
                       {"ID": "ghsa", "Name": "GitHub Security Advisory %s" % pv.cls,
                        "URL": "https://github.com/advisories?query=type%%3Areviewed+ecosystem%%3A%s" % pv.cls}),
        "Title": pv.title,
        "Description": pv.desc,
        "Severity": ["UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"][pv.sev],
        "CweIDs": ["CWE-%d" % x for x in pv.cwes],
        "VendorSeverity": vs,
    }
    if cvss:
        obj["CVSS"] = cvss
    obj["References"] = pv.refs
    obj["PublishedDate"] = iso(pv.pub)
    obj["LastModifiedDate"] = iso(pv.mod)
    return go_html_escape(jmembers(obj, 2, 10))


_trivy_cache = {}


def trivy_entry(p, pv, layer):
    fx = _trivy_cache.get(pv.i)
    if fx is None:
        if len(_trivy_cache) > 30000:
            _trivy_cache.clear()
        fx = _trivy_cache[pv.i] = trivy_vuln_fixed(pv)
    pkgid = "%s@%s" % (p.name if not p.group else p.group + ":" + p.name, p.version)
    s = ['        {\n          "VulnerabilityID": %s,\n' % jstr(pv.id)]
    if pv.aliases:
        s.append('          "VendorIDs": [\n            %s\n          ],\n' % jstr(pv.aliases[0]))
    s.append('          "PkgID": %s,\n          "PkgName": %s,\n' % (
        jstr(pkgid), jstr(p.name if not p.group else p.group + ":" + p.name)))
    if p.path and p.cls in ("maven", "gomod"):
        s.append('          "PkgPath": %s,\n' % jstr(p.path))
    fixed = (pv.i + p.j) % 5 != 0
    s.append('          "PkgIdentifier": {\n            "PURL": %s,\n            "UID": "%s"\n'
             '          },\n          "InstalledVersion": %s,\n' % (
                 jstr(p.purl), hexid(16, p.j, p.cls == "deb", 7), jstr(p.version)))
    if fixed:
        s.append('          "FixedVersion": %s,\n' % jstr(p.fixed))
    s.append('          "Status": "%s",\n          "Layer": {\n            "Digest": "sha256:%s",\n'
             '            "DiffID": "sha256:%s"\n          },\n%s\n        }' % (
                 "fixed" if fixed else ("affected" if pv.i % 3 else "will_not_fix"),
                 layer[0], layer[1], fx))
    return go_html_escape("".join(s))


def write_trivy(out, seed, mb):
    target = int(mb * 1e6)
    vspace = vspace_for(mb)
    image = "registry.example.com/platform/monolith:2026.03.1"
    layers = [(hexid(64, seed, 20, k), hexid(64, seed, 21, k)) for k in range(12)]
    head = {
        "SchemaVersion": 2,
        "Trivy": {"Version": "0.59.1"},
        "ReportID": "0195a3c0-%s-7%s-8%s-%s" % (hexid(4, seed, 1), hexid(3, seed, 2),
                                                 hexid(3, seed, 3), hexid(12, seed, 4)),
        "CreatedAt": "2026-03-02T09:14:07.527310145Z",
        "ArtifactID": "sha256:" + hexid(64, seed, 5),
        "ArtifactName": image,
        "ArtifactType": "container_image",
        "Metadata": {
            "Size": 1893462016,
            "OS": {"Family": "debian", "Name": "12.5"},
            "ImageID": "sha256:" + hexid(64, seed, 6),
            "DiffIDs": ["sha256:" + l[1] for l in layers],
            "RepoTags": [image],
            "RepoDigests": ["registry.example.com/platform/monolith@sha256:" + hexid(64, seed, 7)],
            "ImageConfig": {"architecture": "amd64", "created": "2026-03-01T22:01:33.1Z",
                            "os": "linux", "rootfs": {"type": "layers", "diff_ids": []},
                            "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
                                               "/usr/bin:/sbin:/bin", "LANG=C.UTF-8"],
                                       "User": "app", "WorkingDir": "/usr/src/app"}},
        },
    }
    out.w("{\n" + jmembers(head, 2, 2) + ',\n  "Results": [\n')
    # the OS packages
    out.w('    {\n      "Target": "%s (debian 12.5)",\n      "Class": "os-pkgs",\n'
          '      "Type": "debian",\n      "Vulnerabilities": [\n' % image)
    j = 0
    n_entries = 0
    first = True
    while out.n < target * 0.4:
        p = deb_pkg(j, vspace)
        layer = layers[j % 3]
        parts = []
        for vi in p.vulns:
            parts.append(trivy_entry(p, pkgvuln(vi), layer))
        if parts:
            out.w(("" if first else ",\n") + ",\n".join(parts))
            first = False
            n_entries += len(parts)
        j += 1
    n_os = j
    out.w("\n      ]\n    }")
    # language packages, grouped by lockfile / jar / binary
    lj = 0
    per_cls = [0, 0, 0, 0]
    n_results = 1
    while out.n < target:
        cls = LANG_CLASSES[n_results % 4]
        r = random.Random(mix(seed, 30, n_results))
        npk = r.randint(1, 30)
        ci = LANG_CLASSES.index(cls)
        pk = [lang_pkg(4 * (per_cls[ci] + q) + ci, vspace) for q in range(npk)]
        per_cls[ci] += npk
        lj += npk
        if cls == "maven":
            tgt, typ = "Java", "jar"
        elif cls == "npm":
            tgt, typ = "usr/src/app/services/svc-%04d/package-lock.json" % n_results, "npm"
        elif cls == "pypi":
            tgt, typ = "Python", "python-pkg"
        else:
            tgt, typ = "usr/local/bin/%s-%04d" % (r.choice(["api-server", "worker", "gateway"]),
                                                  n_results), "gobinary"
        parts = []
        for p in pk:
            for vi in p.vulns:
                parts.append(trivy_entry(p, pkgvuln(vi), layers[3 + p.j % 9]))
        n_entries += len(parts)
        out.w(',\n    {\n      "Target": %s,\n      "Class": "lang-pkgs",\n      "Type": "%s",\n'
              '      "Vulnerabilities": [\n%s\n      ]\n    }' % (jstr(tgt), typ, ",\n".join(parts)))
        n_results += 1
    out.w("\n  ]\n}\n")
    return {"results": n_results, "os_packages": n_os, "lang_packages": lj, "vulnerabilities": n_entries}


# ---- Grype


def grype_vuln_fixed(pv, p):
    ns = ("debian:distro:debian:12" if pv.cls == "deb" else "github:language:%s" % {
        "maven": "java", "npm": "javascript", "pypi": "python", "gomod": "go"}[pv.cls])
    sevw = ["Negligible", "Low", "Medium", "High", "Critical"][pv.sev] if pv.sev or pv.i % 2 else "Unknown"
    cvss = []
    if pv.v3:
        cvss.append({"source": "nvd@nist.gov", "type": "Primary", "version": "3.1",
                     "vector": pv.v3[0], "metrics": {"baseScore": pv.v3[1],
                                                     "exploitabilityScore": round(pv.v3[1] * 0.4, 1),
                                                     "impactScore": round(pv.v3[1] * 0.6, 1)},
                     "vendorMetadata": {}})
    if pv.v2:
        cvss.append({"source": "nvd@nist.gov", "type": "Primary", "version": "2.0",
                     "vector": pv.v2[0], "metrics": {"baseScore": pv.v2[1],
                                                     "exploitabilityScore": 10.0,
                                                     "impactScore": round(pv.v2[1] * 0.6, 1)},
                     "vendorMetadata": {}})
    main_id = pv.id
    vuln = {
        "id": main_id,
        "dataSource": ("https://security-tracker.debian.org/tracker/%s" % main_id if pv.cls == "deb"
                       else "https://github.com/advisories/%s" % main_id),
        "namespace": ns,
        "severity": sevw,
        "urls": pv.refs[:3],
    }
    if pv.cls != "deb":
        vuln["description"] = pv.title
        vuln["cvss"] = [{"source": "security-advisories@github.com", "type": "Secondary",
                         "version": "3.1", "vector": (pv.vendor_v3 or pv.v3 or V3ALL[0])[0],
                         "metrics": {"baseScore": (pv.vendor_v3 or pv.v3 or V3ALL[0])[1]},
                         "vendorMetadata": {}}]
    else:
        vuln["cvss"] = []
    vuln["epss"] = [{"cve": pv.aliases[0] if pv.aliases else pv.id, "epss": pv.epss,
                     "percentile": round(min(0.99999, pv.epss ** 0.25), 5), "date": "2026-03-01"}]
    vuln["cwes"] = [{"cve": pv.aliases[0] if pv.aliases else pv.id, "cwe": "CWE-%d" % x,
                     "source": "nvd@nist.gov", "type": "Primary"} for x in pv.cwes]
    if pv.kev:
        vuln["knownExploited"] = [{"cve": pv.aliases[0] if pv.aliases else pv.id,
                                   "vendorProject": pv.comp, "product": pv.comp,
                                   "dateAdded": ymd(pv.mod), "requiredAction": "Apply updates",
                                   "dueDate": ymd(pv.mod + 21 * DAY)}]
    related = {
        "id": pv.aliases[0] if pv.aliases else pv.id,
        "dataSource": "https://nvd.nist.gov/vuln/detail/%s" % (pv.aliases[0] if pv.aliases else pv.id),
        "namespace": "nvd:cpe",
        "severity": sevw if sevw != "Negligible" else "Low",
        "urls": pv.refs,
        "description": pv.desc,
        "cvss": cvss,
        "epss": vuln["epss"],
    }
    return vuln, related


_grype_cache = {}


def grype_match(p, pv, seed, layer):
    fx = _grype_cache.get(pv.i)
    if fx is None:
        if len(_grype_cache) > 30000:
            _grype_cache.clear()
        vuln, related = grype_vuln_fixed(pv, p)
        fx = _grype_cache[pv.i] = (jmembers(vuln, 2, 6), jblock(related, 2, 6))
    fixed = (pv.i + p.j) % 5 != 0
    if p.cls == "deb":
        mtype, matcher = ("exact-direct-match" if p.src == p.name else "exact-indirect-match",
                          "dpkg-matcher")
        searched = {"distro": {"type": "debian", "version": "12"},
                    "namespace": "debian:distro:debian:12",
                    "package": {"name": p.src or p.name, "version": p.version}}
        loc = [{"path": "/var/lib/dpkg/status.d/%s" % p.name, "layerID": "sha256:" + layer,
                "accessPath": "/var/lib/dpkg/status.d/%s" % p.name,
                "annotations": {"evidence": "primary"}}]
        atype, lang = "deb", ""
    else:
        mtype, matcher = "exact-direct-match", {"maven": "java-matcher", "npm": "javascript-matcher",
                                                "pypi": "python-matcher", "gomod": "go-module-matcher"}[p.cls]
        searched = {"language": {"maven": "java", "npm": "javascript", "pypi": "python",
                                 "gomod": "go"}[p.cls],
                    "namespace": "github:language:%s" % {"maven": "java", "npm": "javascript",
                                                         "pypi": "python", "gomod": "go"}[p.cls],
                    "package": {"name": p.name, "version": p.version}}
        loc = [{"path": "/" + p.path, "layerID": "sha256:" + layer, "accessPath": "/" + p.path,
                "annotations": {"evidence": "primary"}}]
        atype = {"maven": "java-archive", "npm": "npm", "pypi": "python", "gomod": "go-module"}[p.cls]
        lang = {"maven": "java", "npm": "javascript", "pypi": "python", "gomod": "go"}[p.cls]
    fix = {"versions": [p.fixed] if fixed else [],
           "state": "fixed" if fixed else ("wont-fix" if pv.i % 3 == 0 else "not-fixed")}
    if fixed:
        fix["available"] = [{"version": p.fixed, "date": ymd(pv.mod), "kind": "first-observed"}]
    details = [{"type": mtype, "matcher": matcher, "searchedBy": searched,
                "found": {"vulnerabilityID": pv.id, "versionConstraint": "< %s (%s)" % (
                    p.fixed, "deb" if p.cls == "deb" else "semver")},
                "fix": {"suggestedVersion": p.fixed} if fixed else None}]
    if not fixed:
        del details[0]["fix"]
    art = {"id": hexid(16, seed, 40, p.j, p.cls == "deb"), "name": p.name, "version": p.version, "type": atype, "locations": loc, "language": lang,
           "licenses": [p.lic], "cpes": ["cpe:2.3:a:%s:%s:%s:*:*:*:*:*:*:*" % (
               (p.group or p.name).split("/")[0].replace("@", ""), p.name.split("/")[-1], p.version)],
           "purl": p.purl, "upstreams": [{"name": p.src}] if p.src and p.src != p.name else []}
    if p.cls == "maven":
        art["metadataType"] = "java-archive"
        art["metadata"] = {"virtualPath": "/" + p.path, "pomProperties": {
            "path": "META-INF/maven/%s/%s/pom.properties" % (p.group, p.name), "name": "",
            "groupId": p.group, "artifactId": p.name, "version": p.version}}
    s = ('  {\n    "vulnerability": {\n%s,\n      "fix": %s,\n      "advisories": [],\n'
         '      "risk": %.4f\n    },\n    "relatedVulnerabilities": [\n      %s\n    ],\n'
         '    "matchDetails": %s,\n    "artifact": %s\n  }') % (
        fx[0], jblock(fix, 2, 6), pv.epss * 100, fx[1], jblock(details, 2, 4), jblock(art, 2, 4))
    return go_html_escape(s)


def write_grype(out, seed, mb):
    target = int(mb * 1e6)
    vspace = vspace_for(mb)
    image = "registry.example.com/platform/monolith:2026.03.1"
    layers = [hexid(64, seed, 50, k) for k in range(12)]
    out.w('{\n "matches": [\n')
    first = True
    n = 0
    j = lj = 0
    while out.n < target:
        if out.n < target * 0.4:
            p = deb_pkg(j, vspace)
            j += 1
        else:
            p = lang_pkg(lj, vspace)
            lj += 1
        parts = [grype_match(p, pkgvuln(vi), seed, layers[p.j % 12]) for vi in p.vulns]
        out.w(("" if first else ",\n") + ",\n".join(parts))
        first = False
        n += len(parts)
    source = {
        "type": "image",
        "target": {
            "userInput": image,
            "imageID": "sha256:" + hexid(64, seed, 51),
            "manifestDigest": "sha256:" + hexid(64, seed, 52),
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "tags": [image],
            "imageSize": 1893462016,
            "layers": [{"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip",
                        "digest": "sha256:" + l, "size": 10000000 + k * 777}
                       for k, l in enumerate(layers)],
            "manifest": "eyJzY2hlbWFWZXJzaW9uIjoyLCJtZWRpYVR5cGUiOiJhcHBsaWNhdGlvbi92bmQuZG9ja2VyIn0=",
            "config": "eyJhcmNoaXRlY3R1cmUiOiJhbWQ2NCIsIm9zIjoibGludXgifQ==",
            "repoDigests": ["registry.example.com/platform/monolith@sha256:" + hexid(64, seed, 53)],
            "architecture": "amd64",
            "os": "linux",
        },
    }
    tail = {"source": source,
            "distro": {"name": "debian", "version": "12", "idLike": []},
            "descriptor": {"name": "grype", "version": "0.86.1",
                           "configuration": {"output": ["json"], "file": "",
                                             "distro": "", "add-cpes-if-none": False,
                                             "only-fixed": False, "by-cve": False,
                                             "name": "", "default-image-pull-source": ""},
                           "db": {"built": "2026-03-01T01:31:04Z", "schemaVersion": 5,
                                  "location": "/home/ci/.cache/grype/db/5",
                                  "checksum": "sha256:" + hexid(64, seed, 54), "error": None},
                           "timestamp": "2026-03-02T09:20:41.318126+01:00"}}
    out.w('\n ],\n' + jmembers(tail, 1, 1) + "\n}\n")
    return {"matches": n, "os_packages": j, "lang_packages": lj}


# ---- CycloneDX


def cdx_component(p):
    c = {"bom-ref": p.bomref, "type": "library"}
    if p.cls == "deb":
        c["supplier"] = {"name": "Debian %s Maintainers <pkg-%s@lists.debian.org>" % (p.src, p.src)}
    if p.group:
        c["group"] = p.group
    c["name"] = p.name
    c["version"] = p.version
    c["licenses"] = [{"license": {"name": p.lic}}]
    c["purl"] = p.purl
    props = []
    if p.path:
        props.append({"name": "aquasecurity:trivy:FilePath", "value": p.path})
    props.append({"name": "aquasecurity:trivy:LayerDiffID", "value": "sha256:" + hexid(64, 60, p.j % 12)})
    props.append({"name": "aquasecurity:trivy:PkgID", "value": "%s@%s" % (p.name, p.version)})
    props.append({"name": "aquasecurity:trivy:PkgType", "value": {
        "deb": "debian", "maven": "jar", "npm": "npm", "pypi": "python-pkg", "gomod": "gobinary"}[p.cls]})
    if p.src:
        props.append({"name": "aquasecurity:trivy:SrcName", "value": p.src})
        props.append({"name": "aquasecurity:trivy:SrcVersion", "value": p.version})
    c["properties"] = props
    return c


def cdx_vuln(pv, affects):
    v = {"id": pv.id,
         "source": ({"name": "debian", "url": "https://salsa.debian.org/security-tracker-team/"
                     "security-tracker"} if pv.cls == "deb" else
                    {"name": "ghsa", "url": "https://github.com/advisories?query=type%3Areviewed"})}
    ratings = []
    if pv.cls == "deb":
        ratings.append({"source": {"name": "debian"},
                        "severity": ["info", "low", "medium", "high", "critical"][max(0, pv.sev - 1)]})
    if pv.v2:
        ratings.append({"source": {"name": "nvd"}, "score": pv.v2[1],
                        "severity": ["info", "low", "medium", "high", "high"][pv.sev],
                        "method": "CVSSv2", "vector": pv.v2[0]})
    if pv.v3:
        ratings.append({"source": {"name": "nvd"}, "score": pv.v3[1],
                        "severity": ["info", "low", "medium", "high", "critical"][pv.sev],
                        "method": "CVSSv31", "vector": pv.v3[0]})
    if pv.vendor_v3:
        ratings.append({"source": {"name": "redhat" if pv.cls == "deb" else "ghsa"},
                        "score": pv.vendor_v3[1],
                        "severity": ["info", "low", "medium", "high", "critical"][gn.sev_of(pv.vendor_v3[1])],
                        "method": "CVSSv31", "vector": pv.vendor_v3[0]})
    if pv.v4:
        ratings.append({"source": {"name": "ghsa"}, "score": pv.v4[1],
                        "severity": ["info", "low", "medium", "high", "critical"][pv.sev],
                        "method": "CVSSv4", "vector": pv.v4[0]})
    if not ratings:
        ratings.append({"source": {"name": "nvd"}, "severity": "unknown"})
    v["ratings"] = ratings
    if pv.aliases:
        v["references"] = [{"id": pv.aliases[0], "source": {"name": "nvd", "url":
                                                            "https://nvd.nist.gov/vuln/detail/" + pv.aliases[0]}}]
    v["cwes"] = pv.cwes
    v["description"] = pv.desc
    v["recommendation"] = "Upgrade %s to %s" % (pv.comp, "the fixed version")
    v["advisories"] = [{"url": u} for u in ["https://avd.aquasec.com/nvd/%s" % pv.id.lower()] + pv.refs]
    v["published"] = iso(pv.pub).replace("Z", "+00:00")
    v["updated"] = iso(pv.mod).replace("Z", "+00:00")
    v["affects"] = [{"ref": p.bomref, "versions": [{"version": p.version, "status": "affected"}]}
                    for p in affects]
    return v


def write_cyclonedx(out, seed, mb):
    target = int(mb * 1e6)
    n_deb = 40 + int(mb * 8)
    n_lang = 100 + int(mb * 40)
    image = "registry.example.com/platform/monolith:2026.03.1"
    debs = [deb_pkg(j, 10) for j in range(n_deb)]
    langs = [lang_pkg(j, 10) for j in range(n_lang)]
    for p in debs + langs:
        p.vulns = None      # not used here: each advisory picks its packages
    by_cls = {"deb": debs}
    for p in langs:
        by_cls.setdefault(p.cls, []).append(p)
    head = {
        "$schema": "http://cyclonedx.org/schema/bom-1.5.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.5",
        "serialNumber": "urn:uuid:" + uuid_of(seed, 70),
        "version": 1,
        "metadata": {
            "timestamp": "2026-03-02T09:14:07+00:00",
            "tools": {"components": [{"type": "application", "group": "aquasecurity",
                                      "name": "trivy", "version": "0.59.1"}]},
            "component": {
                "bom-ref": "pkg:oci/monolith@sha256%3A" + hexid(64, seed, 71) +
                           "?arch=amd64&repository_url=registry.example.com%2Fplatform%2Fmonolith",
                "type": "container",
                "name": image,
                "purl": "pkg:oci/monolith@sha256%3A" + hexid(64, seed, 71) +
                        "?arch=amd64&repository_url=registry.example.com%2Fplatform%2Fmonolith",
                "properties": [
                    {"name": "aquasecurity:trivy:ImageID", "value": "sha256:" + hexid(64, seed, 72)},
                    {"name": "aquasecurity:trivy:RepoTag", "value": image},
                    {"name": "aquasecurity:trivy:SchemaVersion", "value": "2"},
                ],
            },
        },
    }
    out.w("{\n" + jmembers(head, 4, 4) + ',\n    "components": [\n')
    os_comp = {"bom-ref": uuid_of(seed, 73), "type": "operating-system", "name": "debian",
               "version": "12.5", "properties": [{"name": "aquasecurity:trivy:Class",
                                                   "value": "os-pkgs"},
                                                  {"name": "aquasecurity:trivy:Type",
                                                   "value": "debian"}]}
    arr = JArray(out)
    arr.add("        " + jblock(os_comp, 4, 8))
    for p in debs + langs:
        arr.add("        " + jblock(cdx_component(p), 4, 8))
    arr.flush()
    out.w('\n    ],\n    "dependencies": [\n        ' + jblock(
        {"ref": head["metadata"]["component"]["bom-ref"], "dependsOn": [os_comp["bom-ref"]]}, 4, 8) +
        ',\n        ' + jblock({"ref": os_comp["bom-ref"], "dependsOn": [p.bomref for p in debs[:200]]}, 4, 8) +
        '\n    ],\n    "vulnerabilities": [\n')
    i = 0
    n_aff = 0
    first = True
    while out.n < target or i < 10:
        pv = pkgvuln(i)
        r = random.Random(mix(seed, 74, i))
        pool = by_cls[pv.cls]
        k = lognorm_int(r, 0.6, 0.8, 1, 25)
        aff = []
        seen = set()
        for _ in range(k):
            p = pool[int(len(pool) * r.random() ** 1.5)]
            if p.j not in seen:
                seen.add(p.j)
                aff.append(p)
        n_aff += len(aff)
        out.w(("" if first else ",\n") + "        " + jblock(cdx_vuln(pv, aff), 4, 8))
        first = False
        i += 1
        if i % 20000 == 0:
            _pv_cache.clear()
    out.w("\n    ]\n}\n")
    return {"components": n_deb + n_lang, "vulnerabilities": i, "affects": n_aff}


# --------------------------------------------------------------------------------------------
# SARIF (CodeQL)

SARIF_QUERIES = [
    # (id suffix, name, short description, level, security-severity, cwes, path-problem)
    ("sql-injection", "Database query built from user-controlled sources", "error", 8.8, [89], True),
    ("xss", "Client-side cross-site scripting", "error", 6.1, [79, 116], True),
    ("reflected-xss", "Reflected cross-site scripting", "error", 6.1, [79, 116], True),
    ("path-injection", "Uncontrolled data used in path expression", "error", 7.5, [22, 23, 36], True),
    ("command-line-injection", "Uncontrolled command line", "error", 9.8, [78, 88], True),
    ("code-injection", "Code injection", "error", 9.3, [94, 95], True),
    ("request-forgery", "Server-side request forgery", "error", 9.1, [918], True),
    ("unsafe-deserialization", "Deserialization of user-controlled data", "warning", 9.8, [502], True),
    ("prototype-pollution", "Prototype-polluting assignment", "warning", 6.1, [78, 79, 94, 400, 915], True),
    ("regex-injection", "Regular expression injection", "error", 7.5, [730, 400], True),
    ("log-injection", "Log injection", "error", 7.8, [117], True),
    ("hardcoded-credentials", "Hard-coded credentials", "warning", 9.8, [259, 321, 798], False),
    ("clear-text-logging", "Clear-text logging of sensitive information", "error", 7.5, [312, 359, 532], True),
    ("insecure-randomness", "Insecure randomness", "warning", 7.8, [338], True),
    ("weak-cryptographic-algorithm", "Use of a broken or weak cryptographic algorithm", "warning", 7.5, [327, 328], False),
    ("missing-rate-limiting", "Missing rate limiting", "warning", 7.5, [770, 307, 400], False),
    ("polynomial-redos", "Polynomial regular expression used on uncontrolled data", "warning", 7.5, [1333, 730, 400], True),
    ("redos", "Inefficient regular expression", "error", 7.5, [1333, 730, 400], False),
    ("incomplete-sanitization", "Incomplete string escaping or encoding", "warning", 7.8, [20, 80, 116], False),
    ("xxe", "XML external entity expansion", "error", 9.1, [611, 827], True),
    ("zipslip", "Arbitrary file access during archive extraction (\"Zip Slip\")", "error", 7.5, [22], True),
    ("open-redirect", "Client-side URL redirect", "error", 6.1, [601], True),
    ("missing-token-validation", "Missing CSRF middleware", "error", 8.8, [352], False),
    ("insecure-helmet-configuration", "Insecure configuration of Helmet security middleware", "error", 7.0, [693, 1021], False),
    ("unused-local-variable", "Unused variable, import, function or class", "note", None, [], False),
    ("useless-assignment-to-local", "Useless assignment to local variable", "warning", None, [563], False),
    ("trivial-conditional", "Useless conditional", "warning", None, [570, 571], False),
    ("missing-await", "Missing await", "warning", None, [], False),
    ("unreachable-statement", "Unreachable statement", "warning", None, [561], False),
    ("superfluous-trailing-arguments", "Superfluous trailing arguments", "warning", None, [685], False),
]
SARIF_LANGS = ["js", "py", "java", "go", "rb", "cs"]


def sarif_rules():
    rules = []
    for lang in SARIF_LANGS:
        for sfx, name, level, ss, cwes, path in SARIF_QUERIES:
            rid = "%s/%s" % (lang, sfx)
            props = {"tags": (["security"] if ss else ["maintainability"]) +
                     ["external/cwe/cwe-%03d" % c for c in cwes],
                     "description": name, "id": rid,
                     "kind": "path-problem" if path else "problem", "name": name,
                     "precision": "high" if ss and ss > 8 else "medium",
                     "problem.severity": level}
            if ss:
                props["security-severity"] = "%.1f" % ss
            rules.append({"id": rid, "name": rid, "shortDescription": {"text": name},
                          "fullDescription": {"text": name + ": " + make_text(
                              random.Random(len(rules)), "the %s code" % lang, 80, 400, filler=0.5)},
                          "defaultConfiguration": {"enabled": True, "level": level},
                          "help": {"text": "# %s\n\n%s\n\n## Recommendation\n\nValidate the input "
                                           "& escape it before use (e.g. `<%%= h(x) %%>`).\n" % (
                                               name, name), "markdown": "# %s\n\n..." % name},
                          "properties": props,
                          "_path": path})
    return rules


SARIF_DIRS = ["src", "lib", "app", "internal", "pkg", "api", "services", "handlers", "models",
              "controllers", "utils", "middleware", "routes", "views", "jobs", "adapters"]
SARIF_EXT = {"js": ".ts", "py": ".py", "java": ".java", "go": ".go", "rb": ".rb", "cs": ".cs"}


def sarif_file(k):
    lang = SARIF_LANGS[k % len(SARIF_LANGS)]
    r = random.Random(mix(90, k))
    parts = ["packages", "%s-%s" % (r.choice(WORDS), r.choice(WORDS))]
    for _ in range(r.randint(1, 4)):
        parts.append(r.choice(SARIF_DIRS))
    parts.append("%s_%s%d%s" % (r.choice(WORDS), r.choice(WORDS), k, SARIF_EXT[lang]))
    return lang, "/".join(parts)


def write_sarif(out, seed, mb):
    target = int(mb * 1e6)
    rules = sarif_rules()
    by_lang = {}
    for idx, rl in enumerate(rules):
        by_lang.setdefault(rl["id"].split("/")[0], []).append(idx)
    n_files = 2000 + int(mb * 100)
    out.w('{\n  "$schema": "https://json.schemastore.org/sarif-2.1.0.json",\n'
          '  "version": "2.1.0",\n  "runs": [\n    {\n      "tool": {\n        "driver": {\n'
          '          "name": "CodeQL",\n          "organization": "GitHub",\n'
          '          "semanticVersion": "2.20.4",\n          "notifications": [],\n'
          '          "rules": [\n')
    rl_out = []
    for rl in rules:
        d = dict(rl)
        del d["_path"]
        rl_out.append("            " + jblock(d, 2, 12))
    out.w(",\n".join(rl_out) + "\n          ]\n        },\n        \"extensions\": [\n"
          "          {\n            \"name\": \"codeql/javascript-queries\",\n"
          "            \"semanticVersion\": \"1.3.0+%s\",\n            \"locations\": [\n"
          "              {\n                \"uri\": \"file:///home/runner/work/_temp/codeql_databases/"
          "javascript/qlpacks/codeql/javascript-queries/1.3.0/\",\n"
          "                \"description\": {\"text\": \"The QL pack root directory.\"}\n"
          "              }\n            ]\n          }\n        ]\n      },\n" % hexid(40, seed, 91))
    out.w('      "invocations": [\n        {\n          "toolExecutionNotifications": [],\n'
          '          "executionSuccessful": true,\n          "startTimeUtc": "2026-03-02T02:11:09.772Z",\n'
          '          "endTimeUtc": "2026-03-02T03:48:51.006Z"\n        }\n      ],\n'
          '      "artifacts": [\n')
    arr = JArray(out)
    files = []
    for k in range(n_files):
        lang, path = sarif_file(k)
        files.append((lang, path))
        arr.add('        {\n          "location": {\n            "uri": %s,\n'
                '            "uriBaseId": "%%SRCROOT%%",\n            "index": %d\n          }\n'
                '        }' % (jstr(path), k))
    arr.flush()
    out.w('\n      ],\n      "results": [\n')
    by_file_lang = {}
    for k, (lang, _) in enumerate(files):
        by_file_lang.setdefault(lang, []).append(k)
    n = 0
    first = True
    msgs = ["This query depends on a [user-provided value](1).",
            "Cross-site scripting vulnerability due to [user-provided value](1) flowing to the "
            "response body.",
            "This path depends on a [user-provided value](1).",
            "This command line depends on a [user-provided value](1).",
            "The hard-coded value \"%s\" is used as password.",
            "Unused variable %s.",
            "This regular expression that depends on [a user-provided value](1) may run slow on "
            "strings starting with '<!--' and with many repetitions of '-'.",
            "Sensitive data returned by [an access to passwd](1) is logged here: Müller's <token>.",
            "The value assigned to %s here is unused."]
    buf = []
    while out.n < target or n < 20:
        r = random.Random(mix(seed, 92, n))
        fk = int(n_files * r.random() ** 1.3)
        lang, path = files[fk]
        pool = by_lang[lang]
        ri = pool[int(len(pool) * r.random() ** 1.4)]
        rl = rules[ri]
        line = r.randint(1, 2400)
        col = r.randint(1, 60)
        m = r.choice(msgs)
        if "%s" in m:
            m = m % r.choice(WORDS + ["hunter2", "s3cr3t&<x>"])
        res = ['        {\n          "ruleId": %s,\n          "ruleIndex": %d,\n'
               '          "rule": {\n            "id": %s,\n            "index": %d\n          },\n'
               '          "message": {\n            "text": %s\n          },\n'
               '          "locations": [\n            {\n              "physicalLocation": {\n'
               '                "artifactLocation": {\n                  "uri": %s,\n'
               '                  "uriBaseId": "%%SRCROOT%%",\n                  "index": %d\n'
               '                },\n                "region": {\n                  "startLine": %d,\n'
               '                  "startColumn": %d,\n                  "endColumn": %d\n'
               '                }\n              }\n            }\n          ],\n'
               '          "partialFingerprints": {\n            "primaryLocationLineHash": "%s:%d",\n'
               '            "primaryLocationStartColumnFingerprint": "%d"\n          }' % (
                   jstr(rl["id"]), ri, jstr(rl["id"]), ri, jstr(m), jstr(path), fk, line, col,
                   col + r.randint(5, 60), hexid(16, seed, 93, n), 1 + n % 3, col - 1)]
        if rl["_path"]:
            steps = []
            src_k = by_file_lang[lang][int(len(by_file_lang[lang]) * r.random())]
            for st in range(r.randint(2, 7)):
                fk2 = src_k if st == 0 else (fk if st > 2 else by_file_lang[lang][
                    int(len(by_file_lang[lang]) * r.random())])
                l2 = r.randint(1, 2400)
                steps.append('                    {\n                      "location": {\n'
                             '                        "physicalLocation": {\n'
                             '                          "artifactLocation": {\n'
                             '                            "uri": %s,\n'
                             '                            "uriBaseId": "%%SRCROOT%%",\n'
                             '                            "index": %d\n'
                             '                          },\n'
                             '                          "region": {\n'
                             '                            "startLine": %d,\n'
                             '                            "startColumn": %d,\n'
                             '                            "endColumn": %d\n'
                             '                          }\n                        },\n'
                             '                        "message": {\n'
                             '                          "text": %s\n                        }\n'
                             '                      }\n                    }' % (
                                 jstr(files[fk2][1]), fk2, l2, 5, 5 + r.randint(3, 40),
                                 jstr(r.choice(["req.query.id", "request.args[\"name\"]",
                                                "userInput", "body", "params.get(\"q\")",
                                                "url", "path", "cmd"]))))
            res.append(',\n          "codeFlows": [\n            {\n              "threadFlows": [\n'
                       '                {\n                  "locations": [\n%s\n'
                       '                  ]\n                }\n              ]\n            }\n'
                       '          ],\n          "relatedLocations": [\n            {\n'
                       '              "id": 1,\n              "physicalLocation": {\n'
                       '                "artifactLocation": {\n                  "uri": %s,\n'
                       '                  "uriBaseId": "%%SRCROOT%%",\n                  "index": %d\n'
                       '                },\n                "region": {\n'
                       '                  "startLine": %d,\n                  "startColumn": 5,\n'
                       '                  "endColumn": 22\n                }\n              },\n'
                       '              "message": {\n                "text": "user-provided value"\n'
                       '              }\n            }\n          ]' % (
                           ",\n".join(steps), jstr(files[src_k][1]), src_k, r.randint(1, 2400)))
        res.append("\n        }")
        buf.append("".join(res))
        n += 1
        if len(buf) >= 200:
            out.w(("" if first else ",\n") + ",\n".join(buf))
            first = False
            buf = []
    if buf:
        out.w(("" if first else ",\n") + ",\n".join(buf))
    out.w('\n      ],\n      "automationDetails": {\n        "id": ".github/workflows/codeql.yml:'
          'analyze/language:javascript-typescript/"\n      },\n'
          '      "versionControlProvenance": [\n        {\n'
          '          "repositoryUri": "https://github.com/example-trust/platform-monorepo",\n'
          '          "revisionId": "%s",\n          "branch": "refs/heads/main"\n        }\n'
          '      ],\n      "columnKind": "utf16CodeUnits",\n      "properties": {\n'
          '        "semmle.formatSpecifier": "sarif-latest"\n      }\n    }\n  ]\n}\n'
          % hexid(40, seed, 94))
    return {"results": n, "rules": len(rules), "files": n_files}


# --------------------------------------------------------------------------------------------


def generate(fmt, path, mb, seed, quiet=False):
    t0 = time.time()
    if fmt in ("openvas", "qualys"):
        cat = NetCatalogue()
        if fmt == "openvas":
            n = plan_network(seed, mb, lambda k: ov_sample(cat, seed, k), lambda: 6000)
            writer = write_openvas
        else:
            n = plan_network(seed, mb, lambda k: q_sample(cat, seed, k), lambda: q_overhead(cat))
            writer = write_qualys
        while True:
            out = Sink(path)
            info = writer(out, cat, seed, n)
            if out.n >= mb * 1e6:
                break
            out.abandon()          # short (rare): more hosts
            n = int(math.ceil(n * mb * 1e6 / out.n * 1.01)) + 1
    else:
        out = Sink(path)
        if fmt == "nessus-csv":
            info = write_nessus_csv(out, NetCatalogue(), seed, mb)
        elif fmt == "trivy":
            info = write_trivy(out, seed, mb)
        elif fmt == "grype":
            info = write_grype(out, seed, mb)
        elif fmt == "sarif":
            info = write_sarif(out, seed, mb)
        else:
            info = write_cyclonedx(out, seed, mb)
    size = out.n
    out.close()
    dt = time.time() - t0
    if not quiet:
        sys.stderr.write("gen_formats: %s %s: %d bytes (%.1f MB), %s, seed %d, %.1fs (%.0f MB/s)\n" % (
            fmt, path, size, size / 1e6, ", ".join("%s %d" % kv for kv in info.items()), seed, dt,
            size / 1e6 / max(dt, 1e-9)))
    return size, info


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("format", choices=FORMATS)
    ap.add_argument("out_file")
    ap.add_argument("megabytes", type=float, help="minimum size in MB (10^6 bytes)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    if a.megabytes <= 0:
        ap.error("MEGABYTES must be positive")
    generate(a.format, a.out_file, a.megabytes, a.seed, a.quiet)
    return 0


if __name__ == "__main__":
    sys.exit(main())
