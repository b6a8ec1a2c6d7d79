#!/usr/bin/env python3
"""The vigil binary end to end on PostgreSQL: init, import a sample scan, list, verify the
audit log; and the same commands on SQLite print the same listing.

Usage (under tests/support/pg_cluster.py, which sets VIGIL_PG_URL):
  postgres_cli_test.py VIGIL_BINARY TESTDATA_DIR
"""
import os
import subprocess
import sys
import tempfile

VIGIL = os.path.abspath(sys.argv[1])
TESTDATA = os.path.abspath(sys.argv[2])
URL = os.environ.get("VIGIL_PG_URL", "")
FAILED = []


def run(db, *args, config=None):
    cmd = [VIGIL, "--db", db]
    if config:
        cmd += ["--config", config]
    cmd += list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=300)
    return p


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what)
    if not ok:
        FAILED.append(what)
        if detail:
            print("     " + detail.replace("\n", "\n     "))


def session(d, db, label):
    """Runs the commands on `db`; returns the listing `vigil vulns` printed."""
    cfg = os.path.join(d, label + ".toml")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write('[audit]\nkey_file = "{}"\n'.format(os.path.join(d, label + ".key")))
    if label == "postgres":
        p = run(db, "init")
        check(label + ": init without [audit] key_file is refused, nothing created",
              p.returncode != 0 and "[audit] key_file" in p.stderr
              and "vigil init" in run(db, "vulns").stderr, p.stdout + p.stderr)
    p = run(db, "init", config=cfg)
    check(label + ": init", p.returncode == 0, p.stdout + p.stderr)
    p = run(db, "init", config=cfg)
    check(label + ": init again is up to date",
          p.returncode == 0 and "up to date" in p.stdout, p.stdout + p.stderr)
    p = run(db, "init")
    check(label + ": init without --config keeps the recorded key file",
          p.returncode == 0 and "up to date" in p.stdout
          and os.path.join(d, label + ".key") in p.stdout, p.stdout + p.stderr)
    if label == "postgres":
        keyless = os.path.join(d, "keyless.toml")
        with open(keyless, "w", encoding="utf-8") as f:
            f.write('[check]\nstale_after = "400d"\n')
        p = run(db, "config", "apply", keyless)
        c = run(db, "audit", "checkpoint")
        check(label + ": config apply without [audit] key_file is refused; the log still signs",
              p.returncode == 2 and "has no [audit] key_file" in p.stderr and
              c.returncode == 0, p.stdout + p.stderr + c.stderr)
    scan = os.path.join(TESTDATA, "nessus", "all_fields.nessus")
    p = run(db, "import", scan)
    check(label + ": import", p.returncode == 0, p.stdout + p.stderr)
    p = run(db, "import", scan)
    check(label + ": the same file again is recognised", p.returncode in (0, 1),
          p.stdout + p.stderr)
    vulns = run(db, "vulns", "--all")
    check(label + ": vulns", vulns.returncode == 0 and vulns.stdout.strip() != "",
          vulns.stdout + vulns.stderr)
    for args in (["findings"], ["assets"], ["scanners"]):
        p = run(db, *args)
        check(label + ": " + args[0], p.returncode == 0, p.stdout + p.stderr)
    p = run(db, "audit", "verify")
    check(label + ": audit verify", p.returncode == 0 and p.stdout.startswith("ok"),
          p.stdout + p.stderr)
    return vulns.stdout


def main():
    if not URL:
        print("VIGIL_PG_URL is not set: run under tests/support/pg_cluster.py")
        return 1
    with tempfile.TemporaryDirectory() as d:
        on_pg = session(d, URL, "postgres")
        on_sqlite = session(d, os.path.join(d, "v.db"), "sqlite")
        check("the listing is the same on both databases", on_pg == on_sqlite,
              "postgres:\n" + on_pg + "\nsqlite:\n" + on_sqlite)
        secret = URL + ("&" if "?" in URL else "?") + "password=zzsecretzz"
        p = run(secret, "init")
        c = run(secret, "audit", "checkpoint")
        check("a password in the URL is never shown nor recorded in the log's origin",
              p.returncode == 0 and c.returncode == 0
              and "zzsecretzz" not in p.stdout + p.stderr + c.stdout + c.stderr
              and "password=***" in p.stdout, p.stdout + p.stderr + c.stdout + c.stderr)
        p = run(URL.replace("vigil_test", "no_such_db"), "vulns")
        check("a missing database is a clear error",
              p.returncode != 0 and "no_such_db" in p.stderr, p.stderr)
    print("{} failed".format(len(FAILED)) if FAILED else "all passed")
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
