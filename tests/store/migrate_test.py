#!/usr/bin/env python3
"""vigil migrate end to end: an SQLite database with real content (users, imports of several
formats, a decision proposed and approved by another user, a decommission, a checkpoint) copied
into PostgreSQL; the target verifies with the same log, lists the same, takes new writes; a
non-empty target and a source at an old schema are refused.

Usage (under tests/support/pg_cluster.py, which sets VIGIL_PG_URL):
  migrate_test.py VIGIL_BINARY TESTDATA_DIR
"""
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

VIGIL = os.path.abspath(sys.argv[1])
TESTDATA = os.path.abspath(sys.argv[2])
URL = os.environ.get("VIGIL_PG_URL", "")
FAILED = []
# Who acts once users are registered (build_source sets it): every command needs one then.
ACTOR = {}


def run(db, *args, config=None, as_user=None, token=None):
    cmd = [VIGIL]
    if not as_user and ACTOR:
        as_user, token = ACTOR["user"], ACTOR["token"]
    if as_user:
        cmd += ["--as", as_user]
    if db:
        cmd += ["--db", db]
    if config:
        cmd += ["--config", config]
    cmd += list(args)
    env = dict(os.environ)
    env.pop("VIGIL_TOKEN", None)
    if token:
        env["VIGIL_TOKEN"] = token
    return subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=300,
                          env=env)


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILED.append(what)
        if detail:
            print("     " + detail.replace("\n", "\n     "))


def token_of(p):
    m = re.search(r"^token: (vgt_[A-Za-z0-9_-]{43})$", p.stdout, re.M)
    return m.group(1) if m else ""


def build_source(d, db):
    """An SQLite database with real content; returns the tokens of its users."""
    cfg = os.path.join(d, "vigil.toml")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write('[audit]\nkey_file = "{}"\norigin = "vigil/migrated"\n'.format(
            os.path.join(d, "signing.key")))
    p = run(db, "init", config=cfg)
    check("source: init", p.returncode == 0, p.stdout + p.stderr)
    for scan in ("nessus/all_fields.nessus", "grype/image.json", "sarif/codeql_like.sarif",
                 "openvas/gmp_response.xml"):
        path = os.path.join(TESTDATA, scan)
        if not os.path.exists(path):
            continue
        p = run(db, "import", path)
        check("source: import " + scan, p.returncode == 0, p.stdout + p.stderr)
    tokens = {}
    for name, role in [("alice", "admin"), ("bob", "analyst"), ("carol", "approver")]:
        p = run(db, "user", "add", name, "--role", role, as_user="alice",
                token=tokens.get("alice"))
        tokens[name] = token_of(p)
        check("source: user add " + name, p.returncode == 0 and tokens[name],
              p.stdout + p.stderr)
    p = run(db, "user", "token", "carol", as_user="carol", token=tokens["carol"])
    tokens["carol"] = token_of(p)
    check("source: carol renews her token", p.returncode == 0 and tokens["carol"],
          p.stdout + p.stderr)
    ACTOR.update(user="alice", token=tokens["alice"])
    vulns = json.loads(run(db, "vulns", "--all", "--format", "json").stdout or "[]")
    key = vulns[0]["key"] if vulns and "key" in vulns[0] else ""
    basis = "the service listens only on the management VLAN behind the jump host"
    p = run(db, "decide", key, "--type", "recast", "--reason", "compensating-controls",
            "--severity", "LOW", "--basis", basis, as_user="bob", token=tokens["bob"])
    check("source: bob proposes a decision", p.returncode == 0, p.stdout + p.stderr)
    m = re.search(r"decision #(\d+)", p.stdout)
    p = run(db, "approve", m.group(1) if m else "1", as_user="carol", token=tokens["carol"])
    check("source: carol approves it", p.returncode == 0, p.stdout + p.stderr)
    assets = json.loads(run(db, "assets", "--format", "json").stdout or "[]")
    name = assets[-1]["name"] if assets else ""
    p = run(db, "decommission", name, "--reason", "replaced", as_user="alice",
            token=tokens["alice"])
    check("source: decommission", p.returncode == 0, p.stdout + p.stderr)
    return tokens


def listings(db):
    return {args: run(db, *args).stdout for args in [
        ("vulns", "--all", "--format", "json"), ("findings", "--format", "json"),
        ("assets",), ("decisions",), ("scanners",)]}


def head_of(db):
    """(size, root) of the log's latest event, read through `audit verify`."""
    p = run(db, "audit", "verify")
    return p.returncode, p.stdout


def old_schema_source(d):
    path = os.path.join(d, "old.db")
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE scanners (id INTEGER PRIMARY KEY, name TEXT)")
    con.execute("PRAGMA user_version = 5")
    con.commit()
    con.close()
    return path


def main():
    if not URL:
        print("VIGIL_PG_URL is not set: run under tests/support/pg_cluster.py")
        return 1
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "source.db")
        build_source(d, src)
        cp = run(src, "audit", "checkpoint")
        check("source: checkpoint", cp.returncode == 0, cp.stdout + cp.stderr)
        kept = os.path.join(d, "kept.checkpoint")
        with open(kept, "w", encoding="utf-8") as f:
            f.write(cp.stdout)
        before = listings(src)
        rc, verified = head_of(src)
        check("source: audit verify", rc == 0, verified)
        events = sqlite3.connect(src).execute(
            "SELECT seq, root_hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()

        p = run(None, "migrate", "--from", "sqlite:" + old_schema_source(d), "--to", URL)
        check("a source at an old schema is refused",
              p.returncode != 0 and "vigil init" in p.stderr, p.stdout + p.stderr)
        p = run(URL, "vulns")
        check("... and the target is left uninitialized",
              p.returncode != 0 and "no vigil schema" in p.stderr, p.stderr)

        secret = URL + ("&" if "?" in URL else "?") + "password=zzsecretzz"
        p = run(None, "migrate", "--from", "sqlite:" + src, "--to", secret)
        check("migrate", p.returncode == 0, p.stdout + p.stderr)
        check("migrate names the log's size and root on both sides",
              events is not None and p.stdout.count(events[1]) == 2
              and "size {}".format(events[0]) in p.stdout, p.stdout)
        check("migrate never shows the password", "zzsecretzz" not in p.stdout + p.stderr,
              p.stdout + p.stderr)

        rc, on_target = head_of(URL)
        check("target: audit verify", rc == 0 and on_target.startswith("ok"), on_target)
        check("target: the same verification report", on_target == verified,
              "source:\n" + verified + "\ntarget:\n" + on_target)
        root = run(URL, "audit", "checkpoint")
        check("target: a new checkpoint has the source's root and size",
              root.returncode == 0 and events is not None and str(events[0]) in root.stdout,
              root.stdout + root.stderr)
        p = run(URL, "audit", "verify", "--checkpoint", kept)
        check("target: the checkpoint kept from the source verifies",
              p.returncode == 0 and p.stdout.startswith("ok"), p.stdout + p.stderr)
        after = listings(URL)
        for args, text in before.items():
            check("target: the same " + " ".join(args), after[args] == text and text.strip(),
                  "source:\n" + text + "\ntarget:\n" + after[args])

        p = run(None, "migrate", "--from", "sqlite:" + src, "--to", URL)
        check("migrating into a non-empty target is refused",
              p.returncode != 0 and "already holds data" in p.stderr, p.stdout + p.stderr)
        check("... and leaves it unchanged", listings(URL) == after and head_of(URL)[0] == 0)

        scan = os.path.join(TESTDATA, "nessus", "all_fields.nessus")
        with open(scan, encoding="utf-8") as f:
            changed = f.read().replace("</NessusClientData_v2>",
                                       "<!-- again -->\n</NessusClientData_v2>")
        again = os.path.join(d, "again.nessus")
        with open(again, "w", encoding="utf-8") as f:
            f.write(changed)
        p = run(URL, "import", again)
        check("target: a new import", p.returncode == 0, p.stdout + p.stderr)
        p = run(URL, "audit", "verify")
        check("target: verifies after the new write", p.returncode == 0, p.stdout + p.stderr)
        p = run(URL, "audit", "verify", "--checkpoint", kept)
        check("target: the kept checkpoint is consistent with the grown log",
              p.returncode == 0, p.stdout + p.stderr)
    print("{} failed".format(len(FAILED)) if FAILED else "all passed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
