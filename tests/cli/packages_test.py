#!/usr/bin/env python3
"""End-to-end: package scanners that report the same advisory, CVE-linked detections from
different scanners, offline NVD/EPSS/KEV enrichment, NVD classification, and VEX proposals.

Usage: packages_test.py VIGIL_BINARY [--sanitized]
"""

import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_test import RESULTS, check, db_fingerprint, run, run_tool, write  # noqa: E402

IMAGE = "registry.example.org/shop/web:1.4"
CVE = "CVE-2024-3400"


def trivy(vulns):
    return json.dumps({
        "SchemaVersion": 2, "ArtifactName": IMAGE, "ArtifactType": "container_image",
        "Results": [{"Target": IMAGE + " (alpine 3.19.1)", "Class": "os-pkgs", "Type": "alpine",
                     "Vulnerabilities": [
                         {"VulnerabilityID": v, "PkgName": "openssl", "InstalledVersion": "3.1.4-r0",
                          "FixedVersion": "3.1.4-r5",
                          "PkgIdentifier": {"PURL": "pkg:apk/alpine/openssl@3.1.4-r0?arch=x86_64&distro=3.19.1"},
                          "Severity": "HIGH"} for v in vulns]}]})


def grype(vulns):
    return json.dumps({
        "matches": [{"vulnerability": {"id": v, "severity": "High",
                                       "fix": {"versions": ["3.1.4-r5"], "state": "fixed"}},
                     "artifact": {"name": "openssl", "version": "3.1.4-r0", "type": "apk",
                                  "purl": "pkg:apk/alpine/openssl@3.1.4-r0?arch=x86_64&upstream=openssl&distro=alpine-3.19.1",
                                  "locations": [{"path": "/lib/apk/db/installed"}]}}
                    for v in vulns],
        "source": {"type": "image", "target": {"userInput": IMAGE}},
        "descriptor": {"name": "grype", "version": "0.74.0"}})


def nvd_page(cve, modified, score, vector):
    return json.dumps({
        "resultsPerPage": 1, "startIndex": 0, "totalResults": 1, "format": "NVD_CVE",
        "version": "2.0", "timestamp": "2026-02-01T00:00:00.000",
        "vulnerabilities": [{"cve": {
            "id": cve, "sourceIdentifier": "psirt@example.com", "published": "2024-04-12T08:15:06.230",
            "lastModified": modified, "vulnStatus": "Analyzed",
            "descriptions": [{"lang": "en", "value": "A command injection."}],
            "metrics": {"cvssMetricV31": [
                {"source": "nvd@nist.gov", "type": "Primary",
                 "cvssData": {"version": "3.1", "vectorString": vector, "baseScore": score,
                              "baseSeverity": "CRITICAL"}},
                {"source": "psirt@example.com", "type": "Secondary",
                 "cvssData": {"version": "3.1", "vectorString": "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H",
                              "baseScore": 8.1, "baseSeverity": "HIGH"}}]},
            "weaknesses": [{"source": "nvd@nist.gov", "type": "Primary",
                            "description": [{"lang": "en", "value": "CWE-77"}]}],
            "configurations": [], "references": []}}]})


def json_out(p):
    try:
        return json.loads(p.stdout)
    except ValueError:
        return None


def test_packages(d):
    db = os.path.join(d, "pk.db")
    run("init", db=db)
    t1 = write(d, "trivy1.json", trivy([CVE, "CVE-2023-0001"]))
    g1 = write(d, "grype1.json", grype([CVE]))
    p = run("import", "--format", "json", t1, db=db)
    check("trivy import", p.returncode == 0, p.stderr)
    p = run("import", "--format", "json", g1, db=db, now="2026-03-01T13:00:00Z")
    obj = json_out(p)
    check("grype import of the same image", p.returncode == 0 and obj and obj["findings"] == 1 and
          obj["new"] == 0, p.stdout + p.stderr)
    rows = json_out(run("findings", "--cve", CVE, "--format", "json", db=db, now="2026-03-01T13:00:00Z"))
    check("one finding for one advisory in one package, attributed to both scanners",
          rows and len(rows) == 1 and rows[0]["scanners"] == ["grype", "trivy"] and
          rows[0]["location"] == "pkg:apk/alpine/openssl@3.1.4-r0" and
          rows[0]["fixed_version"] == "3.1.4-r5", rows)
    # Trivy no longer reports it: Grype still does, so it stays open.
    t2 = write(d, "trivy2.json", trivy(["CVE-2023-0001"]))
    run("import", t2, db=db, now="2026-03-02T12:00:00Z")
    rows = json_out(run("findings", "--cve", CVE, "--state", "all", "--format", "json", db=db,
                        now="2026-03-02T13:00:00Z"))
    check("not fixed while another scanner still reports it",
          rows and rows[0]["state"] == "open", rows)
    g2 = write(d, "grype2.json", grype([]))
    run("import", g2, db=db, now="2026-03-02T14:00:00Z")
    rows = json_out(run("findings", "--cve", CVE, "--state", "all", "--format", "json", db=db,
                        now="2026-03-02T15:00:00Z"))
    check("fixed once every scanner that reported it verified its absence",
          rows and rows[0]["state"] == "fixed", rows)

    # A Nessus plugin for the same CVE is another detection, linked by the CVE.
    nessus = ('<?xml version="1.0"?><NessusClientData_v2><Report name="r">'
              '<ReportHost name="10.0.0.9"><HostProperties><tag name="host-ip">10.0.0.9</tag>'
              '<tag name="HOST_START_TIMESTAMP">1772370000</tag></HostProperties>'
              '<ReportItem port="443" svc_name="www" protocol="tcp" severity="4" pluginID="192923" '
              'pluginName="PAN-OS GlobalProtect"><risk_factor>Critical</risk_factor>'
              '<cve>' + CVE + '</cve></ReportItem></ReportHost></Report></NessusClientData_v2>')
    n1 = write(d, "fw.nessus", nessus)
    run("import", n1, db=db, now="2026-03-03T12:00:00Z")
    vulns = json_out(run("vulns", "--all", "--cve", CVE, "--format", "json", db=db,
                         now="2026-03-03T12:00:00Z"))
    check("vulns --cve lists every detection of the CVE",
          vulns and sorted(v["key"] for v in vulns) == [CVE, "tenable:192923"], vulns)

    # NVD: bad files are refused with their position and change nothing.
    before = db_fingerprint(db)
    bad = write(d, "bad-nvd.json", '{"resultsPerPage": 1, "format": "NVD_CVE", "vulnerabilities": [{"cve": {"id": "CVE-1", }}]}')
    p = run("nvd", "import", bad, db=db)
    check("a malformed NVD file is refused with its position",
          p.returncode == 2 and "bad-nvd.json:1:" in p.stderr, p.stderr)
    check("a refused NVD file leaves the database untouched", db_fingerprint(db) == before)
    nvd_dir = os.path.join(d, "nvd")
    os.makedirs(nvd_dir)
    write(nvd_dir, "page.json", nvd_page(CVE, "2024-12-20T16:39:00.000", 10.0,
                                          "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H"))
    write(nvd_dir, "schema.json", '{"$schema": "x", "title": "not a record"}')
    p = run("nvd", "import", nvd_dir, db=db, now="2026-03-04T00:00:00Z")
    check("nvd import of a directory skips what is not NVD data",
          p.returncode == 0 and "1 stored" in p.stdout and "skipped" in p.stdout, p.stdout + p.stderr)
    older = write(d, "older.json", nvd_page(CVE, "2024-05-01T00:00:00.000", 5.0,
                                            "CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:L/A:L"))
    p = run("nvd", "import", older, db=db, now="2026-03-04T00:10:00Z")
    check("an older NVD record does not replace a newer one",
          p.returncode == 0 and "0 stored, 1 not newer" in p.stdout, p.stdout + p.stderr)
    vulns = json_out(run("vulns", "--all", "--cve", CVE, "--format", "json", db=db,
                         now="2026-03-04T01:00:00Z"))
    by_key = {v["key"]: v for v in vulns or []}
    check("NVD's primary score classifies both detections",
          by_key.get(CVE, {}).get("class_source") == "auto:nvd-v3.1" and
          by_key.get("tenable:192923", {}).get("class_source") == "auto:nvd-v3.1", vulns)
    show = json_out(run("vulns", "show", CVE, "--format", "json", db=db, now="2026-03-04T01:00:00Z"))
    sources = sorted((r["source"], r["type"], r["score"]) for r in (show or {}).get("ratings", [])
                     if r["origin"].startswith("NVD"))
    check("vulns show lists every NVD metric with source and type",
          sources == [("nvd@nist.gov", "Primary", 10.0), ("psirt@example.com", "Secondary", 8.1)],
          show)
    check("vulns show lists the detections with their scanners",
          show and show["detections"] and show["detections"][0]["scanners"] == ["grype", "trivy"],
          show)

    # EPSS and KEV.
    epss = write(d, "epss.csv", "#model_version:v2025.03.14,score_date:2026-03-01T00:00:00+0000\n"
                 "cve,epss,percentile\n" + CVE + ",0.94,0.999\nCVE-2023-0001,0.001,0.1\n")
    p = run("epss", "import", epss, db=db, now="2026-03-04T02:00:00Z")
    check("epss import", p.returncode == 0 and "loaded 2 EPSS scores" in p.stdout, p.stdout + p.stderr)
    badepss = write(d, "bad-epss.csv", "cve,epss,percentile\nCVE-2024-1,1.5,0.2\n")
    p = run("epss", "import", badepss, db=db, now="2026-03-04T02:00:00Z")
    check("a bad EPSS row is refused with its line",
          p.returncode == 2 and "bad-epss.csv:2:" in p.stderr, p.stderr)
    kev = write(d, "kev.json", json.dumps({
        "title": "CISA Catalog", "catalogVersion": "2026.03.01", "dateReleased": "2026-03-01T00:00:00Z",
        "count": 1, "vulnerabilities": [{"cveID": CVE, "vendorProject": "PAN", "product": "PAN-OS",
                                         "vulnerabilityName": "GlobalProtect injection",
                                         "dateAdded": "2024-04-12", "shortDescription": "x",
                                         "requiredAction": "patch", "dueDate": "2024-04-19",
                                         "knownRansomwareCampaignUse": "Unknown", "notes": ""}]}))
    run("kev", "import", kev, db=db, now="2026-03-04T02:00:00Z")
    high = json_out(run("vulns", "--all", "--epss-above", "0.5", "--format", "json", db=db))
    check("vulns --epss-above", high and sorted(v["key"] for v in high) == [CVE, "tenable:192923"],
          high)
    p = run("vulns", "--epss-above", "2", db=db)
    check("vulns --epss-above refuses what is not a probability", p.returncode == 2, p.stderr)
    kevs = json_out(run("vulns", "--kev", "--format", "json", db=db))
    check("vulns --kev lists the open ones whose CVE is in KEV",
          kevs and [v["key"] for v in kevs] == ["tenable:192923"], kevs)

    # VEX: a CycloneDX analysis proposes a decision; it never takes effect on its own.
    bom = json.dumps({
        "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
        "metadata": {"component": {"type": "application", "name": "shop-web", "bom-ref": "app"}},
        "components": [{"type": "library", "name": "log4j-core", "version": "2.14.1",
                        "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
                        "bom-ref": "log4j"}],
        "vulnerabilities": [{"id": "CVE-2021-44228", "ratings": [{"severity": "critical"}],
                             "affects": [{"ref": "log4j"}],
                             "analysis": {"state": "not_affected",
                                          "justification": "code_not_reachable",
                                          "detail": "JndiLookup.class is removed from the jar."}}]})
    b1 = write(d, "bom.json", bom)
    p = run("import", b1, db=db, now="2026-03-05T00:00:00Z")
    check("cyclonedx import", p.returncode == 0, p.stderr)
    dec = json_out(run("decisions", "--format", "json", db=db, now="2026-03-05T00:00:00Z"))
    check("a VEX analysis becomes a pending false-positive proposal",
          dec and len(dec) == 1 and dec[0]["type"] == "false-positive" and
          dec[0]["state"] == "pending" and "code_not_reachable" in dec[0]["basis"], dec)
    b2 = write(d, "bom2.json", bom.replace('"version": 1', '"version": 2'))
    run("import", b2, db=db, now="2026-03-06T00:00:00Z")
    dec = json_out(run("decisions", "--format", "json", db=db, now="2026-03-06T00:00:00Z"))
    check("the same statement is not proposed again", dec and len(dec) == 1, dec)


# CycloneDX 1.5 enumerations (specification, vulnerability analysis), for the structural check.
VEX_STATES = {"resolved", "resolved_with_pedigree", "exploitable", "in_triage", "false_positive",
              "not_affected"}
VEX_JUSTIFICATIONS = {"code_not_present", "code_not_reachable", "requires_configuration",
                      "requires_dependency", "requires_environment", "protected_by_compiler",
                      "protected_at_runtime", "protected_at_perimeter",
                      "protected_by_mitigating_control"}
VEX_RESPONSES = {"can_not_fix", "will_not_fix", "update", "rollback", "workaround_available"}
UUID = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


def check_cyclonedx_vex(doc):
    """Structural rules of the CycloneDX 1.5 JSON schema that a VEX document touches."""
    problems = []
    if doc.get("bomFormat") != "CycloneDX" or doc.get("specVersion") not in ("1.5", "1.6"):
        problems.append("bomFormat/specVersion")
    if not UUID.match(doc.get("serialNumber", "")):
        problems.append("serialNumber is not a urn:uuid")
    if not isinstance(doc.get("version"), int) or doc["version"] < 1:
        problems.append("version")
    refs = set()
    for c in doc.get("components", []):
        if c.get("type") not in ("library", "application", "container", "framework"):
            problems.append("component type")
        if not c.get("name") or not c.get("bom-ref"):
            problems.append("component without name or bom-ref")
        if c["bom-ref"] in refs:
            problems.append("duplicate bom-ref")
        refs.add(c["bom-ref"])
    for v in doc.get("vulnerabilities", []):
        a = v.get("analysis", {})
        if a.get("state") not in VEX_STATES:
            problems.append("analysis.state %r" % a.get("state"))
        if "justification" in a and a["justification"] not in VEX_JUSTIFICATIONS:
            problems.append("analysis.justification")
        if any(r not in VEX_RESPONSES for r in a.get("response", [])):
            problems.append("analysis.response")
        for t in ("firstIssued", "lastUpdated"):
            if not TIME.match(a.get(t, "")):
                problems.append("analysis." + t)
        if not v.get("affects") or any(x.get("ref") not in refs for x in v["affects"]):
            problems.append("affects must name components of the document")
    return problems


def cyclonedx_schema_errors(path):
    """Validates a document against the official CycloneDX JSON schema of its specVersion, with
    the CycloneDX JavaScript library (tests/tooling, installed by `make tooling`). Returns None
    when it validates, else the validator's errors."""
    p = run_tool("validate_cyclonedx.mjs", path, needs="@cyclonedx")
    if isinstance(p, str):
        return p
    return None if p.returncode == 0 else (p.stderr or p.stdout or "exit %d" % p.returncode)


def test_vex_export(d):
    db = os.path.join(d, "pk.db")
    tokens = {}
    for name, role in [("alice", "admin"), ("bob", "analyst"), ("carol", "approver")]:
        p = run("user", "add", name, "--role", role, db=db, as_user="alice",
                token=tokens.get("alice"), now="2026-03-06T01:00:00Z")
        m = re.search(r"^token: (vgt_[A-Za-z0-9_-]{43})$", p.stdout, re.M)
        tokens[name] = m.group(1) if m else ""
    # An approver approves with a token they issued themselves.
    p = run("user", "token", "carol", db=db, as_user="carol", token=tokens["carol"],
            now="2026-03-06T01:30:00Z")
    m = re.search(r"^token: (vgt_[A-Za-z0-9_-]{43})$", p.stdout, re.M)
    tokens["carol"] = m.group(1) if m else ""
    p = run("approve", "1", "--note", "the jar was checked", db=db, as_user="carol",
            token=tokens["carol"], now="2026-03-06T02:00:00Z")
    check("the VEX proposal is approved by another person", p.returncode == 0, p.stderr)
    p = run("decide", "CVE-2023-0001", "--type", "accept-risk", "--reason", "compensating-controls",
            "--basis", "the openssl CLI is not reachable from the web process; rebuild scheduled",
            "--expires", "2026-05-01T00:00:00Z", db=db, as_user="bob", token=tokens["bob"],
            now="2026-03-06T03:00:00Z")
    check("an accepted risk on a package vulnerability", p.returncode == 0, p.stderr)
    run("approve", "2", "--note", "ok", db=db, as_user="carol", token=tokens["carol"],
        now="2026-03-06T04:00:00Z")
    out = os.path.join(d, "vex.json")
    p = run("export", "vex", "--out", out, db=db, as_user="bob", token=tokens["bob"],
            now="2026-03-07T00:00:00Z")
    check("export vex", p.returncode == 0 and "2 VEX statements" in p.stderr, p.stderr)
    doc = json.load(open(out, encoding="utf-8")) if p.returncode == 0 else {}
    problems = check_cyclonedx_vex(doc)
    check("the VEX document follows CycloneDX 1.5", not problems, problems)
    errors = cyclonedx_schema_errors(out)
    check("the VEX document validates against the CycloneDX 1.5 JSON schema (strict)",
          errors is None, errors)
    if doc.get("vulnerabilities"):  # the validator can fail: a wrong state is refused
        broken = json.loads(json.dumps(doc))
        broken["vulnerabilities"][0]["analysis"]["state"] = "fixed"
        bad = write(d, "vex-broken.json", json.dumps(broken))
        errors = cyclonedx_schema_errors(bad)
        check("the schema validator refuses an analysis state CycloneDX does not define",
              errors is not None and "/analysis/state" in errors, errors)
    by_id = {v["id"]: v for v in doc.get("vulnerabilities", [])}
    fp = by_id.get("CVE-2021-44228", {})
    check("an approved false positive is stated false_positive with its basis and approver",
          fp.get("analysis", {}).get("state") == "false_positive" and
          "approved by carol" in fp["analysis"].get("detail", ""), fp)
    ar = by_id.get("CVE-2023-0001", {})
    check("an accepted risk is exploitable, will_not_fix, with its expiry",
          ar.get("analysis", {}).get("state") == "exploitable" and
          ar["analysis"].get("response") == ["will_not_fix"] and
          "expires 2026-05-01T00:00:00Z" in ar["analysis"].get("detail", ""), ar)
    purls = sorted(c.get("purl", "") for c in doc.get("components", []))
    check("affected packages are components with their purl",
          purls == ["pkg:apk/alpine/openssl@3.1.4-r0",
                    "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"], purls)
    again = os.path.join(d, "vex2.json")
    run("export", "vex", "--out", again, db=db, as_user="bob", token=tokens["bob"],
        now="2026-03-07T00:00:00Z")
    check("the export is deterministic", open(out).read() == open(again).read())
    p = run("export", "vex", "--out", "-", db=db, as_user="bob", token=tokens["bob"],
            now="2026-06-01T00:00:00Z")
    later = json.loads(p.stdout) if p.returncode == 0 else {}
    check("an expired acceptance is no longer stated",
          [v["id"] for v in later.get("vulnerabilities", [])] == ["CVE-2021-44228"], later)


def main():
    with tempfile.TemporaryDirectory(prefix="vigil-pk-") as d:
        test_packages(d)
        test_vex_export(d)
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
