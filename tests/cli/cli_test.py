#!/usr/bin/env python3
"""End-to-end tests of the vigil binary: exit codes, output formats, and that rejected input
leaves the database exactly as it was.

Usage: cli_test.py VIGIL_BINARY [--sanitized] [--postgres]
(--sanitized: the binary runs under ASan, whose shadow memory makes RSS limits meaningless.)
(--postgres: every database is a fresh PostgreSQL database of the cluster of $VIGIL_PG_URL, as
tests/support/pg_cluster.py sets it, instead of an SQLite file. Each `init` there is given
`[audit] key_file` (the database's name plus `.db.key` in the test's directory, where SQLite keeps
it); what the tests read or change behind vigil's back goes through psql. The checks that are only
about an SQLite file are skipped, each with a `skip` line, and counted at the end.)
"""
import csv
import hashlib
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse

VIGIL = os.path.abspath(sys.argv[1])
SANITIZED = "--sanitized" in sys.argv[2:]
POSTGRES = "--postgres" in sys.argv[2:]
PG_URL = os.environ.get("VIGIL_PG_URL", "")
PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
NOW = "2026-03-01T12:00:00Z"
RESULTS = {"passed": 0, "failed": 0}
SKIPPED = []
KEYS = {}  # PostgreSQL: the URL of each database new_db made -> its [audit] key_file


def skip(name, reason):
    """A check not run, said so and counted."""
    SKIPPED.append((name, reason))
    print(f"skip {name}: {reason}")


def psql(db, sql, stdin=None):
    """Runs SQL (or, with sql None, the script on stdin) with psql on the PostgreSQL database
    `db` (a URL); returns what it printed, unaligned and without headers."""
    cmd = [os.path.join(PG_BIN, "psql"), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
           "-d", db] + (["-c", sql] if sql is not None else ["-f", "-"])
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        raise RuntimeError(f"psql {sql or stdin[:200]!r} failed: {p.stderr}")
    return p.stdout


def pg_url(name):
    """The URL of the database `name` on the cluster of $VIGIL_PG_URL."""
    parts = urllib.parse.urlsplit(PG_URL)
    return f"{parts.scheme}://{parts.netloc}/{name}" + (f"?{parts.query}" if parts.query else "")


def new_db(d, name):
    """A new database for a test: on SQLite a file path that does not exist yet; on
    PostgreSQL the URL of a fresh, empty database (the key of its audit log goes where SQLite
    keeps it: the name plus .db.key in `d`)."""
    if not POSTGRES:
        return os.path.join(d, name + ".db")
    dbname = "cli_" + name.replace("-", "_")
    psql(PG_URL, f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    psql(PG_URL, f'CREATE DATABASE "{dbname}"')
    url = pg_url(dbname)
    KEYS[url] = os.path.join(d, name + ".db.key")
    return url


def key_of(db):
    """The file of the database's audit signing key."""
    return KEYS[db] if POSTGRES else db + ".key"


def has_database(db):
    """Whether vigil made a database there: on SQLite the file; on PostgreSQL (where the test
    made the empty database) any table."""
    if not POSTGRES:
        return os.path.exists(db)
    return psql(db, "SELECT count(*) FROM information_schema.tables "
                    "WHERE table_schema = current_schema()").strip() != "0"


def pg_literal(value):
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def sql_rows(db, query, params=()):
    """The rows of a query (with ? parameters) read behind vigil's back, as tuples."""
    if not POSTGRES:
        con = sqlite3.connect(db)
        try:
            return con.execute(query, params).fetchall()
        finally:
            con.close()
    parts = query.split("?")
    assert len(parts) == len(params) + 1, query
    query = parts[0] + "".join(pg_literal(v) + rest for v, rest in zip(params, parts[1:]))
    out = psql(db, f"SELECT coalesce(json_agg(row_to_json(q)), '[]') FROM ({query}) q")
    return [tuple(row.values()) for row in json.loads(out)]


def sql_change(db, statement, params=()):
    """Changes the database behind vigil's back: one statement with ? parameters, committed."""
    if not POSTGRES:
        con = sqlite3.connect(db)
        try:
            con.execute(statement, params)
            con.commit()
        finally:
            con.close()
        return
    parts = statement.split("?")
    assert len(parts) == len(params) + 1, statement
    psql(db, parts[0] + "".join(pg_literal(v) + rest for v, rest in zip(params, parts[1:])))


def copy_db(d, db, name):
    """A copy of the database (and, on SQLite, of its key beside it) to tamper with."""
    if not POSTGRES:
        copy = os.path.join(d, name + ".db")
        shutil.copy(db, copy)
        shutil.copy(db + ".key", copy + ".key")
        return copy
    dbname = "cli_" + name.replace("-", "_")
    source = urllib.parse.urlsplit(db).path.lstrip("/")
    psql(PG_URL, f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    psql(PG_URL, f'CREATE DATABASE "{dbname}" TEMPLATE "{source}"')
    url = pg_url(dbname)
    KEYS[url] = KEYS[db]  # the recorded configuration names the original's key file
    return url


def init_config(db, config):
    """PostgreSQL: the configuration an `init` (or `config apply`) is given, with the
    database's [audit] key_file (vigil refuses init there without one). The test's own file
    gets the line, so that the configuration vigil records is still that file (`config show`
    names it); without one, a file of just that line."""
    key = key_of(db)
    line = f'key_file = "{key}"\n'
    if config is None:
        config = key + ".toml"
        with open(config, "w", encoding="utf-8") as f:
            f.write("[audit]\n" + line)
        return config
    with open(config, encoding="utf-8") as f:
        text = f.read()
    if re.search(r"^\s*key_file\s*=", text, re.M):
        return config
    if re.search(r"^\[audit\][ \t]*$", text, re.M):
        text = re.sub(r"^\[audit\][ \t]*$", "[audit]\n" + line.rstrip("\n"), text, count=1,
                      flags=re.M)
    else:
        text += ("" if text.endswith("\n") or not text else "\n") + "\n[audit]\n" + line
    with open(config, "w", encoding="utf-8") as f:
        f.write(text)
    return config


def run(*args, db=None, now=NOW, timed=False, config=None, as_user=None, token=None,
        config_any=None, backwards_ok=False):
    """Runs vigil. Every database a test makes with --now is a test-clock one (its writes take
    --now); `config` is given to init, the only command besides config apply that reads one
    (later commands use the configuration init recorded)."""
    cmd = [VIGIL]
    if as_user:
        cmd += ["--as", as_user]
    if db:
        cmd += ["--db", db]
    if POSTGRES and db and args and args[0] == "init":
        config = init_config(db, config)
    if POSTGRES and db and args[:2] == ("config", "apply") and os.path.isfile(args[2]):
        init_config(db, args[2])  # PostgreSQL's configuration keeps naming its key
    if config and args and args[0] == "init":
        cmd += ["--config", config]
    if config_any:
        cmd += ["--config", config_any]
    if now:
        cmd += ["--now", now]
    args = list(args)
    if now and args and args[0] == "init" and "--test-clock" not in args:
        args.insert(1, "--test-clock")
    cmd += args
    if timed:
        cmd = ["/usr/bin/time", "-f", "TIME %e %M"] + cmd
    env = dict(os.environ)
    env.pop("VIGIL_TOKEN", None)
    if token:
        env["VIGIL_TOKEN"] = token
    p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=120,
                       env=env)
    if "whose time runs backwards" in p.stderr and not backwards_ok:
        # A test's own times out of order would hide what it means to test.
        check("the test's times run forward: " + " ".join(args), False, p.stderr)
    return p


def vigil_now(db, *args, user=None, token=None, timeout=300):
    """Runs vigil to the end with the system clock (for databases that are not test-clock
    ones): `--as user`, and the user's token in $VIGIL_TOKEN when given."""
    cmd = [VIGIL, "--db", db] + (["--as", user] if user else []) + list(args)
    env = dict(os.environ)
    env.pop("VIGIL_TOKEN", None)
    if token:
        env["VIGIL_TOKEN"] = token
    return subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=timeout,
                          env=env)


def check(name, condition, detail=""):
    if condition:
        RESULTS["passed"] += 1
        print(f"ok {name}")
    else:
        RESULTS["failed"] += 1
        print(f"FAIL {name}: {detail}")


def db_fingerprint(db):
    """A hash of everything the database holds: its schema and every row. On PostgreSQL each
    table's columns and indexes, then its rows as text in byte order (vigil's tables have no
    sequences, and a row's place on disk is no content)."""
    h = hashlib.sha256()
    if not POSTGRES:
        con = sqlite3.connect(db)
        for line in con.iterdump():
            h.update(line.encode())
        con.close()
        return h.hexdigest()
    script = r"""
SELECT table_name, ordinal_position, column_name, data_type, is_nullable, column_default
  FROM information_schema.columns WHERE table_schema = current_schema()
  ORDER BY table_name COLLATE "C", ordinal_position;
SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()
  ORDER BY indexname COLLATE "C";
SELECT format('SELECT %L, x::text FROM %I x ORDER BY x::text COLLATE "C"', table_name, table_name)
  FROM information_schema.tables
  WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
  ORDER BY table_name COLLATE "C" \gexec
"""
    h.update(psql(db, None, stdin=script).encode())
    return h.hexdigest()


def nessus(hosts, plugin_set=None, scores=None):
    """hosts: list of (name, ip, fqdn, start_epoch, credentialed, items[(plugin, port, type)]);
    scores: CVSS v3 base score by plugin (default 7.5)"""
    x = ['<?xml version="1.0" ?>', "<NessusClientData_v2>", "<Policy><policyName>p</policyName>"
         "<Preferences><ServerPreferences>"]
    if plugin_set:
        x.append("<preference><name>plugin_set</name><value>%s</value></preference>"
                 % ";".join(map(str, plugin_set)))
    x.append("</ServerPreferences></Preferences></Policy><Report name=\"r\">")
    for name, ip, fqdn, start, cred, items in hosts:
        x.append(f'<ReportHost name="{name}"><HostProperties>')
        x.append(f'<tag name="HOST_START_TIMESTAMP">{start}</tag>')
        if ip:
            x.append(f'<tag name="host-ip">{ip}</tag>')
        if fqdn:
            x.append(f'<tag name="host-fqdn">{fqdn}</tag>')
        if cred is not None:
            x.append(f'<tag name="Credentialed_Scan">{"true" if cred else "false"}</tag>')
        x.append("</HostProperties>")
        for plugin, port, ptype in items:
            x.append(f'<ReportItem port="{port}" svc_name="www" protocol="tcp" severity="3" '
                     f'pluginID="{plugin}" pluginName="Plugin {plugin} &amp; co" '
                     f'pluginFamily="Web"><plugin_type>{ptype}</plugin_type>'
                     f'<cvss3_base_score>{(scores or {}).get(plugin, 7.5)}</cvss3_base_score>'
                     f'<cve>CVE-2024-{plugin:04d}</cve>'
                     f'<plugin_output>Banner: Apache/2.4 "x" &lt;y&gt;, Müller</plugin_output>'
                     f"</ReportItem>")
        x.append("</ReportHost>")
    x.append("</Report></NessusClientData_v2>")
    return "\n".join(x) + "\n"


def write(d, name, content, mode="w"):
    path = os.path.join(d, name)
    with open(path, mode) as f:
        f.write(content)
    return path


def test_usage(d):
    db = new_db(d, "usage")
    p = run("vulns", db=db)
    check("missing database is refused", p.returncode == 2 and "vigil init" in p.stderr,
          p.stderr)
    check("missing database is not created", not has_database(db))
    p = run("frobnicate", db=db)
    check("unknown command exits 2", p.returncode == 2, p.stderr)
    p = run("init", db=db, now="yesterday")
    check("bad --now exits 2", p.returncode == 2 and "--now" in p.stderr, p.stderr)
    p = run("init", db=db)
    check("init creates the database", p.returncode == 0 and "created" in p.stdout, p.stdout)
    p = run("init", db=db)
    check("init again is a no-op", p.returncode == 0 and "up to date" in p.stdout, p.stdout)
    p = run("check", db=db)
    check("check on a database without clock rules says so (policy-unset) and exits 1",
          p.returncode == 1 and "policy-unset" in p.stdout and
          "no compliance clock rules" in p.stdout, p.stdout + p.stderr)
    p = run("vulns", "--format", "xml", db=db)
    check("bad --format exits 2", p.returncode == 2, p.stderr)
    p = run("import", "--parser", "openvasx", os.path.join(d, "x"), db=db)
    check("unknown --parser exits 2", p.returncode == 2 and "parser" in p.stderr, p.stderr)
    p = run("import", os.path.join(d, "does-not-exist.nessus"), db=db)
    check("missing file exits 2", p.returncode == 2 and "does-not-exist" in p.stderr, p.stderr)
    p = run("findings", "--state", "closed", db=db)
    check("bad --state exits 2", p.returncode == 2, p.stderr)


def test_import_and_listings(d):
    db = new_db(d, "main")
    run("init", db=db)
    week1 = write(d, "week1.nessus", nessus([
        ("10.0.0.5", "10.0.0.5", "web.example.org", 1772352000, True,
         [(1001, 443, "remote"), (1002, 443, "remote"), (1003, 0, "local")]),
        ("10.0.0.6", "10.0.0.6", "", 1772352000, False, [(1001, 80, "remote")])],
        plugin_set=[1001, 1002, 1003]))
    p = run("import", "--scanner", "net-weekly", "--format", "json", week1, db=db)
    check("import exits 0", p.returncode == 0, p.stderr)
    check("import prints nothing on stderr when not a terminal", p.stderr == "", p.stderr)
    obj = json.loads(p.stdout)
    want = ["scan_id", "scanner", "hosts", "findings", "new", "fixed", "reopened", "unchanged",
            "absent_unverified", "already_imported"]
    check("import JSON has the documented fields", all(k in obj for k in want), obj.keys())
    check("import counts", (obj["hosts"], obj["findings"], obj["new"], obj["scanner"]) ==
          (2, 4, 4, "net-weekly"), obj)

    week2 = write(d, "week2.nessus", nessus([
        ("10.0.0.5", "10.0.0.5", "web.example.org", 1772956800, False, [(1001, 443, "remote")])],
        plugin_set=[1001, 1002, 1003]))
    obj = json.loads(run("import", "--scanner", "net-weekly", "--format", "json", week2,
                         db=db).stdout)
    check("rescan fixes the remote finding and keeps the local one unverified",
          (obj["fixed"], obj["absent_unverified"], obj["unchanged"]) == (1, 1, 1), obj)
    p = run("import", "--scanner", "net-weekly", "--format", "json", week2, db=db)
    obj = json.loads(p.stdout)
    check("second import of the same file says so", p.returncode == 0 and
          obj["already_imported"] is True and obj["new"] == 0, p.stdout)
    p = run("import", "--scanner", "net-weekly", week2, db=db)
    check("table output names the earlier import", "already imported" in p.stdout, p.stdout)
    obj = json.loads(run("import", "--scanner", "other", "--format", "json", week2, db=db).stdout)
    check("a repeat names the scanner of the earlier import", obj["scanner"] == "net-weekly", obj)

    vulns = json.loads(run("vulns", "--format", "json", db=db).stdout)
    want = ["key", "title", "class", "open_findings", "affected_assets", "first_seen",
            "last_seen", "cves"]
    check("vulns JSON has the documented fields", vulns and all(k in vulns[0] for k in want),
          vulns[:1])
    by_key = {v["key"]: v for v in vulns}
    check("vulns lists only open ones by default", set(by_key) == {"tenable:1001",
                                                                   "tenable:1003"}, by_key)
    check("vuln counts", by_key["tenable:1001"]["open_findings"] == 2 and
          by_key["tenable:1001"]["affected_assets"] == 2 and
          by_key["tenable:1001"]["class"] == "HIGH" and
          by_key["tenable:1001"]["cves"] == ["CVE-2024-1001"], by_key["tenable:1001"])
    check("title text is unescaped once", by_key["tenable:1001"]["title"] == "Plugin 1001 & co",
          by_key["tenable:1001"]["title"])
    allv = json.loads(run("vulns", "--all", "--format", "json", db=db).stdout)
    check("vulns --all includes fixed ones", len(allv) == 3, allv)
    cve = json.loads(run("vulns", "--cve", "cve-2024-1002", "--all", "--format", "json",
                         db=db).stdout)
    check("vulns --cve", [v["key"] for v in cve] == ["tenable:1002"], cve)
    p = run("vulns", "--class", "bogus", db=db)
    check("vulns --class rejects unknown classes", p.returncode == 2, p.stderr)
    unc = json.loads(run("vulns", "--class", "unclassified", "--format", "json", db=db).stdout)
    check("vulns --class unclassified", unc == [], unc)
    keys = lambda *args: [v["key"] for v in json.loads(
        run("vulns", *args, "--format", "json", db=db).stdout)]
    check("vulns --state closed: those without an open finding",
          keys("--state", "closed") == ["tenable:1002"], keys("--state", "closed"))
    check("vulns --state all is --all", keys("--state", "all") == [v["key"] for v in allv])
    check("vulns --sort key and --sort=-key",
          keys("--sort", "key") == ["tenable:1001", "tenable:1003"] and
          keys("--sort=-key") == ["tenable:1003", "tenable:1001"], keys("--sort=-key"))
    check("vulns --sort open_findings, ascending",
          keys("--sort", "open_findings") == ["tenable:1003", "tenable:1001"])
    # tenable:1001 was seen again in week 2; the others last in week 1.
    check("vulns --sort=-last_seen --all: latest first; --sort last_seen: latest last",
          keys("--sort=-last_seen", "--all")[0] == "tenable:1001" and
          keys("--sort", "last_seen", "--all")[-1] == "tenable:1001",
          keys("--sort=-last_seen", "--all"))
    check("vulns --overdue without a policy: none", keys("--overdue") == [])
    for args, flag in [(("--sort", "severity"), "--sort"), (("--state", "gone"), "--state"),
                       (("--zone", "nowhere"), "--zone")]:
        p = run("vulns", *args, db=db)
        check(f"vulns {' '.join(args)}: exit 2 naming {flag}",
              p.returncode == 2 and flag in p.stderr, p.stderr)

    findings = json.loads(run("findings", "--state", "all", "--format", "json", db=db).stdout)
    want = ["vulnerability", "asset", "port", "protocol", "state", "first_seen", "last_seen",
            "fixed_at", "times_reopened", "absent_unverified"]
    check("findings JSON has the documented fields",
          findings and all(k in findings[0] for k in want), findings[:1])
    states = sorted((f["vulnerability"], f["asset"], f["state"], f["absent_unverified"])
                    for f in findings)
    check("finding states after the rescan", states == [
        ("tenable:1001", "10.0.0.6", "open", False),
        ("tenable:1001", "web.example.org", "open", False),
        ("tenable:1002", "web.example.org", "fixed", False),
        ("tenable:1003", "web.example.org", "open", True)], states)
    unv = json.loads(run("findings", "--absent-unverified", "--format", "json", db=db).stdout)
    check("findings --absent-unverified", [f["vulnerability"] for f in unv] == ["tenable:1003"],
          unv)

    assets = json.loads(run("assets", "--format", "json", db=db).stdout)
    want = ["name", "ip", "fqdn", "state", "first_seen", "last_seen"]
    check("assets JSON has the documented fields", all(k in assets[0] for k in want), assets)
    check("assets", sorted(a["name"] for a in assets) == ["10.0.0.6", "web.example.org"], assets)

    scanners = json.loads(run("scanners", "--format", "json", db=db).stdout)
    check("scanners shows the injected import time",
          scanners[0]["name"] == "net-weekly" and scanners[0]["last_import"] == NOW and
          scanners[0]["scans"] == 2, scanners)

    p = run("scanner", "set", "net-weekly", "--kind", "network", "--cadence", "7d", "--grace",
            "1d", db=db)
    check("scanner set", p.returncode == 0 and "cadence 1w" in p.stdout, p.stdout + p.stderr)
    p = run("scanner", "set", "net-weekly", "--kind", "robot", "--cadence", "7d", db=db)
    check("scanner set refuses unknown kinds", p.returncode == 2 and "--kind" in p.stderr,
          p.stderr)
    p = run("scanner", "set", "net-weekly", "--kind", "network", "--cadence", "weekly", db=db)
    check("scanner set refuses a bad cadence", p.returncode == 2 and "--cadence" in p.stderr,
          p.stderr)
    p = run("check", "--format", "json", db=db, now="2026-03-20T00:00:00Z")
    items = json.loads(p.stdout) if p.returncode == 1 else []
    check("check exits 1 and names the stale scanner", p.returncode == 1 and p.stderr == "" and
          [(i["kind"], i["subject"]) for i in items] ==
          [("policy-unset", "policy"), ("stale-scanner", "net-weekly")] and
          all(k in items[1] for k in ["kind", "subject", "since", "detail"]), p.stdout)
    # The rescan (week2) ran on 2026-03-08; due by +7d+1d.
    fresh = json.loads(run("scanners", "--format", "json", db=db, now="2026-03-16T00:00:00Z")
                       .stdout)[0]
    check("scanners JSON has the health fields",
          all(k in fresh for k in ["name", "kind", "cadence", "last_scan", "stale",
                                   "silent_agents"]) and fresh["cadence"] == "1w" and
          fresh["stale"] is False, fresh)
    late = json.loads(run("scanners", "--format", "json", db=db, now="2026-03-20T00:00:00Z")
                      .stdout)[0]
    check("a scanner past cadence and grace is stale", late["stale"] is True, late)

    p = run("decommission", "nowhere.example.org", "--reason", "gone", db=db)
    check("decommission of an unknown asset exits 2", p.returncode == 2 and "no asset" in p.stderr,
          p.stderr)
    p = run("decommission", "10.0.0.6", "--reason", " ", db=db)
    check("decommission needs a reason", p.returncode == 2 and "--reason" in p.stderr, p.stderr)
    p = run("--as", "alice", "decommission", "10.0.0.6", "--reason", "replaced", db=db)
    check("decommission", p.returncode == 0 and "decommissioned 10.0.0.6" in p.stdout,
          p.stdout + p.stderr)
    gone = [a for a in json.loads(run("assets", "--format", "json", db=db).stdout)
            if a["name"] == "10.0.0.6"][0]
    check("a decommissioned asset records who, when and why",
          (gone["state"], gone["decommissioned_by"], gone["decommission_reason"],
           gone["decommissioned_at"], gone["open_findings"]) ==
          ("decommissioned", "alice", "replaced", NOW, 0), gone)
    stale = json.loads(run("assets", "--state", "stale", "--format", "json", db=db,
                           now="2026-06-01T00:00:00Z").stdout)
    check("assets --state stale", [a["name"] for a in stale] == ["web.example.org"], stale)
    back = write(d, "week3.nessus", nessus([
        ("10.0.0.6", "10.0.0.6", "", 1773561600, False, [(1001, 80, "remote")])],
        plugin_set=[1001, 1002, 1003]))
    p = run("import", "--scanner", "net-weekly", "--format", "json", back, db=db)
    check("a decommissioned asset in a new scan raises an alarm",
          p.returncode == 0 and json.loads(p.stdout)["reappeared"] == 1 and
          "ALARM" in p.stderr and "10.0.0.6 was decommissioned" in p.stderr, p.stderr)

    inventory = write(d, "inventory.csv",
                      "name,addresses,zone,scanners\n"
                      "web,web.example.org,dmz,net-weekly\n"
                      "vault,10.0.0.50,certificate-system,net-weekly\n")
    p = run("assets", "import", inventory, db=db)
    check("assets import loads the inventory", p.returncode == 0 and "loaded 2" in p.stdout,
          p.stdout + p.stderr)
    p = run("assets", "import", write(d, "bad.csv", "host\nx\n"), db=db)
    check("a bad inventory is refused with its line", p.returncode == 2 and
          "bad.csv:1: no 'name' column" in p.stderr, p.stderr)
    items = json.loads(run("check", "--format", "json", db=db, now="2026-03-16T00:00:00Z")
                       .stdout)
    kinds = sorted((i["kind"], i["subject"]) for i in items)
    check("check reports coverage gaps and unexpected assets",
          ("coverage-gap", "vault/net-weekly") in kinds and
          ("unexpected-asset", "10.0.0.6") in kinds and
          not any(k == "coverage-gap" and s.startswith("web") for k, s in kinds), kinds)

    rows = list(csv.DictReader(io.StringIO(run("findings", "--format", "csv", db=db).stdout)))
    check("findings CSV", len(rows) == 3 and rows[0]["vulnerability"].startswith("tenable:"),
          rows[:1])
    table = run("vulns", db=db).stdout
    check("vulns table has a heading and rows", table.startswith("KEY") and
          len(table.splitlines()) == 3, table)
    return db


BILLION_LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n' +
                  "".join(' <!ENTITY lol%d "%s">\n' % (i, ("&lol%s;" % ("" if i == 1 else i - 1))
                                                      * 10) for i in range(1, 10)) +
                  ']>\n<NessusClientData_v2>&lol9;</NessusClientData_v2>\n')
XXE = ('<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n'
       '<NessusClientData_v2><Report name="&xxe;"/></NessusClientData_v2>\n')


def bad_inputs(d):
    good = nessus([("10.0.0.9", "10.0.0.9", "", 1772956800, True, [(1001, 443, "remote"),
                                                                  (1004, 22, "remote")])])
    return [
        ("truncated", good[: len(good) // 2].encode(), "truncated", True),
        ("not-xml", b"Plugin ID,CVE,CVSS\n19506,,\n", "not a recognised report", True),
        ("wrong-root", b'<?xml version="1.0"?>\n<scanresult><host/></scanresult>\n',
         "2:1: not a recognised report: XML with root element <scanresult>", True),
        ("utf-16", '<?xml version="1.0" encoding="UTF-16"?><NessusClientData_v2/>'
         .encode("utf-16"), "UTF-16", True),
        ("billion-laughs", BILLION_LAUGHS.encode(), "entity declarations are refused", True),
        ("external-entity", XXE.encode(), "external entity 'xxe'", True),
        ("huge-attribute", ('<NessusClientData_v2><Report name="' + "A" * (10 << 20) +
                            '"/></NessusClientData_v2>').encode(), "is longer than 1048576 bytes", True),
        ("invalid-utf8", good.replace("Müller", "M\xfcller").encode("latin-1"),
         "invalid UTF-8", True),
        ("empty", b"", "empty file", True),
    ]


def test_progress_on_a_terminal(d):
    """With stderr on a terminal, import shows a progress line and erases it at the end."""
    import pty
    db = new_db(d, "tty")
    run("init", db=db)
    path = write(d, "tty.nessus", nessus([("10.0.0.9", "10.0.0.9", "", 1772956800, True,
                                           [(1001, 443, "remote")])]))
    master, slave = pty.openpty()
    p = subprocess.run([VIGIL, "--db", db, "--now", NOW, "import", path], stdout=subprocess.PIPE,
                       stderr=slave, timeout=60)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    seen = b"".join(chunks).decode(errors="replace")
    check("a terminal sees the progress line", p.returncode == 0 and "findings/s" in seen and
          "1 hosts" in seen and seen.endswith("\r\x1b[K"), repr(seen))
    check("the progress line stays off stdout", b"findings/s" not in p.stdout, p.stdout)


def test_bad_input(d, db):
    before = db_fingerprint(db)
    for name, content, needle, positioned in bad_inputs(d):
        path = write(d, name + ".nessus", content, "wb")
        p = run("import", path, db=db, timed=True)
        stats = re.search(r"TIME ([\d.]+) (\d+)", p.stderr)
        seconds, rss_kb = float(stats.group(1)), int(stats.group(2))
        ok = p.returncode == 2 and needle in p.stderr and path in p.stderr
        if positioned:
            ok = ok and re.search(re.escape(path) + r":\d+:\d+: ", p.stderr) is not None
        check(f"bad input {name} is rejected with a clear message", ok,
              f"rc={p.returncode} stderr={p.stderr[:300]!r}")
        check(f"bad input {name} is quick", seconds < 5, seconds)
        if not SANITIZED:
            check(f"bad input {name} stays small", rss_kb < 64 * 1024, f"{rss_kb} KB")
        check(f"bad input {name} leaves the database as it was", db_fingerprint(db) == before)
    # Several files in one call are one transaction: a bad one keeps the good one out too.
    good = write(d, "good.nessus", nessus([("10.0.0.7", "10.0.0.7", "", 1772956800, True,
                                            [(1005, 443, "remote")])]))
    p = run("import", good, os.path.join(d, "truncated.nessus"), db=db)
    check("a bad file among several imports nothing", p.returncode == 2 and
          "nothing was imported" in p.stderr and db_fingerprint(db) == before, p.stderr)


def test_config(d):
    """The configuration file: scanners applied, assets labelled, zone cadence met or missed."""
    db = new_db(d, "config")
    cfg = write(d, "vigil.toml", """
[check]
stale_after = "400d"

[[scanner]]
name = "net"
kind = "network"
cadence = "7d"
grace = "1d"

[[asset_rule]]
cidr = "10.20.0.0/16"
zone = "certificate-system"
site = "DC1"

[[asset_rule]]
name = "*.dmz.example"
zone = "dmz"
owner = "web-team"

[[zone]]
name = "certificate-system"
scan_every = "90d"
kinds = ["network"]
requirement = "NCSSR 1.7 4.c"
""")
    p = run("init", db=db, config=cfg)
    check("init applies the configured scanners", p.returncode == 0 and
          "registered 1 scanners" in p.stdout, p.stdout + p.stderr)
    scan = write(d, "cfg.nessus", nessus([
        ("ca1", "10.20.0.11", "", 1772956800, True, [(2001, 443, "remote")]),
        ("web", "192.0.2.10", "web.dmz.example", 1772956800, True, [(2001, 443, "remote")]),
        ("lab", "172.16.0.5", "", 1772956800, True, [])]))
    p = run("import", "--scanner", "net", scan, db=db, config=cfg)
    check("import with a config", p.returncode == 0, p.stderr)
    p = run("scanners", "--format", "json", db=db, config=cfg)
    s = json.loads(p.stdout)[0]
    check("the configured cadence is in effect", s["cadence"] == "1w" and s["grace"] == "1d"
          and s["kind"] == "network", s)
    p = run("scanners", "--format", "json", db=db, config=cfg, now="2026-03-10T00:00:00Z")
    in_window = json.loads(p.stdout)[0]["scans_in_window"]
    p = run("scanners", "--window", "7d", "--format", "json", db=db, config=cfg,
            now="2026-04-10T00:00:00Z")
    check("scanners count the scans of a trailing window",
          in_window == 1 and json.loads(p.stdout)[0]["scans_in_window"] == 0, p.stdout)
    p = run("assets", "--format", "json", db=db, config=cfg)
    check("assets say when each scanner last scanned them",
          json.loads(p.stdout)[0]["scanned_by"] == ["net 2026-03-08T08:00:00Z"], p.stdout)
    zones = {a["name"]: (a["zone"], a["site"], a["owner"]) for a in json.loads(p.stdout)}
    check("asset rules label assets", zones == {
        "ca1": ("certificate-system", "DC1", None), "web.dmz.example": ("dmz", None, "web-team"),
        "lab": (None, None, None)}, zones)
    p = run("assets", "--zone", "dmz", "--format", "json", db=db, config=cfg)
    check("assets --zone filters", [a["name"] for a in json.loads(p.stdout)] ==
          ["web.dmz.example"], p.stdout)
    p = run("vulns", "--zone", "dmz", "--format", "json", db=db, config=cfg)
    check("vulns --zone: open on an asset of the zone",
          [(v["key"], v["affected_assets"]) for v in json.loads(p.stdout)] == [("tenable:2001", 2)],
          p.stdout)
    p = run("vulns", "--zone", "certificate-system", "--format", "json", db=db, config=cfg)
    check("vulns --zone names a zone of the [[zone]] rules too", p.returncode == 0 and
          len(json.loads(p.stdout)) == 1, p.stdout + p.stderr)
    p = run("scanner", "set", "net", "--kind", "agent", "--cadence", "1d", db=db, config=cfg)
    check("scanner set refuses a scanner the file declares", p.returncode != 0 and
          "declared in" in p.stderr, p.stderr)
    # 2026-03-08 + 90 days = 2026-06-06T08:00:00Z.
    p = run("coverage", "--format", "json", db=db, config=cfg, now="2026-06-06T08:00:00Z")
    rows = json.loads(p.stdout)
    check("coverage: met at the due second", p.returncode == 0 and len(rows) == 1 and
          rows[0]["asset"] == "ca1" and rows[0]["status"] == "met" and
          rows[0]["due"] == "2026-06-06T08:00:00Z" and rows[0]["requirement"] == "NCSSR 1.7 4.c",
          p.stdout + p.stderr)
    p = run("coverage", "--missed", "--format", "json", db=db, config=cfg,
            now="2026-06-06T08:00:01Z")
    check("coverage: missed one second later", [r["asset"] for r in json.loads(p.stdout)] ==
          ["ca1"], p.stdout)
    p = run("check", "--format", "json", db=db, config=cfg, now="2026-06-06T08:00:01Z")
    kinds = [i["kind"] for i in json.loads(p.stdout)]
    check("check reports the missed zone cadence", p.returncode == 1 and
          kinds.count("scan-cadence-missed") == 1 and "stale-scanner" in kinds, p.stdout)
    # The configuration is recorded state: a read uses the stored one, and a file given to it
    # is refused before anything is read or written (an auditor's own file changes nothing).
    before = db_fingerprint(db)
    other = write(d, "other.toml", "[classification]\norder = [\"scanner-severity\"]\n")
    p = run("vulns", "--format", "json", db=db, now="2026-06-06T08:00:01Z",
            config_any=other)
    check("a read refuses --config and writes nothing", p.returncode == 2 and
          "--config is read only by" in p.stderr and db_fingerprint(db) == before, p.stderr)
    env = dict(os.environ, VIGIL_CONFIG=other)
    p = subprocess.run([VIGIL, "--db", db, "--now", "2026-06-06T08:00:01Z", "check", "--format",
                        "json"], capture_output=True, text=True, env=env)
    check("VIGIL_CONFIG does not change what a read uses", p.returncode == 1 and
          "scan-cadence-missed" in p.stdout and db_fingerprint(db) == before, p.stdout + p.stderr)
    p = run("config", "show", db=db)
    check("config show prints the configuration in force", p.returncode == 0 and
          "applied from " + cfg in p.stdout and 'scan_every = "90d"' in p.stdout, p.stdout)
    bad = write(d, "bad.toml", "[[scanner]]\nname = \"net\"\nkind = \"netwrk\"\n")
    p = run("config", "apply", bad, db=db, now="2026-06-06T09:00:00Z")
    check("a bad config is refused with its position and changes nothing",
          p.returncode == 2 and bad + ":3:8:" in p.stderr and db_fingerprint(db) == before,
          p.stderr)
    p = run("config", "apply", os.path.join(d, "none.toml"), db=db, now="2026-06-06T09:00:00Z")
    check("a missing config file is refused", p.returncode == 2 and db_fingerprint(db) == before,
          p.stderr)
    p = run("config", "apply", d, db=db, now="2026-06-06T09:00:00Z")
    check("a directory is not a config file", p.returncode == 2 and "not a regular file" in
          p.stderr and db_fingerprint(db) == before, p.stderr)
    p = run("config", "apply", cfg, db=db, now="2026-06-06T09:00:00Z")
    check("applying the same file again changes nothing", p.returncode == 0 and
          "unchanged" in p.stdout and db_fingerprint(db) == before, p.stdout + p.stderr)
    if POSTGRES:  # (run() would add the key_file line this file is without)
        keyless = write(d, "keyless.toml", "[check]\nstale_after = \"400d\"\n")
        p = subprocess.run([VIGIL, "--db", db, "--now", "2026-06-06T09:00:00Z", "config",
                            "apply", keyless], capture_output=True, text=True, timeout=120)
        check("on PostgreSQL config apply refuses a file without [audit] key_file, naming the "
              "key file in force, and changes nothing (nothing could sign the log after it)",
              p.returncode == 2 and keyless + " has no [audit] key_file" in p.stderr and
              key_of(db) in p.stderr and db_fingerprint(db) == before, p.stderr)
    plain = write(d, "plain.toml", "[check]\nstale_after = \"400d\"\n")
    p = run("config", "apply", plain, db=db, now="2026-06-06T09:00:00Z")
    check("config apply puts another file in force", p.returncode == 0 and
          "applied " + plain in p.stdout, p.stdout + p.stderr)
    p = run("check", "--format", "json", db=db, now="2026-06-06T09:00:01Z")
    check("without the zone rule there is no zone cadence item", p.returncode == 1 and
          "scan-cadence-missed" not in p.stdout, p.stdout)
    events = [(t, json.loads(payload)["text"]) for t, payload in sql_rows(
        db, "SELECT type, payload FROM events WHERE type = 'config.applied' ORDER BY seq")]
    check("each applied configuration is an event holding its full text",
          len(events) == 2 and events[1][1] == open(plain).read(), events)
    p = run("audit", "verify", db=db)
    check("the log verifies after config changes", p.returncode == 0 and
          "the tables match the log" in p.stdout, p.stdout + p.stderr)


def test_decisions(d):
    """Users, decisions with four eyes, clocks, reviews and the KEV catalog, end to end."""
    db = new_db(d, "decisions")
    cfg = write(d, "policy.toml", """
[policy]
profiles = ["ncssr-1.7", "cisa-kev"]
[decisions]
min_basis_length = 20
""")
    run("init", db=db, config=cfg)
    t0 = 1772956800  # 2026-03-08T08:00:00Z
    scan = write(d, "dec.nessus", nessus([
        ("ca1", "10.20.0.11", "", t0, True, [(3001, 443, "remote"), (3002, 22, "remote")])]))
    p = run("import", scan, db=db, config=cfg, now="2026-03-08T09:00:00Z")
    check("import before any user exists", p.returncode == 0, p.stderr)

    tokens = {}

    def v(*args, user="bob", now="2026-03-09T08:00:00Z", token=None):
        return run(*args, db=db, config=cfg, now=now, as_user=user,
                   token=token or tokens.get(user))

    basis = "the service listens only on the <b>management</b> VLAN behind the jump host"
    p = v("decide", "tenable:3001", "--type", "recast", "--reason", "compensating-controls",
          "--severity", "MEDIUM", "--basis", basis)
    check("decisions need registered users", p.returncode == 2 and
          "no users are registered" in p.stderr, p.stderr)
    p = v("user", "add", "alice", "--role", "analyst", user="alice")
    check("the first user must be an admin", p.returncode == 2 and "first user" in p.stderr,
          p.stderr)
    for name, role in [("alice", "admin"), ("bob", "analyst"), ("carol", "approver"),
                       ("dave", "approver"), ("erin", "auditor")]:
        p = v("user", "add", name, "--role", role, user="alice")
        m = re.search(r"^token: (vgt_[A-Za-z0-9_-]{43})$", p.stdout, re.M)
        check(f"alice registers {name} ({role}) and gets a token", p.returncode == 0 and m,
              p.stdout + p.stderr)
        tokens[name] = m.group(1) if m else ""
    # Approving needs a credential the approver issued themselves: the token alice issued is
    # good for renewing it, not for approving.
    for name in ("carol", "dave"):
        p = v("user", "token", name, user=name)
        m = re.search(r"^token: (vgt_[A-Za-z0-9_-]{43})$", p.stdout, re.M)
        check(f"{name} renews the token alice issued", p.returncode == 0 and m and
              "good for approving" in p.stdout, p.stdout + p.stderr)
        tokens[name] = m.group(1) if m else ""
    p = v("user", "list", "--format", "json", user="erin")
    check("tokens are not shown again", "vgt_" not in p.stdout and
          [u["name"] for u in json.loads(p.stdout)] == ["alice", "bob", "carol", "dave", "erin"],
          p.stdout)
    p = v("user", "add", "frank", "--role", "admin", user="bob")
    check("only an admin registers users", p.returncode == 2 and "may not manage users" in
          p.stderr, p.stderr)
    p = v("vulns", user="mallory")
    check("unknown users are refused", p.returncode == 2 and "unknown user 'mallory'" in
          p.stderr, p.stderr)
    p = v("decide", "tenable:3001", "--type", "recast", "--reason", "compensating-controls",
          "--severity", "MEDIUM", "--basis", basis, user="erin")
    check("an auditor cannot decide", p.returncode == 2, p.stderr)
    for args, needle in [
        (["--type", "recst", "--reason", "other", "--basis", basis], "--type must be"),
        (["--type", "recast", "--reason", "because", "--basis", basis], "--reason must be"),
        (["--type", "recast", "--reason", "other", "--severity", "MEDIUM", "--basis", "short"],
         "at least 20"),
        (["--type", "accept-risk", "--reason", "other", "--basis", basis], "must expire"),
        (["--type", "recast", "--reason", "other", "--severity", "MEDIUM", "--basis", basis,
          "--expires", "next week"], "--expires"),
    ]:
        p = v("decide", "tenable:3001", *args)
        check(f"decide refuses: {needle}", p.returncode == 2 and needle in p.stderr, p.stderr)
    p = v("decide", "tenable:3001", "--type", "recast", "--reason", "compensating-controls",
          "--severity", "MEDIUM", "--basis", basis, now="2026-03-09T08:00:00Z")
    check("bob records a recast", p.returncode == 0 and "decision #1" in p.stdout and
          "awaiting approval" in p.stdout, p.stdout + p.stderr)
    before = db_fingerprint(db)
    for who, needle in [("bob", "may not approve"), ("alice", "may not approve"),
                        ("erin", "may not approve")]:
        p = v("approve", "1", user=who, now="2026-03-10T08:00:00Z")
        check(f"{who} cannot approve", p.returncode == 2 and needle in p.stderr, p.stderr)
    p = v("approve", "1", user="carol", token=tokens["bob"], now="2026-03-10T08:00:00Z")
    check("bob cannot approve in carol's name with his own token", p.returncode == 2 and
          "not carol's" in p.stderr, p.stderr)
    p = run("approve", "1", db=db, config=cfg, now="2026-03-10T08:00:00Z", as_user="carol")
    check("acting as someone else needs their token", p.returncode == 2 and
          "needs carol's token" in p.stderr, p.stderr)
    check("refused approvals change nothing", db_fingerprint(db) == before)
    p = v("decide", "tenable:3002", "--type", "false-positive", "--reason", "false-positive",
          "--assets", "ca1", "--basis", basis, user="carol")
    p = v("approve", "2", user="carol", now="2026-03-10T08:00:00Z")
    check("an approver cannot approve their own decision", p.returncode == 2 and
          "four eyes" in p.stderr, p.stderr)
    # An admin who renews an approver's token knows it: that token cannot approve.
    p = v("user", "token", "dave", user="alice", now="2026-03-09T09:00:00Z")
    m = re.search(r"^token: (vgt_[A-Za-z0-9_-]{43})$", p.stdout, re.M)
    admin_issued = m.group(1) if m else ""
    p = v("approve", "1", user="dave", token=admin_issued, now="2026-03-10T08:00:00Z")
    check("a token an admin issued cannot approve", p.returncode == 2 and
          "issued by alice" in p.stderr, p.stderr)
    p = v("user", "token", "dave", user="dave", token=admin_issued, now="2026-03-09T10:00:00Z")
    m = re.search(r"^token: (vgt_[A-Za-z0-9_-]{43})$", p.stdout, re.M)
    tokens["dave"] = m.group(1) if m else ""
    p = v("approve", "1", "--note", "checked the firewall rules", user="dave",
          now="2026-03-10T08:00:00Z")
    check("a second person approves", p.returncode == 0 and "approved by dave" in p.stdout,
          p.stdout + p.stderr)
    p = v("reject", "2", "--basis", "the banner shows the vulnerable version", user="dave",
          now="2026-03-10T09:00:00Z")
    check("a decision can be rejected with a basis", p.returncode == 0 and "rejected" in p.stdout,
          p.stderr)
    p = v("decisions", "--format", "json")
    ds = {x["id"]: x for x in json.loads(p.stdout)}
    check("decisions list states and people", ds[1]["state"] == "approved" and
          ds[1]["decided_by"] == "dave" and ds[1]["author"] == "bob" and
          ds[2]["state"] == "rejected" and ds[2]["assets"] == ["ca1"], p.stdout)
    p = v("vulns", "show", "tenable:3001", "--format", "json", now="2026-03-13T09:00:00Z")
    show = json.loads(p.stdout)
    kinds = [e["kind"] for e in show["timeline"]]
    clock = [c for c in show["clocks"] if c["rule"] == "ncssr-1.7/4.f"]
    check("vulns show: class, timeline and the clock met by the approved basis",
          show["class"] == "MEDIUM" and show["class_source"] == "manual" and
          show["derived_class"] == "HIGH" and kinds.count("decision") == 2 and
          "class" in kinds and clock and clock[0]["status"] == "met" and
          clock[0]["stopped_by"] == "basis #1 (recast)", p.stdout)
    p = v("vulns", "show", "tenable:3001", now="2026-03-13T09:00:00Z")
    check("vulns show prints a timeline for people", p.returncode == 0 and "timeline:" in p.stdout
          and "dave" in p.stdout and basis in p.stdout, p.stdout)
    # tenable:3002 (CVSS 7.5, rejected false positive): its 96 hours end 2026-03-12T08:00:00Z.
    p = v("clocks", "--rule", "ncssr-1.7/4.f", "--format", "json", now="2026-03-12T08:00:00Z")
    st = {c["vulnerability"]: c["status"] for c in json.loads(p.stdout)}
    check("clocks at the 96th hour", st == {"tenable:3001": "met", "tenable:3002": "due-soon"},
          p.stdout)
    p = v("check", "--format", "json", now="2026-03-12T08:00:01Z")
    items = json.loads(p.stdout)
    overdue = [i["subject"] for i in items if i["kind"] == "clock-overdue"]
    check("check: the undocumented one is overdue one second later", p.returncode == 1 and
          overdue == ["ncssr-1.7/4.f/tenable:3002"], p.stdout)
    p = v("decide", "tenable:3002", "--type", "mitigation-plan", "--reason", "other",
          "--assets", "ca1", "--port", "22", "--target", "2026-04-01T00:00:00Z",
          "--basis", "upgrade OpenSSH in the April maintenance window", user="bob",
          now="2026-03-12T09:00:00Z")
    check("a mitigation plan takes effect without approval", p.returncode == 0 and
          "in effect" in p.stdout, p.stdout + p.stderr)
    p = v("findings", "--vuln", "tenable:3002", "--format", "json", now="2026-03-12T09:30:00Z")
    check("findings name the decision that handles them",
          json.loads(p.stdout)[0]["decision"] == "mitigation-plan #3", p.stdout)
    p = v("clocks", "--vuln", "tenable:3002", "--rule", "ncssr-1.7/4.f", "--format", "json",
          now="2026-03-12T09:30:00Z")
    row = json.loads(p.stdout)[0]
    check("a plan after the 96 hours: missed, and by how much",
          row["status"] == "missed" and row["late_by"] == "1h", p.stdout)
    # Reviews.
    p = v("review", "record", "--participants", "bob,carol", "--notes", "weekly triage",
          now="2026-03-12T10:00:00Z")
    check("a review is recorded", p.returncode == 0 and "covers 2 vulnerabilities" in p.stdout,
          p.stdout + p.stderr)
    p = v("review", "record", "--participants", "bob,zed", "--notes", "x")
    check("review participants must be users", p.returncode == 2 and "zed" in p.stderr, p.stderr)
    p = v("review", "list", "--format", "json")
    check("reviews are listed", json.loads(p.stdout)[0]["participants"] == ["bob", "carol"],
          p.stdout)
    # The KEV catalog gives due dates.
    kev = write(d, "kev.json", json.dumps({"catalogVersion": "2026.03.01", "vulnerabilities": [
        {"cveID": "CVE-2024-3002", "vendorProject": "x", "product": "y",
         "vulnerabilityName": "y flaw", "dateAdded": "2026-03-01", "shortDescription": "",
         "requiredAction": "patch", "dueDate": "2026-03-22",
         "knownRansomwareCampaignUse": "Unknown", "notes": ""}]}))
    p = v("kev", "import", kev, now="2026-03-12T11:00:00Z")
    check("kev import", p.returncode == 0 and "loaded 1" in p.stdout, p.stderr)
    p = v("clocks", "--rule", "cisa-kev", "--format", "json")
    rows = json.loads(p.stdout)
    check("the KEV due date is the clock", len(rows) == 1 and
          rows[0]["vulnerability"] == "tenable:3002" and rows[0]["due"] == "2026-03-22T23:59:59Z",
          p.stdout)
    before = db_fingerprint(db)
    bad = write(d, "bad-kev.json", '{"vulnerabilities": [{"cveID": "CVE-1", "dateAdded": "x"}]}')
    p = v("kev", "import", bad, now="2026-03-12T11:00:00Z")
    check("a bad KEV file is refused and changes nothing", p.returncode == 2 and
          "vulnerabilities[0]" in p.stderr and db_fingerprint(db) == before, p.stderr)
    # A changed classification order reclassifies, and the history says so.
    cfg2 = write(d, "policy2.toml", """
[policy]
profiles = ["ncssr-1.7", "cisa-kev"]
[classification]
order = ["scanner-severity"]
""")
    p = v("config", "apply", cfg2, user="bob", now="2026-03-12T11:30:00Z")
    check("only an admin applies a configuration", p.returncode == 2 and
          "may not apply a configuration" in p.stderr, p.stderr)
    p = v("config", "apply", cfg2, user="alice", now="2026-03-12T11:30:00Z")
    check("an admin applies a changed configuration", p.returncode == 0 and
          "reclassified" in p.stdout, p.stdout + p.stderr)
    p = v("vulns", "show", "tenable:3002", "--format", "json", now="2026-03-12T11:40:00Z")
    show = json.loads(p.stdout)
    check("changed classification settings reclassify with a record",
          show["class_source"] == "auto:scanner-severity" and
          any("classification settings changed" in e["text"] for e in show["timeline"]),
          p.stdout)
    test_audit(d, db, cfg2, tokens["bob"])


class People:
    """A database with a policy and three registered people: alice (admin), bob (analyst) and
    carol (approver). `v(...)` runs vigil as one of them."""

    def __init__(self, d, name, policy):
        self.db = new_db(d, name)
        self.cfg = write(d, name + ".toml", policy)
        run("init", db=self.db, config=self.cfg)
        self.tokens = {}
        for user, role in [("alice", "admin"), ("bob", "analyst"), ("carol", "approver")]:
            p = self.v("user", "add", user, "--role", role, user="alice")
            m = re.search(r"^token: (vgt_[A-Za-z0-9_-]{43})$", p.stdout, re.M)
            self.tokens[user] = m.group(1) if m else ""
        # carol approves with a token she issued herself.
        p = self.v("user", "token", "carol", user="carol")
        m = re.search(r"^token: (vgt_[A-Za-z0-9_-]{43})$", p.stdout, re.M)
        self.tokens["carol"] = m.group(1) if m else ""

    def v(self, *args, user="bob", now=NOW):
        return run(*args, db=self.db, now=now, as_user=user, token=self.tokens.get(user))

    def decided(self, *args, now=NOW):
        """bob decides, carol approves; returns the decision's number."""
        p = self.v("decide", *args, now=now)
        m = re.search(r"decision #(\d+)", p.stdout)
        if not m:
            return None
        if "awaiting approval" in p.stdout:
            self.v("approve", m.group(1), user="carol", now=now)
        return m.group(1)


def clock_rows(people, rule, key, now):
    p = people.v("clocks", "--rule", rule, "--vuln", key, "--format", "json", now=now)
    return json.loads(p.stdout) if p.returncode == 0 else p.stderr


def test_designated_critical(d):
    """A vulnerability a person classified CRITICAL gets NCSSR v1.7 4.f's 96 hours (and ETSI's
    48), from its discovery; the designation does not meet the clock it starts."""
    people = People(d, "designated", '[policy]\nprofiles = ["ncssr-1.7", "etsi-319-401"]\n')
    t0 = 1772956800  # 2026-03-08T08:00:00Z
    scan = write(d, "designated.nessus", nessus(
        [("ca1", "10.20.0.11", "", t0, True, [(4001, 443, "remote")])], scores={4001: 5.0}))
    people.v("import", scan, now="2026-03-08T09:00:00Z")
    check("a CVSS 5.0 vulnerability has no 4.f clock",
          clock_rows(people, "ncssr-1.7/4.f", "tenable:4001", "2026-03-08T10:00:00Z") == [])
    number = people.decided("tenable:4001", "--type", "recast", "--severity", "CRITICAL",
                            "--reason", "other", "--basis",
                            "reachable from the RA network: the CA designates it critical",
                            now="2026-03-08T10:00:00Z")
    rows = clock_rows(people, "ncssr-1.7/4.f", "tenable:4001", "2026-03-12T08:00:01Z")
    check("a person's CRITICAL gets the 96-hour clock from the discovery, and is overdue",
          number and len(rows) == 1 and rows[0]["anchor"] == "2026-03-08T08:00:00Z" and
          rows[0]["due"] == "2026-03-12T08:00:00Z" and rows[0]["status"] == "overdue", rows)
    rows = clock_rows(people, "etsi-319-401/critical", "tenable:4001", "2026-03-10T08:00:01Z")
    check("and ETSI's 48 hours", len(rows) == 1 and rows[0]["status"] == "overdue", rows)
    p = people.v("vulns", "--overdue", "--format", "json", now="2026-03-10T08:00:01Z")
    check("vulns --overdue lists it once its clock is overdue",
          [v["key"] for v in json.loads(p.stdout)] == ["tenable:4001"], p.stdout)
    p = people.v("vulns", "--overdue", "--format", "json", now="2026-03-08T10:00:01Z")
    check("and not before", json.loads(p.stdout) == [], p.stdout)
    p = people.v("check", "--format", "json", now="2026-03-12T08:00:01Z")
    subjects = [i["subject"] for i in json.loads(p.stdout) if i["kind"] == "clock-overdue"]
    check("check reports the designated critical overdue", p.returncode == 1 and
          "ncssr-1.7/4.f/tenable:4001" in subjects, p.stdout)


def test_patch_clock(d):
    """NCSSR v1.7 1.l: only a documented patch-harm basis (or a false positive) excuses a patch
    missing for six months; compensating controls answer 4.f, not 1.l."""
    people = People(d, "patch", '[policy]\nprofiles = ["ncssr-1.7"]\n')
    t0 = 1772956800  # 2026-03-08T08:00:00Z
    xml = nessus([("ca1", "10.20.0.11", "", t0, True,
                   [(5001, 443, "remote"), (5002, 443, "remote")])])
    xml = xml.replace("<plugin_type>", "<patch_publication_date>2025/10/01"
                      "</patch_publication_date><plugin_type>")
    people.v("import", write(d, "patch.nessus", xml), now="2026-03-08T09:00:00Z")
    basis = "the RA front end is reachable only through the WAF and the jump host"
    people.decided("tenable:5001", "--type", "recast", "--severity", "LOW", "--reason",
                   "compensating-controls", "--basis", basis, now="2026-03-09T08:00:00Z")
    people.decided("tenable:5002", "--type", "accept-risk", "--reason", "patch-harm",
                   "--expires", "2026-09-01T00:00:00Z", "--basis",
                   "the vendor's patch breaks the HSM driver; tested in staging on 2026-03-05",
                   now="2026-03-09T08:00:00Z")
    after = "2026-04-01T00:00:01Z"  # 2025-10-01 + six months, plus one second
    rows = clock_rows(people, "ncssr-1.7/1.l", "tenable:5001", after)
    check("a compensating-controls recast does not stop the patch clock",
          len(rows) == 1 and rows[0]["anchor"] == "2025-10-01T00:00:00Z" and
          rows[0]["status"] == "overdue", rows)
    rows = clock_rows(people, "ncssr-1.7/4.f", "tenable:5001", after)
    check("but meets 4.f", len(rows) == 1 and rows[0]["status"] == "met", rows)
    rows = clock_rows(people, "ncssr-1.7/1.l", "tenable:5002", after)
    check("a patch-harm basis stops it", len(rows) == 1 and rows[0]["status"] == "met" and
          rows[0]["stopped_by"] == "basis #2 (accept-risk)", rows)


def test_plan_overdue(d):
    """A mitigation plan whose target passes while what it covers is not fixed is a check item
    (exit 1), and an open item of the evidence pack."""
    people = People(d, "plan", """
[policy]
profiles = []
[review]
max_share = 1.0
[[scanner]]
name = "net"
kind = "network"
cadence = "90d"
""")
    t0 = 1772956800  # 2026-03-08T08:00:00Z
    scan = write(d, "plan.nessus", nessus(
        [("ca1", "10.20.0.11", "", t0, True, [(6001, 443, "remote")])]))
    people.v("import", "--scanner", "net", scan, now="2026-03-08T09:00:00Z")
    number = people.decided("tenable:6001", "--type", "mitigation-plan", "--reason", "other",
                            "--target", "2026-03-13T00:00:00Z", "--basis",
                            "upgrade Apache in the maintenance window of 12 March",
                            now="2026-03-09T08:00:00Z")
    p = people.v("check", "--format", "json", now="2026-03-13T00:00:00Z")
    kinds = [i["kind"] for i in json.loads(p.stdout)] if p.stdout.startswith("[") else p.stderr
    check("at the plan's target, check has nothing to say of it", number and
          kinds == ["policy-unset"], kinds)
    p = people.v("check", "--format", "json", now="2026-03-13T00:00:01Z")
    items = [i for i in json.loads(p.stdout) if i["kind"] == "plan-overdue"] \
        if p.stdout.startswith("[") else []
    check("one second later the plan is overdue and check exits 1", p.returncode == 1 and
          len(items) == 1 and items[0]["subject"] == f"tenable:6001/decision #{number}" and
          items[0]["since"] == "2026-03-13T00:00:00Z" and
          f"#{number}" in items[0]["detail"] and "bob" in items[0]["detail"] and
          "2026-03-13T00:00:00Z" in items[0]["detail"], p.stdout + p.stderr)
    pack = os.path.join(d, "plan-pack")
    p = people.v("report", "--from", "2026-03-01", "--to", "2026-03-31", "--out", pack,
                 now="2026-04-01T00:00:00Z")
    kinds = []
    if p.returncode == 0:
        with open(os.path.join(pack, "open-items.json"), encoding="utf-8") as f:
            kinds = [i["kind"] for i in json.load(f)]
    check("the evidence pack lists it among the open items", "plan-overdue" in kinds,
          p.stderr + str(kinds))
    fixed = write(d, "plan-fixed.nessus", nessus(
        [("ca1", "10.20.0.11", "", t0 + 25 * 86400, True, [])]))
    p = people.v("import", "--scanner", "net", fixed, now="2026-04-02T09:00:00Z")
    check("the fix is imported after the pack", p.returncode == 0, p.stderr)
    p = people.v("check", "--format", "json", now="2026-04-02T10:00:00Z")
    kinds = [i["kind"] for i in json.loads(p.stdout)] if p.stdout.startswith("[") else p.stderr
    check("once fixed, late, the plan is no longer an open item", kinds == ["policy-unset"],
          kinds)


def test_decommission_times(d):
    """A report of a decommissioned machine observed before its decommissioning is history, not
    a reappearance; one observed a second after it is the alarm."""
    db = new_db(d, "retired")
    run("init", db=db)
    t0 = 1772956800  # 2026-03-08T08:00:00Z
    host = lambda start, items: write(d, f"retired-{start}.nessus", nessus(
        [("ca9", "10.20.0.99", "ca9.example.org", start, True, items)]))
    run("import", host(t0, [(7001, 443, "remote")]), db=db, now="2026-03-08T09:00:00Z")
    run("decommission", "ca9.example.org", "--reason", "replaced by ca10", db=db,
        now="2026-03-10T08:00:00Z")
    p = run("import", "--format", "json", host(t0 + 2 * 86400 - 1, [(7001, 443, "remote")]),
            db=db, now="2026-03-10T09:00:00Z")
    out = json.loads(p.stdout) if p.returncode == 0 else {}
    asset = json.loads(run("assets", "--format", "json", db=db).stdout)[0]
    check("a scan one second before the decommissioning raises no alarm", p.returncode == 0 and
          "ALARM" not in p.stderr and out.get("reappeared") == 0 and
          out.get("stale_hosts") == 1 and asset["state"] == "decommissioned",
          p.stdout + p.stderr + str(asset))
    p = run("import", host(t0 + 2 * 86400 + 1, [(7001, 443, "remote")]), db=db,
            now="2026-03-10T10:00:00Z")
    asset = json.loads(run("assets", "--format", "json", db=db).stdout)[0]
    check("a scan one second after it is the alarm", p.returncode == 0 and
          "ALARM" in p.stderr and "ca9.example.org was decommissioned" in p.stderr and
          asset["state"] == "active", p.stderr + str(asset))


def test_partial_reexport(d):
    """A second export of a scan already imported, filtered to fewer findings, fixes nothing and
    says so: a warning, JSON fields and the scan.imported event."""
    db = new_db(d, "reexport")
    run("init", db=db)
    t0 = 1772956800
    hosts = lambda start, items: [("ca1", "10.20.0.11", "", start, True, items)]
    full = [(8001, 443, "remote"), (8002, 443, "remote"), (8003, 22, "remote")]
    run("import", write(d, "full.nessus", nessus(hosts(t0, full))), db=db)
    filtered = write(d, "critical-only.nessus", nessus(hosts(t0, full[:1])))
    p = run("import", filtered, db=db)
    check("a filtered re-export imports, with a warning in table output", p.returncode == 0 and
          "PARTIAL RE-EXPORT" in p.stdout and "0 fixed" in p.stdout and
          "partial re-export of scan 1" in p.stderr, p.stdout + p.stderr)
    findings = json.loads(run("findings", "--format", "json", db=db).stdout)
    check("nothing it left out is fixed or absent-unverified", len(findings) == 3 and
          all(f["state"] == "open" and not f["absent_unverified"] for f in findings), findings)
    payload = json.loads(sql_rows(db, "SELECT payload FROM events WHERE type = 'scan.imported' "
                                      "ORDER BY seq DESC LIMIT 1")[0][0])
    check("the scan.imported event says partial re-export",
          payload.get("partial_reexport") is True and payload.get("reexport_of") == [1],
          payload)
    same = nessus(hosts(t0, full)).replace("Banner:", "Banner (again):")
    p = run("import", "--format", "json", write(d, "same.nessus", same), db=db)
    out = json.loads(p.stdout) if p.returncode == 0 else {}
    check("a re-export with the same items changes nothing and is no partial one",
          out.get("partial_reexport") is False and out.get("reexport_hosts") == 1 and
          out.get("fixed") == 0 and out.get("unchanged") == 3, p.stdout + p.stderr)
    p = run("import", "--format", "json",
            write(d, "rescan.nessus", nessus(hosts(t0 + 60, full[:1]))), db=db)
    out = json.loads(p.stdout) if p.returncode == 0 else {}
    check("a real rescan a minute later still fixes", out.get("fixed") == 2 and
          out.get("partial_reexport") is False and out.get("reexport_hosts") == 0,
          p.stdout + p.stderr)


def rfc9162_inclusion_ok(index, size, leaf, proof, root):
    """RFC 9162 2.1.3.2, written from the RFC: an independent check of vigil's proofs."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = hashlib.sha256(b"\x01" + p + r).digest()
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = hashlib.sha256(b"\x01" + r + p).digest()
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def canonical_leaf(seq, at, actor, type_, subject, payload):
    """docs/audit.md's leaf encoding, re-implemented."""
    s = lambda v: json.dumps(v, ensure_ascii=False)
    return ('{"actor":%s,"at":%d,"payload":%s,"seq":%d,"subject":%s,"type":%s}' %
            (s(actor), at, payload, seq, s(subject), s(type_))).encode()


def test_audit(d, db, cfg, bob_token):
    """The audit log of the decisions database: checkpoint, verify, proofs, tampering."""
    import base64

    def v(*args):
        return run(*args, db=db, config=cfg, as_user="bob", token=bob_token,
                   now="2026-03-20T09:00:00Z")
    p = v("audit", "checkpoint")
    check("audit checkpoint prints a signed note", p.returncode == 0 and
          "\n\n\u2014 " in p.stdout, p.stdout + p.stderr)
    kept = write(d, "kept-checkpoint.txt", p.stdout)
    p = v("audit", "verify")
    check("audit verify: the log verifies", p.returncode == 0 and p.stdout.startswith("ok: "),
          p.stdout + p.stderr)
    p = v("audit", "verify", "--checkpoint", kept)
    check("audit verify against a kept checkpoint", p.returncode == 0, p.stdout + p.stderr)
    rows = sql_rows(db, "SELECT seq, at, actor, type, subject, payload, leaf_hash FROM events "
                        "ORDER BY seq")
    types = [r[3] for r in rows]
    check("every change is an event", types[0] == "audit.key" and "user.added" in types and
          "scan.imported" in types and "decision.created" in types and
          "decision.approved" in types and "decision.rejected" in types and
          "class.changed" in types and "review.recorded" in types and
          "kev.loaded" in types and "config.applied" in types, types)
    recomputed = all(hashlib.sha256(b"\x00" + canonical_leaf(*r[:6])).hexdigest() == r[6]
                     for r in rows)
    check("the leaf encoding of docs/audit.md re-implemented gives the same hashes", recomputed)
    seq = types.index("decision.approved") + 1
    p = v("audit", "proof", str(seq))
    proof = json.loads(p.stdout)
    b = lambda x: base64.b64decode(x)
    check("audit proof verifies by RFC 9162, independently",
          rfc9162_inclusion_ok(proof["leaf_index"], proof["tree_size"], b(proof["leaf_hash"]),
                               [b(x) for x in proof["proof"]], b(proof["root"])) and
          b(proof["leaf_hash"]) == bytes.fromhex(rows[seq - 1][6]), p.stdout)
    p = v("audit", "consistency", "3", str(len(rows)))
    check("audit consistency prints a proof", p.returncode == 0 and
          json.loads(p.stdout)["size2"] == len(rows), p.stdout + p.stderr)
    tampered = copy_db(d, db, "tampered")
    sql_change(tampered, "UPDATE events SET actor = 'bob' WHERE seq = ?", (seq,))
    p = run("audit", "verify", db=tampered, as_user="bob", token=bob_token)
    check("a changed event is named and verify exits 1", p.returncode == 1 and
          f"FAIL event {seq} " in p.stdout, p.stdout + p.stderr)
    # The evidence pack of March 2026, checked offline, then tampered with.
    pack = os.path.join(d, "pack")
    p = run("report", "--from", "2026-03-01", "--to", "2026-03-31", "--out", pack, db=db,
            config=cfg, as_user="bob", token=bob_token, now="2026-04-01T08:00:00Z")
    check("report writes the evidence pack", p.returncode == 0 and "evidence pack" in p.stdout,
          p.stdout + p.stderr)
    files = set(os.listdir(pack))
    check("the pack holds HTML, CSV, JSON, events, proofs, checkpoint, key and VERIFY.md",
          {"index.html", "VERIFY.md", "events.jsonl", "proofs.jsonl", "checkpoint.txt",
           "verifier-key.txt", "public-key.pem", "manifest.json", "decisions.csv",
           "decisions.json", "clocks.csv", "scans.json", "vulnerabilities.csv",
           "open-items.json"} <= files, files)
    html = open(os.path.join(pack, "index.html"), encoding="utf-8").read()
    check("index.html is self-contained and escapes what users wrote",
          "<script" not in html and "http://" not in html and "https://" not in html and
          "&lt;b&gt;" in html and "decision" in html, html[:400])
    decisions = json.load(open(os.path.join(pack, "decisions.json")))
    check("decisions in the pack carry basis, author and approver",
          any(x["author"] == "bob" and x["decided_by"] == "dave" for x in decisions), decisions)
    check_pack_summary(pack)
    if not SANITIZED:  # the same bytes either way; the browser runs once
        check_pack_in_browser(pack)
    p = run("audit", "verify", "--bundle", pack)
    check("the pack verifies offline without a database", p.returncode == 0 and
          p.stdout.startswith("ok: the pack"), p.stdout + p.stderr)
    bad = os.path.join(d, "pack-bad")
    shutil.copytree(pack, bad)
    with open(os.path.join(bad, "decisions.csv"), "a") as f:
        f.write("99,forged\r\n")
    p = run("audit", "verify", "--bundle", bad)
    check("a changed table file in the pack is named", p.returncode == 1 and
          "decisions.csv does not match" in p.stdout, p.stdout)
    shutil.rmtree(bad)
    shutil.copytree(pack, bad)
    lines = open(os.path.join(bad, "events.jsonl")).read().splitlines()
    ev = json.loads(lines[3])
    ev["actor"] = "mallory"
    lines[3] = json.dumps(ev)
    open(os.path.join(bad, "events.jsonl"), "w").write("\n".join(lines) + "\n")
    p = run("audit", "verify", "--bundle", bad)
    check("a changed event in the pack is named", p.returncode == 1 and
          f"FAIL event {ev['seq']} " in p.stdout, p.stdout)


def check_pack_summary(pack):
    """summary.json counts what the pack's tables hold, and the manifest covers it."""
    summary = json.load(open(os.path.join(pack, "summary.json")))
    table = lambda name: json.load(open(os.path.join(pack, name + ".json")))
    manifest = json.load(open(os.path.join(pack, "manifest.json")))
    check("the pack's manifest lists summary.json with its SHA-256",
          manifest["files"].get("summary.json") ==
          hashlib.sha256(open(os.path.join(pack, "summary.json"), "rb").read()).hexdigest(),
          manifest["files"])
    by_type = {d["type"]: d for d in summary["decisions"]}
    decided = sum(d[k] for d in summary["decisions"] for k in
                  ("approved", "pending", "rejected", "no_approval_asked", "lapsed_unapproved"))
    check("the summary counts every decision of the decisions table by four-eyes status",
          decided == len(table("decisions")) and by_type["recast"]["approved"] >= 1 and
          by_type["false-positive"]["rejected"] >= 1 and
          by_type["mitigation-plan"]["no_approval_asked"] >= 1, summary["decisions"])
    c = summary["clocks"]
    clocks = table("clocks")
    check("the summary counts every clock of the clocks table by status",
          c["total"] == len(clocks) and c["met"] + c["met_late"] + c["overdue"] +
          c["not_yet_due"] == len(clocks) and
          c["met_late"] == sum(1 for x in clocks if x["status"] == "missed") and
          c["overdue"] == sum(1 for x in clocks if x["status"] == "overdue"), c)
    items = table("open-items")
    check("the summary counts the open items by kind",
          summary["open_items"]["total"] == len(items) and
          sum(summary["open_items"]["by_kind"].values()) == len(items), summary["open_items"])
    open_vulns = summary["open_vulnerabilities"]
    series = open_vulns["series"]
    check("open vulnerabilities are sampled daily from the start to the end of the period",
          series[0]["time"] == "2026-03-01T00:00:00Z" and
          series[-1]["time"] == "2026-03-31T23:59:59Z" and len(series) == 32 and
          series[-1] == dict(time=series[-1]["time"], **open_vulns["at_end"]) and
          open_vulns["classes"][:5] == ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIVE"],
          open_vulns)
    check("every scanner of the period is judged against its cadence",
          summary["scanners"] and all(x["cadence_kept"] in ("kept", "missed", "not set")
                                      for x in summary["scanners"]), summary["scanners"])


TOOLING = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tooling")
HTML_ROW_LIMIT = 1000  # report::kHtmlRowLimit
TABLES = ("scans", "vulnerabilities", "decisions", "class-history", "clocks", "open-items")


def run_tool(script, *args, needs):
    """Runs a Node.js script of tests/tooling (installed by `make tooling`). Returns the
    finished process, or an error text when the npm package `needs` is not installed."""
    if not os.path.isdir(os.path.join(TOOLING, "node_modules", needs)):
        return "tests/tooling is not installed: run `make tooling` (npm ci)"
    return subprocess.run(["node", os.path.join(TOOLING, script)] + list(args),
                          capture_output=True, text=True, timeout=180, check=False)


def open_pack_in_browser(pack, label=""):
    """Opens the pack's index.html in real headless Chromium (Playwright, tests/tooling) as an
    auditor would, prints it to an A4 PDF (pack/../pack.pdf) and checks what every pack must
    show. Returns what the browser saw, or None."""
    pdf = os.path.join(pack, "..", os.path.basename(pack) + ".pdf")
    p = run_tool("open_in_chromium.mjs", os.path.join(pack, "index.html"),
                 os.path.join(pack, "..", os.path.basename(pack) + ".png"), pdf,
                 needs="playwright-core")
    if isinstance(p, str):
        check(f"the pack{label} opens in Chromium", False, p)
        return None
    seen = json.loads(p.stdout) if p.returncode == 0 and p.stdout.strip() else None
    check(f"the pack{label} opens in Chromium", seen is not None, p.stderr[-2000:])
    if seen is None:
        return None
    page = "file://" + os.path.abspath(os.path.join(pack, "index.html"))
    check(f"the page{label} loads nothing but itself (no external resources)",
          seen["requests"] == [page], seen["requests"])
    check(f"no console error, script error or dialog{label}",
          not seen["console"] and not seen["dialogs"], seen["console"] + seen["dialogs"])
    rows = {s["id"]: s["rows"] for s in seen["sections"] if s["id"] in TABLES}
    expected = {}
    for name in TABLES:
        with open(os.path.join(pack, name + ".json"), encoding="utf-8") as f:
            expected[name] = min(len(json.load(f)), HTML_ROW_LIMIT)
    check(f"the browser shows the six tables with the rows of their JSON files{label} "
          f"(at most {HTML_ROW_LIMIT})", rows == expected, (rows, expected))
    check(f"the page{label} opens with the summary and its chart (inline SVG)",
          seen["sections"] and seen["sections"][0]["id"] == "summary" and
          seen["summary_svgs"] == 1, [s["id"] for s in seen["sections"]])
    layout = seen["print_layout"] or {}
    pages = layout.get("pages", {})
    check(f"as printed{label}, the summary fits A4 portrait, each table A4 landscape, and no "
          "word is split across lines",
          pages.get("summary") == "auto" and all(pages.get(t) == "wide" for t in TABLES) and
          "summary" not in layout.get("wider_than_portrait", ["?"]) and
          layout.get("wider_than_landscape") == [] and layout.get("split_words") == 0, layout)
    check(f"the page{label} prints (A4 PDF)",
          seen["pdf_head"] == "%PDF-" and seen["pdf_bytes"] > 10000, seen["pdf_bytes"])
    first = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", pdf, "-"],
                           capture_output=True, text=True, check=False)
    text = " ".join(first.stdout.split())
    check(f"the first printed page{label} holds the whole summary and nothing of the tables",
          first.returncode == 0 and "Summary" in text and "Scanners and their cadence" in text
          and "Decisions and four eyes" in text and "open items at the end of the period" in text
          and "Open vulnerabilities by class over the period" in text
          and "Scanning evidence" not in text, first.stderr + text[:3000])
    return seen


def check_pack_in_browser(pack):
    seen = open_pack_in_browser(pack)
    if seen is None:
        return
    decisions = next((s["text"] for s in seen["sections"] if s["id"] == "decisions"), "")
    check("what a user wrote is shown as text, markup included",
          "the service listens only on the <b>management</b> VLAN" in decisions, decisions[:600])
    summary = next((s["text"] for s in seen["sections"] if s["id"] == "summary"), "")
    check("the summary shows the scanners' cadence, the classes, the clocks and the decisions",
          "cadence" in summary and "CRITICAL" in summary and "Compliance clocks" in summary
          and "approved by a second person" in summary, summary[:1500])


REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_version_and_usage_errors(d):
    """--version, --help, and command-line errors in vigil's words with the nearest word."""
    with open(os.path.join(REPO, "CMakeLists.txt")) as f:
        version = re.search(r"project\(vigil VERSION ([0-9.]+)", f.read()).group(1)
    p = run("--version", now=None)
    check("--version prints the project version", p.returncode == 0 and
          p.stdout == f"vigil {version}\n" and p.stderr == "", p.stdout + p.stderr)
    p = run("--help", now=None)
    check("--help prints the usage on stdout, exit 0", p.returncode == 0 and
          "Usage: vigil" in p.stdout and p.stderr == "", p.stderr)
    p = run("vulns", "--help", now=None)
    check("COMMAND --help prints its options", p.returncode == 0 and "--format" in p.stdout and
          p.stderr == "", p.stderr)
    db = new_db(d, "usage-errors")
    want = [
        (["vulsn"], "unknown command 'vulsn'; did you mean 'vulns'?"),
        (["decomission", "x"], "unknown command 'decomission'; did you mean 'decommission'?"),
        (["scanner", "sett", "x"], "unknown command 'scanner sett'; did you mean 'scanner set'?"),
        (["vulns", "--formt", "json"], "unknown option '--formt'; did you mean '--format'?"),
        (["vulns", "--formt=json"], "unknown option '--formt'; did you mean '--format'?"),
        (["--dbb", "x.db", "vulns"], "unknown option '--dbb'; did you mean '--db'?"),
        (["--format", "json", "vulns"], "option '--format' belongs to 'vigil vulns': write it "
         "after the command's name; see 'vigil vulns --help'"),
        (["--test-clock", "init"], "option '--test-clock' belongs to 'vigil init': write it "
         "after the command's name; see 'vigil init --help'"),
        (["frobnicate"], "unknown command 'frobnicate'; see 'vigil --help'"),
        (["vulns", "--bogus"], "unknown option '--bogus'; see 'vigil vulns --help'"),
        (["approve", "1", "2"], "unexpected argument '2'; see 'vigil approve --help'"),
        (["approve", "abc"], "ID: 'abc' is not a whole number; see 'vigil approve --help'"),
        (["approve"], "'vigil approve' needs the argument ID; see 'vigil approve --help'"),
        (["decide", "k"], "'vigil decide' needs --type; see 'vigil decide --help'"),
        (["vulns", "--format"], "option --format needs a value; see 'vigil vulns --help'"),
        (["scanner"], "'vigil scanner' needs one of: set"),
        ([], "no command given; see 'vigil --help'"),
    ]
    for args, message in want:
        p = run(*args, db=db, now=None)
        check(f"usage error {' '.join(args) or '(none)'}: exit 2, one line in vigil's words",
              p.returncode == 2 and p.stdout == "" and
              p.stderr == f"vigil: error: {message}\n", repr(p.stderr))
    check("usage errors create no database", not has_database(db))


def test_exit_codes_of_failures(d):
    """Exit 3 for a database that cannot be opened and for whatever escapes as an exception."""
    if not POSTGRES:
        p = run("vulns", db=d)
        check("a directory as --db: exit 3, cannot open", p.returncode == 3 and
              p.stderr.startswith("vigil: error: cannot open database"), p.stderr)
        p = run("init", db=os.path.join(d, "no-such-dir", "x.db"))
        check("init in a missing directory: exit 3", p.returncode == 3 and
              p.stderr.startswith("vigil: error: cannot ") and "no-such-dir" in p.stderr,
              p.stderr)
    else:  # the same failures on PostgreSQL: a database that is not there
        missing = pg_url("no_such_db")
        p = run("vulns", db=missing)
        check("a missing PostgreSQL database as --db: exit 3, cannot connect, naming it",
              p.returncode == 3 and p.stderr.startswith("vigil: error: cannot connect") and
              "database no_such_db" in p.stderr, p.stderr)
        KEYS[missing] = os.path.join(d, "no_such_db.db.key")
        p = run("init", db=missing)
        check("init on a missing PostgreSQL database: exit 3", p.returncode == 3 and
              p.stderr.startswith("vigil: error: cannot ") and "no_such_db" in p.stderr and
              not os.path.exists(KEYS[missing]), p.stderr)
    if SANITIZED:
        skip("out-of-memory test", "ASan does not run under an address-space limit")
        return
    import resource
    db = new_db(d, "oom")
    run("init", db=db)
    before = db_fingerprint(db)
    entries = [{"cveID": "CVE-2024-%05d" % i, "dateAdded": "2024-01-01",
                "dueDate": "2024-02-01", "vendorProject": "v" * 200, "product": "p" * 100}
               for i in range(9000)]
    kev = write(d, "huge-kev.json", json.dumps({"vulnerabilities": entries}))
    limit = 40 << 20  # a 3.7 MB catalog, within the KEV limits, in 40 MB of address space
    p = subprocess.run([VIGIL, "--db", db, "kev", "import", kev], capture_output=True,
                       text=True, timeout=120,
                       preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (limit, limit)))
    check("an exception (out of memory) is caught: exit 3, internal error",
          p.returncode == 3 and p.stderr == "vigil: error: internal error: out of memory\n",
          f"rc={p.returncode} {p.stderr[:300]!r}")
    check("out of memory leaves the database as it was", db_fingerprint(db) == before)


def test_damaged_stored_state(d):
    """A damaged stored value is a clean error (exit 3 for commands, a finding for verify)."""
    db = new_db(d, "damaged")
    run("init", db=db)
    good = sql_rows(db, "SELECT value FROM settings WHERE key = 'audit.range'")[0][0]
    for damaged, why in [("12x:" + good.split(":", 1)[1], "its size '12x' is not a whole number"),
                         ("-1:", "its size '-1' is not a whole number"),
                         ("garbage", "no size in 'garbage'"),
                         ("1:zz", "a hash is 64 hex digits")]:
        sql_change(db, "UPDATE settings SET value = ? WHERE key = 'audit.range'", (damaged,))
        p = run("scanner", "set", "s", "--kind", "network", "--cadence", "7d", db=db)
        check(f"damaged audit.range {damaged[:8]!r}: exit 3 naming it", p.returncode == 3 and
              p.stderr == "vigil: error: the stored audit log state (setting audit.range) is "
              f"damaged: {why}\n", repr(p.stderr))
    sql_change(db, "UPDATE settings SET value = 'x9' WHERE key = 'audit.range'")
    p = run("audit", "verify", db=db)
    check("audit verify names a damaged audit.range", p.returncode == 1 and
          "audit.range) is damaged: 'x9' is not a whole number" in p.stdout and
          "Traceback" not in p.stderr and "terminate" not in p.stderr, p.stdout + p.stderr)


def mode_of(path):
    return oct(os.stat(path).st_mode & 0o777)


def test_private_files(d):
    """New databases are 0600; init adopts only a private key file of the calling user."""
    db = new_db(d, "private")
    old = os.umask(0)  # the most permissive umask: the mode must not depend on it
    try:
        p = run("init", db=db)
    finally:
        os.umask(old)
    if not POSTGRES:
        check("init creates the database with mode 0600", p.returncode == 0 and
              mode_of(db) == "0o600", mode_of(db))
    else:
        check("init on PostgreSQL succeeds", p.returncode == 0, p.stdout + p.stderr)
        skip("init creates the database with mode 0600",
             "a PostgreSQL database is no file of vigil's: the server keeps its files")
    check("and the key with mode 0600", mode_of(key_of(db)) == "0o600", mode_of(key_of(db)))
    if not POSTGRES:
        con = sqlite3.connect(db)
        con.execute("INSERT INTO settings (key, value) VALUES ('x', 'y')")  # -wal and -shm now
        con.commit()
        check("its -wal and -shm follow the database's mode",
              mode_of(db + "-wal") == "0o600" and mode_of(db + "-shm") == "0o600",
              (mode_of(db + "-wal"), mode_of(db + "-shm")))
        con.close()
    else:
        skip("its -wal and -shm follow the database's mode", "SQLite's files; none on PostgreSQL")
    adopt = new_db(d, "adopt")
    key = key_of(adopt)
    shutil.copyfile(key_of(db), key)
    os.chmod(key, 0o644)
    p = run("init", db=adopt)
    check("init refuses a key file others can read, naming file, mode and owner",
          p.returncode == 2 and key in p.stderr and "mode 0644" in p.stderr and
          f"owned by uid {os.geteuid()}" in p.stderr and "chmod 600" in p.stderr, p.stderr)
    check("the refusal creates no database", not has_database(adopt))
    if os.geteuid() == 0:
        os.chmod(key, 0o600)
        os.chown(key, 12345, -1)
        p = run("init", db=adopt)
        check("init refuses a key file of another user", p.returncode == 2 and
              "owned by uid 12345" in p.stderr and not has_database(adopt), p.stderr)
        os.chown(key, 0, -1)
    else:
        skip("the other-owner case", "only root can give a file away")
    os.chmod(key, 0o600)
    p = run("init", db=adopt)
    mine = run("audit", "key", db=db).stdout.strip().rsplit("+", 1)[-1]
    verifier = [line for line in p.stdout.splitlines() if line.startswith("verifier key")]
    check("init adopts a private key file of the calling user",
          p.returncode == 0 and len(verifier) == 1 and verifier[0].endswith("+" + mine),
          p.stdout + p.stderr)
    os.chmod(key_of(db), 0o640)
    before = db_fingerprint(db)
    p = run("init", db=db)
    check("init again with a readable key is refused and changes nothing",
          p.returncode == 2 and "mode 0640" in p.stderr and db_fingerprint(db) == before,
          p.stderr)
    os.chmod(key_of(db), 0o600)


def test_docs_match_the_binary(d):
    """docs/cli.md: the schema version it shows is the real one; every command is documented."""
    with open(os.path.join(REPO, "docs", "cli.md")) as f:
        doc = f.read()
    db = new_db(d, "docs")
    actual = re.search(r"schema version (\d+)", run("init", db=db).stdout).group(1)
    shown = set(re.findall(r"schema version (\d+)", doc))
    check("docs/cli.md shows the real schema version", shown == {actual}, (shown, actual))
    helptext = run("--help", now=None).stdout
    commands = re.findall(r"^  (\w+)\s{2,}", helptext.split("Subcommands:", 1)[1], re.M)
    absent = set()
    for sentence in re.findall(r"[^.]*not in this version", doc):
        absent |= {w.split()[0] for w in re.findall(r"`([^`]+)`", sentence)}
    check("docs/cli.md calls no existing command 'not in this version'",
          not absent & set(commands), absent & set(commands))
    missing = [c for c in commands if f"`vigil {c}" not in doc]
    check("docs/cli.md documents every command", commands and not missing, missing)


def main():
    if POSTGRES and not PG_URL:
        print("--postgres needs VIGIL_PG_URL: run under tests/support/pg_cluster.py")
        return 2
    with tempfile.TemporaryDirectory(prefix="vigil-cli-") as d:
        test_usage(d)
        db = test_import_and_listings(d)
        test_progress_on_a_terminal(d)
        test_bad_input(d, db)
        test_config(d)
        test_decisions(d)
        test_designated_critical(d)
        test_patch_clock(d)
        test_plan_overdue(d)
        test_decommission_times(d)
        test_partial_reexport(d)
        test_version_and_usage_errors(d)
        test_exit_codes_of_failures(d)
        test_damaged_stored_state(d)
        test_private_files(d)
        test_docs_match_the_binary(d)
    for name, reason in SKIPPED:
        print(f"skipped {name}: {reason}")
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed, {len(SKIPPED)} skipped"
          + (" (PostgreSQL)" if POSTGRES else ""))
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
