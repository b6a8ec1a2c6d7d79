#!/usr/bin/env python3
"""People, sessions and pipeline tokens against a real `vigil serve` (docs/server.md#people-and-
sessions, docs/api.md#people-and-sessions).

Enrolment codes from `vigil user add`, passwords the person sets, sign-in with a session cookie
(HttpOnly, SameSite=Strict, Secure behind HTTPS), CSRF tokens on every unsafe request, four eyes
with a session, throttling of failed sign-ins per user and per address (X-Forwarded-For only
from a trusted proxy), pipeline tokens with scopes, revocation, and what the audit log keeps.
Usage: sessions_test.py VIGIL [--sanitized]
"""
import http.client
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "cli"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_test import RESULTS, VIGIL, check, nessus, write  # noqa: E402
from cli_test import vigil_now as vigil  # noqa: E402
from api_test import T0, TOKEN, Server, problem  # noqa: E402

CODE = re.compile(r"enrolment code: ([0-9A-Z]{5}(?:-[0-9A-Z]{5}){3})")
PIPELINE = re.compile(r"vgp_\d+_[A-Za-z0-9_-]{43}")
PASSWORDS = {"bob": "analyst's long passphrase one", "carol": "approves with great care",
             "dave": "signs in from his own desk", "erin": "audits every single quarter"}


class Client:
    """One browser-like client: keeps the session cookie it is given."""

    def __init__(self, server, forwarded_for=None):
        self.server = server
        self.cookie = None
        self.csrf = None
        self.forwarded_for = forwarded_for

    def request(self, method, path, body=None, csrf=True, token=None, headers=None):
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        if csrf and self.csrf and method not in ("GET", "HEAD"):
            h["X-CSRF-Token"] = self.csrf
        if self.forwarded_for:
            h["X-Forwarded-For"] = self.forwarded_for
        return self.server.request(method, path, body=body, token=token, headers=h)

    def sign_in(self, user, password):
        status, ctype, body, headers = self.request("POST", "/api/v1/session",
                                                    {"user": user, "password": password})
        cookie = headers.get("Set-Cookie", "")
        if status == 201:
            self.cookie = cookie.split(";", 1)[0]
            self.csrf = body.get("csrf_token")
        return status, ctype, body, cookie


def setup(d):
    db = os.path.join(d, "sessions.db")
    p = vigil(db, "init")
    check("init", p.returncode == 0, p.stderr)
    tokens, codes = {}, {}
    for name, role in [("alice", "admin"), ("bob", "analyst"), ("carol", "approver"),
                       ("dave", "approver"), ("erin", "auditor")]:
        p = vigil(db, "user", "add", name, "--role", role, user="alice",
                  token=tokens.get("alice"))
        m, c = TOKEN.search(p.stdout), CODE.search(p.stdout)
        check(f"user {name} added with a token and an enrolment code",
              p.returncode == 0 and m and c and "until 20" in p.stdout, p.stdout + p.stderr)
        tokens[name], codes[name] = m.group(0), c.group(1)
    return db, tokens, codes


def enrol(s, user, code, password, headers=None):
    return s.request("POST", "/api/v1/enrolment",
                     {"user": user, "code": code, "password": password}, headers=headers)


def count(db, sql):
    con = sqlite3.connect(db)
    n = con.execute(sql).fetchone()[0]
    con.close()
    return n


def run_enrolment(s, db, codes):
    status, ctype, body, _ = enrol(s, "bob", codes["bob"], "short")
    check("a short password: 400 naming /password", problem(status, ctype, body, 400) and
          body.get("errors", [{}])[0].get("pointer") == "/password", body)
    status, ctype, body, _ = enrol(s, "bob", codes["bob"], "bob" * 6 + "!x")
    check("a password containing the user name: 400", problem(status, ctype, body, 400), body)
    status, ctype, body, _ = enrol(s, "bob", codes["carol"], PASSWORDS["bob"])
    check("another user's code: 403", problem(status, ctype, body, 403), body)
    # Typed back in lower case, without hyphens: still the code.
    typed = codes["bob"].lower().replace("-", "")
    status, _, body, _ = enrol(s, "bob", typed, PASSWORDS["bob"])
    check("bob sets his password with his code (as typed): 204", status == 204, body)
    status, ctype, body, _ = enrol(s, "bob", codes["bob"], "another long passphrase")
    check("the code works once: 403 the second time", problem(status, ctype, body, 403), body)
    # The code is checked and the password hashed outside the server's lock: the same code sent
    # twice at once is still used once.
    raced = []
    threads = [threading.Thread(
        target=lambda: raced.append(enrol(s, "carol", codes["carol"], PASSWORDS["carol"])[0]))
        for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check("one code sent twice at once: one 204, one 403", sorted(raced) == [204, 403], raced)
    for name in ("dave", "erin"):
        status, _, body, _ = enrol(s, name, codes[name], PASSWORDS[name])
        check(f"{name} sets a password: 204", status == 204, body)
    check("the users table keeps only hashes of passwords",
          count(db, "SELECT COUNT(*) FROM users WHERE password_hash LIKE 'scrypt$65536$8$2$%'")
          == 4 and count(db, "SELECT COUNT(*) FROM users WHERE password_hash LIKE '%passphrase%'")
          == 0)
    check("a used code is cleared",
          count(db, "SELECT COUNT(*) FROM users WHERE name = 'bob' AND enrolment_hash IS NULL")
          == 1)


def run_sign_in(s, db, tokens):
    bob = Client(s)
    status, ctype, body, _ = bob.sign_in("bob", "not bob's password at all")
    check("a wrong password: 401 problem", problem(status, ctype, body, 401), body)
    status, ctype, body, _ = bob.sign_in("nobody", "not anybody's password")
    check("an unknown user: the same 401", problem(status, ctype, body, 401) and
          body["detail"] == "the user name or the password is wrong", body)
    status, _, body, cookie = bob.sign_in("bob", PASSWORDS["bob"])
    check("bob signs in: 201 with his role and a CSRF token", status == 201 and
          body.get("role") == "analyst" and body.get("via") == "session" and
          len(body.get("csrf_token") or "") == 43, body)
    attrs = [a.strip() for a in cookie.split(";")]
    check("the session cookie is HttpOnly, SameSite=Strict, Path=/ (no Secure without HTTPS)",
          attrs[0].startswith("vigil_session=") and len(attrs[0]) == len("vigil_session=") + 43
          and "HttpOnly" in attrs and "SameSite=Strict" in attrs and "Path=/" in attrs and
          "Secure" not in attrs, cookie)
    status, _, body, _ = bob.request("GET", "/api/v1/session")
    check("GET /api/v1/session: bob, via his session", status == 200 and
          body.get("user") == "bob" and body.get("csrf_token") == bob.csrf, body)
    status, _, body, _ = bob.request("GET", "/api/v1/vulnerabilities")
    check("the session reads the listings", status == 200 and body.get("total", 0) >= 1, body)

    decide = {"key": "tenable:19506", "type": "recast", "reason": "compensating-controls",
              "basis": "only reachable from the management network", "severity": "LOW"}
    before = count(db, "SELECT COUNT(*) FROM decisions")
    status, ctype, body, _ = bob.request("POST", "/api/v1/decisions", decide, csrf=False)
    check("a session's POST without X-CSRF-Token: 403", problem(status, ctype, body, 403) and
          "CSRF" in body["detail"], body)
    status, ctype, body, _ = bob.request("POST", "/api/v1/decisions", decide, csrf=False,
                                         headers={"X-CSRF-Token": "A" * 43})
    check("a session's POST with another CSRF token: 403", problem(status, ctype, body, 403),
          body)
    check("the refused requests changed nothing",
          count(db, "SELECT COUNT(*) FROM decisions") == before)
    status, _, body, _ = bob.request("POST", "/api/v1/decisions", decide)
    check("with the CSRF token bob proposes a recast: 201", status == 201 and
          body.get("author") == "bob", body)
    decision = body.get("id")
    status, ctype, body, _ = bob.request("POST", f"/api/v1/decisions/{decision}/approve", {})
    check("bob cannot approve his own proposal: 403", problem(status, ctype, body, 403), body)

    # dave's token was issued by alice: with it he cannot approve; signed in with the password
    # he set himself he can.
    status, ctype, body, _ = s.request("POST", f"/api/v1/decisions/{decision}/approve", {},
                                       token=tokens["dave"])
    check("an approver with an admin-issued token cannot approve: 403",
          problem(status, ctype, body, 403) and "issued by alice" in body["detail"], body)
    dave = Client(s)
    dave.sign_in("dave", PASSWORDS["dave"])
    status, _, body, _ = dave.request("POST", f"/api/v1/decisions/{decision}/approve",
                                      {"note": "checked the firewall rules"})
    check("dave approves signed in with his own password: 200", status == 200 and
          body.get("state") == "approved" and body.get("decided_by") == "dave", body)

    erin = Client(s)
    erin.sign_in("erin", PASSWORDS["erin"])
    status, _, body, _ = erin.request("GET", "/api/v1/decisions")
    check("the auditor's session reads everything", status == 200 and body["total"] >= 1, body)
    status, ctype, body, _ = erin.request("POST", "/api/v1/decisions", decide)
    check("the auditor's session changes nothing: 403", problem(status, ctype, body, 403), body)

    status, _, _, headers = bob.request("DELETE", "/api/v1/session")
    check("sign out: 204 and the cookie cleared", status == 204 and
          "Max-Age=0" in headers.get("Set-Cookie", ""), headers)
    status, ctype, body, _ = bob.request("GET", "/api/v1/vulnerabilities")
    check("the signed-out session: 401", problem(status, ctype, body, 401), body)
    status, ctype, body, _ = s.request("DELETE", "/api/v1/session", token=tokens["bob"])
    check("signing out with a token: 409", problem(status, ctype, body, 409), body)
    return dave


def run_password_change(s, db, tokens, dave):
    p = vigil(db, "user", "enrol", "dave", user="alice", token=tokens["alice"])
    code = CODE.search(p.stdout)
    check("user enrol prints a new code", p.returncode == 0 and code, p.stdout + p.stderr)
    status, _, body, _ = dave.request("GET", "/api/v1/session")
    check("a new code alone does not end dave's session", status == 200, body)
    status, _, body, _ = enrol(s, "dave", code.group(1), "his brand new passphrase")
    check("dave sets a new password: 204", status == 204, body)
    status, ctype, body, _ = dave.request("GET", "/api/v1/session")
    check("the new password ends the old session: 401", problem(status, ctype, body, 401), body)
    status, _, _, _ = Client(s).sign_in("dave", PASSWORDS["dave"])
    check("the old password no longer signs in", status == 401)
    status, _, _, _ = Client(s).sign_in("dave", "his brand new passphrase")
    check("the new one does", status == 201)


def run_throttling(s, tokens):
    # Five failures for carol from one client; the sixth attempt is refused even with the
    # right password, and says when to come back.
    c = Client(s, forwarded_for="198.51.100.7")
    for i in range(5):
        status, _, _, _ = c.sign_in("carol", f"wrong password number {i}")
        check(f"carol's wrong password {i + 1}: 401", status == 401)
    status, ctype, body, headers = c.request("POST", "/api/v1/session",
                                             {"user": "carol", "password": PASSWORDS["carol"]})
    check("the sixth sign-in of carol, with the right password: 429 with Retry-After",
          problem(status, ctype, body, 429) and 0 < int(headers.get("Retry-After", "0")) <= 900,
          (status, body, headers))
    # The server does not trust X-Forwarded-For from 127.0.0.1 here: failures count per peer.
    status, _, body, _ = Client(s).sign_in("bob", PASSWORDS["bob"])
    check("bob still signs in (the user count is carol's)", status == 201, body)
    # Twenty failures from one address: that address is refused for every credential it has
    # not proven, while a token it already used keeps working.
    for i in range(25):
        Client(s).sign_in(f"ghost{i}", "not a password anyone has")
    status, ctype, body, headers = s.request("GET", "/api/v1/vulnerabilities",
                                             token="vgt_" + "B" * 43)
    check("after 20 failures an unknown token from the address: 429 with Retry-After",
          problem(status, ctype, body, 429) and int(headers.get("Retry-After", "0")) > 0,
          (status, body, headers))
    status, _, body, _ = s.request("GET", "/api/v1/session", token=tokens["erin"])
    check("a token the server already knows keeps working from that address", status == 200,
          body)
    status, ctype, body, _ = Client(s).sign_in("erin", PASSWORDS["erin"])
    check("and sign-ins from it are refused: 429", problem(status, ctype, body, 429), body)


def run_pipeline_tokens(s, db, tokens):
    alice = tokens["alice"]
    status, ctype, body, _ = s.request("POST", "/api/v1/tokens",
                                       {"label": "x", "scopes": ["admin"]}, token=alice)
    check("an unknown scope: 400 naming /scopes", problem(status, ctype, body, 400) and
          body["errors"][0]["pointer"] == "/scopes", body)
    status, ctype, body, _ = s.request("POST", "/api/v1/tokens",
                                       {"label": "x", "scopes": ["read"], "expires": "400d"},
                                       token=alice)
    check("more than 366 days: 400 naming /expires", problem(status, ctype, body, 400) and
          body["errors"][0]["pointer"] == "/expires", body)
    status, _, body, _ = s.request("POST", "/api/v1/tokens",
                                   {"user": "bob", "label": "ci: nightly", "scopes": ["import"],
                                    "expires": "30d"}, token=alice)
    check("alice issues bob an import token: 201", status == 201 and
          PIPELINE.fullmatch(body.get("token", "")) and body.get("scopes") == ["import"], body)
    importer, importer_id = body.get("token"), body.get("id")
    status, ctype, body, _ = s.request("POST", "/api/v1/tokens",
                                       {"user": "alice", "label": "x", "scopes": ["read"]},
                                       token=tokens["bob"])
    check("bob cannot issue a token for alice: 403", problem(status, ctype, body, 403), body)

    report = nessus([("pipe1", "10.9.0.1", "", T0 + 3600, True, [(19506, 443, "remote")])])
    status, _, body, _ = s.request("POST", "/api/v1/scans?scanner=ci", report, token=importer)
    check("the import token imports: 201", status == 201 and body.get("hosts") == 1, body)
    status, ctype, body, _ = s.request("GET", "/api/v1/vulnerabilities", token=importer)
    check("the import token cannot read: 403 naming its scopes",
          problem(status, ctype, body, 403) and "scopes (import)" in body["detail"], body)
    status, ctype, body, _ = s.request("GET", "/api/v1/session", token=importer)
    check("GET /api/v1/session names the pipeline token", status == 200 and
          body.get("via") == "pipeline token" and body.get("scopes") == "import", body)

    status, _, body, _ = s.request("POST", "/api/v1/tokens",
                                   {"label": "carol's robot", "scopes": ["read", "write"]},
                                   token=tokens["carol"])
    robot = body.get("token")
    check("carol issues herself a read,write token", status == 201 and robot, body)
    status, _, body, _ = s.request("POST", "/api/v1/decisions",
                                   {"key": "tenable:19506", "type": "accept-risk",
                                    "reason": "other",
                                    "basis": "the service is retired next month",
                                    "expires": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(
                                        time.time() + 60 * 86400))}, token=tokens["bob"])
    check("bob proposes an accepted risk: 201", status == 201, body)
    pending = body.get("id")
    status, ctype, body, _ = s.request("POST", f"/api/v1/decisions/{pending}/approve", {},
                                       token=robot)
    check("a pipeline token never approves, whatever its scopes: 403",
          problem(status, ctype, body, 403) and "needs a person" in body["detail"], body)
    status, ctype, body, _ = s.request("POST", "/api/v1/tokens",
                                       {"label": "y", "scopes": ["read"]}, token=robot)
    check("a pipeline token issues no tokens: 403", problem(status, ctype, body, 403), body)

    status, _, body, _ = s.request("GET", "/api/v1/tokens", token=tokens["erin"])
    listed = body.get("items", []) if status == 200 else []
    check("the auditor lists the tokens, never a secret", len(listed) == 2 and
          all("token" not in t and "token_hash" not in t for t in listed) and
          {t["state"] for t in listed} == {"active"}, body)
    status, _, _, _ = s.request("DELETE", f"/api/v1/tokens/{importer_id}", token=tokens["bob"])
    check("bob revokes his import token: 204", status == 204)
    status, ctype, body, _ = s.request("POST", "/api/v1/scans?scanner=ci", report,
                                       token=importer)
    check("the revoked token: 401", problem(status, ctype, body, 401) and
          "revoked by bob" in body["detail"], body)
    status, ctype, body, _ = s.request("DELETE", f"/api/v1/tokens/{importer_id}",
                                       token=tokens["bob"])
    check("revoking it again: 409", problem(status, ctype, body, 409), body)
    status, ctype, body, _ = s.request("DELETE", "/api/v1/tokens/999", token=alice)
    check("an unknown token: 404", problem(status, ctype, body, 404), body)


def run_expired_token(d):
    """A token whose expiry passed: issued on a test-clock database in the past."""
    db = os.path.join(d, "expired.db")
    p = subprocess.run([VIGIL, "--db", db, "--now", "2026-01-01T00:00:00Z", "init",
                        "--test-clock"], capture_output=True, text=True)
    p = subprocess.run([VIGIL, "--db", db, "--now", "2026-01-01T01:00:00Z", "--as", "alice",
                        "user", "add", "alice", "--role", "admin"], capture_output=True, text=True)
    alice = TOKEN.search(p.stdout).group(0)
    p = subprocess.run([VIGIL, "--db", db, "--now", "2026-01-01T02:00:00Z", "--as", "alice",
                        "token", "add", "--label", "old", "--scopes", "read", "--expires", "1d"],
                       capture_output=True, text=True, env=dict(os.environ, VIGIL_TOKEN=alice))
    old = PIPELINE.search(p.stdout)
    check("a token issued on 2026-01-01 for one day", p.returncode == 0 and old,
          p.stdout + p.stderr)
    s = Server(db, os.path.join(d, "expired.log"))
    try:
        status, ctype, body, _ = s.request("GET", "/api/v1/vulnerabilities",
                                           token=old.group(0))
        check("the expired token: 401 saying when it expired",
              problem(status, ctype, body, 401) and
              "expired at 2026-01-02T02:00:00Z" in body["detail"], body)
        status, _, body, _ = s.request("GET", "/api/v1/tokens", token=alice)
        check("the listing shows it expired", status == 200 and
              body["items"][0]["state"] == "expired", body)
    finally:
        s.stop()


def run_behind_proxy(d, db):
    """--public-url https://... makes cookies Secure; --trusted-proxy counts failures by the
    client X-Forwarded-For names."""
    s = Server(db, os.path.join(d, "proxy.log"),
               args=["--public-url", "https://vigil.example.org", "--trusted-proxy", "127.0.0.1"])
    try:
        status, _, body, cookie = Client(s, forwarded_for="203.0.113.9").sign_in(
            "bob", PASSWORDS["bob"])
        check("behind HTTPS the session cookie is Secure", status == 201 and
              "Secure" in [a.strip() for a in cookie.split(";")], cookie)
        for i in range(21):
            Client(s, forwarded_for="203.0.113.66").sign_in(f"ghost{i}", "not a password at all")
        status, ctype, body, _ = Client(s, forwarded_for="203.0.113.66").sign_in(
            "bob", PASSWORDS["bob"])
        check("the client behind the proxy that failed 21 times: 429",
              problem(status, ctype, body, 429), body)
        status, _, body, _ = Client(s, forwarded_for="203.0.113.9").sign_in(
            "bob", PASSWORDS["bob"])
        check("another client behind the same proxy still signs in", status == 201, body)
    finally:
        s.stop()
    p = subprocess.run([VIGIL, "--db", db, "serve", "--public-url", "ftp://x"],
                       capture_output=True, text=True)
    check("--public-url must be http(s): exit 2", p.returncode == 2 and "--public-url" in p.stderr,
          p.stderr)


def test_sessions(d):
    db, tokens, codes = setup(d)
    scan = write(d, "first.nessus",
                 nessus([("ca1", "10.0.0.1", "", T0, True, [(19506, 443, "remote")])]))
    p = vigil(db, "import", "--scanner", "net", scan, user="alice", token=tokens["alice"])
    check("a first scan", p.returncode == 0, p.stderr)
    s = Server(db, os.path.join(d, "access.log"))
    try:
        run_enrolment(s, db, codes)
        dave = run_sign_in(s, db, tokens)
        run_password_change(s, db, tokens, dave)
        run_pipeline_tokens(s, db, tokens)
        run_throttling(s, tokens)
    finally:
        rc = s.stop()
    check("the server stops cleanly", rc == 0, "".join(s.stderr_lines))
    with open(os.path.join(d, "access.log")) as f:
        log = f.read()
    check("no password, code or token reaches the access log",
          not any(pw in log for pw in PASSWORDS.values()) and "vgp_" not in log and
          "vgt_" not in log and not any(c in log for c in codes.values()))
    p = vigil(db, "audit", "verify", user="erin", token=tokens["erin"])
    check("the log verifies after enrolments, sign-ins and tokens", p.returncode == 0,
          p.stdout + p.stderr)
    con = sqlite3.connect(db)
    events = [r[0] for r in con.execute("SELECT type FROM events")]
    from_addr = [json.loads(r[0]).get("from") for r in
                 con.execute("SELECT payload FROM events WHERE type = 'user.password_set'")]
    con.close()
    check("the log records every enrolment, password and token",
          events.count("user.password_set") == 5 and events.count("user.enrolment_issued") == 1
          and events.count("token.issued") == 2 and events.count("token.revoked") == 1, events)
    check("a password_set event says where it came from",
          from_addr and all(a == "127.0.0.1" for a in from_addr), from_addr)
    run_behind_proxy(d, db)
    run_expired_token(d)


def main():
    with tempfile.TemporaryDirectory() as d:
        test_sessions(d)
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    sys.exit(1 if RESULTS["failed"] else 0)


if __name__ == "__main__":
    main()
