#!/usr/bin/env python3
"""The web UI in real headless Chromium against a real `vigil serve` (docs/ui.md).

Four people set their passwords with their enrolment codes and sign in; the analyst uploads a
scan whose host names, titles and plugin output carry script and attribute-breaking payloads,
and proposes a recast; he cannot approve it; the approver approves it from the queue; the
auditor sees every page and has no form but signing out (and the API refuses her writes);
forms without their CSRF token, or from another site, are refused; the dashboard's counts
equal the API's; axe-core finds no serious or critical violation on any page; no script runs
and nothing is fetched from elsewhere. Screenshots of every page are kept in
build/test-artifacts/ui/ (or $VIGIL_ARTIFACTS). Usage: ui_test.py VIGIL [--sanitized]
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_test import RESULTS, VIGIL, check, nessus, write  # noqa: E402
from cli_test import vigil_now as vigil  # noqa: E402
from api_test import T0, TOKEN, Server, problem  # noqa: E402

CODE = re.compile(r"enrolment code: ([0-9A-Z]{5}(?:-[0-9A-Z]{5}){3})")
TOOLING = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tooling")
PASSWORDS = {"alice": "admin of the whole place", "bob": "analyst of many scans",
             "carol": "approves with great care", "erin": "audits every single quarter"}
XSS_HOST = '<script>alert("host")</script>'
XSS_TITLE = '"><img src=x onerror=alert("title")>'
XSS_OUTPUT = "</td><script>alert('output')</script>"


def esc(text):
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def hostile_report():
    """A Nessus report whose host name, plugin name and output are hostile markup."""
    return f"""<?xml version="1.0" ?>
<NessusClientData_v2><Policy><policyName>p</policyName></Policy><Report name="r">
<ReportHost name="{esc(XSS_HOST)}"><HostProperties>
<tag name="HOST_START_TIMESTAMP">{T0 + 3600}</tag><tag name="host-ip">10.66.0.1</tag>
<tag name="Credentialed_Scan">true</tag></HostProperties>
<ReportItem port="443" svc_name="www" protocol="tcp" severity="4" pluginID="66601"
 pluginName="{esc(XSS_TITLE)}" pluginFamily="Web Servers">
<cvss3_base_score>9.8</cvss3_base_score><plugin_output>{esc(XSS_OUTPUT)}</plugin_output>
<description>{esc(XSS_OUTPUT)}</description><solution>upgrade</solution>
</ReportItem></ReportHost></Report></NessusClientData_v2>
"""


def artifacts_dir():
    d = os.environ.get("VIGIL_ARTIFACTS") or os.path.join(
        os.path.dirname(os.path.abspath(VIGIL)), "test-artifacts", "ui")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d, exist_ok=True)
    return d


def main():
    if not os.path.exists(os.path.join(TOOLING, "node_modules", "playwright-core")):
        print("tests/tooling is not installed: run `make tooling` (npm ci)")
        sys.exit(1)
    with tempfile.TemporaryDirectory() as d:
        db = os.path.join(d, "ui.db")
        p = vigil(db, "init")
        check("init", p.returncode == 0, p.stderr)
        tokens, codes = {}, {}
        for name, role in [("alice", "admin"), ("bob", "analyst"), ("carol", "approver"),
                           ("erin", "auditor")]:
            p = vigil(db, "user", "add", name, "--role", role, user="alice",
                      token=tokens.get("alice"))
            tokens[name] = TOKEN.search(p.stdout).group(0)
            codes[name] = CODE.search(p.stdout).group(1)
        first = write(d, "first.nessus", nessus([("ca1", "10.0.0.1", "", T0, True,
                                                  [(19506, 443, "remote")])]))
        p = vigil(db, "import", "--scanner", "net", first, user="alice", token=tokens["alice"])
        check("a first scan through the CLI", p.returncode == 0, p.stderr)
        report = write(d, "hostile.nessus", hostile_report())
        shots = artifacts_dir()
        plan = {"people": {n: {"code": codes[n], "password": PASSWORDS[n]} for n in codes},
                "report": report, "scanner": "web-upload", "hostile_key": "tenable:66601",
                "decide_key": "tenable:19506", "decision_id": 1}
        plan_file = write(d, "plan.json", json.dumps(plan))
        s = Server(db, os.path.join(d, "access.log"))
        try:
            base = f"http://127.0.0.1:{s.port}"
            p = subprocess.run(["node", os.path.join(TOOLING, "ui_browser.mjs"), base, plan_file,
                                shots], capture_output=True, text=True, timeout=600)
            try:
                seen = json.loads(p.stdout)
            except ValueError:
                seen = None
            check("the browser run completed", seen is not None and not seen["errors"],
                  (p.stdout[-2000:], p.stderr[-2000:]))
            if seen is None:
                return
            judge(seen, s, tokens, shots)
        finally:
            rc = s.stop()
        check("the server stops cleanly", rc == 0, "".join(s.stderr_lines))
        p = vigil(db, "audit", "verify", user="erin", token=tokens["erin"])
        check("the log verifies after the browser's work", p.returncode == 0,
              p.stdout + p.stderr)


def judge(seen, s, tokens, shots):
    steps = seen["steps"]
    for who in PASSWORDS:
        check(f"{who} sets a password at /enrol and signs in",
              steps.get(f"{who}_enrol") == 200 and
              steps.get(f"{who}_signed_in_at", "").endswith("/"), steps)
        cookie = steps.get(f"{who}_cookie") or {}
        check(f"{who}'s session cookie is HttpOnly and SameSite=Strict",
              cookie.get("httpOnly") and cookie.get("sameSite") == "Strict", cookie)
    check("bob uploads the scan through the form: 201", steps.get("upload_status") == 201,
          steps.get("upload_text"))
    # The dashboard's counts equal the API's.
    cards = {c["label"]: c["n"] for c in steps.get("dashboard_cards", [])}
    _, _, vulns, _ = s.request("GET", "/api/v1/vulnerabilities?limit=1", token=tokens["erin"])
    _, _, pending, _ = s.request("GET", "/api/v1/decisions?state=pending&limit=1",
                                 token=tokens["erin"])
    check("the dashboard's open vulnerabilities equal the API's total",
          cards.get("open vulnerabilities") == vulns["total"] and vulns["total"] == 2,
          (cards, vulns["total"]))
    check("the dashboard shows the charts: open by class now, over 90 days, time to remediate",
          steps.get("dashboard_svg", 0) >= 3 and
          "Open vulnerabilities by class, last 90 days" in steps.get("dashboard_headings", []) and
          "Time to remediate, last 90 days" in steps.get("dashboard_headings", []),
          (steps.get("dashboard_svg"), steps.get("dashboard_headings")))
    check("the list links each vulnerability to its page",
          "/vulnerabilities/tenable:66601" in steps.get("vuln_links", []),
          steps.get("vuln_links"))
    by_key = steps.get("sorted_by_key", [])
    check("the sort select orders the list (by key, and reversed)",
          "sort=key" in steps.get("sorted_url", "") and len(by_key) >= 2 and
          by_key == sorted(by_key) and steps.get("sorted_by_key_desc") == by_key[::-1],
          (steps.get("sorted_url"), by_key, steps.get("sorted_by_key_desc")))
    text = steps.get("hostile_text", "")
    check("hostile host name, title and plugin output render as text",
          XSS_TITLE in text and XSS_HOST in text, text[:1500])
    check("no script element, image or event handler came from the scan",
          steps.get("hostile_script_elements") == 0 and steps.get("hostile_img_elements") == 0
          and steps.get("hostile_onerror") == 0, steps)
    check("no script ran (no dialog), no console error", not seen["dialogs"] and
          not seen["console"], (seen["dialogs"], seen["console"]))
    check("nothing was fetched from anywhere but the server", not seen["foreign"],
          seen["foreign"])
    check("bob proposes a recast through the form (303 back to the page)",
          steps.get("decide_status") == 303 and "#decisions" in steps.get("after_decide_url", ""),
          steps)
    check("bob sees no approve form for his own decision", steps.get("bob_approve_forms") == 0)
    check("bob cannot approve his own decision even by posting the form: 403",
          steps.get("bob_self_approve_status") == 403, steps.get("bob_self_approve_status"))
    check("a form without its CSRF token: 403", steps.get("no_csrf_status") == 403)
    check("a form with another CSRF token: 403", steps.get("wrong_csrf_status") == 403)
    check("a form posted from another site: 403", steps.get("cross_origin_status") == 403)
    check("carol sees the approve form in the queue", steps.get("carol_approve_forms") == 1)
    check("carol approves it", steps.get("after_approve_url", "").endswith("/approvals"),
          steps.get("after_approve_url"))
    _, _, approved, _ = s.request("GET", "/api/v1/decisions?state=approved",
                                  token=tokens["erin"])
    check("the API shows it approved by carol", approved["total"] == 1 and
          approved["items"][0]["decided_by"] == "carol", approved)
    erin_pages = [p for p in seen["pages"] if p["who"] == "erin"]
    check("the auditor opens all eleven pages", len(erin_pages) == 11 and
          all(p["status"] == 200 for p in erin_pages), [(p["path"], p["status"])
                                                         for p in erin_pages])
    check("the auditor has no form but signing out", all(
        f["action"] == "/logout" for p in erin_pages for f in p["forms"] if f["method"] == "post"),
        [(p["path"], p["forms"]) for p in erin_pages])
    check("the auditor's posted decision is refused: 403", steps.get("erin_decide_status") == 403)
    status, ctype, body, _ = s.request("POST", "/api/v1/decisions",
                                       {"key": "tenable:19506", "type": "recast",
                                        "reason": "other", "basis": "x" * 40,
                                        "severity": "LOW"}, token=tokens["erin"])
    check("and the API refuses her writes: 403", problem(status, ctype, body, 403), body)
    check("every POST form carries the CSRF token", all(
        f["csrf"] for p in seen["pages"] for f in p["forms"] if f["method"] == "post"))
    serious = [(a["path"], v["id"], v["impact"], v["help"]) for a in seen["axe"]
               for v in a["violations"] if v["impact"] in ("serious", "critical")]
    check("axe-core: no serious or critical violation on any page",
          len(seen["axe"]) == 14 and not serious, serious or len(seen["axe"]))
    download = steps.get("report_download") or {}
    check("alice makes an evidence pack and downloads it as a .tar",
          download.get("status") == 200 and download.get("type") == "application/x-tar" and
          download.get("bytes", 0) > 10240, (steps.get("report_links"), download))
    check("signing out ends the session", steps.get("after_logout_url", "").endswith("/login")
          and steps.get("after_logout_status") == 303 and
          "/login" in steps.get("after_logout_location", ""), steps)
    files = sorted(os.listdir(shots))
    check("a screenshot of every page is kept", len(files) >= 16 and all(
        os.path.getsize(os.path.join(shots, f)) > 2000 for f in files), files)


if __name__ == "__main__":
    main()
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    sys.exit(1 if RESULTS["failed"] else 0)
