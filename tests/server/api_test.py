#!/usr/bin/env python3
"""The JSON API against a real `vigil serve` on the loopback (docs/api.md).

People and four eyes through HTTP exactly as through the CLI; a scan pushed as a request
body; listings with filters and cursor paging; problem+json for every error; the limits on
headers and bodies; hostile input in every filter; the server keeps serving the others while
a client misbehaves; SIGTERM lets a request in flight finish. Usage: api_test.py VIGIL
[--sanitized]
"""
import http.client
import io
import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import tarfile
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
from cli_test import RESULTS, VIGIL, check, nessus, write  # noqa: E402
from cli_test import vigil_now as vigil  # noqa: E402

TOKEN = re.compile(r"vgt_[A-Za-z0-9_-]{43}")
T0 = 1772352000  # 2026-03-01T08:00:00Z


class Server:
    def __init__(self, db, log, args=()):
        self.log = open(log, "w")
        self.proc = subprocess.Popen([VIGIL, "--db", db, "serve", "--listen", "127.0.0.1:0",
                                      *args],
                                     stdout=self.log, stderr=subprocess.PIPE, text=True)
        line = self.proc.stderr.readline()
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if not m:
            raise RuntimeError("the server did not start: " + line + self.proc.stderr.read())
        self.port = int(m.group(1))
        self.stderr_lines = []
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stderr:
            self.stderr_lines.append(line)

    def request(self, method, path, body=None, token=None, headers=None, timeout=60):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        if token:
            h["Authorization"] = "Bearer " + token
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            h.setdefault("Content-Type", "application/json")
        if isinstance(body, str):
            body = body.encode("utf-8")
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = None
        return r.status, r.getheader("Content-Type", ""), parsed, dict(r.getheaders())

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = None
        self.log.close()
        return rc


def problem(status, ctype, body, code):
    return (status == code and ctype.startswith("application/problem+json") and
            isinstance(body, dict) and body.get("status") == code and "detail" in body)


def setup(d):
    db = os.path.join(d, "api.db")
    p = vigil(db, "init")
    check("init", p.returncode == 0, p.stderr)
    tokens = {}
    for name, role in [("alice", "admin"), ("bob", "analyst"), ("carol", "approver"),
                       ("erin", "auditor")]:
        p = vigil(db, "user", "add", name, "--role", role, user="alice",
                  token=tokens.get("alice"))
        m = TOKEN.search(p.stdout)
        check(f"user {name} added", p.returncode == 0 and m, p.stdout + p.stderr)
        tokens[name] = m.group(0)
    # carol renews her own token: an approval needs a credential nobody else has seen.
    p = vigil(db, "user", "token", "carol", user="carol", token=tokens["carol"])
    tokens["carol"] = TOKEN.search(p.stdout).group(0)
    return db, tokens


def test_api(d):
    db, tokens = setup(d)
    server = Server(db, os.path.join(d, "access.log"))
    try:
        run_api_checks(d, server, tokens)
        run_metrics_checks(server, tokens)
        run_more_routes(server, tokens)
        run_abuse_checks(server, tokens)
    finally:
        rc = server.stop()
    check("SIGTERM stops the server cleanly", rc == 0, "".join(server.stderr_lines))
    with open(os.path.join(d, "access.log")) as f:
        lines = f.read().splitlines()
    check("one access-log line per request", len(lines) >= 30 and all(
        re.match(r"^\S+ 127\.0\.0\.1 \S+ \"([A-Z]+ \S+|- -)\" \d{3} \d+ [\d.]+ms$", l)
        for l in lines), "\n".join(lines[:5]))
    check("the access log names who acted",
          any(" bob \"POST /api/v1/decisions\" 201 " in l for l in lines), "\n".join(lines))
    p = vigil(db, "audit", "verify", user="erin", token=tokens["erin"])
    check("the log verifies after the API's writes", p.returncode == 0, p.stdout + p.stderr)
    run_header_timeout(d, db, tokens)
    run_credential_flood(d, db, tokens)


def run_credential_flood(d, db, tokens):
    """Wrong credentials cost memory-hard hashes (one per registered user for a token); they run
    outside the store lock, at most two at once (503 past that), so a known token's reads are
    served meanwhile instead of waiting seconds behind them."""
    s = Server(db, os.path.join(d, "access-flood.log"))
    try:
        status, _, _, _ = s.request("GET", "/api/v1/vulnerabilities", token=tokens["erin"])
        check("a known token, before the flood", status == 200)
        results = []

        def wrong(i):
            kind = i % 3
            if kind == 0:
                st, _, _, h = s.request("GET", "/api/v1/vulnerabilities",
                                        token="vgt_" + ("%043d" % i)[:43])
            elif kind == 1:
                st, _, _, h = s.request("POST", "/api/v1/session",
                                        {"user": "bob", "password": "not bob's password %d" % i})
            else:
                st, _, _, h = s.request("GET", "/api/v1/vulnerabilities", token="vgp_1_" + "x" * 43)
            results.append((st, h.get("Retry-After")))

        threads = [threading.Thread(target=wrong, args=(i,)) for i in range(9)]
        for t in threads:
            t.start()
        time.sleep(0.1)
        slowest = 0
        for _ in range(10):
            start = time.monotonic()
            status, _, _, _ = s.request("GET", "/api/v1/vulnerabilities", token=tokens["erin"])
            slowest = max(slowest, time.monotonic() - start)
            if status != 200:
                slowest = 99
        for t in threads:
            t.join()
        # A wrong user token costs four hashes (four users) of about 0.4 s each: behind the
        # lock, a read would wait seconds.
        check("a known token's reads are served while wrong credentials are hashed (< 1 s each)",
              slowest < 1.0, round(slowest, 3))
        # Whether a third hash overlaps two others here depends on scheduling; that the cap
        # refuses it is shown without timing by tests/web/hash_slots_test.cc.
        check("wrong credentials: 401, or 503 with Retry-After when two hashes are running",
              all(st == 401 or (st == 503 and ra == "1") for st, ra in results) and
              any(st == 401 for st, _ in results), results)
    finally:
        rc = s.stop()
    check("the server stops cleanly after the flood", rc == 0, "".join(s.stderr_lines))


def closed_after(sock, step, give_up):
    """Sends a header byte every `step` seconds until the server closes the connection: the
    time.monotonic() when it did, or None after `give_up` seconds."""
    start = time.monotonic()
    while time.monotonic() - start < give_up:
        try:
            sock.sendall(b"X")
        except OSError:
            return time.monotonic()
        readable, _, _ = select.select([sock], [], [], step)
        if readable:
            try:
                if not sock.recv(4096):
                    return time.monotonic()
            except OSError:
                return time.monotonic()
    return None


def run_header_timeout(d, db, tokens):
    """Slow-header clients: headers that trickle in, a byte well within the idle timeout each,
    are cut off --header-timeout after the connection opened; a slow body is not (the clock
    stops when the headers are in), nor a keep-alive connection between requests; the server
    serves others all along and logs each cut as a 408 line."""
    log = os.path.join(d, "access-slow.log")
    s = Server(db, log, ("--header-timeout", "2"))
    try:
        dripping = []
        opened = time.monotonic()
        for _ in range(5):
            c = socket.create_connection(("127.0.0.1", s.port), timeout=30)
            c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            dripping.append(c)
        status, _, _, _ = s.request("GET", "/healthz", timeout=5)
        check("served while slow-header clients drip", status == 200)
        took = [closed_after(c, 0.25, 15) for c in dripping]
        took = [None if t is None else round(t - opened, 2) for t in took]
        check("headers trickling in are cut off after --header-timeout (2 s), not before",
              all(t is not None and 1.9 <= t < 6 for t in took), took)
        for c in dripping:
            c.close()
        # The clock stops once the headers are in: a body sent slowly is answered.
        with socket.create_connection(("127.0.0.1", s.port), timeout=30) as sock:
            body = b'{"user":"nobody","password":"not the password"}'
            sock.sendall(b"POST /api/v1/session HTTP/1.1\r\nHost: x\r\nContent-Type: "
                         b"application/json\r\nConnection: close\r\nContent-Length: " +
                         str(len(body)).encode() + b"\r\n\r\n")
            for i in range(0, len(body), 8):
                sock.sendall(body[i:i + 8])
                time.sleep(0.5)
            reply = sock.recv(4096).decode("latin-1")
        check("a body sent over 3 s after prompt headers is answered (401), not cut",
              reply.startswith("HTTP/1.1 401"), reply[:200])
        # A keep-alive connection's clock starts again after each response.
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
        statuses = []
        for _ in range(3):
            conn.request("GET", "/healthz")
            r = conn.getresponse()
            r.read()
            statuses.append(r.status)
            time.sleep(1.2)
        conn.close()
        check("a keep-alive connection used every 1.2 s keeps working", statuses == [200] * 3,
              statuses)
    finally:
        rc = s.stop()
    check("the server stops cleanly after cutting slow clients", rc == 0,
          "".join(s.stderr_lines))
    with open(log) as f:
        cuts = [l for l in f.read().splitlines() if '"- -" 408' in l]
    check("each cut is an access-log line with 408", len(cuts) == 5, cuts)


def run_api_checks(d, s, tokens):
    status, ctype, body, _ = s.request("GET", "/healthz")
    check("healthz: running, and the database answers",
          status == 200 and body.get("status") == "ok"
          and body.get("database") in ("ok", "busy"), body)
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
    conn.request("GET", "/api/v1/openapi.yaml")
    r = conn.getresponse()
    served = r.read().decode()
    conn.close()
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "docs", "api",
                           "openapi.yaml")) as f:
        check("the OpenAPI document is served as it is in docs/", r.status == 200 and
              served == f.read(), r.status)
    status, ctype, body, headers = s.request("DELETE", "/api/v1/decisions", token=tokens["erin"])
    check("a known path with another method: 405 with Allow", problem(status, ctype, body, 405)
          and headers.get("Allow") == "GET, POST", (status, body, headers))
    status, ctype, body, headers = s.request("GET", "/api/v1/vulnerabilities")
    check("no token: 401 problem", problem(status, ctype, body, 401) and
          headers.get("WWW-Authenticate", "").startswith("Bearer"), (status, body, headers))
    status, ctype, body, _ = s.request("GET", "/api/v1/vulnerabilities", token="vgt_" + "A" * 43)
    check("a wrong token: 401", problem(status, ctype, body, 401), (status, body))
    # A pipeline pushes a scan as the raw body.
    report = nessus([(f"web{i}", f"10.0.0.{i}", "", T0, True,
                      [(4001, 443, "remote"), (4002, 22, "remote")]) for i in range(1, 6)])
    status, ctype, body, _ = s.request("POST", "/api/v1/scans?scanner=net", body=report,
                                       token=tokens["bob"])
    check("POST /scans imports the body: 201", status == 201 and body["hosts"] == 5 and
          body["findings"] == 10 and body["new"] == 10 and body["scanner"] == "net" and
          body["format"] == "nessus", (status, body))
    status, ctype, body, _ = s.request("POST", "/api/v1/scans?scanner=net", body=report,
                                       token=tokens["bob"])
    check("the same report again: 200 already imported", status == 200 and
          body["already_imported"] is True, (status, body))
    status, ctype, body, _ = s.request("POST", "/api/v1/scans?scanner=net",
                                       body=report[: len(report) // 2], token=tokens["bob"])
    check("a truncated report: 400 with its position", problem(status, ctype, body, 400) and
          re.search(r"body:\d+:\d+", body["detail"]) and "/tmp" not in body["detail"],
          (status, body))
    status, ctype, body, _ = s.request("POST", "/api/v1/scans", body=report, token=tokens["erin"])
    check("an auditor cannot import: 403", problem(status, ctype, body, 403), (status, body))
    # Listings agree with the CLI's JSON.
    status, ctype, body, _ = s.request("GET", "/api/v1/vulnerabilities", token=tokens["erin"])
    cli = json.loads(vigil(s_db(s), "vulns", "--format", "json", user="erin",
                           token=tokens["erin"]).stdout)
    check("the list is the CLI's", status == 200 and body["items"] == cli and body["total"] == 2,
          (body, cli))
    status, ctype, body, _ = s.request("GET", "/api/v1/findings?limit=3", token=tokens["erin"])
    check("paging: limit", status == 200 and len(body["items"]) == 3 and body["total"] == 10 and
          body["next_cursor"], body)
    seen = list(body["items"])
    while body["next_cursor"]:
        status, ctype, body, _ = s.request(
            "GET", "/api/v1/findings?limit=3&cursor=" + body["next_cursor"], token=tokens["erin"])
        seen += body["items"]
    check("paging: every row once", len(seen) == 10 and
          len({(f["vulnerability"], f["asset"]) for f in seen}) == 10, len(seen))
    status, ctype, body, _ = s.request("GET", "/api/v1/findings?cursor=x9", token=tokens["erin"])
    check("a bad cursor: 400 naming the parameter", problem(status, ctype, body, 400) and
          body["errors"][0]["parameter"] == "cursor", body)
    status, ctype, body, _ = s.request("GET", "/api/v1/vulnerabilities/tenable:4001",
                                       token=tokens["erin"])
    check("detail", status == 200 and body["key"] == "tenable:4001" and
          len(body["detections"]) == 5, body)
    status, ctype, body, _ = s.request("GET", "/api/v1/vulnerabilities/tenable:9", token=tokens["erin"])
    check("unknown vulnerability: 404", problem(status, ctype, body, 404), body)
    status, ctype, body, _ = s.request("GET", "/api/v1/vulnerabilities?class=SEVERE",
                                       token=tokens["erin"])
    check("a bad filter: 400 naming it", problem(status, ctype, body, 400) and
          body["errors"][0]["parameter"] == "class", body)
    order = {}
    for sort in ("key", "-key"):
        status, _, body, _ = s.request("GET", "/api/v1/vulnerabilities?sort=" + sort,
                                       token=tokens["erin"])
        order[sort] = [v["key"] for v in body.get("items", [])]
    check("sort=key and sort=-key", order["key"] == ["tenable:4001", "tenable:4002"] and
          order["-key"] == order["key"][::-1], order)
    for query, param in [("sort=severity", "sort"), ("state=gone", "state"),
                         ("zone=nowhere", "zone")]:
        status, ctype, body, _ = s.request("GET", "/api/v1/vulnerabilities?" + query,
                                           token=tokens["erin"])
        check(f"{query}: 400 naming {param}", problem(status, ctype, body, 400) and
              body["errors"][0]["parameter"] == param, body)
    status, _, body, _ = s.request("GET", "/api/v1/vulnerabilities?state=closed&overdue=true",
                                   token=tokens["erin"])
    check("state=closed and overdue=true filter (none here)", status == 200 and
          body["total"] == 0, body)
    # Four eyes.
    basis = "only reachable from the management VLAN behind the jump host"
    decision = {"key": "tenable:4001", "type": "recast", "reason": "compensating-controls",
                "basis": basis, "severity": "MEDIUM"}
    status, ctype, body, _ = s.request("POST", "/api/v1/decisions", body=decision,
                                       token=tokens["erin"])
    check("an auditor cannot decide: 403", problem(status, ctype, body, 403), body)
    status, ctype, body, _ = s.request("POST", "/api/v1/decisions",
                                       body=dict(decision, severity="SEVERE"), token=tokens["bob"])
    check("a bad field: 400 with its pointer", problem(status, ctype, body, 400) and
          body["errors"][0]["pointer"] == "/severity" and "--" not in body["detail"], body)
    status, ctype, body, _ = s.request("POST", "/api/v1/decisions",
                                       body=dict(decision, port="22"), token=tokens["bob"])
    check("a wrong type: 400 with its pointer", problem(status, ctype, body, 400) and
          body["errors"][0]["pointer"] == "/port", body)
    status, ctype, body, _ = s.request("POST", "/api/v1/decisions", body=decision,
                                       token=tokens["bob"])
    check("an analyst proposes: 201 pending", status == 201 and body["state"] == "pending" and
          body["author"] == "bob", body)
    number = body["id"]
    status, ctype, body, _ = s.request("POST", f"/api/v1/decisions/{number}/approve", body={},
                                       token=tokens["bob"])
    check("the author cannot approve: 403", problem(status, ctype, body, 403), body)
    status, ctype, body, _ = s.request("POST", f"/api/v1/decisions/{number}/approve",
                                       body={"note": "checked"}, token=tokens["carol"])
    check("an approver approves", status == 200 and body["state"] == "approved" and
          body["decided_by"] == "carol", body)
    status, ctype, body, _ = s.request("POST", f"/api/v1/decisions/{number}/approve", body={},
                                       token=tokens["carol"])
    check("approving twice: 409", problem(status, ctype, body, 409), body)
    status, ctype, body, _ = s.request("GET", "/api/v1/vulnerabilities/tenable:4001",
                                       token=tokens["erin"])
    check("the recast is in effect", body["class"] == "MEDIUM", body.get("class"))
    status, ctype, body, _ = s.request("POST", "/api/v1/assets/web5/decommission",
                                       body={"reason": "retired"}, token=tokens["bob"])
    check("decommission", status == 200 and body["changed"] is True, body)
    status, ctype, body, _ = s.request("GET", "/api/v1/assets?state=decommissioned",
                                       token=tokens["erin"])
    check("the asset is decommissioned", [a["name"] for a in body["items"]] == ["web5"], body)
    for path in ["/api/v1/check", "/api/v1/scanners", "/api/v1/decisions", "/api/v1/users",
                 "/api/v1/reviews", "/api/v1/audit/verify"]:
        status, ctype, body, _ = s.request("GET", path, token=tokens["erin"])
        check(f"GET {path}", status == 200 and ctype == "application/json", (status, body))
    status, ctype, body, _ = s.request("POST", "/api/v1/audit/checkpoints", token=tokens["bob"])
    check("a checkpoint", status == 201 and body["note"].count("\n") >= 3, body)
    status, ctype, body, _ = s.request("GET", "/api/v1/audit/proofs/3", token=tokens["erin"])
    check("an inclusion proof", status == 200 and body["seq"] == 3 and body["proof"], body)


METRIC_LINE = re.compile(r'^(vigil_[a-z_]+)(\{(?:[a-z_]+="(?:[^"\\\n]|\\.)*"'
                         r'(?:,[a-z_]+="(?:[^"\\\n]|\\.)*")*)\})? (-?[0-9.e+-]+|\+Inf|NaN)$')


def scrape(s, token):
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
    conn.request("GET", "/metrics", headers={"Authorization": "Bearer " + token})
    r = conn.getresponse()
    text = r.read().decode()
    conn.close()
    samples, types, bad = {}, {}, []
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split(" ", 3)
            types[name] = kind
        elif line.startswith("# HELP ") or not line:
            continue
        else:
            m = METRIC_LINE.match(line)
            if not m:
                bad.append(line)
                continue
            samples[m.group(1) + (m.group(2) or "")] = float(m.group(3))
    return r.status, r.getheader("Content-Type", ""), samples, types, bad


def run_metrics_checks(s, tokens):
    """/metrics: Prometheus' text format, every name vigil_, gauges equal to the API's."""
    status, ctype, body, _ = s.request("GET", "/metrics")
    check("/metrics without a token: 401", problem(status, ctype, body, 401), body)
    status, ctype, samples, types, bad = scrape(s, tokens["erin"])
    check("/metrics: 200 text/plain version 0.0.4", status == 200 and
          ctype.startswith("text/plain; version=0.0.4"), (status, ctype))
    check("every line is a well-formed vigil_ sample", not bad and samples, bad[:5])
    check("every family has a TYPE", all(
        any(name == f or name.startswith(f + "_") for f in types)
        for name in {k.split("{")[0] for k in samples}), types)
    wanted = {"vigil_open_vulnerabilities": "gauge", "vigil_clocks": "gauge",
              "vigil_scanner_last_scan_timestamp_seconds": "gauge",
              "vigil_scanner_stale": "gauge", "vigil_scanner_silent_agents": "gauge",
              "vigil_decisions_pending": "gauge", "vigil_imports_total": "counter",
              "vigil_import_duration_seconds": "histogram",
              "vigil_http_requests_total": "counter",
              "vigil_http_request_duration_seconds": "histogram"}
    check("the families of docs/server.md#metrics", all(types.get(k) == v
                                                        for k, v in wanted.items()), types)
    _, _, body, _ = s.request("GET", "/api/v1/vulnerabilities?limit=1", token=tokens["erin"])
    open_total = sum(v for k, v in samples.items()
                     if k.startswith("vigil_open_vulnerabilities{"))
    check("open vulnerabilities by class add up to the API's total",
          open_total == body["total"], (open_total, body["total"]))
    _, _, body, _ = s.request("GET", "/api/v1/decisions?state=pending", token=tokens["erin"])
    check("pending decisions equal the API's", samples.get("vigil_decisions_pending") ==
          body["total"], (samples.get("vigil_decisions_pending"), body["total"]))
    _, _, scanners, _ = s.request("GET", "/api/v1/scanners", token=tokens["erin"])
    check("one staleness gauge per scanner", all(
        f'vigil_scanner_stale{{scanner="{x["name"]}"}}' in samples for x in scanners["items"])
        and len(scanners["items"]) >= 1, scanners)
    check("imports counted by outcome", samples.get(
        'vigil_imports_total{outcome="imported"}', 0) >= 1 and samples.get(
        'vigil_imports_total{outcome="rejected"}', 0) >= 1, samples)
    check("requests counted by route pattern, not by path",
          samples.get('vigil_http_requests_total{route="/api/v1/vulnerabilities/{key}",'
                      'method="GET",status="200"}', 0) >= 1 and
          not any("tenable:" in k for k in samples), [k for k in samples if "http" in k][:10])
    s.request("BREW", "/api/v1/vulnerabilities", token=tokens["erin"])
    s.request("GET", "/no/such/route/" + "x" * 50, token=tokens["erin"])
    _, _, after, _, _ = scrape(s, tokens["erin"])
    check("unknown methods and paths do not make new series",
          not any("BREW" in k or "/no/such" in k for k in after) and
          any('route="other"' in k for k in after), [k for k in after if "http" in k][:20])
    buckets = [v for k, v in after.items()
               if k.startswith('vigil_http_request_duration_seconds_bucket{route="/metrics"')]
    check("histogram buckets are cumulative", buckets == sorted(buckets) and buckets, buckets)


def run_more_routes(s, tokens):
    """Scanners, reviews, users, feeds, the VEX export, the configuration and the audit key and
    consistency proofs: each as the CLI does it, with the same roles."""
    alice, bob, erin = tokens["alice"], tokens["bob"], tokens["erin"]
    status, _, body, _ = s.request("GET", "/api/v1/trends", token=erin)
    _, _, vulns, _ = s.request("GET", "/api/v1/vulnerabilities?limit=1", token=erin)
    last = sum(c["open"][-1] for c in body.get("open_by_class", []))
    check("GET /api/v1/trends: 91 daily samples, the last one's open count equals the list's",
          status == 200 and len(body["times"]) == 91 and
          all(len(c["open"]) == 91 for c in body["open_by_class"]) and
          last == vulns["total"] and last > 0, (body.get("open_by_class"), vulns.get("total")))
    check("the trends name the scale's classes first and six remediation buckets",
          [c["class"] for c in body["open_by_class"][:2]] == ["CRITICAL", "HIGH"] and
          len(body["remediation"]["buckets"]) == 6 and
          body["remediation"]["buckets"][-1]["up_to_days"] is None, body.get("remediation"))
    for days in ("0", "367", "ninety", "9" * 30):
        status, ctype, body, _ = s.request("GET", "/api/v1/trends?days=" + days, token=erin)
        check(f"trends for days={days[:12]}: 400 naming days",
              problem(status, ctype, body, 400) and "days" in json.dumps(body), body)
    status, _, body, _ = s.request("GET", "/api/v1/trends?days=7", token=erin)
    check("trends for a week: 8 samples", status == 200 and len(body["times"]) == 8, body)
    status, _, body, _ = s.request("PUT", "/api/v1/scanners/edge",
                                   {"kind": "network", "cadence": "7d", "grace": "1d"}, token=bob)
    check("PUT a scanner: 200 with its cadence", status == 200 and body.get("cadence") in ("7d", "1w")
          and body.get("grace") == "1d", body)
    status, ctype, body, _ = s.request("PUT", "/api/v1/scanners/edge",
                                       {"kind": "network", "cadence": "weekly"}, token=bob)
    check("a cadence that is no duration: 400 naming /cadence",
          problem(status, ctype, body, 400) and body["errors"][0]["pointer"] == "/cadence", body)
    status, ctype, body, _ = s.request("PUT", "/api/v1/scanners/edge",
                                       {"kind": "network", "cadence": "1d"}, token=erin)
    check("the auditor cannot change a scanner: 403", problem(status, ctype, body, 403), body)
    status, _, body, _ = s.request("POST", "/api/v1/reviews",
                                   {"participants": ["bob", "carol"],
                                    "notes": "weekly review of new findings"}, token=bob)
    check("POST a review: 201", status == 201 and body.get("participants") == ["bob", "carol"],
          body)
    status, ctype, body, _ = s.request("POST", "/api/v1/reviews", {"participants": "bob"},
                                       token=bob)
    check("participants not an array: 400 naming /participants",
          problem(status, ctype, body, 400) and body["errors"][0]["pointer"] == "/participants",
          body)
    status, _, body, _ = s.request("POST", "/api/v1/users", {"name": "frank", "role": "analyst"},
                                   token=alice)
    check("an admin registers a user: 201 with a token and an enrolment code",
          status == 201 and TOKEN.fullmatch(body.get("token", "")) and
          re.fullmatch(r"[0-9A-Z]{5}(-[0-9A-Z]{5}){3}", body.get("enrolment_code", "")), body)
    status, ctype, body, _ = s.request("POST", "/api/v1/users",
                                       {"name": "frank", "role": "analyst"}, token=alice)
    check("the same name again: 409", problem(status, ctype, body, 409), body)
    status, ctype, body, _ = s.request("POST", "/api/v1/users", {"name": "gina", "role": "admin"},
                                       token=bob)
    check("an analyst registers nobody: 403", problem(status, ctype, body, 403), body)
    status, _, body, _ = s.request("PUT", "/api/v1/users/frank/role", {"role": "auditor"},
                                   token=alice)
    check("an admin changes a role: 200", status == 200 and body.get("role") == "auditor", body)
    status, _, body, _ = s.request("POST", "/api/v1/users/frank/enrolment", token=alice)
    check("an admin issues a new enrolment code: 201", status == 201 and
          body.get("enrolment_code"), body)
    status, _, body, _ = s.request("GET", "/api/v1/audit/key", token=erin)
    check("the verifier key", status == 200 and body.get("verifier_key", "").startswith("vigil/")
          and body.get("fingerprint"), body)
    status, _, cp, _ = s.request("POST", "/api/v1/audit/checkpoints", token=bob)
    size = cp.get("size", 0) if isinstance(cp, dict) else 0
    status, _, body, _ = s.request("GET", f"/api/v1/audit/consistency?old=1&new={size}",
                                   token=erin)
    check("a consistency proof between two tree sizes", status == 200 and isinstance(body, dict),
          body)
    status, ctype, body, _ = s.request("GET", "/api/v1/audit/consistency?old=x&new=2",
                                       token=erin)
    check("a tree size that is no number: 400 naming the parameter old",
          problem(status, ctype, body, 400) and body["errors"][0]["parameter"] == "old", body)
    status, ctype, body, _ = s.request("GET", "/api/v1/export/vex", token=erin)
    check("the VEX export", status == 200 and "cyclonedx" in ctype and
          body.get("bomFormat") == "CycloneDX", (status, ctype))
    status, _, body, _ = s.request("GET", "/api/v1/config", token=erin)
    check("the configuration in force", status == 200 and "sha256" in body, body)
    kev = json.dumps({"catalogVersion": "2026.03.01", "vulnerabilities": [
        {"cveID": "CVE-2024-3002", "vendorProject": "x", "product": "y",
         "vulnerabilityName": "y flaw", "dateAdded": "2026-03-01", "shortDescription": "",
         "requiredAction": "patch", "dueDate": "2026-03-22",
         "knownRansomwareCampaignUse": "Unknown", "notes": ""}]})
    status, _, body, _ = s.request("POST", "/api/v1/feeds/kev", kev, token=bob)
    check("POST the KEV catalog as the body: 200", status == 200 and body.get("entries") == 1,
          body)
    status, ctype, body, _ = s.request("POST", "/api/v1/feeds/kev", '{"vulnerabilities": [',
                                       token=bob)
    check("a broken feed: 400 naming the body, not a temporary file",
          problem(status, ctype, body, 400) and "/tmp" not in body["detail"] and
          "vigil-body" not in body["detail"], body)
    status, ctype, body, _ = s.request("POST", "/api/v1/feeds/osv", "{}", token=bob)
    check("an unknown feed: 404", problem(status, ctype, body, 404), body)
    status, ctype, body, _ = s.request("POST", "/api/v1/feeds/kev", kev, token=erin)
    check("the auditor loads no feed: 403", problem(status, ctype, body, 403), body)
    run_reports(s, tokens)
    run_multipart_upload(s, tokens)


def run_multipart_upload(s, tokens):
    """POST /api/v1/scans as a form upload (curl -F), the scanner a field of the form."""
    # A vulnerability already known, so that the later checks' counts of vulnerabilities hold.
    report = nessus([("formhost", "10.3.0.1", "", T0 + 7200, True, [(4001, 443, "remote")])])
    boundary = "vigilFormBoundary7MA4YWxk"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"scanner\"\r\n\r\n"
            f"form-upload\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"report\"; "
            f"filename=\"scan.nessus\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            f"{report}\r\n--{boundary}--\r\n")
    ctype = "multipart/form-data; boundary=" + boundary
    status, _, body_json, _ = s.request("POST", "/api/v1/scans", body, token=tokens["bob"],
                                        headers={"Content-Type": ctype})
    check("a multipart upload imports its file part: 201", status == 201 and
          body_json.get("scanner") == "form-upload" and body_json.get("hosts") == 1, body_json)
    status, ctypes, body_json, _ = s.request(
        "POST", "/api/v1/scans?scanner=x",
        f"--{boundary}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--{boundary}--",
        token=tokens["bob"], headers={"Content-Type": ctype})
    check("a form without a file: 400", problem(status, ctypes, body_json, 400) and
          "no file" in body_json["detail"], body_json)
    status, ctypes, body_json, _ = s.request("POST", "/api/v1/scans?scanner=x", "garbage",
                                             token=tokens["bob"],
                                             headers={"Content-Type": ctype})
    check("a broken multipart body: 400", problem(status, ctypes, body_json, 400), body_json)


def run_reports(s, tokens):
    """Evidence packs made through the server and downloaded as one archive."""
    bob, erin = tokens["bob"], tokens["erin"]
    today = time.strftime("%Y-%m-%d", time.gmtime())
    status, _, made, _ = s.request("POST", "/api/v1/reports", {"from": "2026-01-01", "to": today},
                                   token=bob, timeout=300)
    check("POST /api/v1/reports makes the pack of a period: 201", status == 201 and
          made.get("id", "").startswith("evidence-") and made.get("scans", 0) >= 1 and
          made.get("download", "").endswith("/pack.tar"), made)
    status, ctype, body, _ = s.request("POST", "/api/v1/reports", {"from": "2026-01-01",
                                                                    "to": today}, token=erin)
    check("the auditor makes no pack (it signs): 403", problem(status, ctype, body, 403), body)
    status, ctype, body, _ = s.request("POST", "/api/v1/reports", {"from": "yesterday",
                                                                    "to": today}, token=bob)
    check("a period that is no date: 400 naming /from",
          problem(status, ctype, body, 400) and body["errors"][0]["pointer"] == "/from", body)
    status, _, listed, _ = s.request("GET", "/api/v1/reports", token=erin)
    check("the auditor lists the packs", status == 200 and
          [p["id"] for p in listed["items"]] == [made.get("id")], listed)
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=60)
    conn.request("GET", made.get("download", "/"), headers={"Authorization": "Bearer " + erin})
    r = conn.getresponse()
    data = r.read()
    conn.close()
    names = []
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as tar:
            names = tar.getnames()
            manifest = json.load(tar.extractfile(made["id"] + "/manifest.json"))
    except (tarfile.TarError, KeyError, ValueError) as e:
        manifest = str(e)
    check("the auditor downloads it as a tar of the pack", r.status == 200 and
          r.getheader("Content-Type") == "application/x-tar" and
          made["id"] + "/index.html" in names and isinstance(manifest, dict), (r.status, names))
    for bad in ("..%2F..%2Fetc%2Fpasswd", "evidence-x%00", ".hidden", "nope"):
        status, ctype, body, _ = s.request("GET", f"/api/v1/reports/{bad}/pack.tar", token=erin)
        check(f"no pack '{bad}': 404", problem(status, ctype, body, 404), (status, body))


def s_db(server):
    return server.proc.args[2]


def raw(server, data, read=True, timeout=10):
    """Sends raw bytes; returns what came back (b'' when the server closed the connection)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered and closed before taking everything
        if not read:
            return b""
        out = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                out += chunk
                if b"\r\n\r\n" in out and len(out) > 12:
                    break
        except socket.timeout:
            pass
        return out


def run_abuse_checks(s, tokens):
    ok = lambda: s.request("GET", "/healthz")[0] == 200  # noqa: E731
    for junk in [b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"\x00\xff" * 100 + b"\r\n\r\n",
                 b"GET /healthz HTTP/1.1\r\nContent-Length: -5\r\n\r\n"]:
        reply = raw(s, junk)
        check(f"malformed HTTP {junk[:16]!r}: refused (4xx or closed)",
              reply == b"" or re.match(rb"HTTP/1\.[01] (4\d\d|505)", reply), reply[:80])
        check("  ... and the server keeps serving", ok())
    big = b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 200000 + b"\r\n\r\n"
    reply = raw(s, big)
    check("an oversized header: 431", reply.startswith(b"HTTP/1.1 431"), reply[:80])
    check("  ... and the server keeps serving", ok())
    auth = ("Authorization: Bearer " + tokens["bob"]).encode()
    reply = raw(s, b"POST /api/v1/decisions HTTP/1.1\r\nHost: x\r\n" + auth +
                b"\r\nContent-Length: 2097152\r\n\r\n")
    check("an oversized body (Content-Length): 413 before it is sent",
          reply.startswith(b"HTTP/1.1 413") and b"problem+json" in reply, reply[:200])
    chunk = b"x" * (1536 * 1024)
    reply = raw(s, b"POST /api/v1/decisions HTTP/1.1\r\nHost: x\r\n" + auth +
                b"\r\nTransfer-Encoding: chunked\r\n\r\n" + b"%x\r\n" % len(chunk) + chunk +
                b"\r\n" + b"%x\r\n" % len(chunk) + chunk + b"\r\n0\r\n\r\n")
    # libmicrohttpd cannot queue an answer in the middle of a chunked body: the connection is
    # closed as soon as the limit is passed, the rest is never read.
    check("an oversized body (chunked): refused while it arrives",
          reply.startswith(b"HTTP/1.1 413") or reply == b"", reply[:200])
    check("  ... and the server keeps serving", ok())
    status, ctype, body, _ = s.request("POST", "/api/v1/decisions", body="[" * 100000,
                                       token=tokens["bob"])
    check("a deeply nested body: 400", problem(status, ctype, body, 400), (status, body))
    status, ctype, body, _ = s.request("POST", "/api/v1/decisions", body="{not json",
                                       token=tokens["bob"])
    check("a body that is not JSON: 400", problem(status, ctype, body, 400), (status, body))
    for path in ["/api/v1/../../etc/passwd", "/../etc/passwd", "/api/v1/%2e%2e/%2e%2e/etc/passwd",
                 "/api/v1/vulnerabilities/..%2F..%2Fetc%2Fpasswd"]:
        status, ctype, body, _ = s.request("GET", path, token=tokens["erin"])
        check(f"path traversal {path}: 404", status == 404 and "root:" not in json.dumps(body),
              (status, body))
    for value in ["' OR 1=1 --", "\"; DROP TABLE findings; --", "%", "_", "\\", "\x00"]:
        q = "".join("%%%02X" % b for b in value.encode())
        for param in ["class", "cve", "asset", "scanner", "zone", "sort", "state"]:
            status, ctype, body, _ = s.request("GET", f"/api/v1/vulnerabilities?{param}={q}",
                                               token=tokens["erin"])
            if not (status == 200 and body["total"] == 0 or status == 400):
                check(f"SQL metacharacters in {param}", False, (value, status, body))
                break
    check("SQL metacharacters in every filter: no rows or 400, never more", True)
    status, _, body, _ = s.request("GET", "/api/v1/vulnerabilities", token=tokens["erin"])
    check("the database is intact after them", status == 200 and body["total"] == 2, body)
    # Slow clients hold a connection each and nothing else.
    slow = []
    for _ in range(50):
        c = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        slow.append(c)
    idle = []
    for _ in range(200):
        c = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        idle.append(c)
    start = time.monotonic()
    served = all(ok() for _ in range(20))
    check("serving while 50 slow-header and 200 idle connections are open",
          served and time.monotonic() - start < 10, time.monotonic() - start)
    for c in slow + idle:
        c.close()
    # A request in flight when SIGTERM comes is finished: a scan import.
    report = nessus([(f"h{i}", f"10.1.{i // 250}.{i % 250}", "", T0 + 86400, True,
                      [(5000 + j, 443, "remote") for j in range(20)]) for i in range(400)])
    data = report.encode()
    head = ("POST /api/v1/scans?scanner=bulk HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
            f"{tokens['bob']}\r\nContent-Length: {len(data)}\r\nConnection: close\r\n\r\n")
    started = threading.Event()
    result = {}

    def push():
        # Half the body, then the rest after SIGTERM has come: the request is surely in flight.
        with socket.create_connection(("127.0.0.1", s.port), timeout=120) as sock:
            sock.sendall(head.encode() + data[: len(data) // 2])
            started.set()
            time.sleep(1.0)
            sock.sendall(data[len(data) // 2:])
            reply = b""
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                reply += chunk
        result["reply"] = reply

    t = threading.Thread(target=push)
    t.start()
    started.wait(60)
    time.sleep(0.2)
    s.proc.send_signal(signal.SIGTERM)
    t.join(120)
    reply = result.get("reply", b"")
    body = reply.split(b"\r\n\r\n", 1)[-1]
    try:
        hosts = json.loads(body).get("hosts")
    except ValueError:
        hosts = None
    check("SIGTERM: the import in flight finishes (201)", reply.startswith(b"HTTP/1.1 201") and
          hosts == 400, reply[:300])


def main():
    with tempfile.TemporaryDirectory() as d:
        test_api(d)
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    sys.exit(1 if RESULTS["failed"] else 0)


if __name__ == "__main__":
    main()
