#!/usr/bin/env python3
"""Two `vigil serve` processes on one PostgreSQL database (docs/deployment.md): every writer
takes the database's advisory lock, so what the two do at once is what one would do in turn.

  1. concurrent imports through both servers (the same report to both at once too): the
     findings equal a sequential import into a fresh SQLite database, no duplicate row;
  2. concurrent decisions and approvals through both: none lost, and the same decision
     approved on both at once is approved once (the other gets 409);
  3. the audit log stays one linear Merkle log (verify, seq 1..N, a checkpoint signed through
     one server is consistent with the log the other appended to afterwards);
  4. scheduled work runs once between them: the daily checkpoint at start, the daily digest
     (to a local SMTP sink), a decision's expiry (one decision.lapsed event).

Usage (under tests/support/pg_cluster.py, which sets VIGIL_PG_URL):
  two_servers_test.py VIGIL_BINARY TESTDATA_DIR
"""
import datetime
import http.client
import json
import os
import re
import signal
import socketserver
import subprocess
import sys
import tempfile
import threading
import time

VIGIL = os.path.abspath(sys.argv[1])
TESTDATA = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else ""
URL = os.environ.get("VIGIL_PG_URL", "")
PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
TOKEN = re.compile(r"vgt_[A-Za-z0-9_-]{43}")
FAILED = []
NOW = int(time.time())
T0 = NOW - 86400  # the database's history starts a day ago (a test-clock database)


def iso(t):
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        FAILED.append(what)
        if detail:
            print("     " + str(detail).replace("\n", "\n     ")[:3000], flush=True)


def vigil(db, *args, now=None, user=None, token=None, config=None):
    cmd = [VIGIL, "--db", db]
    if now is not None:
        cmd += ["--now", iso(now)]
    if user:
        cmd += ["--as", user]
    if config:
        cmd += ["--config", config]
    env = dict(os.environ)
    env.pop("VIGIL_TOKEN", None)
    if token:
        env["VIGIL_TOKEN"] = token
    return subprocess.run(cmd + list(args), capture_output=True, text=True, errors="replace",
                          timeout=120, env=env)


def nessus(hosts, start):
    """hosts: [(name, ip, [(plugin, port)])]"""
    x = ['<?xml version="1.0" ?>', "<NessusClientData_v2>", '<Report name="r">']
    for name, ip, items in hosts:
        x.append(f'<ReportHost name="{name}"><HostProperties>'
                 f'<tag name="HOST_START_TIMESTAMP">{start}</tag>'
                 f'<tag name="host-ip">{ip}</tag>'
                 '<tag name="Credentialed_Scan">true</tag></HostProperties>')
        for plugin, port in items:
            x.append(f'<ReportItem port="{port}" svc_name="www" protocol="tcp" severity="3" '
                     f'pluginID="{plugin}" pluginName="Plugin {plugin}" pluginFamily="Web">'
                     f'<plugin_type>remote</plugin_type><cvss3_base_score>7.5'
                     f'</cvss3_base_score><cve>CVE-2024-{plugin:04d}</cve>'
                     f'<plugin_output>p{plugin}</plugin_output></ReportItem>')
        x.append("</ReportHost>")
    x.append("</Report></NessusClientData_v2>")
    return "\n".join(x) + "\n"


class SmtpSink(socketserver.ThreadingTCPServer):
    """A minimal SMTP server on the loopback: every message's DATA kept in `messages`."""
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.messages = []
        super().__init__(("127.0.0.1", 0), SmtpHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


class SmtpHandler(socketserver.StreamRequestHandler):
    def handle(self):
        self.wfile.write(b"220 sink ESMTP\r\n")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            cmd = line.strip().upper()
            if cmd.startswith(b"EHLO"):
                self.wfile.write(b"250-sink\r\n250 8BITMIME\r\n")
            elif cmd.startswith(b"DATA"):
                self.wfile.write(b"354 go on\r\n")
                data = []
                while True:
                    l = self.rfile.readline()
                    if not l or l in (b".\r\n", b".\n"):
                        break
                    data.append(l)
                self.server.messages.append(b"".join(data).decode("utf-8", "replace"))
                self.wfile.write(b"250 queued\r\n")
            elif cmd.startswith(b"QUIT"):
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


class Server:
    def __init__(self, db, log):
        self.log = open(log, "w")
        self.proc = subprocess.Popen([VIGIL, "--db", db, "serve", "--listen", "127.0.0.1:0"],
                                     stdout=self.log, stderr=subprocess.PIPE, text=True)
        self.port = None
        self.stderr_lines = []

    def wait_listening(self):
        line = self.proc.stderr.readline()
        m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if not m:
            raise RuntimeError("the server did not start: " + line + self.proc.stderr.read())
        self.port = int(m.group(1))
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self):
        for line in self.proc.stderr:
            self.stderr_lines.append(line)

    def request(self, method, path, body=None, token=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        h = {}
        if token:
            h["Authorization"] = "Bearer " + token
        if isinstance(body, (dict, list)):
            body = json.dumps(body)
            h["Content-Type"] = "application/json"
        if isinstance(body, str):
            body = body.encode("utf-8")
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        conn.close()
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = data
        return r.status, parsed

    def listing(self, path, token):
        items, cursor = [], None
        while True:
            sep = "&" if "?" in path else "?"
            q = path + sep + "limit=500" + ("&cursor=" + cursor if cursor else "")
            status, body = self.request("GET", q, token=token)
            if status != 200:
                raise RuntimeError(f"GET {q}: {status} {body}")
            items += body["items"]
            cursor = body.get("next_cursor")
            if not cursor:
                return items

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = None
        self.log.close()
        return rc


def psql(sql):
    p = subprocess.run([os.path.join(PG_BIN, "psql"), "-XAtq", URL, "-c", sql],
                       capture_output=True, text=True)
    if p.returncode != 0:
        raise RuntimeError("psql: " + p.stderr)
    return p.stdout.split("\n")[:-1] if p.stdout else []


def concurrently(calls):
    """Runs every call at once (a barrier before each); returns their results in order."""
    out = [None] * len(calls)
    barrier = threading.Barrier(len(calls))

    def one(i, f):
        barrier.wait()
        try:
            out[i] = f()
        except Exception as e:  # noqa: BLE001 - reported as the result
            out[i] = ("exception", repr(e))

    threads = [threading.Thread(target=one, args=(i, f)) for i, f in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


# The scans: disjoint hosts sharing plugins (every import races to create the same
# vulnerabilities), one host seen by two scanners (both race to create the asset), and one
# report sent to both servers at once.
SCAN_TIME = NOW - 3 * 3600
REPORTS = []
for i in range(6):
    hosts = [(f"h{i}-{j}", f"10.1.{i}.{j}", [(6000 + (i + j + k) % 10, 443 if k % 2 else 22)
                                            for k in range(4)]) for j in range(4)]
    if i in (0, 1):
        hosts.append(("shared", "10.9.9.9", [(6000 + i, 8443), (6009, 8443)]))
    REPORTS.append((f"scanner{i}", nessus(hosts, SCAN_TIME)))
TWICE = ("pipeline", nessus([(f"t-{j}", f"10.2.0.{j}", [(6000 + j, 80), (6005, 443)])
                             for j in range(5)], SCAN_TIME))
SEED = ("seed", nessus([("seed-1", "10.3.0.1", [(5000, 443), (5001, 443)])], T0 + 60))


def setup(d, mail_port):
    key = os.path.join(d, "audit.key")
    cfg = os.path.join(d, "vigil.toml")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write(f'[audit]\nkey_file = "{key}"\n'
                f'[notify.smtp]\nurl = "smtp://127.0.0.1:{mail_port}"\n'
                'from = "vigil@example.net"\nstarttls = "off"\n'
                # Applied a day ago: today's 00:00 UTC digest is owed, yesterday's is not.
                '[[notify.digest]]\nname = "daily"\nat = "00:00"\ntime_zone = "UTC"\n'
                'to = ["officer@example.net"]\n')
    p = vigil(URL, "init", "--test-clock", now=T0, config=cfg)
    check("init a test-clock PostgreSQL database a day ago", p.returncode == 0,
          p.stdout + p.stderr)
    tokens = {}
    for n, (name, role) in enumerate([("alice", "admin"), ("bob", "analyst"), ("dave", "analyst"),
                                      ("carol", "approver"), ("eve", "approver")]):
        p = vigil(URL, "user", "add", name, "--role", role, now=T0 + 10 + n, user="alice",
                  token=tokens.get("alice"))
        m = TOKEN.search(p.stdout)
        if not m:
            check(f"user {name} added", False, p.stdout + p.stderr)
            return None, None
        tokens[name] = m.group(0)
    for name in ("carol", "eve"):
        # An approval needs a credential nobody else has seen: each renews her own.
        p = vigil(URL, "user", "token", name, now=T0 + 20, user=name, token=tokens[name])
        m = TOKEN.search(p.stdout)
        tokens[name] = m.group(0) if m else ""
    check("users and tokens", all(tokens.values()), tokens)
    seed = os.path.join(d, "seed.nessus")
    with open(seed, "w", encoding="utf-8") as f:
        f.write(SEED[1])
    p = vigil(URL, "import", "--scanner", SEED[0], seed, now=T0 + 120, user="bob",
              token=tokens["bob"])
    check("seed import", p.returncode == 0, p.stdout + p.stderr)
    # An accepted risk that expired an hour after it was approved, a day ago: the first write
    # through either server records its lapse.
    p = vigil(URL, "decide", "tenable:5000", "--type", "accept-risk", "--reason", "other",
              "--basis", "the vendor's fix ships next week; the port is filtered meanwhile",
              "--expires", iso(T0 + 3600), now=T0 + 180, user="bob", token=tokens["bob"])
    p2 = vigil(URL, "approve", "1", now=T0 + 240, user="carol", token=tokens["carol"])
    check("an accepted risk that expires an hour later, approved", p.returncode == 0 and
          p2.returncode == 0, p.stdout + p.stderr + p2.stdout + p2.stderr)
    return cfg, tokens


WRITER_LOCK = 0x766967696C000001  # src/store/postgres/pg_store.h kWriterLock


def start_both(d):
    """Both servers started at the same moment (their first tick runs as they start). The
    writers' advisory lock is held meanwhile, so that both decide their first tick's work
    before either can store it: the race is forced, not left to chance."""
    holder = subprocess.Popen([os.path.join(PG_BIN, "psql"), "-XAtq", URL, "-c",
                               f"SELECT 'held' FROM pg_advisory_lock({WRITER_LOCK})", "-c",
                               "SELECT pg_sleep(4)"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    held = holder.stdout.readline().strip()
    a = Server(URL, os.path.join(d, "a.log"))
    b = Server(URL, os.path.join(d, "b.log"))
    a.wait_listening()
    b.wait_listening()
    holder.wait()
    check("both servers started while the writers' lock was held elsewhere", held == "held",
          held + holder.stderr.read())
    return a, b


def warm_up(a, b, tokens):
    """Each token's first use on a server costs a memory-hard hash, at most two at once (503
    past that, docs/server.md): every token is used once on each server first, in turn."""
    for s in (a, b):
        for name, tok in tokens.items():
            s.request("GET", "/api/v1/scanners", token=tok)


def scheduled_checks(a, b, mail, tokens):
    deadline = time.monotonic() + 20
    # Each server ticks once as it starts, and its dispatcher runs once too.
    while time.monotonic() < deadline and not (
            any("daily checkpoint" in l for l in a.stderr_lines + b.stderr_lines)
            and mail.messages):
        time.sleep(0.2)
    time.sleep(3)
    signed = [l for l in a.stderr_lines + b.stderr_lines if "daily checkpoint" in l]
    status, body = a.request("GET", "/api/v1/audit/verify", token=tokens["alice"])
    check("the daily checkpoint: both servers ticked at start, exactly one checkpoint stored",
          status == 200 and body.get("checkpoints") == 1 and len(signed) == 1,
          (status, body, signed))
    digests = [m for m in mail.messages if "daily report" in m]
    check("the daily digest is delivered exactly once with both servers dispatching",
          len(digests) == 1, (len(mail.messages), a.stderr_lines, b.stderr_lines))


def import_checks(d, a, b, tokens):
    calls = []
    for i, (scanner, report) in enumerate(REPORTS):
        s = a if i % 2 == 0 else b
        tok = tokens["bob"] if i % 2 == 0 else tokens["dave"]
        calls.append(lambda s=s, scanner=scanner, report=report, tok=tok: s.request(
            "POST", "/api/v1/scans?scanner=" + scanner, report, token=tok))
    for s, tok in ((a, tokens["bob"]), (b, tokens["dave"])):
        calls.append(lambda s=s, tok=tok: s.request("POST", "/api/v1/scans?scanner=" + TWICE[0],
                                                    TWICE[1], token=tok))
    started = time.monotonic()
    results = concurrently(calls)
    took = time.monotonic() - started
    distinct = results[:len(REPORTS)]
    check(f"{len(REPORTS)} different reports through both servers at once: 201 each "
          f"({took:.1f}s)", all(r[0] == 201 for r in distinct), distinct)
    twice = sorted(results[len(REPORTS):], key=lambda r: r[0])
    check("the same report to both servers at once: one 201, one 200 already imported",
          [r[0] for r in twice] == [200, 201] and twice[0][1].get("already_imported") is True,
          twice)
    # The same reports one after the other into a fresh SQLite database.
    ref = os.path.join(d, "ref.db")
    p = vigil(ref, "init", config=os.path.join(d, "ref.toml"))
    ok = p.returncode == 0
    for scanner, report in [SEED] + REPORTS + [TWICE]:
        path = os.path.join(d, scanner + ".nessus")
        with open(path, "w", encoding="utf-8") as f:
            f.write(report)
        p = vigil(ref, "import", "--scanner", scanner, path)
        ok = ok and p.returncode == 0
    check("the reference: the same reports in turn into SQLite", ok, p.stdout + p.stderr)

    def rows(listing):
        return sorted((f["asset"], f["vulnerability"], str(f.get("port")), f.get("state"))
                      for f in listing)

    p = vigil(ref, "findings", "--state", "all", "--format", "json")
    want = rows(json.loads(p.stdout)) if p.returncode == 0 else p.stderr
    p = vigil(URL, "findings", "--state", "all", "--format", "json", user="alice",
              token=tokens["alice"])
    got_cli = rows(json.loads(p.stdout)) if p.returncode == 0 else p.stderr
    got_a = rows(a.listing("/api/v1/findings?state=open,fixed,reopened,inactive",
                           tokens["alice"]))
    got_b = rows(b.listing("/api/v1/findings?state=open,fixed,reopened,inactive",
                           tokens["alice"]))
    check(f"the findings equal the sequential import's ({len(want)} rows): CLI, server A and "
          "server B", want and got_cli == want and got_a == want and got_b == want,
          (len(want), len(got_cli), len(got_a), len(got_b),
           sorted(set(got_cli) ^ set(want))[:20]))
    n = psql("SELECT count(*) FROM findings")[0]
    dup = psql("SELECT count(*) FROM (SELECT asset_id, vuln_id, port FROM findings "
               "GROUP BY 1, 2, 3, protocol, location HAVING count(*) > 1) x")[0]
    vul = psql("SELECT count(*) - count(DISTINCT key) FROM vulnerabilities")[0]
    ast = psql("SELECT count(*) FROM assets WHERE name = 'shared'")[0]
    check("no duplicate (asset, vulnerability, port) row, vulnerability or asset",
          int(n) == len(want) and dup == "0" and vul == "0" and ast == "1", (n, dup, vul, ast))
    va = sorted(v["key"] for v in a.listing("/api/v1/vulnerabilities?state=all",
                                                       tokens["alice"]))
    p = vigil(ref, "vulns", "--all", "--format", "json")
    vr = sorted(v["key"] for v in json.loads(p.stdout)) if p.returncode == 0 else None
    check("the vulnerabilities listing equals the reference's", va == vr, (va, vr))


def decision_checks(a, b, tokens):
    basis = "reachable only from the management VLAN behind the jump host"

    def propose(s, who, key):
        return s.request("POST", "/api/v1/decisions",
                         {"key": key, "type": "recast", "reason": "compensating-controls",
                          "basis": basis, "severity": "MEDIUM"}, token=tokens[who])

    keys = [f"tenable:{6000 + k}" for k in range(8)]
    results = concurrently([lambda k=k, key=key: propose(a if k % 2 == 0 else b,
                                                        "bob" if k % 2 == 0 else "dave", key)
                            for k, key in enumerate(keys)])
    check("8 decisions proposed through both servers at once: 201 pending each",
          all(r[0] == 201 and r[1]["state"] == "pending" for r in results), results)
    ids = [r[1]["id"] for r in results if r[0] == 201]
    check("their numbers are distinct", len(set(ids)) == len(ids) == 8, ids)
    # Approved through the other server, two approvers at once; the last one is approved on
    # both servers at the same moment.
    race = ids[-1]
    calls = []
    for k, i in enumerate(ids[:-1]):
        s = b if k % 2 == 0 else a
        calls.append(lambda s=s, i=i, who=("carol" if k % 4 < 2 else "eve"): s.request(
            "POST", f"/api/v1/decisions/{i}/approve", {"note": "checked"}, token=tokens[who]))
    calls.append(lambda: a.request("POST", f"/api/v1/decisions/{race}/approve", {},
                                   token=tokens["carol"]))
    calls.append(lambda: b.request("POST", f"/api/v1/decisions/{race}/approve", {},
                                   token=tokens["eve"]))
    results = concurrently(calls)
    check("7 approvals through both servers at once: 200 approved each",
          all(r[0] == 200 and r[1]["state"] == "approved" for r in results[:-2]),
          results[:-2])
    raced = sorted(results[-2:], key=lambda r: r[0])
    check("the same decision approved on both servers at once: one 200, one 409",
          [r[0] for r in raced] == [200, 409], raced)
    listing = {d["id"]: d for d in a.listing("/api/v1/decisions?state=all", tokens["alice"])}
    check("every decision is there, approved, through server A",
          all(listing.get(i, {}).get("state") == "approved" for i in ids),
          {i: listing.get(i, {}).get("state") for i in ids})
    approvals = psql(f"SELECT count(*) FROM events WHERE type = 'decision.approved' "
                     f"AND subject = 'decision #{race}'")
    check("the raced decision has one approval event", approvals == ["1"], approvals)
    lapsed = psql("SELECT count(*) FROM events WHERE type = 'decision.lapsed'")
    state = listing.get(1, {}).get("state")
    check("the expired decision lapsed once (one decision.lapsed event)",
          lapsed == ["1"] and state == "lapsed", (lapsed, state))


def audit_checks(d, a, b, tokens):
    status, cp = a.request("POST", "/api/v1/audit/checkpoints", token=tokens["alice"])
    check("a checkpoint signed through server A", status == 201 and cp.get("size"), (status, cp))
    # Server B appends afterwards.
    status, body = b.request("POST", "/api/v1/scans?scanner=late",
                             nessus([("late-1", "10.4.0.1", [(6001, 443)])], SCAN_TIME),
                             token=tokens["dave"])
    check("server B appends after it", status == 201, (status, body))
    seqs = [int(x) for x in psql("SELECT seq FROM events ORDER BY seq")]
    check(f"event sequence numbers are 1..{len(seqs)}, no gap or duplicate",
          seqs == list(range(1, len(seqs) + 1)), seqs[-10:])
    n = len(seqs)
    size = cp.get("size", 0) if isinstance(cp, dict) else 0
    status, body = b.request("GET", f"/api/v1/audit/consistency?old={size}&new={n}",
                             token=tokens["alice"])
    check(f"server B proves tree {n} extends A's checkpoint {size}",
          status == 200 and size < n, (status, body))
    note = os.path.join(d, "kept.checkpoint")
    with open(note, "w", encoding="utf-8") as f:
        f.write(cp.get("note", "") if isinstance(cp, dict) else "")
    p = vigil(URL, "audit", "verify", "--checkpoint", note, user="alice", token=tokens["alice"])
    check("vigil audit verify with A's checkpoint kept, after B's writes",
          p.returncode == 0 and p.stdout.startswith("ok"), p.stdout + p.stderr)
    for name, s in (("A", a), ("B", b)):
        status, body = s.request("GET", "/api/v1/audit/verify", token=tokens["alice"])
        check(f"GET /api/v1/audit/verify through server {name}: ok, {n} events",
              status == 200 and body.get("ok") is True and body.get("events") == n,
              (status, body))


def main():
    if not URL:
        print("VIGIL_PG_URL is not set: run under tests/support/pg_cluster.py")
        return 1
    started = time.monotonic()
    mail = SmtpSink()
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "ref.toml"), "w", encoding="utf-8") as f:
            f.write(f'[audit]\nkey_file = "{os.path.join(d, "ref.key")}"\n')
        cfg, tokens = setup(d, mail.server_address[1])
        if not tokens:
            return 1
        a, b = start_both(d)
        try:
            scheduled_checks(a, b, mail, tokens)
            warm_up(a, b, tokens)
            import_checks(d, a, b, tokens)
            decision_checks(a, b, tokens)
            audit_checks(d, a, b, tokens)
        finally:
            rcs = (a.stop(), b.stop())
        check("both servers stop cleanly", rcs == (0, 0), (rcs, a.stderr_lines, b.stderr_lines))
        p = vigil(URL, "audit", "verify", user="alice", token=tokens["alice"])
        check("vigil audit verify after everything", p.returncode == 0 and
              p.stdout.startswith("ok"), p.stdout + p.stderr)
        digests = [m for m in mail.messages if "daily report" in m]
        check("still one digest after all the writes", len(digests) == 1, len(digests))
        problems = [l for l in a.stderr_lines + b.stderr_lines if "failed" in l]
        check("neither server logged a failure", not problems, problems)
    print(f"{'FAIL' if FAILED else 'ok'}: {len(FAILED)} failed, "
          f"{time.monotonic() - started:.1f}s")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
