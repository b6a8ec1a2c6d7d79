#!/usr/bin/env python3
"""Generate a synthetic, real-shaped Tenable .nessus (NessusClientData_v2) report.

    gen_nessus.py --hosts N --out FILE [--seed S] [--rescan]
    gen_nessus.py --size-gb X --out FILE [--seed S] [--rescan] [--dense]

Standard library only. Output is deterministic for a given (hosts or size, seed, rescan).

The plugin catalogue (about 5000 plugins, with names, families, descriptions, CVSS v2/v3.1
(sometimes v4) vectors with scores computed by the real formulas, VPR, EPSS, CVEs, CWEs, xrefs,
see_also, dates) is built from a fixed seed, so every file uses the same plugin IDs and texts.
Each ReportHost gets 80-250 ReportItems drawn from that catalogue according to the host's OS,
credential status and open services. The ReportItem body of each plugin is rendered once; a
per-item cost is only the opening tag and the plugin_output.

--rescan writes the same hosts one week later: ~90% of items kept (some with slightly changed
output), ~5% dropped (they should become fixed) and ~5% new.  --size-gb picks the number of hosts
from a sample of the non-rescan rendering, so a base file and its rescan made with the same
--size-gb and --seed always describe the same hosts.  1 GB = 10^9 bytes.
"""

import argparse
import calendar
import hashlib
import math
import os
import random
import sys
import time

CATALOGUE_SEED = 20240601
BASE_EPOCH = 1764579600          # 2025-12-01T09:00:00Z: the base scan starts here
WEEK = 7 * 24 * 3600
N_GENERATED_PLUGINS = 4960       # plus the fixed well-known ones: ~5000 in total

# --dense: each ReportItem carries only the fields a findings-dense export keeps (synopsis,
# solution and description cut short, the CVSS vectors and scores, CVEs, dates; no see_also,
# xrefs or threat metadata), so that a file holds at least 500 findings per MB, like the real
# Tenable export of the issue that asked for it (569 per MB). Plugin outputs are unchanged.
DENSE = False
DENSE_KEEP = {"synopsis", "description", "solution", "risk_factor", "plugin_name", "plugin_type",
              "fname", "script_version", "cve", "cvss_score_source", "exploit_available",
              "plugin_publication_date", "plugin_modification_date", "vuln_publication_date",
              "patch_publication_date", "epss_score", "vpr_score", "agent"}
DENSE_CUT = 160   # characters kept of a long text

# --------------------------------------------------------------------------------------------
# XML escaping (applied once, at catalogue build time)


def esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;").replace("'", "&apos;"))


def esc_text(s):
    # Element text: Nessus escapes < > & and apostrophes, and leaves some quotes alone.
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&apos;")


# --------------------------------------------------------------------------------------------
# CVSS: all base vectors with their scores, computed with the published formulas.


def _roundup31(x):
    i = int(round(x * 100000))
    if i % 10000 == 0:
        return i / 100000.0
    return (math.floor(i / 10000) + 1) / 10.0


def cvss31_all():
    AV = {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2}
    AC = {"L": 0.77, "H": 0.44}
    PRU = {"N": 0.85, "L": 0.62, "H": 0.27}
    PRC = {"N": 0.85, "L": 0.68, "H": 0.5}
    UI = {"N": 0.85, "R": 0.62}
    CIA = {"H": 0.56, "L": 0.22, "N": 0.0}
    out = []
    for av in "NALP":
        for ac in "LH":
            for pr in "NLH":
                for ui in "NR":
                    for s in "UC":
                        for c in "HLN":
                            for i in "HLN":
                                for a in "HLN":
                                    iss = 1 - (1 - CIA[c]) * (1 - CIA[i]) * (1 - CIA[a])
                                    if s == "U":
                                        imp = 6.42 * iss
                                    else:
                                        imp = 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15
                                    prv = (PRU if s == "U" else PRC)[pr]
                                    ex = 8.22 * AV[av] * AC[ac] * prv * UI[ui]
                                    if imp <= 0:
                                        sc = 0.0
                                    elif s == "U":
                                        sc = _roundup31(min(imp + ex, 10))
                                    else:
                                        sc = _roundup31(min(1.08 * (imp + ex), 10))
                                    v = "CVSS:3.1/AV:%s/AC:%s/PR:%s/UI:%s/S:%s/C:%s/I:%s/A:%s" % (
                                        av, ac, pr, ui, s, c, i, a)
                                    out.append((v, sc))
    return out


def cvss2_all():
    AV = {"L": 0.395, "A": 0.646, "N": 1.0}
    AC = {"H": 0.35, "M": 0.61, "L": 0.71}
    AU = {"M": 0.45, "S": 0.56, "N": 0.704}
    CIA = {"N": 0.0, "P": 0.275, "C": 0.660}
    out = []
    for av in "LAN":
        for ac in "HML":
            for au in "MSN":
                for c in "NPC":
                    for i in "NPC":
                        for a in "NPC":
                            imp = 10.41 * (1 - (1 - CIA[c]) * (1 - CIA[i]) * (1 - CIA[a]))
                            ex = 20 * AV[av] * AC[ac] * AU[au]
                            f = 0 if imp == 0 else 1.176
                            sc = ((0.6 * imp) + (0.4 * ex) - 1.5) * f
                            sc = math.floor(sc * 10 + 0.5 + 1e-9) / 10.0
                            if sc <= 0:
                                sc = 0.0
                            v = "CVSS2#AV:%s/AC:%s/Au:%s/C:%s/I:%s/A:%s" % (av, ac, au, c, i, a)
                            out.append((v, sc))
    return out


# A few CVSS v4.0 base vectors with the scores the FIRST calculator gives for them.
CVSS4_TABLE = [
    ("CVSS:4.0/AV:L/AC:H/AT:N/PR:H/UI:N/VC:L/VI:N/VA:L/SC:L/SI:N/SA:L", 1.8),
    ("CVSS:4.0/AV:A/AC:H/AT:N/PR:H/UI:N/VC:N/VI:N/VA:L/SC:N/SI:L/SA:N", 2.0),
    ("CVSS:4.0/AV:P/AC:L/AT:P/PR:N/UI:N/VC:L/VI:L/VA:L/SC:L/SI:N/SA:H", 2.0),
    ("CVSS:4.0/AV:N/AC:H/AT:P/PR:L/UI:P/VC:N/VI:L/VA:L/SC:L/SI:L/SA:L", 2.1),
    ("CVSS:4.0/AV:A/AC:L/AT:N/PR:H/UI:P/VC:L/VI:L/VA:L/SC:L/SI:N/SA:N", 2.4),
    ("CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:A/VC:N/VI:N/VA:H/SC:L/SI:H/SA:L", 6.9),
    ("CVSS:4.0/AV:P/AC:H/AT:N/PR:L/UI:A/VC:H/VI:N/VA:N/SC:H/SI:N/SA:H", 5.8),
    ("CVSS:4.0/AV:A/AC:H/AT:N/PR:H/UI:P/VC:H/VI:L/VA:H/SC:H/SI:N/SA:L", 5.8),
    ("CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:L/VI:L/VA:L/SC:L/SI:H/SA:L", 5.3),
    ("CVSS:4.0/AV:N/AC:H/AT:N/PR:H/UI:A/VC:L/VI:H/VA:H/SC:N/SI:N/SA:H", 6.9),
    ("CVSS:4.0/AV:P/AC:L/AT:N/PR:H/UI:N/VC:L/VI:L/VA:H/SC:N/SI:H/SA:N", 6.8),
    ("CVSS:4.0/AV:N/AC:H/AT:N/PR:L/UI:P/VC:H/VI:L/VA:N/SC:N/SI:L/SA:L", 5.9),
    ("CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:P/VC:L/VI:L/VA:H/SC:N/SI:H/SA:N", 8.3),
    ("CVSS:4.0/AV:N/AC:L/AT:P/PR:L/UI:N/VC:N/VI:H/VA:L/SC:H/SI:H/SA:L", 7.2),
    ("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:L", 7.2),
    ("CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:A/VC:H/VI:H/VA:L/SC:H/SI:N/SA:L", 8.3),
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:A/VC:L/VI:H/VA:N/SC:N/SI:H/SA:N", 8.1),
    ("CVSS:4.0/AV:N/AC:L/AT:P/PR:H/UI:P/VC:L/VI:H/VA:L/SC:H/SI:N/SA:L", 7.0),
    ("CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:L", 9.1),
    ("CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:H/SA:L", 9.2),
    ("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:N/VI:H/VA:N/SC:L/SI:H/SA:N", 9.0),
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:L/VI:N/VA:H/SC:N/SI:H/SA:N", 9.2),
    ("CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:L/SA:N", 9.5),
    ("CVSS:4.0/AV:N/AC:L/AT:N/PR:H/UI:N/VC:H/VI:H/VA:L/SC:H/SI:H/SA:H", 9.3),
]


def sev_of(score):
    if score <= 0:
        return 0
    if score < 4.0:
        return 1
    if score < 7.0:
        return 2
    if score < 9.0:
        return 3
    return 4


RISK = ["None", "Low", "Medium", "High", "Critical"]

# --------------------------------------------------------------------------------------------
# Vocabulary

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

LINUX_PKGS = [
    "openssl", "openssh", "curl", "libxml2", "glibc", "linux", "sudo", "bind9", "nss", "python3.10",
    "perl", "vim", "git", "systemd", "expat", "zlib", "tiff", "libpng1.6", "ghostscript", "poppler",
    "postgresql-14", "mysql-8.0", "mariadb", "nginx", "apache2", "php8.1", "tomcat9", "openjdk-17",
    "nodejs", "ruby3.0", "samba", "krb5", "gnutls28", "libssh", "sqlite3", "xz-utils", "cups",
    "dbus", "policykit-1", "pam", "shadow", "util-linux", "busybox", "less", "tar", "unzip",
    "libwebp", "freetype", "firefox", "thunderbird", "exim4", "postfix", "dnsmasq", "ntp", "chrony",
    "rsync", "wget", "golang-1.21", "rustc", "qemu", "libvirt", "docker.io", "containerd", "runc",
    "grub2", "intel-microcode", "linux-firmware", "libarchive", "libgcrypt20", "libtasn1-6",
    "c-ares", "nghttp2", "libde265", "imagemagick", "jq", "haproxy", "squid", "redis", "mongodb",
]

DISTROS = [
    # key, plugin family, name prefix pattern, advisory pattern, weight
    ("ubuntu2004", "Ubuntu Local Security Checks", "Ubuntu 20.04 LTS", "USN-%d-%d"),
    ("ubuntu2204", "Ubuntu Local Security Checks", "Ubuntu 22.04 LTS", "USN-%d-%d"),
    ("rhel8", "Red Hat Local Security Checks", "RHEL 8", "RHSA-2024:%d"),
    ("rhel9", "Red Hat Local Security Checks", "RHEL 9", "RHSA-2025:%d"),
    ("debian12", "Debian Local Security Checks", "Debian dsa", "DSA-%d-%d"),
    ("sles15", "SuSE Local Security Checks", "SUSE SLES15", "SUSE-SU-2024:%d-%d"),
    ("amzn2", "Amazon Linux Local Security Checks", "Amazon Linux 2", "ALAS2-2024-%d"),
    ("ol8", "Oracle Linux Local Security Checks", "Oracle Linux 8", "ELSA-2024-%d"),
]
LINUX_OS_NAME = {
    "ubuntu2004": "Linux Kernel 5.4.0-169-generic on Ubuntu 20.04",
    "ubuntu2204": "Linux Kernel 5.15.0-91-generic on Ubuntu 22.04",
    "rhel8": "Linux Kernel 4.18.0-513.9.1.el8_9.x86_64 on Red Hat Enterprise Linux 8.9",
    "rhel9": "Linux Kernel 5.14.0-362.13.1.el9_3.x86_64 on Red Hat Enterprise Linux 9.3",
    "debian12": "Linux Kernel 6.1.0-17-amd64 on Debian 12.4",
    "sles15": "Linux Kernel 5.14.21-150500.55.39-default on SUSE Linux Enterprise Server 15 SP5",
    "amzn2": "Linux Kernel 5.10.205-195.804.amzn2.x86_64 on Amazon Linux 2",
    "ol8": "Linux Kernel 5.15.0-200.131.27.el8uek.x86_64 on Oracle Linux 8.9",
}
WIN_OS = [
    ("win2016", "Microsoft Windows Server 2016 Standard", "10.0.14393"),
    ("win2019", "Microsoft Windows Server 2019 Standard", "10.0.17763"),
    ("win2022", "Microsoft Windows Server 2022 Datacenter", "10.0.20348"),
]
WIN_APPS = [
    ("Google Chrome", "C:\\Program Files\\Google\\Chrome\\Application\\", "120.0.6099"),
    ("Mozilla Firefox", "C:\\Program Files\\Mozilla Firefox\\", "121.0"),
    ("Adobe Acrobat Reader", "C:\\Program Files\\Adobe\\Acrobat DC\\Acrobat\\", "23.008.20458"),
    ("7-Zip", "C:\\Program Files\\7-Zip\\", "23.01"),
    ("Notepad++", "C:\\Program Files\\Notepad++\\", "8.6.2"),
    ("Zoom Client for Meetings", "C:\\Users\\jmüller\\AppData\\Roaming\\Zoom\\bin\\", "5.17.5"),
    ("Microsoft Edge (Chromium)", "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\",
     "120.0.2210"),
    ("Oracle Java SE", "C:\\Program Files\\Java\\jre1.8.0_391\\", "1.8.0_401"),
    ("VMware Tools", "C:\\Program Files\\VMware\\VMware Tools\\", "12.3.5"),
    ("WinRAR", "C:\\Program Files\\WinRAR\\", "6.24"),
    ("Wireshark", "C:\\Program Files\\Wireshark\\", "4.2.2"),
    ("PuTTY", "C:\\Program Files\\PuTTY\\", "0.80"),
    ("VLC Media Player", "C:\\Program Files\\VideoLAN\\VLC\\", "3.0.20"),
    ("Microsoft .NET Core", "C:\\Program Files\\dotnet\\shared\\Microsoft.NETCore.App\\", "6.0.26"),
    ("Microsoft Visual Studio Code", "C:\\Program Files\\Microsoft VS Code\\", "1.85.2"),
    ("KeePass", "C:\\Program Files\\KeePass Password Safe 2\\", "2.56"),
    ("Git for Windows", "C:\\Program Files\\Git\\", "2.43.0"),
    ("Python", "C:\\Program Files\\Python311\\", "3.11.7"),
    ("OpenVPN", "C:\\Program Files\\OpenVPN\\", "2.6.8"),
    ("TeamViewer", "C:\\Program Files\\TeamViewer\\", "15.49.2"),
    ("Apache Log4j", "D:\\apps\\reporting\\lib\\", "2.17.1"),
    ("Microsoft Office", "C:\\Program Files\\Microsoft Office\\root\\Office16\\", "16.0.17126"),
]

# service classes: name -> (svc_name, port, protocol, tls)
SERVICES = {
    "ftp": ("ftp", 21, "tcp", False),
    "ssh": ("ssh", 22, "tcp", False),
    "smtp": ("smtp", 25, "tcp", False),
    "dns": ("dns", 53, "udp", False),
    "www80": ("www", 80, "tcp", False),
    "ntp": ("ntp", 123, "udp", False),
    "epmap": ("epmap", 135, "tcp", False),
    "nbns": ("netbios-ns", 137, "udp", False),
    "snmp": ("snmp", 161, "udp", False),
    "ldap": ("ldap", 389, "tcp", False),
    "www443": ("www", 443, "tcp", True),
    "smb": ("cifs", 445, "tcp", False),
    "ldaps": ("ldap", 636, "tcp", True),
    "mssql": ("mssql", 1433, "tcp", False),
    "mysql": ("mysql", 3306, "tcp", False),
    "rdp": ("msrdp", 3389, "tcp", True),
    "pgsql": ("postgresql", 5432, "tcp", False),
    "redis": ("redis", 6379, "tcp", False),
    "www8080": ("www", 8080, "tcp", False),
    "www8443": ("www", 8443, "tcp", True),
    "es": ("www", 9200, "tcp", False),
}
SVC_GROUP = {  # plugin scope -> service classes it can land on
    "www": ["www80", "www443", "www8080", "www8443", "es"],
    "tls": ["www443", "www8443", "ldaps", "rdp"],
    "ssh": ["ssh"], "smtp": ["smtp"], "dns": ["dns"], "ntp": ["ntp"], "snmp": ["snmp"],
    "smb": ["smb"], "ldap": ["ldap", "ldaps"], "mssql": ["mssql"], "mysql": ["mysql"],
    "pgsql": ["pgsql"], "rdp": ["rdp"], "ftp": ["ftp"], "redis": ["redis"], "epmap": ["epmap"],
    "nbns": ["nbns"],
}
ROLES_LINUX = [
    ["ssh", "www80", "www443"], ["ssh", "www443", "www8080", "mysql"], ["ssh", "pgsql"],
    ["ssh", "smtp", "dns"], ["ssh", "ntp", "snmp"], ["ssh", "www8443", "redis", "es"],
    ["ssh", "ftp", "www80"], ["ssh", "ldap", "ldaps"], ["ssh"],
]
ROLES_WIN = [
    ["epmap", "nbns", "smb", "rdp"], ["epmap", "nbns", "smb", "rdp", "www80", "www443"],
    ["epmap", "nbns", "smb", "rdp", "mssql"], ["epmap", "nbns", "smb", "rdp", "ldap", "ldaps", "dns"],
]

# (product, scope, family, cpe, base version) for remote checks
REMOTE_PRODUCTS = [
    ("Apache HTTP Server", "www", "Web Servers", "cpe:/a:apache:http_server", "2.4"),
    ("nginx", "www", "Web Servers", "cpe:/a:nginx:nginx", "1.24"),
    ("Microsoft IIS", "www", "Web Servers", "cpe:/a:microsoft:internet_information_services", "10.0"),
    ("Apache Tomcat", "www", "Web Servers", "cpe:/a:apache:tomcat", "9.0"),
    ("PHP", "www", "CGI abuses", "cpe:/a:php:php", "8.1"),
    ("WordPress", "www", "CGI abuses", "cpe:/a:wordpress:wordpress", "6.4"),
    ("Drupal", "www", "CGI abuses", "cpe:/a:drupal:drupal", "10.1"),
    ("Jenkins", "www", "CGI abuses", "cpe:/a:jenkins:jenkins", "2.426"),
    ("GitLab", "www", "CGI abuses", "cpe:/a:gitlab:gitlab", "16.7"),
    ("Grafana", "www", "CGI abuses", "cpe:/a:grafana:grafana", "10.2"),
    ("Elasticsearch", "www", "Databases", "cpe:/a:elastic:elasticsearch", "8.11"),
    ("Oracle WebLogic Server", "www", "Web Servers", "cpe:/a:oracle:weblogic_server", "14.1.1"),
    ("VMware vCenter Server", "tls", "Misc.", "cpe:/a:vmware:vcenter_server", "8.0"),
    ("OpenSSL", "tls", "Web Servers", "cpe:/a:openssl:openssl", "3.0"),
    ("Fortinet FortiOS", "tls", "Firewalls", "cpe:/o:fortinet:fortios", "7.2"),
    ("OpenSSH", "ssh", "Misc.", "cpe:/a:openbsd:openssh", "8.9"),
    ("Dropbear SSH", "ssh", "Misc.", "cpe:/a:dropbear_ssh_project:dropbear_ssh", "2022.83"),
    ("MySQL", "mysql", "Databases", "cpe:/a:oracle:mysql", "8.0"),
    ("MariaDB", "mysql", "Databases", "cpe:/a:mariadb:mariadb", "10.11"),
    ("PostgreSQL", "pgsql", "Databases", "cpe:/a:postgresql:postgresql", "14"),
    ("Microsoft SQL Server", "mssql", "Databases", "cpe:/a:microsoft:sql_server", "2019"),
    ("Redis", "redis", "Databases", "cpe:/a:redis:redis", "7.0"),
    ("ISC BIND", "dns", "DNS", "cpe:/a:isc:bind", "9.18"),
    ("Exim", "smtp", "SMTP problems", "cpe:/a:exim:exim", "4.96"),
    ("Postfix", "smtp", "SMTP problems", "cpe:/a:postfix:postfix", "3.7"),
    ("OpenLDAP", "ldap", "Misc.", "cpe:/a:openldap:openldap", "2.5"),
    ("vsftpd", "ftp", "FTP", "cpe:/a:beasts:vsftpd", "3.0"),
    ("ProFTPD", "ftp", "FTP", "cpe:/a:proftpd:proftpd", "1.3.8"),
    ("Net-SNMP", "snmp", "SNMP", "cpe:/a:net-snmp:net-snmp", "5.9"),
    ("NTP", "ntp", "Misc.", "cpe:/a:ntp:ntp", "4.2.8"),
    ("Samba", "smb", "Misc.", "cpe:/a:samba:samba", "4.17"),
    ("Microsoft Windows RDP", "rdp", "Windows", "cpe:/o:microsoft:windows", "10.0"),
]
ISSUES = [
    ("Multiple Vulnerabilities", None), ("Remote Code Execution", 94),
    ("Denial of Service", 400), ("Information Disclosure", 200), ("Cross-Site Scripting", 79),
    ("SQL Injection", 89), ("Authentication Bypass", 287), ("Privilege Escalation", 269),
    ("Directory Traversal", 22), ("Server-Side Request Forgery", 918), ("Heap Buffer Overflow", 122),
    ("Use-After-Free", 416), ("Open Redirect", 601), ("Improper Input Validation", 20),
    ("HTTP Request Smuggling", 444), ("Out-of-Bounds Read", 125), ("Out-of-Bounds Write", 787),
    ("Command Injection", 78), ("Insecure Deserialization", 502), ("Integer Overflow", 190),
]
CWES = [20, 22, 78, 79, 89, 94, 119, 122, 125, 190, 200, 264, 269, 287, 295, 362, 399, 400, 416,
        444, 476, 502, 601, 611, 787, 798, 862, 863, 918, 1321]
VULN_SENTENCES = [
    "A heap-based buffer overflow exists in the %s component. An unauthenticated, remote attacker "
    "can exploit this, via a specially crafted request, to cause a denial of service condition or "
    "the execution of arbitrary code.",
    "An information disclosure vulnerability exists due to improper handling of '%s' headers. A "
    "remote attacker can exploit this to read sensitive data from process memory.",
    "A use-after-free error exists in %s when processing malformed input. An attacker can exploit "
    "this to corrupt memory and possibly execute arbitrary code with the privileges of the "
    "service.",
    "A flaw in %s allows a local user to escalate privileges to root by abusing a race condition "
    "in the handling of temporary files under /tmp.",
    "An improper input validation issue in %s could allow a remote attacker to bypass "
    "authentication & access restricted functionality, for example via a request containing "
    "\"../\" sequences or an overlong <script> tag.",
    "An integer overflow in %s can lead to an out-of-bounds write when parsing certificates with "
    "more than 2^31 extensions. Exploitation requires the victim to connect to a malicious server.",
    "A denial of service vulnerability exists in %s. A remote, unauthenticated attacker can send a "
    "sequence of HTTP/2 frames that exhausts worker threads (the so-called 'Rapid Reset' attack).",
    "A cross-site scripting (XSS) vulnerability exists in %s due to improper validation of "
    "user-supplied input before returning it to users. An attacker can convince a user to click a "
    "specially crafted URL such as /search?q=<svg onload=alert(1)>&lang=de.",
    "A SQL injection vulnerability exists in %s. An authenticated attacker can inject or "
    "manipulate SQL queries in the back-end database, resulting in the disclosure or "
    "manipulation of arbitrary data.",
    "A server-side request forgery (SSRF) vulnerability in %s allows an attacker to make the "
    "server issue requests to internal services, e.g. http://169.254.169.254/latest/meta-data/.",
]
FILLER = [
    "Note that Nessus has not tested for these issues but has instead relied only on the "
    "application's self-reported version number.",
    "Note that Nessus has not tested for this issue but has instead relied only on the package "
    "version reported by the operating system's package manager.",
    "Tenable has extracted the preceding description block directly from the vendor advisory. "
    "Tenable has attempted to automatically clean and format it as much as possible without "
    "introducing additional issues.",
    "The vendor credits Jörg Müller, Zoë Çelik and François Lefèvre for reporting these issues "
    "— see the advisory for details.",
    "Successful exploitation may require that the attacker is in a man-in-the-middle position "
    "or that a user opens a crafted file.",
    "This plugin only checks the version and does not attempt to exploit the vulnerability. "
    "Environments using a non-default configuration (for example, mod_proxy with "
    "ProxyPass \"/app\" \"http://backend/\") may be affected differently.",
]
INFO_SENTENCES = [
    "Nessus was able to collect this information about %s using the credentials or the "
    "network services available to it during the scan.",
    "This information is provided for inventory purposes and to help correlate other findings "
    "on the host; it does not indicate a vulnerability in %s by itself.",
    "The plugin output lists the values gathered from %s, such as versions, paths & settings.",
    "Note that the data may be incomplete if the scan account lacks privileges (e.g. \"sudo\" "
    "is not permitted) — see the plugin output for details.",
    "Results are reported per host; running processes such as <java> or <dotnet> are included "
    "when they could be associated with %s. Umlaute werden korrekt übertragen (Größe, Müller).",
]
SOLUTIONS = [
    "Update the affected packages.",
    "Upgrade to %s version %s or later.",
    "Apply the vendor-supplied patch or upgrade to %s %s or later.",
    "Apply Cumulative Update %s or later for %s.",
    "Disable the affected service if it is not required, or restrict access to it using a "
    "firewall & access control lists.",
]
DISTRO_SEE_ALSO = {"ubuntu2004": 0, "ubuntu2204": 0, "rhel8": 1, "rhel9": 1, "debian12": 2,
                   "sles15": 3, "amzn2": 4, "ol8": 5}
SEE_ALSO_HOSTS = [
    "https://ubuntu.com/security/notices/", "https://access.redhat.com/errata/",
    "https://www.debian.org/security/", "https://www.suse.com/support/update/announcement/",
    "https://alas.aws.amazon.com/AL2/", "https://linux.oracle.com/errata/",
    "https://support.microsoft.com/help/", "https://httpd.apache.org/security/",
    "http://www.nessus.org/u?", "https://nvd.nist.gov/vuln/detail/",
    "https://www.cisa.gov/known-exploited-vulnerabilities-catalog?search=",
]

# --------------------------------------------------------------------------------------------
# Plugin catalogue


class Plugin(object):
    __slots__ = ("pid", "sev", "name", "family", "scope", "fixed", "head", "outs", "ph",
                 "tail", "tsrc", "local")

    def __init__(self):
        self.outs = ()
        self.ph = False
        self.tail = 0          # max length of a slice of a shared long text appended to output
        self.tsrc = 0          # which shared text: 0 packages, 1 Windows apps, 2 files, 3 any
        self.fixed = False
        self.local = False


def yyyymmdd(epoch):
    return time.strftime("%Y/%m/%d", time.gmtime(epoch))


def build_big_texts(r):
    """Shared long texts (already escaped, newline-terminated lines) that outputs slice from."""
    lines = []
    for i in range(2500):
        p = r.choice(LINUX_PKGS)
        lines.append("  %s-%d.%d.%d-%d.el8.x86_64|(none)|%d.%d.%d|%d.el8|x86_64|Red Hat, Inc.|"
                     "%s\n" % (p, r.randint(0, 9), r.randint(0, 30), r.randint(0, 40),
                               r.randint(1, 30), r.randint(0, 9), r.randint(0, 30),
                               r.randint(0, 40), r.randint(1, 30),
                               r.choice(["Wed Nov 15 2023", "Tue Jan 09 2024", "Fri Feb 02 2024"])))
    pkgs = esc_text("".join(lines)).encode()
    lines = []
    for i in range(2000):
        app = r.choice(WIN_APPS)
        lines.append("  %s  [version %s.%d]  [installed on %04d/%02d/%02d]\n    Path : %s%s.exe\n" % (
            app[0], app[2], r.randint(0, 300), r.randint(2019, 2025), r.randint(1, 12),
            r.randint(1, 28), app[1], app[0].split()[0].lower()))
    apps = esc_text("".join(lines)).encode()
    lines = []
    for i in range(2000):
        lines.append("  /var/www/html/%s/%s.php (mtime %d, owner www-data, \"%s\")\n" % (
            r.choice(["wp-content", "admin", "api/v2", "static", "übersicht", "cgi-bin"]),
            r.choice(["index", "login", "upload", "config", "status", "search", "export"]),
            1700000000 + r.randint(0, 30000000),
            r.choice(["<?php echo $x; ?>", "a && b", "ok", "Größe > 10 MB", "key=\"value\""])))
    files = esc_text("".join(lines)).encode()
    return [pkgs, apps, files]


def make_cves(r, n):
    return ["CVE-%d-%d" % (r.randint(2017, 2025), r.randint(1000, 52999)) for _ in range(n)]


def render_body(v3, v2, v4, meta):
    """Render the children of a ReportItem except plugin_output, sorted by tag like Nessus."""
    ch = []
    add = ch.append
    for t, val in meta:
        add((t, val))
    if v2 is not None:
        add(("cvss_base_score", "%.1f" % v2[1]))
        add(("cvss_vector", v2[0]))
    if v3 is not None:
        add(("cvss3_base_score", "%.1f" % v3[1]))
        add(("cvss3_vector", v3[0]))
    if v4 is not None:
        add(("cvss4_base_score", "%.1f" % v4[1]))
        add(("cvss4_vector", v4[0]))
    ch.sort(key=lambda kv: kv[0])  # stable: cve/xref order kept
    return "".join("<%s>%s</%s>\n" % (t, esc_text(val), t) for t, val in ch)


FIXED_PLUGINS = [
    # pid, name, family, severity, scope, plugin_type, fname, output kind
    (19506, "Nessus Scan Information", "Settings", 0, "host", "summary", "scan_info.nasl", "scaninfo"),
    (10287, "Traceroute Information", "General", 0, "host", "remote", "traceroute.nasl", "traceroute"),
    (45590, "Common Platform Enumeration (CPE)", "General", 0, "host", "combined", "cpe.nbin", "cpe"),
    (54615, "Device Type", "General", 0, "host", "combined", "device_type.nasl", "device"),
    (11936, "OS Identification", "General", 0, "host", "combined", "os_fingerprint.nasl", "os"),
    (12053, "Host Fully Qualified Domain Name (FQDN) Resolution", "General", 0, "host", "remote",
     "fqdn.nasl", "fqdn"),
    (25220, "TCP/IP Timestamps Supported", "General", 0, "host", "remote", "tcp_timestamps.nasl", None),
    (10114, "ICMP Timestamp Request Remote Date Disclosure", "General", 1, "host", "remote",
     "icmp_timestamp.nasl", "icmpts"),
    (66334, "Patch Report", "General", 0, "host", "combined", "patches_summary.nbin", "patch"),
    (11219, "Nessus SYN scanner", "Port scanners", 0, "port", "remote", "nessus_syn_scanner.nbin",
     "syn"),
    (22964, "Service Detection", "Service detection", 0, "port", "remote", "find_service.nasl", "svc"),
    (20094, "VMware Virtual Machine Detection", "General", 0, "host", "combined",
     "vmware_detect.nasl", "vm"),
    (35716, "Ethernet Card Manufacturer Detection", "Misc.", 0, "host", "combined",
     "ethernet_manufacturer.nasl", "mac"),
    (86420, "Ethernet MAC Addresses", "General", 0, "host", "combined", "ifconfig_mac.nbin", "mac"),
    (141118, "Target Credential Status by Authentication Protocol - Valid Credentials Provided",
     "Settings", 0, "cred", "summary", "target_credential_status.nbin", "cred"),
    (110095, "Target Credential Issues by Authentication Protocol - No Issues Found", "Settings", 0,
     "cred", "summary", "host_credentials_no_issues.nbin", None),
    (117887, "OS Security Patch Assessment Available", "Settings", 0, "cred", "summary",
     "os_patch_assessment_available.nbin", "cred"),
    (97993, "OS Identification and Installed Software Enumeration over SSH v2 (Using New SSH "
     "Library)", "General", 0, "cred-linux", "combined", "ssh_get_info2.nasl", "inventory"),
    (22869, "Software Enumeration (SSH)", "General", 0, "cred-linux", "local",
     "ssh_software_enumeration.nasl", "inventory"),
    (20811, "Microsoft Windows Installed Software Enumeration (credentialed check)", "Windows", 0,
     "cred-win", "local", "smb_enum_software.nasl", "inventory"),
    (21745, "OS Security Patch Assessment Failed", "Settings", 0, "nocred", "summary",
     "os_patch_assessment_failed.nbin", "nocred"),
    (10107, "HTTP Server Type and Version", "Web Servers", 0, "www", "remote", "http_version.nasl",
     "banner"),
    (24260, "HyperText Transfer Protocol (HTTP) Information", "Web Servers", 0, "www", "remote",
     "http_info.nasl", "http"),
    (10267, "SSH Server Type and Version Information", "Service detection", 0, "ssh", "remote",
     "ssh_detect.nasl", "banner"),
    (70657, "SSH Algorithms and Languages Supported", "Misc.", 0, "ssh", "remote",
     "ssh_supported_algorithms.nasl", "sshalgo"),
    (56984, "SSL / TLS Versions Supported", "General", 0, "tls", "remote", "ssl_supported_versions.nasl",
     "tlsver"),
    (10863, "SSL Certificate Information", "General", 0, "tls", "remote", "ssl_cert_info.nasl", "cert"),
    (21643, "SSL Cipher Suites Supported", "General", 0, "tls", "remote",
     "ssl_supported_ciphers.nasl", "ciphers"),
    (51192, "SSL Certificate Cannot Be Trusted", "General", 2, "tls", "remote",
     "ssl_certificate_chain.nasl", "cert"),
    (57582, "SSL Self-Signed Certificate", "General", 2, "tls", "remote", "ssl_self_signed_cert.nasl",
     "cert"),
    (104743, "TLS Version 1.0 Protocol Detection", "Service detection", 2, "tls", "remote",
     "tls10_detection.nasl", "tlsver"),
    (157288, "TLS Version 1.1 Deprecated Protocol", "Service detection", 2, "tls", "remote",
     "tls11_deprecated.nasl", "tlsver"),
    (42873, "SSL Medium Strength Cipher Suites Supported (SWEET32)", "General", 3, "tls", "remote",
     "ssl_medium_supported_ciphers.nasl", "ciphers"),
    (10394, "Microsoft Windows SMB Log In Possible", "Windows", 0, "smb", "remote",
     "smb_login.nasl", None),
    (11011, "Microsoft Windows SMB Service Detection", "Windows", 0, "smb", "remote",
     "smb_detect.nasl", "svc"),
    (57608, "SMB Signing not required", "Misc.", 2, "smb", "remote", "smb_signing_disabled.nasl", None),
    (10785, "Microsoft Windows SMB NativeLanManager Remote System Information Disclosure", "Windows",
     0, "smb", "remote", "smb_nativelanman.nasl", "os"),
    (41028, "SNMP Agent Default Community Name (public)", "SNMP", 4, "snmp", "remote",
     "snmp_default_community_name.nasl", None),
    (12217, "DNS Server Cache Snooping Remote Information Disclosure", "DNS", 2, "dns", "remote",
     "bind_cache_snooping.nasl", "banner"),
    (97861, "Network Time Protocol (NTP) Mode 6 Scanner", "Misc.", 2, "ntp", "remote",
     "ntp_mode6_detect.nasl", None),
]

OUT_TEMPLATES = {
    "scaninfo": [""],          # rendered per host by HostGen.scan_info
    "traceroute": ["\nFor your information, here is the traceroute from 10.250.0.5 to @@IP@@ : \n"
                   "10.250.0.5\n10.250.0.1\n@@GW@@\n@@IP@@\n\nHop Count: 3\n"],
    "cpe": ["\nThe remote operating system matched the following CPE : \n\n  @@OSCPE@@\n\n"
            "Following application CPE's matched on the remote system :\n\n"
            "  cpe:/a:openbsd:openssh:8.9 -> OpenBSD OpenSSH\n"
            "  cpe:/a:openssl:openssl:3.0.@@N@@ -> OpenSSL Project OpenSSL\n"
            "  cpe:/a:vmware:tools:12.3.5 -> VMware Tools\n"],
    "device": ["Remote device type : general-purpose\nConfidence level : 100\n"],
    "os": ["\nRemote operating system : @@OS@@\nConfidence level : 100\nMethod : LinuxDistribution\n\n"
           "The remote host is running @@OS@@\n"],
    "fqdn": ["\n@@IP@@ resolves as @@FQDN@@.\n"],
    "icmpts": ["The difference between the local and remote clocks is @@N@@ seconds.\n"],
    "patch": ["\n\n. You need to take the following @@N@@ actions :\n\n"
              "[ OpenSSH < 9.6 Multiple Vulnerabilities (187201) ]\n\n"
              "+ Action to take : Upgrade to OpenSSH version 9.6 or later.\n\n"
              "+Impact : Taking this action will resolve 3 different vulnerabilities (CVEs).\n\n"
              "[ Ubuntu 22.04 LTS : Linux kernel vulnerabilities (USN-6549-1) ]\n\n"
              "+ Action to take : Update the affected kernel package & reboot.\n\n"
              "+Impact : Taking this action will resolve 41 different vulnerabilities (CVEs).\n"],
    "syn": ["Port @@PORT@@/@@PROTO@@ was found to be open"],
    "svc": ["A @@SVC@@ server is running on this port.", "A @@SVC@@ server is running on this port "
            "through TLSv1.2."],
    "vm": ["\nThe remote host is a VMware virtual machine.\n"],
    "mac": ["\nThe following card manufacturers were identified :\n\n@@MAC@@ : VMware, Inc.\n"],
    "cred": ["\nNessus was able to log in to the remote host as 'svc_nessus' using @@PROTO2@@ "
             "credentials provided in the scan policy.\n"],
    "nocred": ["\nThe following issues were reported :\n\n  - Plugin      : no_local_checks_credentials.nasl\n"
               "    Plugin ID   : 110723\n    Plugin Name : Target Credential Status by "
               "Authentication Protocol - No Credentials Provided\n    Message     : \n"
               "Credentials were not provided for detected SSH service.\n"],
    "inventory": ["\nHere is the list of packages installed on the remote host (@@FQDN@@) :\n\n"],
    "banner": ["\nThe remote service banner is :\n\n  Server: Apache/2.4.52 (Ubuntu) OpenSSL/3.0.2\n"
               "  X-Powered-By: PHP/8.1.@@N@@\n", "\nSSH version : SSH-2.0-OpenSSH_8.9p1 "
               "Ubuntu-3ubuntu0.@@N@@\nSSH supported authentication : publickey,password\n"],
    "http": ["\nResponse Code : HTTP/1.1 200 OK\n\nProtocol version : HTTP/1.1\nHTTP/2 TLS Support: "
             "No\nSSL : @@TLS@@\nKeep-Alive : yes\nOptions allowed : (Not implemented)\nHeaders :\n\n"
             "  Date: Mon, 01 Dec 2025 09:@@MM@@:12 GMT\n  Server: Apache\n"
             "  Content-Type: text/html; charset=\"UTF-8\"\n  Set-Cookie: sid=@@N@@; HttpOnly\n\n"
             "Response Body :\n\n<!DOCTYPE html>\n<html><head><title>Intranet — Müller & Söhne "
             "GmbH</title></head>\n<body><p class=\"x\">Willkommen, Jürgen!</p></body></html>\n"],
    "sshalgo": ["\nNessus negotiated the following encryption algorithm(s) with the server : \n\n"
                "  Client to Server: aes256-ctr\n  Server to Client: aes256-ctr\n\n"
                "The server supports the following options for kex_algorithms : \n\n"
                "  curve25519-sha256\n  curve25519-sha256@libssh.org\n  diffie-hellman-group14-sha256\n"
                "  diffie-hellman-group16-sha512\n  ecdh-sha2-nistp256\n  sntrup761x25519-sha512@openssh.com\n"],
    "tlsver": ["This port supports TLSv1.0/TLSv1.1/TLSv1.2.", "This port supports TLSv1.2/TLSv1.3."],
    "cert": ["\nSubject Name : \n\nCountry: DE\nState/Province: Bayern\nLocality: München\n"
             "Organization: Müller & Co. KG \"Zentrale\"\nCommon Name: @@FQDN@@\n\nIssuer Name : \n\n"
             "Organization: Müller & Co. KG Internal CA <ca@example.com>\nCommon Name: "
             "Intermediate CA @@N@@\n\nSerial Number: 4A 6B @@N@@ 0F\n\nVersion: 3\n\n"
             "Signature Algorithm: SHA-256 With RSA Encryption\n\nNot Valid Before: Dec 01 00:00:00 "
             "2024 GMT\nNot Valid After: Dec 01 00:00:00 2026 GMT\n"],
    "ciphers": ["\nHere is the list of SSL ciphers supported by the remote server :\n"
                "Each group is reported per SSL Version.\n\nSSL Version : TLSv12\n"
                "  High Strength Ciphers (>= 112-bit key)\n\n    Name                          "
                "Code             KEX           Auth     Encryption             MAC\n"
                "    ----------------------        ----------       ---           ----     "
                "---------------------  ---\n    ECDHE-RSA-AES128-SHA256       0xC0, 0x27       "
                "ECDH          RSA      AES-CBC(128)           SHA256\n    ECDHE-RSA-AES256-GCM-SHA384   "
                "0xC0, 0x30       ECDH          RSA      AES-GCM(256)           SHA384\n"
                "    DES-CBC3-SHA                  0x00, 0x0A       RSA           RSA      3DES-CBC(168)"
                "          SHA1\n\nThe fields above are :\n\n  {Tenable ciphername}\n  {Cipher ID code}\n"
                "  Kex={key exchange}\n  Auth={authentication}\n  Encrypt={symmetric encryption method}\n"
                "  MAC={message authentication code}\n  {export flag}\n"],
}


def build_catalogue():
    """Returns (plugins list, pools dict, plugin_set string, big texts)."""
    r = random.Random(CATALOGUE_SEED)
    v3all = cvss31_all()
    v2all = cvss2_all()
    v3b = {s: [x for x in v3all if sev_of(x[1]) == s] for s in range(5)}
    v2b = {1: [x for x in v2all if 0 < x[1] < 4.0], 2: [x for x in v2all if 4.0 <= x[1] < 7.0],
           3: [x for x in v2all if 7.0 <= x[1] < 9.0], 4: [x for x in v2all if x[1] >= 9.0]}
    v4b = {s: [x for x in CVSS4_TABLE if sev_of(x[1]) == s] for s in range(1, 5)}
    big = build_big_texts(r)

    used_ids = set(fp[0] for fp in FIXED_PLUGINS) | {110723}
    plugins = []

    def new_id(lo=100000, hi=260000):
        while True:
            i = r.randint(lo, hi)
            if i not in used_ids:
                used_ids.add(i)
                return i

    def finish(p, plugin_type, fname, synopsis, description, solution, cves, cwes, xrefs,
               see_also, product_cpe, out_kind, tail, dates, tsrc=0):
        sev = p.sev
        v3 = v2 = v4 = None
        meta = []
        if sev > 0:
            v3 = r.choice(v3b[sev]) if r.random() < 0.9 else None
            if v3 is None or r.random() < 0.85:
                v2 = r.choice(v2b[sev])
            if r.random() < 0.2:
                v4 = r.choice(v4b[sev])
            meta.append(("vpr_score", "%.1f" % min(9.9, max(0.1, (v3 or v2)[1] + r.uniform(-3, 1)))))
            src = cves[0] if cves else "manual"
            meta.append(("cvss_score_source", src))
            ex = r.random() < (0.15 + 0.12 * sev)
            meta.append(("exploit_available", "true" if ex else "false"))
            meta.append(("exploitability_ease", "Exploits are available" if ex
                         else "No known exploits are available"))
            meta.append(("exploit_code_maturity", r.choice(["High", "Functional", "PoC"]) if ex
                         else "Unproven"))
            meta.append(("age_of_vuln", r.choice(["0 - 7 days", "30 - 60 days", "61 - 180 days",
                                                  "181 - 365 days", "730 days +"])))
            meta.append(("threat_intensity_last_28", r.choice(["Very Low", "Low", "Medium", "High"])))
            meta.append(("product_coverage", r.choice(["Low", "Medium", "High", "Very High"])))
            meta.append(("cvss3_temporal_score" if v3 else "cvss_temporal_score",
                         "%.1f" % max(0.0, (v3 or v2)[1] - 0.4)))
            if cves:
                meta.append(("epss_score", "%.4f" % min(0.9750, math.exp(r.uniform(-7.8, 0)))))
        for c in cves:
            meta.append(("cve", c))
        for w in cwes:
            meta.append(("cwe", str(w)))
        for x in xrefs:
            meta.append(("xref", x))
        if product_cpe:
            meta.append(("cpe", product_cpe))
        vpub, ppub, plpub, plmod = dates
        if sev > 0:
            meta.append(("vuln_publication_date", yyyymmdd(vpub)))
            meta.append(("patch_publication_date", yyyymmdd(ppub)))
            meta.append(("see_also", "\n".join(see_also)))
        elif see_also:
            meta.append(("see_also", "\n".join(see_also)))
        meta.append(("plugin_publication_date", yyyymmdd(plpub)))
        meta.append(("plugin_modification_date", yyyymmdd(plmod)))
        meta.append(("plugin_name", p.name))
        meta.append(("plugin_type", plugin_type))
        meta.append(("fname", fname))
        meta.append(("script_version", "1.%d" % r.randint(1, 40)))
        meta.append(("risk_factor", RISK[sev]))
        meta.append(("synopsis", synopsis))
        meta.append(("description", description))
        meta.append(("solution", solution))
        if plugin_type == "local" or p.local:
            meta.append(("agent", "windows" if p.scope.startswith(("local:win", "cred-win"))
                         else "unix"))
        if DENSE:
            meta = [(k, v[:DENSE_CUT] if isinstance(v, str) else v) for k, v in meta
                    if k in DENSE_KEEP]
        body = render_body(v3, v2, v4, meta)
        p.head = (' severity="%d" pluginID="%d" pluginName="%s" pluginFamily="%s">\n%s' % (
            sev, p.pid, esc(p.name), esc(p.family), body)).encode()
        if out_kind is not None:
            outs = OUT_TEMPLATES.get(out_kind) if isinstance(out_kind, str) else out_kind
            outs = [b"<plugin_output>" + esc_text(o).encode() for o in outs]
            p.outs = tuple(outs)
            p.ph = any(b"@@" in o for o in outs)
        p.tail = tail
        p.tsrc = tsrc

    def dates_for(cves=()):
        if cves:   # published in the year of the oldest CVE
            y = min(int(c[4:8]) for c in cves)
            vpub = calendar.timegm((y, 1, 1, 0, 0, 0, 0, 0, 0)) + r.randint(0, 360) * 86400
        else:
            vpub = 1262304000 + r.randint(0, 500_000_000)  # 2010 .. 2025-11
        vpub = min(vpub, BASE_EPOCH - 90 * 86400)
        ppub = vpub + r.randint(0, 60) * 86400
        plpub = ppub + r.randint(0, 30) * 86400
        plmod = min(plpub + r.randint(0, 400) * 86400, BASE_EPOCH - 86400)
        return vpub, ppub, plpub, max(plpub, plmod)

    def description_for(lead, product, cves, lo=300, hi=3000, info=False):
        if info:
            target = r.randint(lo, hi)
            parts = [lead]
            n = len(lead)
            while n < target:
                s = r.choice(INFO_SENTENCES)
                if "%s" in s:
                    s = s % product
                parts.append(s)
                n += len(s) + 2
            return "\n\n".join(parts)
        target = r.randint(lo, hi)
        parts = [lead]
        n = len(lead)
        i = 0
        while n < target:
            if i < len(cves):
                s = "  - " + (r.choice(VULN_SENTENCES) % product) + " (" + cves[i] + ")"
            elif r.random() < 0.5:
                s = r.choice(VULN_SENTENCES) % product
            else:
                s = r.choice(FILLER)
            parts.append(s)
            n += len(s) + 2
            i += 1
        d = "\n\n".join(parts)
        if len(d) > hi:
            d = d[:hi].rsplit(" ", 1)[0] + "."
        return d

    def xrefs_for(cwes, extra):
        x = ["CWE:%d" % w for w in cwes]
        if r.random() < 0.3:
            x.append("IAVA:%d-A-%04d" % (r.randint(2019, 2025), r.randint(1, 700)))
        if r.random() < 0.1:
            x.append("IAVB:%d-B-%04d" % (r.randint(2019, 2025), r.randint(1, 200)))
        if r.random() < 0.05:
            x.append("CISA-KNOWN-EXPLOITED:%d/%02d/%02d" % (r.randint(2022, 2025), r.randint(1, 12),
                                                            r.randint(1, 28)))
        x.extend(extra)
        return x

    def pick_sev(weights=(0.12, 0.06, 0.40, 0.30, 0.12)):
        return r.choices(range(5), weights=weights)[0]

    # --- fixed well-known plugins
    fixed_scope = {}
    for pid, name, fam, sev, scope, ptype, fname, kind in FIXED_PLUGINS:
        p = Plugin()
        p.pid, p.name, p.family, p.sev, p.scope, p.fixed = pid, name, fam, sev, scope, True
        cves = make_cves(r, r.randint(1, 3)) if sev >= 3 else []
        desc = description_for("This plugin reports information about %s on the remote host." %
                               name.lower(), name, cves, 300, 900, info=(sev == 0))
        finish(p, ptype, fname, "Nessus collected information about %s." % name.lower(), desc,
               "n/a" if sev == 0 else "Reconfigure the affected service.", cves,
               [], xrefs_for([], []) if sev else [], ["https://docs.tenable.com/nessus/"] if sev
               else [], None, kind, 4000 if kind == "inventory" else 0, dates_for(cves),
               (1 if scope == "cred-win" else 0) if kind == "inventory" else 0)
        plugins.append(p)
        fixed_scope.setdefault(scope, []).append(len(plugins) - 1)

    # --- generated plugins
    def gen_local_linux(key, fam, osname, advfmt):
        p = Plugin()
        p.local = True
        pkg = r.choice(LINUX_PKGS)
        n = r.randint(5000, 7200)
        adv = advfmt % ((n, r.randint(1, 3)) if advfmt.count("%d") == 2 else (n,))
        if r.random() < 0.1:
            p.sev = 0
            p.name = "%s : %s package installed" % (osname, pkg)
        else:
            p.sev = pick_sev()
            kind = r.choice(["vulnerabilities", "vulnerability", "security update", "regression",
                             "Multiple Vulnerabilities"])
            p.name = "%s : %s %s (%s)" % (osname, pkg, kind, adv)
        p.family, p.scope = fam, "local:" + key
        p.pid = new_id(100000, 260000)
        ncve = r.choice([0, 1, 1, 2, 3, 4, 5, 6, 8]) if p.sev else 0
        cves = make_cves(r, ncve)
        cwes = r.sample(CWES, r.choice([0, 0, 1, 1, 2])) if p.sev else []
        lead = ("The remote %s host has packages installed that are affected by multiple "
                "vulnerabilities as referenced in the %s advisory." % (osname, adv))
        if p.sev == 0:
            lead = "The %s package is installed on the remote %s host." % (pkg, osname)
        desc = description_for(lead, pkg, cves, info=(p.sev == 0))
        sa = [SEE_ALSO_HOSTS[DISTRO_SEE_ALSO[key]] + adv.lower()] + \
             ["https://nvd.nist.gov/vuln/detail/" + c for c in cves[:4]]
        ver = "%d.%d.%d" % (r.randint(0, 9), r.randint(0, 30), r.randint(0, 40))
        fixv = ver + "-%dubuntu0.%d" % (r.randint(1, 9), r.randint(1, 20))
        lines = "".join("\n  - Installed package : %s_%s-0ubuntu0.@@M@@\n    Fixed package     : %s_%s\n" % (
            sp, ver, sp, fixv) for sp in [pkg] + ["lib%s%d" % (pkg.split("-")[0], k) for k in
                                                   range(r.choice([0, 0, 1, 2, 4, 12, 30]))])
        out = None if r.random() < 0.05 else [lines, lines + "\nNOTE: The vulnerable package is "
                                                          "in use by a running process (PID @@N@@).\n"]
        finish(p, "local", "%s_%s.nasl" % (key, adv.replace(":", "_").replace("-", "_").lower()),
               "The remote %s host is missing one or more security-related updates." % osname,
               desc, "Update the affected %s package." % pkg, cves, cwes,
               xrefs_for(cwes, [adv.split("-")[0] + ":" + adv.split("-", 1)[-1]]), sa, None, out,
               r.choice([0, 0, 0, 1500]) if out else 0, dates_for(cves), 0)
        return p

    def gen_windows(wkey, osname, build):
        p = Plugin()
        p.local = True
        p.pid = new_id(100000, 260000)
        p.scope = "local:" + wkey
        if r.random() < 0.45:
            kb = r.randint(5000000, 5050000)
            mon = r.choice(MONTHS)
            yr = r.randint(2022, 2025)
            p.sev = pick_sev((0.0, 0.02, 0.20, 0.55, 0.23))
            p.name = "KB%d: %s Security Update (%s %d)" % (kb, osname.replace("Microsoft ", ""),
                                                            mon, yr)
            p.family = "Windows : Microsoft Bulletins"
            cves = make_cves(r, r.randint(2, 8))
            lead = ("The remote Windows host is missing security update %d. It is, therefore, "
                    "affected by multiple vulnerabilities:" % kb)
            out = ["\nThe remote host is missing one of the following rollup KBs :\n  - %d\n\n"
                   "  - C:\\Windows\\system32\\ntoskrnl.exe has not been patched.\n"
                   "    Remote version : %s.@@N@@\n    Should be      : %s.%d\n" % (
                       kb, build, build, r.randint(9200, 9900))]
            sol = "Apply Security Update %d or Cumulative Update %d." % (kb, kb + 1)
            extra = ["MSKB:%d" % kb, "MSFT:MS%d-%d" % (yr % 100, r.randint(1, 120))]
            fname = "smb_nt_ms%d_%s_kb%d.nasl" % (yr % 100, mon[:3].lower(), kb)
            prod = "Windows"
        else:
            app, path, ver = r.choice(WIN_APPS)
            p.family = "Windows"
            if r.random() < 0.15:
                p.sev = 0
                p.name = "%s Installed (Windows)" % app
                cves = []
            else:
                p.sev = pick_sev()
                p.name = "%s < %s.%d %s" % (app, ver, r.randint(1, 300), r.choice(ISSUES)[0])
                cves = make_cves(r, r.choice([0, 1, 2, 3, 5, 8]))
            lead = ("The version of %s installed on the remote Windows host is prior to %s. It "
                    "is, therefore, affected by multiple vulnerabilities as referenced in the "
                    "vendor advisory." % (app, ver))
            out = ["\n  Path              : %s\n  Installed version : %s.@@N@@\n"
                   "  Fixed version     : %s.%d\n" % (path, ver, ver, r.randint(9200, 9900))]
            if r.random() < 0.2:
                out.append(out[0] + "\n  Note: the installation was found under the profile of "
                                    "user 'AD\\\\müller.jürgen' & is in use.\n")
            sol = "Upgrade to %s version %s or later." % (app, ver)
            extra = []
            fname = "%s_%d.nasl" % (app.split()[0].lower().strip("."), p.pid)
            prod = app
        cwes = r.sample(CWES, r.choice([0, 1, 2])) if p.sev else []
        if p.sev == 0:
            lead = "%s is installed on the remote Windows host." % prod
        desc = description_for(lead, prod, cves, info=(p.sev == 0))
        sa = ["https://support.microsoft.com/help/%d" % r.randint(5000000, 5050000),
              "http://www.nessus.org/u?%08x" % r.getrandbits(32)][: r.randint(1, 2)]
        finish(p, "local", fname, "The remote Windows host is affected by multiple "
               "vulnerabilities.", desc, sol, cves, cwes, xrefs_for(cwes, extra), sa, None, out,
               r.choice([0, 0, 0, 0, 1200]), dates_for(cves), 1)
        return p

    def gen_remote():
        p = Plugin()
        prod, scope, fam, cpe, ver = r.choice(REMOTE_PRODUCTS)
        p.pid = new_id(10000, 200000)
        p.family, p.scope = fam, "svc:" + scope
        fixed = "%s.%d" % (ver, r.randint(31, 60))
        if r.random() < 0.15:
            p.sev = 0
            p.name = r.choice(["%s Detection", "%s Version Detection", "%s Server Detection",
                               "%s Installed (Remote)"]) % prod
            cves = []
            issue, cwe = ("Detection", None)
            lead = "The remote service could be identified as %s." % prod
        else:
            p.sev = pick_sev((0.0, 0.10, 0.45, 0.33, 0.12))
            issue, cwe = r.choice(ISSUES)
            p.name = "%s < %s %s" % (prod, fixed, issue)
            if r.random() < 0.3:
                p.name = "%s %s.x < %s %s" % (prod, ver, fixed, issue)
            cves = make_cves(r, r.choice([0, 1, 1, 2, 3, 4, 6, 8]))
        cwes = ([cwe] if cwe else []) + (r.sample(CWES, 1) if p.sev and r.random() < 0.3 else [])
        if p.sev:
            lead = ("According to its self-reported version number, the instance of %s running "
                    "on the remote host is prior to %s. It is, therefore, affected by the "
                    "following issues:" % (prod, fixed))
        desc = description_for(lead, prod, cves, info=(p.sev == 0))
        out_opts = [
            "\n  URL               : https://@@FQDN@@:@@PORT@@/\n  Installed version : %s.@@M@@\n"
            "  Fixed version     : %s\n" % (ver, fixed),
            "\n  Version source    : Server: %s/%s.@@M@@ (Unix) OpenSSL/3.0.2\n  Installed version "
            ": %s.@@M@@\n  Fixed version     : %s\n" % (prod.split()[0], ver, ver, fixed),
            "\nNessus was able to exploit the issue using the following request :\n\n"
            "  GET /cgi-bin/%%2e%%2e/%%2e%%2e/etc/passwd?x=<a href=\"#\">&y=1 HTTP/1.1\n"
            "  Host: @@FQDN@@\n  User-Agent: Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 5.1)\n\n"
            "This produced the following truncated output :\n\n"
            "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n"
            "müller:x:1001:1001:Jörg Müller,,,:/home/müller:/bin/bash\n",
        ]
        k = r.randint(1, 3)
        out = None if r.random() < 0.08 else r.sample(out_opts, k)
        sol = r.choice(SOLUTIONS[1:3]) % (prod, fixed)
        sa = ["https://nvd.nist.gov/vuln/detail/" + c for c in cves[:3]] + \
             ["http://www.nessus.org/u?%08x" % r.getrandbits(32)]
        tail = 2 if (out and scope == "www" and r.random() < 0.2) else 0
        fname = "%s_%d.nasl" % (prod.split()[0].lower(), p.pid)
        finish(p, "remote", fname, "The remote %s server is affected by %s." % (
            prod, issue.lower()), desc, sol, cves, cwes, xrefs_for(cwes, []), sa,
               cpe, out, 3000 if tail else 0, dates_for(cves), 2)
        if tail:
            p.outs = tuple(o + b"\nThe following files were found :\n\n" for o in p.outs)
        return p

    def gen_host_generic():
        p = Plugin()
        p.pid = new_id(10000, 200000)
        p.family = r.choice(["General", "Misc.", "Settings", "Windows", "Policy Compliance"])
        p.scope = "host"
        if r.random() < 0.7:
            p.sev = 0
            thing = r.choice(["Enumerate IPv4 Interfaces", "Enumerate IPv6 Interfaces",
                              "Network Interfaces Enumeration", "Local Checks Not Enabled",
                              "Antivirus Software Check", "BIOS Info", "System Information",
                              "Time Zone Settings", "Reverse NAT/Intercepting Proxy Detection",
                              "Common Platform Enumeration", "Unix Software Discovery Commands",
                              "Local Users Information", "Scan Duration Summary",
                              "Installed Software Inventory", "Process Information"])
            p.name = "%s (%s)" % (thing, r.choice(["SSH", "WMI", "credentialed check", "uname",
                                                   "Nessus", "registry", "%d" % r.randint(1, 99)]))
            cves = []
        else:
            p.sev = pick_sev((0, 0.3, 0.5, 0.15, 0.05))
            p.name = r.choice(["Unsupported %s Detection", "%s Weak Configuration",
                               "%s Insecure Default Settings"]) % r.choice(
                ["Operating System", "Web Browser", "Java Runtime", "PowerShell", "SMBv1",
                 "IPv6 Router Advertisement", "NFS Export", "Cron Job"])
            cves = make_cves(r, r.choice([0, 0, 1]))
        desc = description_for("The remote host reports the following configuration item.",
                               "the operating system", cves, 300, 1200, info=(p.sev == 0))
        out_opts = ["\n  Hostname : @@HOST@@\n  IP : @@IP@@\n  Value : %d\n" % r.randint(0, 99999),
                    "\n  Interface : eth0\n  IPv4 : @@IP@@\n  Netmask : 255.255.255.0\n  MAC : @@MAC@@\n",
                    "\nLast boot time : 2025/11/@@DD@@ 03:12:44 CET (Mitteleuropäische Zeit)\n"]
        out = None if r.random() < 0.2 else r.sample(out_opts, r.randint(1, 2))
        finish(p, r.choice(["local", "combined", "remote"]), "host_%d.nasl" % p.pid,
               "Nessus gathered host configuration information.", desc,
               "n/a" if p.sev == 0 else "Review the configuration of the remote host.", cves,
               [], xrefs_for([], []) if p.sev else [], [], None, out,
               r.choice([0, 0, 0, 800]) if out else 0, dates_for(cves), 3)
        return p

    # Allocation of ~4960 generated plugins.
    for _ in range(N_GENERATED_PLUGINS):
        x = r.random()
        if x < 0.50:
            d = DISTROS[r.randrange(len(DISTROS))]
            p = gen_local_linux(d[0], d[1], d[2], d[3])
        elif x < 0.70:
            w = WIN_OS[r.randrange(len(WIN_OS))]
            p = gen_windows(w[0], w[1], w[2])
        elif x < 0.94:
            p = gen_remote()
        else:
            p = gen_host_generic()
        plugins.append(p)

    # Pools: scope -> severity -> [plugin index]
    pools = {}
    for i, p in enumerate(plugins):
        if p.fixed:
            continue
        pools.setdefault(p.scope, [[], [], [], [], []])[p.sev].append(i)
    fixed_idx = {p.pid: i for i, p in enumerate(plugins) if p.fixed}
    plugin_set = ";".join(str(p.pid) for p in plugins)
    return plugins, pools, fixed_idx, fixed_scope, plugin_set, big


# --------------------------------------------------------------------------------------------
# Hosts


class HostGen(object):
    def __init__(self, seed, rescan):
        (self.plugins, self.pools, self.fixed_idx, self.fixed_scope, self.plugin_set,
         self.big) = build_catalogue()
        self.seed = seed
        self.rescan = rescan
        self.sev_cum = []
        acc = 0.0
        for w in (0.36, 0.08, 0.32, 0.18, 0.06):
            acc += w
            self.sev_cum.append(acc)
        self.win_keys = [w[0] for w in WIN_OS]
        self.lin_keys = [d[0] for d in DISTROS]

    def host_profile(self, i):
        r = random.Random((self.seed * 1000003 + i) * 7919 + 17)
        a, b, c = i // (254 * 256), (i // 254) % 256, i % 254 + 1
        ip = "10.%d.%d.%d" % (a % 256, b, c)
        dc = 1 + (b % 2)
        name = "host%05d" % i
        fqdn = "%s.dc%d.example.com" % (name, dc)
        if r.random() < 0.3:
            wk = WIN_OS[r.randrange(len(WIN_OS))]
            oskey, osname = wk[0], wk[1]
            roles = r.choice(ROLES_WIN)
            win = True
        else:
            oskey = self.lin_keys[r.randrange(len(self.lin_keys))]
            osname = LINUX_OS_NAME[oskey]
            roles = r.choice(ROLES_LINUX)
            win = False
        cred = r.random() < 0.75
        mac = "00:50:56:%02x:%02x:%02x" % (r.randrange(256), r.randrange(256), r.randrange(256))
        start = BASE_EPOCH + (i * 37) % 20000 + r.randint(0, 600)
        dur = r.randint(300, 5400)
        return r, dict(i=i, ip=ip, fqdn=fqdn, name=name, oskey=oskey, osname=osname, roles=roles,
                       win=win, cred=cred, mac=mac, start=start, dur=dur, dc=dc,
                       nbios=name.upper() if (win or r.random() < 0.3) else None,
                       hasmac=r.random() < 0.9)

    def draw(self, r, h, items, keys, ports, n_target, max_tries):
        """Add fill items to `items` until n_target or tries exhausted."""
        plugins, pools, sev_cum = self.plugins, self.pools, self.sev_cum
        local_scope = "local:" + h["oskey"]
        lp = pools.get(local_scope)
        cred = h["cred"]
        tries = 0
        while len(items) < n_target and tries < max_tries:
            tries += 1
            x = r.random()
            sev = 0 if x < sev_cum[0] else 1 if x < sev_cum[1] else 2 if x < sev_cum[2] else \
                3 if x < sev_cum[3] else 4
            y = r.random()
            if cred and y < 0.68:
                pool = lp[sev]
                port = None
            elif y < 0.78:
                pool = pools["host"][sev]
                port = None
            else:
                port = ports[r.randrange(len(ports))]
                scopes = port[4]
                pool = pools.get("svc:" + scopes[r.randrange(len(scopes))])
                if pool is None:
                    continue
                pool = pool[sev]
            if not pool:
                continue
            idx = pool[int(len(pool) * r.random() ** 2.2)]
            p = plugins[idx]
            if port is None:
                key = (p.pid, 0, "tcp")
                spec = (idx, "0", "general", "tcp", r.getrandbits(31), 0)
            else:
                key = (p.pid, port[1], port[2])
                spec = (idx, str(port[1]), port[0], port[2], r.getrandbits(31), 0)
            if key in keys:
                continue
            keys.add(key)
            items.append(spec)

    def host_items(self, i):
        r, h = self.host_profile(i)
        fx = self.fixed_idx
        items = []
        keys = set()
        ports = []
        for cls in h["roles"]:
            svc, port, proto, tls = SERVICES[cls]
            scopes = [g for g, members in SVC_GROUP.items() if cls in members]
            ports.append((svc, port, proto, tls, scopes, cls))

        def add(idx, port="0", svc="general", proto="tcp"):
            key = (self.plugins[idx].pid, int(port), proto)
            if key not in keys:
                keys.add(key)
                items.append((idx, port, svc, proto, r.getrandbits(31), 0))

        for pid in (19506, 45590, 54615, 11936, 12053, 25220, 66334, 20094, 35716, 86420):
            add(fx[pid])
        add(fx[10287], "0", "general", "udp")
        if r.random() < 0.4:
            add(fx[10114], "0", "general", "tcp")
        if h["cred"]:
            for idx in self.fixed_scope["cred"]:
                add(idx)
            for idx in self.fixed_scope["cred-win" if h["win"] else "cred-linux"]:
                add(idx)
        else:
            for idx in self.fixed_scope["nocred"]:
                add(idx)
        for svc, port, proto, tls, scopes, cls in ports:
            add(fx[11219], str(port), svc, proto)
            add(fx[22964], str(port), svc, proto)
            for sc in scopes:
                for idx in self.fixed_scope.get(sc, ()):
                    if self.plugins[idx].sev == 0 or r.random() < 0.35:
                        add(idx, str(port), svc, proto)
        n_target = r.randint(80, 250)
        self.draw(r, h, items, keys, ports, n_target, n_target * 6)

        if self.rescan:
            rr = random.Random((self.seed * 1000003 + i) * 104729 + 3)
            kept = []
            plugins = self.plugins
            for it in items:
                p = plugins[it[0]]
                # Host-level and port-level info plugins are always reported again.
                if not (p.fixed and p.sev == 0) and rr.random() < 0.055:
                    continue       # dropped: should become fixed
                if rr.random() < 0.10:
                    it = it[:5] + (1,)     # slightly changed output
                kept.append(it)
            n_new = max(1, int(round(len(items) * 0.05)))
            # Never re-add a dropped key in the same rescan: keep them in `keys`.
            for it in items:
                keys.add((self.plugins[it[0]].pid, int(it[1]), it[3]))
            self.draw(rr, h, kept, keys, ports, len(kept) + n_new, n_new * 20)
            items = kept
            h["start"] += WEEK
        items.sort(key=lambda it: int(it[1]))
        return h, items

    # ---- rendering

    def render_host(self, i):
        h, items = self.host_items(i)
        ip, fqdn = h["ip"], h["fqdn"]
        start, end = h["start"], h["start"] + h["dur"]
        md5 = hashlib.md5(("%s/%d" % (ip, self.seed)).encode()).hexdigest()
        fmt = "%a %b %e %H:%M:%S %Y"
        hs = time.strftime(fmt, time.gmtime(start))
        he = time.strftime(fmt, time.gmtime(end))
        proto2 = "SMB" if h["win"] else "SSH"
        t = []
        a = t.append
        a('<ReportHost name="%s"><HostProperties>\n' % ip)
        a('<tag name="HOST_END_TIMESTAMP">%d</tag>\n<tag name="HOST_END">%s</tag>\n' % (end, he))
        a('<tag name="LastAuthenticatedResults">%d</tag>\n' % end if h["cred"] else
          '<tag name="LastUnauthenticatedResults">%d</tag>\n' % end)
        a('<tag name="Credentialed_Scan">%s</tag>\n' % ("true" if h["cred"] else "false"))
        a('<tag name="policy-used">DC Weekly Credentialed Scan</tag>\n')
        if h["cred"]:
            a('<tag name="local-checks-proto">%s</tag>\n' % proto2.lower())
            a('<tag name="%s-login-used">svc_nessus</tag>\n' % proto2.lower())
        a('<tag name="patch-summary-total-cves">%d</tag>\n' % (len(items) // 3))
        a('<tag name="patch-summary-cves-%s">CVE-2023-48795, CVE-2023-51385, CVE-2024-6387, '
          'CVE-2023-38408</tag>\n' % md5)
        a('<tag name="patch-summary-cve-num-%s">4</tag>\n' % md5)
        a('<tag name="patch-summary-txt-%s">OpenSSH &lt; 9.8 RCE (regreSSHion): Upgrade to OpenSSH '
          'version 9.8p1 or later. If the upgrade cannot be applied immediately, set '
          'LoginGraceTime to 0 in sshd_config &amp; restart the daemon; note that this exposes '
          'the server to a denial of service by exhausting all MaxStartups connections. '
          'Vendor backports for Ubuntu, Debian &amp; RHEL are listed in the advisories.</tag>\n'
          % md5)
        for k in range(4):
            a('<tag name="cpe-%d">cpe:/a:vendor%d:product:%d.%d -&gt; Vendor Product %d</tag>\n' % (
                k, k, k + 1, i % 10, k))
        a('<tag name="cpe">%s</tag>\n' % ("cpe:/o:microsoft:windows" if h["win"] else
                                          "cpe:/o:linux:linux_kernel"))
        a('<tag name="os">%s</tag>\n' % ("windows" if h["win"] else "linux"))
        a('<tag name="operating-system-conf">%d</tag>\n' % (100 if h["cred"] else 70))
        a('<tag name="operating-system-method">%s</tag>\n' % ("LinuxDistribution" if h["cred"]
                                                              else "SinFP"))
        a('<tag name="system-type">general-purpose</tag>\n')
        a('<tag name="operating-system">%s</tag>\n' % h["osname"])
        a('<tag name="host-fqdns">[{&quot;FQDN&quot;:&quot;%s&quot;,&quot;sources&quot;:'
          '[&quot;get_host_fqdn()&quot;,&quot;determine_fqdn()&quot;]}]</tag>\n' % fqdn)
        for k in range(3):
            a('<tag name="traceroute-hop-%d">%s</tag>\n' % (
                k, ["10.250.0.1", "10.%d.%d.254" % (int(ip.split(".")[1]), int(ip.split(".")[2])),
                    ip][k]))
        if h["hasmac"]:
            a('<tag name="mac-address">%s</tag>\n' % h["mac"])
        if h["nbios"]:
            a('<tag name="netbios-name">%s</tag>\n' % h["nbios"])
        a('<tag name="hostname">%s</tag>\n' % h["name"])
        a('<tag name="host-fqdn">%s</tag>\n' % fqdn)
        a('<tag name="host-rdns">%s</tag>\n' % fqdn)
        a('<tag name="host-ip">%s</tag>\n' % ip)
        a('<tag name="HOST_START_TIMESTAMP">%d</tag>\n<tag name="HOST_START">%s</tag>\n'
          '</HostProperties>\n' % (start, hs))
        out = ["".join(t).encode()]
        o = out.append

        ipb, fqdnb, hostb = ip.encode(), fqdn.encode(), h["name"].encode()
        macb = h["mac"].encode()
        osb = h["osname"].encode()
        oscpe = (b"cpe:/o:microsoft:windows_server_2019" if h["win"] else
                 b"cpe:/o:canonical:ubuntu_linux:22.04")
        gw = ("10.%s.%s.254" % tuple(ip.split(".")[1:3])).encode()
        proto2b = proto2.encode()
        hsb = hs.encode()
        plugins = self.plugins
        big = self.big
        scaninfo_idx = self.fixed_idx[19506]
        for idx, port, svc, proto, v, chg in items:
            p = plugins[idx]
            o(b'<ReportItem port="' + port.encode() + b'" svc_name="' + svc.encode() +
              b'" protocol="' + proto.encode() + b'"' + p.head)
            if idx == scaninfo_idx:
                o(self.scan_info(h).encode())
            elif p.outs:
                tpl = p.outs[v % len(p.outs)]
                if p.ph:
                    n = b"%d" % (v % 9000 + 100 + 7 * chg)
                    tpl = (tpl.replace(b"@@IP@@", ipb).replace(b"@@FQDN@@", fqdnb)
                           .replace(b"@@HOST@@", hostb).replace(b"@@PORT@@", port.encode())
                           .replace(b"@@PROTO@@", proto.encode()).replace(b"@@N@@", n)
                           .replace(b"@@M@@", b"%d" % (v % 30 + chg))
                           .replace(b"@@MAC@@", macb).replace(b"@@OS@@", osb)
                           .replace(b"@@OSCPE@@", oscpe).replace(b"@@GW@@", gw)
                           .replace(b"@@SVC@@", svc.encode()).replace(b"@@PROTO2@@", proto2b)
                           .replace(b"@@TLS@@", b"yes" if port in ("443", "8443") else b"no")
                           .replace(b"@@MM@@", b"%02d" % (v % 60))
                           .replace(b"@@DD@@", b"%02d" % (v % 28 + 1)))
                o(tpl)
                if p.tail:
                    text = big[v % 3 if p.tsrc == 3 else p.tsrc]
                    ln = (v >> 5) % p.tail
                    st = text.find(b"\n", (v >> 3) % (len(text) - 4100)) + 1
                    en = text.find(b"\n", st + ln) + 1
                    o(text[st:en])
                if chg:
                    o(b"\nLast checked : " + hsb + b"\n")
                o(b"</plugin_output>\n")
            o(b"</ReportItem>\n")
        o(b"</ReportHost>\n")
        return b"".join(out)

    def scan_info(self, h):
        st = time.gmtime(h["start"])
        return ("<plugin_output>Information about this scan : \n\nNessus version : 10.7.1\n"
                "Nessus build : 20012\nPlugin feed version : %s\nScanner edition used : Nessus\n"
                "Scanner OS : LINUX\nScanner distribution : es8-x86-64\nScan type : Normal\n"
                "Scan name : DC Weekly Credentialed Scan\nScan policy used : Advanced Scan\n"
                "Scanner IP : 10.250.0.5\nPort scanner(s) : nessus_syn_scanner \nPort range : "
                "default\nPing RTT : %d.%03d ms\nThorough tests : no\nExperimental tests : no\n"
                "Scan for Unpatched Vulnerabilities : no\nPlugin debugging enabled : no\n"
                "Paranoia level : 1\nReport verbosity : 1\nSafe checks : yes\nOptimize the test : "
                "yes\nCredentialed checks : %s\nAttempt Least Privilege : no\nPatch management "
                "checks : None\nDisplay superseded patches : yes (supersedence plugin launched)\n"
                "CGI scanning : disabled\nWeb application tests : disabled\nMax hosts : 30\n"
                "Max checks : 5\nRecv timeout : 5\nBackports : None\nAllow post-scan editing : "
                "Yes\nNessus Plugin Signature Checking : Enabled\nAudit File Signature Checking : "
                "Disabled\nScan Start Date : %d/%d/%d %d:%02d UTC\nScan duration : %d sec\n"
                "Scan for malware : no\n</plugin_output>\n") % (
            time.strftime("%Y%m%d%H%M", st), h["i"] % 90, h["i"] % 1000,
            ("yes, as 'svc_nessus' via " + ("SMB" if h["win"] else "ssh")) if h["cred"] else "no",
            st.tm_year, st.tm_mon, st.tm_mday, st.tm_hour, st.tm_min, h["dur"])

    # ---- document

    def preamble(self):
        prefs = [
            ("plugin_set", self.plugin_set),
            ("TARGET", "10.0.0.0/8"),
            ("port_range", "default"),
            ("max_hosts", "30"),
            ("max_checks", "5"),
            ("checks_read_timeout", "5"),
            ("scan.enable_utf8_output", "yes"),
            ("safe_checks", "yes"),
            ("whoami", "müller.jürgen"),
            ("scan_name", "DC Weekly Credentialed Scan"),
            ("scan_description", "Weekly credentialed scan of DC1 & DC2 <prod>"),
            ("report_crashes", "yes"),
            ("plugin_feed_version", "202512010912"),
        ]
        s = ['<?xml version="1.0" ?>\n<NessusClientData_v2>\n<Policy><policyName>DC Weekly '
             'Credentialed Scan</policyName>\n<Preferences><ServerPreferences>\n']
        for k, v in prefs:
            s.append("<preference><name>%s</name><value>%s</value></preference>\n" % (
                esc(k), esc_text(v)))
        s.append("</ServerPreferences>\n<PluginsPreferences>\n")
        for pid, pname, pref, ptype, val in [
                (10180, "Ping the remote host", "TCP ping destination port(s) :", "entry",
                 "built-in"),
                (33929, "PCI DSS compliance", "Check for PCI-DSS compliance", "checkbox", "no"),
                (19762, "Login configurations", "SMB domain (optional) :", "entry", "AD")]:
            s.append("<item><pluginName>%s</pluginName><pluginId>%d</pluginId><fullName>%s[%s]:%s"
                     "</fullName><preferenceName>%s</preferenceName><preferenceType>%s"
                     "</preferenceType><preferenceValues>%s</preferenceValues><selectedValue>%s"
                     "</selectedValue></item>\n" % (esc(pname), pid, esc(pname), ptype, esc(pref),
                                                    esc(pref), ptype, esc(val), esc(val)))
        s.append("</PluginsPreferences></Preferences>\n<FamilySelection>\n")
        fams = []
        for p in self.plugins:
            if p.family not in fams:
                fams.append(p.family)
        for f in sorted(fams):
            s.append("<FamilyItem><FamilyName>%s</FamilyName><Status>enabled</Status></FamilyItem>\n"
                     % esc(f))
        s.append("</FamilySelection>\n</Policy>\n"
                 '<Report name="DC Weekly Credentialed Scan" xmlns:cm="http://www.nessus.org/cm">\n')
        return "".join(s).encode()

    @staticmethod
    def postamble():
        return b"</Report>\n</NessusClientData_v2>\n"


def estimate_hosts(seed, size_gb):
    g = HostGen(seed, rescan=False)
    sample = 40
    total = sum(len(g.render_host(i)) for i in range(sample))
    per_host = total / float(sample)
    n = int(round((size_gb * 1e9 - len(g.preamble())) / per_host))
    return max(1, n)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--hosts", type=int, help="number of ReportHost elements")
    ap.add_argument("--size-gb", type=float, help="choose --hosts to reach about X GB (10^9 B)")
    ap.add_argument("--out", required=True, help="output file ('-' for stdout)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rescan", action="store_true",
                    help="the same hosts one week later: ~5%% items dropped, ~5%% new")
    ap.add_argument("--dense", action="store_true",
                    help="short item bodies: at least 500 findings per MB (see DENSE)")
    ap.add_argument("--quiet", action="store_true")
    a = ap.parse_args(argv)
    global DENSE
    DENSE = a.dense
    if (a.hosts is None) == (a.size_gb is None):
        ap.error("give exactly one of --hosts or --size-gb")
    t0 = time.time()
    n = a.hosts if a.hosts is not None else estimate_hosts(a.seed, a.size_gb)
    if n < 1:
        ap.error("--hosts must be >= 1")
    g = HostGen(a.seed, a.rescan)
    t1 = time.time()
    if a.out == "-":
        f = sys.stdout.buffer
    else:
        tmp = a.out + ".tmp"
        f = open(tmp, "wb", buffering=16 << 20)
    written = 0
    try:
        b = g.preamble()
        f.write(b)
        written += len(b)
        for i in range(n):
            b = g.render_host(i)
            f.write(b)
            written += len(b)
        b = g.postamble()
        f.write(b)
        written += len(b)
        f.flush()
    finally:
        if a.out != "-":
            f.close()
    if a.out != "-":
        os.replace(tmp, a.out)
    t2 = time.time()
    if not a.quiet:
        sys.stderr.write("gen_nessus: %d hosts, %d bytes (%.3f GB), %s, seed %d, setup %.1fs, "
                         "write %.1fs, %.1f MB/s\n" % (
                             n, written, written / 1e9, "rescan" if a.rescan else "base", a.seed,
                             t1 - t0, t2 - t1, written / 1e6 / max(t2 - t1, 1e-9)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
