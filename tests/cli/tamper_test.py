#!/usr/bin/env python3
"""End-to-end: the database cannot be trusted, the log can.

One rich test-clock database is built through the CLI only (users and a role change, scanners
from `scanner set`, from an import and from the configuration, three imports with new, fixed and
reopened findings, a decommissioning and a reappearance, decisions in every state, class
changes, a review, an inventory, the KEV catalog, NVD and EPSS feeds, two configurations).
Then, behind vigil's back with SQLite, every column of every table the log carries
(src/engine/logged_rows.cc) is changed in one row, a row of each is deleted and one added, and
every column the state digests commit to (src/engine/state_commitment.cc) is changed once:
`vigil audit verify` must name each. Further: --now on writes, reads that never write (also
during an import), who is acting, four eyes, and a forged evidence pack.

Usage: tamper_test.py VIGIL_BINARY [--sanitized]
"""

import base64
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_test import (RESULTS, SANITIZED, VIGIL, canonical_leaf, check, db_fingerprint,  # noqa
                      nessus, run, write)

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TOKEN = re.compile(r"^token: (vgt_[A-Za-z0-9_-]{43})$", re.M)
T0 = 1772352000  # 2026-03-01T08:00:00Z, the first scan


def iso(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(epoch))


# --- What the source says is logged -------------------------------------------------------

def balanced(text, start):
    """The text of the balanced {...} that begins at text[start]."""
    depth = 0
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[start:i + 1]
    raise ValueError("unbalanced braces")


def logged_tables():
    """{table: {"columns": [(name, kind)], "key": [names], "ordered": bool}} as
    src/engine/logged_rows.cc declares them (Make(table, {columns}, {key}, order_by))."""
    with open(os.path.join(REPO, "src", "engine", "logged_rows.cc"), encoding="utf-8") as f:
        src = f.read()
    tables = {}
    for m in re.finditer(r'Make\("(\w+)",\s*', src):
        cols = balanced(src, m.end())
        rest = src[m.end() + len(cols):]
        key = balanced(rest, rest.index("{"))
        after = rest[rest.index("{") + len(key):]
        columns = [(c, k or "kText") for c, k in
                   re.findall(r'\{"(\w+)"(?:,\s*K::(\w+))?\}', cols)]
        tables[m.group(1)] = {"columns": columns, "key": re.findall(r'"(\w+)"', key),
                              "ordered": after.lstrip().startswith(', "')}
    return tables


def committed_tables():
    """{table: [columns]} as src/engine/state_commitment.cc's CommittedTables lists them."""
    with open(os.path.join(REPO, "src", "engine", "state_commitment.cc"), encoding="utf-8") as f:
        src = f.read()
    body = src[src.index("CommittedTables() {"):]
    body = body[:body.index("return kTables;")]
    return {name: re.findall(r'"(\w+)"', cols)
            for name, cols in re.findall(r'\{"(\w+)",\s*\{([^}]*)\}\}', body)}


# --- The rich database --------------------------------------------------------------------

CONFIG = """
[policy]
profiles = ["ncssr-1.7", "cisa-kev"]
[decisions]
min_basis_length = 20
[[scanner]]
name = "agents"
kind = "agent"
cadence = "1d"
grace = "12h"
"""

CONFIG2 = CONFIG + """
[classification]
order = ["scanner-severity"]
"""


class Rich:
    """A test-clock database built through the CLI only; every write one hour after the
    last (`at()`), unless a test jumps ahead."""

    def __init__(self, d, name="rich"):
        self.d = d
        self.db = os.path.join(d, name + ".db")
        self.clock = T0 - 7 * 86400  # 2026-02-22T08:00:00Z
        self.tokens = {}
        self.failed = []

    def at(self, hours=1):
        self.clock += int(hours * 3600)
        return iso(self.clock)

    def v(self, *args, user="alice", now=None, token=None):
        """Runs vigil as `user` one hour after the last write; a refusal is kept in `failed`."""
        p = run(*args, db=self.db, now=now or self.at(), as_user=user,
                token=token or self.tokens.get(user))
        if p.returncode != 0:
            self.failed.append((args, user, p.stdout + p.stderr))
        return p

    def token_of(self, p):
        m = TOKEN.search(p.stdout)
        return m.group(1) if m else ""

    def build(self):
        d = self.d
        cfg = write(d, "rich.toml", CONFIG)
        p = run("init", db=self.db, config=cfg, now=self.at())
        if p.returncode != 0:
            self.failed.append((("init",), "", p.stderr))
        # alice registers herself (the first user is an admin), then the others.
        self.tokens["alice"] = self.token_of(self.v("user", "add", "alice", "--role", "admin"))
        for name, role in [("bob", "analyst"), ("carol", "approver"), ("dave", "approver"),
                           ("erin", "analyst")]:
            self.tokens[name] = self.token_of(self.v("user", "add", name, "--role", role))
        # erin becomes an approver (a role change); the approvers renew their tokens.
        self.v("user", "role", "erin", "--role", "approver")
        for name in ("carol", "dave", "erin"):
            self.tokens[name] = self.token_of(self.v("user", "token", name, user=name))
        # Pipeline tokens: one for a CI job acting as bob, one erin issues herself and revokes,
        # and a new enrolment code for dave (a password reset).
        self.v("token", "add", "--label", "ci: nightly import", "--scopes", "import",
               "--user", "bob", "--expires", "30d")
        self.v("token", "add", "--label", "erin's reader", "--scopes", "read,write", user="erin")
        self.v("token", "revoke", "2", user="erin")
        self.v("user", "enrol", "dave")
        self.v("scanner", "set", "net", "--kind", "network", "--cadence", "7d", "--grace", "1d")

        # Three weekly scans: scan 2 fixes two findings and misses one on a host it could not
        # log in to; asset ca2 is decommissioned after it and reappears in scan 3, which also
        # reopens a fixed finding. A second scanner ("dmz") is created by its import.
        hosts1 = [("ca1", "10.20.0.11", "ca1.example.org", T0, True,
                   [(9101, 443, "remote"), (9102, 443, "remote"), (9103, 0, "local")]),
                  ("ca2", "10.20.0.12", "ca2.example.org", T0, True,
                   [(9101, 443, "remote"), (9104, 22, "remote")]),
                  ("web", "192.0.2.10", "web.example.org", T0, False, [(9105, 443, "remote")])]
        hosts2 = [("ca1", "10.20.0.11", "ca1.example.org", T0 + 7 * 86400, False,
                   [(9101, 443, "remote")]),
                  ("ca2", "10.20.0.12", "ca2.example.org", T0 + 7 * 86400, True,
                   [(9101, 443, "remote"), (9104, 22, "remote")]),
                  ("web", "192.0.2.10", "web.example.org", T0 + 7 * 86400, False,
                   [(9105, 443, "remote"), (9106, 443, "remote")])]
        hosts3 = [("ca1", "10.20.0.11", "ca1.example.org", T0 + 14 * 86400, True,
                   [(9101, 443, "remote"), (9102, 443, "remote"), (9103, 0, "local")]),
                  ("ca2", "10.20.0.12", "ca2.example.org", T0 + 14 * 86400, True,
                   [(9104, 22, "remote")]),
                  ("web", "192.0.2.10", "web.example.org", T0 + 14 * 86400, False,
                   [(9105, 443, "remote"), (9106, 443, "remote")])]
        plugins = [9101, 9102, 9103, 9104, 9105, 9106]
        scores = {9101: 9.8, 9102: 5.3, 9103: 7.5, 9104: 6.5, 9105: 4.3, 9106: 8.1}
        self.scans = [write(d, f"rich{i}.nessus", nessus(h, plugin_set=plugins, scores=scores))
                      for i, h in ((1, hosts1), (2, hosts2), (3, hosts3))]
        self.clock = T0 + 3600
        self.v("import", "--scanner", "net", self.scans[0], user="bob")
        dmz = write(d, "dmz.nessus", nessus([("web", "192.0.2.10", "web.example.org", T0 + 600,
                                             None, [(9107, 80, "remote")])]))
        self.v("import", "--scanner", "dmz", dmz, user="bob")

        basis = "the service listens only on the management VLAN behind the jump host"
        # #1 recast, approved; later superseded by #5.
        self.v("decide", "tenable:9101", "--type", "recast", "--reason", "compensating-controls",
               "--severity", "HIGH", "--score", "8.1", "--basis", basis, user="bob")
        self.v("approve", "1", "--note", "checked the firewall", user="carol")
        # #2 false positive on ca2, rejected.
        self.v("decide", "tenable:9104", "--type", "false-positive", "--reason", "false-positive",
               "--assets", "ca2.example.org", "--port", "22", "--basis", basis, user="bob")
        self.v("reject", "2", "--basis", "the banner shows the vulnerable version", user="dave")
        # #3 accept-risk expiring in two days, approved; it lapses before a later write.
        self.v("decide", "tenable:9105", "--type", "accept-risk", "--reason", "patch-harm",
               "--expires", iso(self.clock + 2 * 86400), "--basis", basis, user="bob")
        self.v("approve", "3", user="erin")
        # #4 classify, approved.
        self.v("decide", "tenable:9107", "--type", "classify", "--reason", "other",
               "--severity", "LOW", "--basis", basis, user="erin")
        self.v("approve", "4", user="carol")

        self.clock = T0 + 7 * 86400 + 3600
        self.v("import", "--scanner", "net", self.scans[1], user="bob")  # #3 lapses first
        # #5 recast of tenable:9101 again: supersedes #1 once approved.
        self.v("decide", "tenable:9101", "--type", "recast", "--reason", "disagree-with-nvd",
               "--severity", "MEDIUM", "--basis", basis + " (re-assessed)", user="bob")
        self.v("approve", "5", user="dave")
        # #6 a plan (no approval needed) and #7 pending.
        self.v("decide", "tenable:9106", "--type", "mitigation-plan", "--reason", "other",
               "--target", iso(T0 + 30 * 86400), "--basis", "upgrade in the April window",
               user="bob")
        self.v("decide", "tenable:9103", "--type", "recast", "--reason", "absence-of-threat",
               "--severity", "LOW", "--basis", basis, user="bob")
        self.v("decommission", "ca2.example.org", "--reason", "replaced by ca3", user="bob")

        self.clock = T0 + 14 * 86400 + 3600
        p = self.v("import", "--scanner", "net", "--format", "json", self.scans[2], user="bob")
        self.import3 = json.loads(p.stdout) if p.returncode == 0 else {}
        self.v("review", "record", "--participants", "bob,carol", "--notes", "weekly triage",
               user="bob")
        inventory = write(d, "rich-inventory.csv",
                          "name,addresses,zone,site,owner,scanners\n"
                          "ca1,ca1.example.org,certificate-system,DC1,pki-team,net\n"
                          "vault,10.20.0.50,certificate-system,DC1,,net;agents\n")
        self.v("assets", "import", inventory, user="bob")
        kev = write(d, "rich-kev.json", json.dumps({"catalogVersion": "2026.03.01",
                                                    "vulnerabilities": [
            {"cveID": "CVE-2024-9101", "vendorProject": "x", "product": "y",
             "vulnerabilityName": "y flaw", "dateAdded": "2026-03-01", "shortDescription": "",
             "requiredAction": "patch", "dueDate": "2026-03-22",
             "knownRansomwareCampaignUse": "Known", "notes": ""},
            {"cveID": "CVE-2024-9104", "vendorProject": "x", "product": "z",
             "vulnerabilityName": "z flaw", "dateAdded": "2026-03-02", "shortDescription": "",
             "requiredAction": "patch", "dueDate": "2026-03-23",
             "knownRansomwareCampaignUse": "Unknown", "notes": ""}]}))
        self.v("kev", "import", kev, user="bob")
        self.v("nvd", "import", write(d, "rich-nvd.json", nvd_page("CVE-2024-9102", 9.1)),
               user="bob")
        self.v("epss", "import", write(
            d, "rich-epss.csv", "#model_version:v2025.03.14,score_date:2026-03-01T00:00:00+0000\n"
            "cve,epss,percentile\nCVE-2024-9101,0.94,0.999\n"), user="bob")
        self.v("config", "apply", write(d, "rich2.toml", CONFIG2))
        self.v("review", "record", "--participants", "carol,dave,erin", "--notes",
               "after the new classification", user="dave")
        self.v("audit", "checkpoint", user="bob")
        return self


def check_rich(rich):
    """The rich database holds every kind of row the forgeries are meant to cover."""
    con = sqlite3.connect(rich.db)
    q = lambda sql: {r[0] for r in con.execute(sql)}
    have = {
        "decision states": q("SELECT state FROM decisions"),
        "decision types": q("SELECT type FROM decisions"),
        "decision steps": q("SELECT action FROM decision_events"),
        "class sources": q("SELECT source FROM class_changes"),
        "finding states": q("SELECT state FROM findings") |
        q("SELECT 'reopened-once' FROM findings WHERE times_reopened > 0"),
        "asset history": q("SELECT 'decommissioned' FROM assets WHERE decommissioned_at "
                           "IS NOT NULL") | q("SELECT 'reappeared' FROM assets WHERE "
                                              "reappeared_at IS NOT NULL"),
        "scanner origins": q("SELECT name FROM scanners"),
        "users": q("SELECT name || ':' || role || ':' || token_issued_by FROM users"),
        "events": q("SELECT type FROM events"),
    }
    con.close()
    want = {
        "decision states": {"pending", "approved", "rejected", "superseded", "lapsed"},
        "decision types": {"recast", "false-positive", "accept-risk", "mitigation-plan",
                           "classify"},
        "decision steps": {"created", "approved", "rejected", "superseded", "lapsed"},
        "class sources": {"manual", "auto:scanner-cvss-v3", "auto:nvd-v3.1",
                          "auto:scanner-severity"},
        "finding states": {"open", "fixed", "reopened-once"},
        "asset history": {"decommissioned", "reappeared"},
        "scanner origins": {"agents", "net", "dmz"},  # configuration, scanner set, import
        "users": {"alice:admin:alice", "bob:analyst:alice", "carol:approver:carol",
                  "dave:approver:dave", "erin:approver:erin"},
        "events": {"user.role_changed", "user.enrolment_issued", "token.issued",
                   "token.revoked", "config.applied", "review.recorded", "inventory.loaded",
                   "kev.loaded", "feed.loaded", "asset.decommissioned", "scanner.set"},
    }
    missing = {k: sorted(v - have[k]) for k, v in want.items() if not v <= have[k]}
    check("the rich database holds every kind of row: " + ", ".join(want), not missing, missing)


def nvd_page(cve, score):
    vector = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:N"
    return json.dumps({
        "resultsPerPage": 1, "startIndex": 0, "totalResults": 1, "format": "NVD_CVE",
        "version": "2.0", "timestamp": "2026-02-01T00:00:00.000",
        "vulnerabilities": [{"cve": {
            "id": cve, "sourceIdentifier": "psirt@example.com",
            "published": "2024-04-12T08:15:06.230", "lastModified": "2024-12-20T16:39:00.000",
            "vulnStatus": "Analyzed", "descriptions": [{"lang": "en", "value": "A flaw."}],
            "metrics": {"cvssMetricV31": [
                {"source": "nvd@nist.gov", "type": "Primary",
                 "cvssData": {"version": "3.1", "vectorString": vector, "baseScore": score,
                              "baseSeverity": "CRITICAL"}}]},
            "weaknesses": [], "configurations": [], "references": []}}]})


# --- 1. Every logged table, one column at a time ------------------------------------------

# Columns whose CHECK constraint allows only some values: the forgery picks another allowed one.
ALLOWED = {
    ("users", "role"): ["admin", "approver", "analyst", "auditor"],
    ("decisions", "type"): ["recast", "false-positive", "accept-risk", "mitigation-plan",
                            "classify"],
    ("decisions", "reason"): ["disagree-with-nvd", "false-positive", "compensating-controls",
                              "absence-of-threat", "other", "patch-harm"],
    ("decisions", "state"): ["pending", "approved", "rejected", "lapsed", "superseded"],
    ("assets", "state"): ["active", "decommissioned"],
    ("findings", "state"): ["open", "fixed", "reopened", "inactive"],
}
# Which events may write a row of each table ("written by event N" must be one of them).
WRITERS = {
    "users": ("user.",), "api_tokens": ("token.",), "scanners": ("scanner.set", "scan.imported"),
    "scans": ("scan.imported",), "assets": ("scan.imported", "asset.decommissioned"),
    "vulnerabilities": ("class.changed",), "class_changes": ("class.changed",),
    "decisions": ("decision.",), "decision_events": ("decision.",),
    "reviews": ("review.recorded",), "review_items": ("review.recorded",),
    "inventory": ("inventory.loaded",), "kev": ("kev.loaded",),
}
# The logged tables and their columns, as the brief of the tamper tests lists them: a column
# dropped from logged_rows.cc (so no longer compared) fails this test.
TABLES = {
    "users": "name role created_at created_by token_hash token_issued_by role_granted_by "
             "password_hash password_set_at enrolment_hash enrolment_expires_at",
    "api_tokens": "id user label scopes token_hash created_at created_by expires_at revoked_at "
                  "revoked_by",
    "scanners": "id name kind created_at cadence_seconds grace_seconds",
    "scans": "id scanner_id digest quick_digest size file_name format report_name policy_name "
             "tool started_at ended_at imported_at imported_by has_check_set check_set hosts "
             "findings vulnerabilities new_findings fixed reopened unchanged absent_unverified "
             "stale_hosts warnings reappeared",
    "assets": "id state decommissioned_at decommissioned_by decommission_reason reappeared_at",
    "vulnerabilities": "id key class class_source auto_class auto_class_source rating_score",
    "class_changes": "vuln_id at actor from_class to_class source decision_id note",
    "decisions": "id vuln_id type reason basis new_class new_score assets port expires_at "
                 "target_at author created_at state decided_by decided_at decided_basis "
                 "effective_at ended_at superseded_by",
    "decision_events": "decision_id at actor action note",
    "reviews": "id at recorded_by participants notes covered_since",
    "review_items": "review_id vuln_id",
    "inventory": "name addresses zone site owner scanners loaded_at",
    "kev": "cve name date_added due_date ransomware loaded_at",
}
COMMITTED = {"assets", "findings", "host_scans", "vulnerabilities", "vulnerability_refs"}


def forged(table, column, kind, value):
    """The value a forger writes instead of `value`."""
    allowed = ALLOWED.get((table, column))
    if allowed:
        return next(a for a in allowed if a != value)
    if value is None:
        return {"kInt": 1, "kId": 99, "kTime": T0 - 86400, "kReal": 1.5}.get(kind, "forged")
    if isinstance(value, int):
        return value + (3600 if kind == "kTime" else 1)
    if isinstance(value, float):
        return value + 0.5
    return value + " (forged)"


class Forgery:
    """Copies of the rich database changed with SQLite, and what audit verify says of them."""

    def __init__(self, rich, reader="carol"):
        self.rich = rich
        self.reader = reader
        self.n = 0
        con = sqlite3.connect(rich.db)
        self.events = dict(con.execute("SELECT seq, type FROM events"))
        con.close()
        self.state_seq = max(s for s, t in self.events.items()
                             if t in ("scan.imported", "asset.decommissioned"))

    def copy(self):
        self.n += 1
        db = os.path.join(self.rich.d, f"forged-{self.n}.db")
        check_no_wal(self.rich.db)
        shutil.copy2(self.rich.db, db)
        shutil.copy2(self.rich.db + ".key", db + ".key")
        return db

    def verify(self, db, *args, reader=None):
        reader = reader or self.reader
        p = run("audit", "verify", *args, db=db, now=None, as_user=reader,
                token=self.rich.tokens[reader])
        fails = [line[5:] for line in p.stdout.splitlines() if line.startswith("FAIL ")]
        return p, fails

    def apply(self, *statements, reader=None):
        """Runs the statements on a fresh copy and audit verify on it: (process, FAIL lines).
        Each statement is SQL text or (SQL, parameters). `reader` runs verify (not a user
        whose row the statements change)."""
        db = self.copy()
        con = sqlite3.connect(db)
        for st in statements:
            sql, params = (st, ()) if isinstance(st, str) else st
            con.execute(sql, params)
        con.commit()
        con.close()
        p, fails = self.verify(db, reader=reader)
        os.remove(db)
        os.remove(db + ".key")
        return p, fails

    def written_by(self, line, table):
        """The event "written by event N" names, if it is one that writes `table`."""
        m = re.search(r"\(written by event (\d+)\)", line)
        return m and self.events.get(int(m.group(1)), "").startswith(WRITERS[table])


def check_no_wal(db):
    if os.path.exists(db + "-wal") and os.path.getsize(db + "-wal") > 0:
        raise RuntimeError(db + " has a WAL file: a copy would miss what it holds")


def quote(name):
    return '"' + name + '"'


def where_of(table, spec, row):
    """A WHERE clause naming one row: by its key, or by id for the history tables."""
    cols = spec["key"] or ["id"]
    return " AND ".join(f"{quote(c)} IS ?" for c in cols), [row[c] for c in cols]


def rows_of(db, table, spec):
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    order = ", ".join(quote(c) for c in (spec["key"] or ["id"]))
    rows = [dict(r) for r in con.execute(f"SELECT * FROM {table} ORDER BY {order}")]
    con.close()
    return rows


def row_key(spec, row):
    return "/".join(str(row[c]) for c in spec["key"])


def test_every_column(rich, forgery):
    tables = logged_tables()
    declared = {t: " ".join(c for c, _ in spec["columns"]) for t, spec in tables.items()}
    check("logged_rows.cc declares the thirteen logged tables with every column",
          declared == TABLES, {t: c for t, c in declared.items() if TABLES.get(t) != c})
    committed = committed_tables()
    check("state_commitment.cc commits to findings, host_scans, assets and the definitions",
          set(committed) == COMMITTED, committed)
    p, fails = forgery.verify(rich.db)
    check("the untouched rich database verifies: the tables match the log",
          p.returncode == 0 and "the tables match the log" in p.stdout and not fails,
          p.stdout + p.stderr)
    counts = {"column": 0, "null": 0, "delete": 0, "insert": 0, "commit": 0}
    for table in TABLES:
        spec = tables[table]
        rows = rows_of(rich.db, table, spec)
        check(f"{table}: the rich database has rows to forge", len(rows) >= 2, len(rows))
        if not rows:
            continue
        for column, kind in spec["columns"]:
            shown = column + "_sha256" if kind == "kTextSha" else column
            for want_null in (False, True):
                picks = [i for i, r in enumerate(rows) if (r[column] is None) == want_null]
                if not picks:
                    continue
                i = picks[len(picks) // 2]
                row = rows[i]
                new = forged(table, column, kind, row[column])
                cond, params = where_of(table, spec, row)
                sql = f"UPDATE {table} SET {quote(column)} = ? WHERE {cond}"
                reader = reader_besides(row, table)
                try:
                    p, fails = forgery.apply((sql, [new] + params), reader=reader)
                except sqlite3.IntegrityError:
                    new = (row[column] or 0) + 1000
                    p, fails = forgery.apply((sql, [new] + params), reader=reader)
                what = f"{table}.{column} {'NULL' if want_null else repr(row[column])[:24]} -> " \
                       f"{repr(new)[:24]}"
                mine = [f for f in fails if f.startswith(table + " ") or
                        f.startswith(table + ":")]
                if column in spec["key"]:
                    # The row under its old key is gone, one under a new key appeared.
                    ok = p.returncode == 1 and mine and (
                        f"{table} {row_key(spec, row)} is in the log but not in the table"
                        in mine[0] or "behind vigil's back" in mine[0])
                elif spec["ordered"]:
                    ok = p.returncode == 1 and len(mine) == 1 and mine[0].startswith(
                        f"{table} row {i + 1}, column {shown}: stored ") and \
                        forgery.written_by(mine[0], table)
                else:
                    ok = p.returncode == 1 and mine and mine[0].startswith(
                        f"{table} {row_key(spec, row)}, column {shown}: stored ") and (
                        forgery.written_by(mine[0], table) or
                        # an asset the log never names must hold the defaults
                        (table == "assets" and ", but the log never changed it from " in mine[0]))
                    if kind == "kText" and ok:
                        ok = f"stored {json.dumps(new, ensure_ascii=False)}," in mine[0]
                if table == "assets":
                    ok = ok and any(f.startswith("assets: the rows do not match the state event "
                                                 f"{forgery.state_seq} committed to")
                                    for f in fails)
                elif column in committed.get(table, []):
                    # A committed column of a logged table (a vulnerability's id and key): the
                    # state digest fails too.
                    ok = ok and len(fails) == 2 and any(
                        f.startswith(f"{table}: the rows do not match the state event "
                                     f"{forgery.state_seq} committed to") for f in fails)
                else:
                    ok = ok and len(fails) == 1
                check(f"verify names a forged {what}", ok, p.stdout + p.stderr)
                counts["null" if want_null else "column"] += 1
        # A row deleted (for a history table: one in the middle, and the last), and a copy of
        # one added under a new key.
        i = len(rows) // 2
        for i in ([i, len(rows) - 1] if spec["ordered"] else [i]):
            row = rows[i]
            cond, params = where_of(table, spec, row)
            p, fails = forgery.apply((f"DELETE FROM {table} WHERE {cond}", params),
                                     reader=reader_besides(row, table))
            mine = [f for f in fails if f.startswith(table)]
            if spec["ordered"] and i < len(rows) - 1:
                # The rows after it move up: the first of them differs from the logged one.
                ok = mine and mine[0].startswith(f"{table} row {i + 1}, column ")
            elif spec["ordered"]:
                ok = mine and mine[0] == (
                    f"{table} holds {len(rows) - 1} rows but the log {len(rows)}: row "
                    f"{len(rows)} (written by event ") + mine[0].split("(written by event ")[1]
            else:
                ok = mine and (
                    mine[0].startswith(f"{table} {row_key(spec, row)} is in the log but not in "
                                       "the table (written by event ") and
                    mine[0].endswith("the row was deleted behind vigil's back")
                    or table == "assets" and "do not match the state" in mine[0])
            check(f"verify names row {i + 1} of {table} deleted", p.returncode == 1 and ok,
                  p.stdout)
            counts["delete"] += 1
        row = rows[len(rows) // 2]
        p, fails = forgery.apply(insert_copy(rich.db, table, spec, row))
        mine = [f for f in fails if f.startswith(table)]
        if spec["ordered"]:
            ok = mine and mine[0] == (f"{table} holds {len(rows) + 1} rows but the log "
                                      f"{len(rows)}: row {len(rows) + 1} was added behind "
                                      "vigil's back")
        elif table == "assets":
            # An asset the log never names is compared with the defaults; the digest catches it.
            ok = any(f.startswith("assets: the rows do not match the state event") for f in mine)
        else:
            ok = mine and mine[0].endswith(" is in the table but in no event: the row was added "
                                           "behind vigil's back")
        check(f"verify names a row added to {table}", p.returncode == 1 and ok, p.stdout)
        counts["insert"] += 1
    # The rows the state digests cover: every committed column of one row.
    for table, columns in committed.items():
        con = sqlite3.connect(rich.db)
        con.row_factory = sqlite3.Row
        # A row is found again by its rowid, or by its primary key in a WITHOUT ROWID table.
        keys = [r["name"] for r in con.execute(f"PRAGMA table_info({table})") if r["pk"]]
        without_rowid = con.execute("SELECT sql FROM sqlite_master WHERE name = ?",
                                    (table,)).fetchone()[0].rstrip().endswith("WITHOUT ROWID")
        keys = keys if without_rowid else ["rowid"]
        rows = [dict(r) for r in con.execute(
            f"SELECT {', '.join(quote(k) + ' AS _k' + str(i) for i, k in enumerate(keys))}, * "
            f"FROM {table}")]
        con.close()
        check(f"{table}: the rich database has rows whose committed columns to forge",
              len(rows) >= 1, len(rows))
        where = " AND ".join(f"{quote(k)} = ?" for k in keys)
        for column in columns:
            with_value = [r for r in rows if r[column] is not None]
            row = (with_value or rows)[len(with_value or rows) // 2]
            new = forged(table, column, "", row[column])
            sql = f"UPDATE {table} SET {quote(column)} = ? WHERE {where}"
            at = [row[f"_k{i}"] for i in range(len(keys))]
            try:
                p, fails = forgery.apply((sql, [new] + at))
            except sqlite3.IntegrityError:
                new = (row[column] or 0) + 1000
                p, fails = forgery.apply((sql, [new] + at))
            digest = [f for f in fails if " do not match the state " in f]
            check(f"the state digest catches {table}.{column} {repr(row[column])[:24]} -> "
                  f"{repr(new)[:24]}", p.returncode == 1 and len(digest) == 1 and
                  digest[0].startswith(f"{table}: the rows do not match the state event "
                                       f"{forgery.state_seq} committed to"), p.stdout)
            counts["commit"] += 1
    print(f"note: forged {counts['column']} stored values, {counts['null']} NULLs, deleted "
          f"{counts['delete']} rows, added {counts['insert']}, changed {counts['commit']} "
          "committed columns")
    return counts


def test_named_forgeries(rich, forgery):
    """The forgeries of the issue, each by name, with the row, column and event verify names."""
    con = sqlite3.connect(rich.db)
    q = lambda sql, *a: con.execute(sql, a).fetchone()
    basis5, = q("SELECT basis FROM decisions WHERE id = 5")
    open_finding, = q("SELECT min(id) FROM findings WHERE state = 'open'")
    dave_approved, = q("SELECT count(*) FROM decision_events WHERE id <= (SELECT id FROM "
                       "decision_events WHERE decision_id = 5 AND action = 'approved')")
    recast_change, = q("SELECT count(*) FROM class_changes WHERE id <= (SELECT id FROM "
                       "class_changes WHERE decision_id = 5)")
    vuln, klass = q("SELECT id, class FROM vulnerabilities WHERE key = 'tenable:9101'")
    con.close()

    def named(name, statements, first, event_type=None, n_fails=1):
        p, fails = forgery.apply(*statements)
        m = re.search(r"\(written by event (\d+)\)", fails[0]) if fails else None
        by = forgery.events.get(int(m.group(1))) if m else None
        check(f"forgery: {name}", p.returncode == 1 and len(fails) == n_fails and
              fails[0].startswith(first) and (event_type is None or by == event_type),
              f"{p.stdout}{p.stderr}(event {by})")

    named("an approved decision's basis, author and approver rewritten",
          ["UPDATE decisions SET basis = 'the vendor confirmed it is not exploitable here', "
           "author = 'dave', decided_by = 'carol' WHERE id = 5"],
          "decisions 5, column basis: stored \"the vendor confirmed it is not exploitable here\", "
          f"logged {json.dumps(basis5)} (written by event ", "decision.approved")
    named("only the author of a decision rewritten",
          ["UPDATE decisions SET author = 'dave' WHERE id = 5"],
          'decisions 5, column author: stored "dave", logged "bob"', "decision.approved")
    named("only the approver of a decision rewritten",
          ["UPDATE decisions SET decided_by = 'carol' WHERE id = 5"],
          'decisions 5, column decided_by: stored "carol", logged "dave"', "decision.approved")
    named("a pending decision set to approved without an approval event",
          ["UPDATE decisions SET state = 'approved', decided_by = 'carol', decided_at = "
           "created_at + 60, effective_at = created_at + 60 WHERE id = 7"],
          'decisions 7, column state: stored "approved", logged "pending"', "decision.created")
    named("a pending decision approved with its decision_events row forged too",
          ["UPDATE decisions SET state = 'approved', decided_by = 'carol', decided_at = "
           "created_at + 60, effective_at = created_at + 60 WHERE id = 7",
           "INSERT INTO decision_events (decision_id, at, actor, action, note) SELECT 7, "
           "created_at + 60, 'carol', 'approved', '' FROM decisions WHERE id = 7"],
          'decisions 7, column state: stored "approved", logged "pending"', "decision.created",
          n_fails=2)
    named("a class_changes row edited (the recast's new class)",
          [f"UPDATE class_changes SET to_class = 'LOW' WHERE decision_id = 5"],
          f'class_changes row {recast_change}, column to_class: stored "LOW", logged "MEDIUM"',
          "class.changed")
    named("a decision_events row edited (who approved)",
          ["UPDATE decision_events SET actor = 'carol' WHERE decision_id = 5 AND "
           "action = 'approved'"],
          f'decision_events row {dave_approved}, column actor: stored "carol", logged "dave"',
          "decision.approved")
    named("a finding set from open to fixed",
          [f"UPDATE findings SET state = 'fixed', fixed_at = last_seen WHERE id = {open_finding}"],
          f"findings: the rows do not match the state event {forgery.state_seq} committed to")
    named("a vulnerability's class rewritten",
          [f"UPDATE vulnerabilities SET class = 'LOW' WHERE id = {vuln}"],
          f'vulnerabilities {vuln}, column class: stored "LOW", logged {json.dumps(klass)}',
          "class.changed")
    named("an analyst made an approver",
          ["UPDATE users SET role = 'approver' WHERE name = 'bob'"],
          'users bob, column role: stored "approver", logged "analyst"', "user.added")
    named("a scan's importer rewritten",
          ["UPDATE scans SET imported_by = 'mallory' WHERE id = 1"],
          'scans 1, column imported_by: stored "mallory", logged "bob"', "scan.imported")
    config = ("the configuration in force is not the one the last config.applied event holds: "
              "it was changed behind vigil's back")
    named("the stored configuration text edited",
          ["UPDATE settings SET value = value || '\n[check]\nstale_after = \"1d\"\n' "
           "WHERE key = 'config.text'"], config)
    named("the stored configuration's SHA-256 edited",
          ["UPDATE settings SET value = '" + "0" * 64 + "' WHERE key = 'config.sha256'"],
          config)
    named("the stored configuration deleted",
          ["DELETE FROM settings WHERE key IN ('config.text', 'config.sha256')"], config)


def reader_besides(row, table):
    """Who runs verify: carol, unless the forged row is hers."""
    return "dave" if table == "users" and row.get("name") == "carol" else "carol"


def insert_copy(db, table, spec, row):
    """An INSERT of a copy of `row` under a new key (and new unique values)."""
    con = sqlite3.connect(db)
    info = con.execute(f"PRAGMA table_info({table})").fetchall()
    pks = [c for c in info if c[5]]
    rowid_alias = len(pks) == 1 and pks[0][2].upper() == "INTEGER"
    unique = {"vulnerabilities": {"key"}, "scans": {"digest"}}.get(table, set())
    values = {}
    for _, name, type_, _, _, pk in info:
        value = row[name]
        if pk and rowid_alias:
            value = con.execute(f"SELECT max({quote(name)}) + 1 FROM {table}").fetchone()[0]
        elif name in spec["key"] or name in unique:
            value = (con.execute(f"SELECT max({quote(name)}) + 1 FROM {table}").fetchone()[0]
                     if isinstance(value, int) else value + "-copy")
        values[name] = value
    con.close()
    cols = ", ".join(quote(c) for c in values)
    return (f"INSERT INTO {table} ({cols}) VALUES ({', '.join('?' * len(values))})",
            list(values.values()))



# --- 2. Time, and 3. reads that never write -----------------------------------------------

NOW_REFUSED = ("vigil: error: --now sets the time of reads only (what was due on that day); a "
               "change takes its time from the system clock. Only a database made with 'vigil "
               "init --test-clock' lets a change take --now, and all its evidence says so\n")
NORMAL_CONFIG = """
[policy]
profiles = ["ncssr-1.7", "cisa-kev"]
[[scanner]]
name = "net"
kind = "network"
cadence = "7d"
[[asset_rule]]
cidr = "10.20.0.0/16"
zone = "certificate-system"
[[zone]]
name = "certificate-system"
scan_every = "90d"
requirement = "NCSSR 1.7 4.c"
"""


class Normal:
    """A database made without --test-clock: every write takes the system clock."""

    def __init__(self, d, rich):
        self.d = d
        self.rich = rich
        self.db = os.path.join(d, "normal.db")
        self.tokens = {}
        self.failed = []
        p = run("init", db=self.db, config=write(d, "normal.toml", NORMAL_CONFIG), now=None)
        if p.returncode != 0:
            self.failed.append(("init", p.stderr))
        for name, role in [("alice", "admin"), ("bob", "analyst"), ("carol", "approver")]:
            self.tokens[name] = rich.token_of(self.v("user", "add", name, "--role", role))
        self.tokens["carol"] = rich.token_of(self.v("user", "token", "carol", user="carol"))
        self.v("import", "--scanner", "net", rich.scans[0], user="bob")
        basis = "the service listens only on the management VLAN behind the jump host"
        self.v("decide", "tenable:9101", "--type", "recast", "--reason", "other", "--severity",
               "LOW", "--basis", basis, user="bob")
        self.v("decide", "tenable:9104", "--type", "false-positive", "--reason", "false-positive",
               "--basis", basis, user="bob")
        # An accepted risk that expires in a day: a read judged later shows it lapsed and
        # records nothing.
        expires = iso(time.time() + 86400)
        self.v("decide", "tenable:9105", "--type", "accept-risk", "--reason", "other",
               "--expires", expires, "--basis", basis, user="bob")
        self.v("approve", "3", user="carol")
        self.v("review", "record", "--participants", "bob,carol", "--notes", "triage",
               user="bob")
        self.v("audit", "checkpoint", user="bob")

    def v(self, *args, user="alice", now=None, env=None, config_any=None):
        p = run(*args, db=self.db, now=now, as_user=user, token=self.tokens.get(user),
                config_any=config_any)
        if now is None and config_any is None and p.returncode not in (0, 1):
            self.failed.append((args, p.stderr))
        return p


def file_state(db):
    """The database file's bytes and modification time, and its logical content."""
    with open(db, "rb") as f:
        data = hashlib.sha256(f.read()).hexdigest()
    return data, os.stat(db).st_mtime_ns, db_fingerprint(db)


def test_now_on_writes(d, rich, normal):
    """--now on every write of a normal database: exit 2, nothing changed."""
    check("the normal database is built with the system clock", not normal.failed,
          normal.failed)
    r = rich
    out = os.path.join(d, "now-pack")
    writes = [
        (["import", "--scanner", "net", r.scans[1]], "bob"),
        (["decide", "tenable:9102", "--type", "recast", "--reason", "other", "--severity", "LOW",
          "--basis", "the service listens only on the management VLAN"], "bob"),
        (["approve", "1"], "carol"),
        (["reject", "2", "--basis", "the banner shows the vulnerable version"], "carol"),
        (["decommission", "ca2.example.org", "--reason", "replaced"], "bob"),
        (["user", "add", "mallory", "--role", "approver"], "alice"),
        (["user", "token", "bob"], "bob"),
        (["user", "role", "bob", "--role", "approver"], "alice"),
        (["scanner", "set", "other", "--kind", "network", "--cadence", "7d"], "alice"),
        (["kev", "import", os.path.join(r.d, "rich-kev.json")], "bob"),
        (["nvd", "import", os.path.join(r.d, "rich-nvd.json")], "bob"),
        (["epss", "import", os.path.join(r.d, "rich-epss.csv")], "bob"),
        (["assets", "import", os.path.join(r.d, "rich-inventory.csv")], "bob"),
        (["config", "apply", os.path.join(r.d, "rich2.toml")], "alice"),
        (["review", "record", "--participants", "bob,carol", "--notes", "backdated"], "bob"),
        (["audit", "checkpoint"], "bob"),
        (["report", "--from", "2026-03-01", "--to", "2026-03-31", "--out", out], "bob"),
    ]
    before = file_state(normal.db)
    refused = 0
    for args, user in writes:
        p = normal.v(*args, user=user, now="2026-03-01T00:00:00Z")
        ok = p.returncode == 2 and p.stderr == NOW_REFUSED and p.stdout == ""
        check(f"--now on '{' '.join(args[:2])}' of a normal database is refused (exit 2)", ok,
              p.stdout + p.stderr)
        after = file_state(normal.db)
        check(f"... and the database is untouched (content, bytes, mtime)", after == before,
              (before, after))
        refused += ok and after == before
    check("the refused report wrote no pack", not os.path.exists(out))
    # --config, too, is refused on every write but config apply: the configuration is recorded.
    other = write(d, "write-other.toml", "[check]\nstale_after = \"1d\"\n")
    for args, user in writes:
        if args[:2] == ["config", "apply"]:
            continue
        p = normal.v(*args, user=user, config_any=other)
        check(f"--config on '{' '.join(args[:2])}' is refused (exit 2), the database untouched",
              p.returncode == 2 and "--config is read only by 'vigil init' and 'vigil config "
              "apply'" in p.stderr and file_state(normal.db) == before, p.stderr)
    p = run("init", "--test-clock", db=normal.db, now=None)
    check("init --test-clock on an existing normal database is refused (exit 2)",
          p.returncode == 2 and p.stderr.startswith("vigil: error: --test-clock: this database")
          and "only when it is created" in p.stderr and file_state(normal.db)[2] == before[2], p.stderr)
    # The same writes without --now work (the system clock): the refusal was about --now.
    p = normal.v("scanner", "set", "other", "--kind", "network", "--cadence", "7d")
    check("without --now the same write is accepted", p.returncode == 0, p.stderr)
    print(f"note: {refused} of {len(writes)} writes refused --now on a normal database")
    return refused


READS = [
    ["vulns", "--all", "--format", "json"],
    ["vulns", "show", "tenable:9101", "--format", "json"],
    ["findings", "--state", "all", "--format", "json"],
    ["assets", "--format", "json"],
    ["scanners", "--format", "json"],
    ["check", "--format", "json"],
    ["clocks", "--format", "json"],
    ["coverage", "--format", "json"],
    ["decisions", "--state", "all", "--format", "json"],
    ["review", "list", "--format", "json"],
    ["user", "list", "--format", "json"],
    ["config", "show"],
    ["audit", "key"],
    ["audit", "verify"],
    ["audit", "proof", "2"],
    ["audit", "consistency", "1", "3"],
    ["export", "vex", "--out", "-"],
]


def test_reads_never_write(d, normal):
    """Every read, with --now, with --config (refused) and with $VIGIL_CONFIG: exit 0 or 1
    (check), and the database file exactly as it was."""
    other = write(d, "other.toml", '[classification]\norder = ["scanner-severity"]\n'
                  "[check]\nstale_after = \"1d\"\n")
    later = iso(time.time() + 3 * 86400)  # past the accepted risk's expiry
    reads = READS + [["report", "--dry-run", "--from", "2026-03-01", "--to", later[:10],
                      "--out", os.path.join(d, "dry-{}")]]  # {}: a new directory each run
    before = file_state(normal.db)
    good = 0
    for i, args in enumerate(reads):
        name = " ".join(args[:2]) if args[0] in ("vulns", "audit", "review", "user", "config",
                                                 "export") else args[0]
        variant = lambda k: [a.replace("{}", f"{i}-{k}") for a in args]
        plain = normal.v(*variant(0), user="bob", now=later)
        s1 = file_state(normal.db)
        check(f"read '{name}' with --now works on a normal database",
              plain.returncode in ((0, 1) if args[0] == "check" else (0,)),
              plain.stdout[-300:] + plain.stderr)
        check(f"read '{name}' leaves the database file as it was", s1 == before, (before, s1))
        p = normal.v(*variant(1), user="bob", now=later, config_any=other)
        s2 = file_state(normal.db)
        check(f"read '{name}' refuses --config FILE (exit 2) and writes nothing",
              p.returncode == 2 and "--config is read only by 'vigil init' and 'vigil config "
              "apply'" in p.stderr and p.stdout == "" and s2 == before, p.stderr)
        cmd = [VIGIL, "--db", normal.db, "--as", "bob", "--now", later] + variant(2)
        env = dict(os.environ, VIGIL_CONFIG=other, VIGIL_TOKEN=normal.tokens["bob"])
        p = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=120)
        s3 = file_state(normal.db)
        same = p.stdout == plain.stdout or args[0] == "report"
        check(f"read '{name}' ignores $VIGIL_CONFIG (the same output) and writes nothing",
              p.returncode == plain.returncode and same and s3 == before,
              p.stdout[-300:] + p.stderr)
        good += s1 == s2 == s3 == before
    decisions = json.loads(normal.v("decisions", "--state", "all", "--format", "json",
                                    user="bob", now=later).stdout)
    lapsed = [x["state"] for x in decisions if x["id"] == 3]
    check("a read judged after an expiry shows the decision lapsed", lapsed == ["lapsed"],
          decisions)
    stored = sqlite3.connect(normal.db).execute(
        "SELECT state FROM decisions WHERE id = 3").fetchone()
    check("... and records nothing: the stored decision is still approved",
          stored == ("approved",) and file_state(normal.db) == before, stored)
    print(f"note: {good} of {len(reads)} reads left the database file untouched three ways")
    return good



def test_reads_during_imports(d, normal):
    """Reads keep working while imports write, each within a couple of seconds, and each sees
    one state: audit verify never takes an import's rows for forged ones (a read that mixed the
    state before a commit with the state after it would)."""
    import threading
    db = os.path.join(d, "busy.db")
    check_no_wal(normal.db)
    shutil.copy2(normal.db, db)
    shutil.copy2(normal.db + ".key", db + ".key")
    files = []
    for k in range(20):  # small imports: twenty commits for a verify to straddle
        hosts = [(f"s{k}-{i}", f"10.30.{k}.{i}", None, T0 + 3600 * (k + 1), True,
                  [(9200 + j, 443, "remote") for j in range(20)]) for i in range(50)]
        files.append(write(d, f"small{k}.nessus", nessus(hosts)))
    hosts = [(f"b{i}", f"10.{40 + i // 250}.{i % 250}.1", None, T0 + 86400 * 10, True,
              [(9300 + j, 443, "remote") for j in range(50)]) for i in range(6000)]
    big = write(d, "big.nessus", nessus(hosts))
    files.append(big)
    spans = {}
    errors = []

    def importer():
        for f in files:
            start = time.monotonic()
            p = run("import", "--scanner", "busy", f, db=db, now=None, as_user="bob",
                    token=normal.tokens["bob"])
            spans[f] = (start, time.monotonic())
            if p.returncode != 0:
                errors.append(p.stderr)

    thread = threading.Thread(target=importer)
    thread.start()
    reads = [["vulns", "--format", "json"], ["check", "--format", "json"], ["audit", "verify"]]
    done = []
    while thread.is_alive():
        # While the small imports commit, audit verify only; during the large one, each read.
        args = reads[len(done) % len(reads)] if len(spans) >= len(files) - 1 else reads[2]
        start = time.monotonic()
        p = run(*args, db=db, now=None, as_user="bob", token=normal.tokens["bob"])
        done.append((args[0], start, time.monotonic(), p))
    thread.join()
    check("the imports succeed while reads run", not errors and len(spans) == len(files),
          errors)
    bad = [(a, p.returncode, p.stdout[-600:] + p.stderr) for a, _, _, p in done
           if p.returncode not in ((0, 1) if a == "check" else (0,)) or
           (a == "audit" and "the tables match the log" not in p.stdout)]
    check(f"all {len(done)} reads during the imports succeed; audit verify never reports a "
          "forgery", not bad, bad[:2])
    slowest = max(end - start for _, start, end, _ in done)
    limit = 10.0 if SANITIZED else 3.0  # a couple of seconds, on a busy machine
    check(f"each read finishes within {limit:.0f} seconds", slowest < limit, f"{slowest:.2f} s")
    b0, b1 = spans.get(big, (0, 0))
    during = [a for a, start, end, _ in done if b0 < end < b1]
    check(f"reads finished while the large import ran ({b1 - b0:.1f} s): "
          f"{len(during)} ({', '.join(sorted(set(during)))})",
          b1 - b0 > 2 and {"vulns", "check", "audit"} <= set(during), (b1 - b0, during))
    p = run("audit", "verify", db=db, now=None, as_user="bob", token=normal.tokens["bob"])
    check("after the imports the log verifies", p.returncode == 0 and
          "the tables match the log" in p.stdout, p.stdout + p.stderr)
    print(f"note: {len(done)} reads during {len(files)} imports; the large one took "
          f"{b1 - b0:.1f} s, {len(during)} reads finished during it; slowest read "
          f"{slowest:.2f} s")
    for f in files:
        os.remove(f)



# --- 2. Time on a test-clock database --------------------------------------------------------

NOT_EVIDENCE = "NOT EVIDENCE: times set by hand"


def test_test_clock(d, rich):
    """A test-clock database says so everywhere, and even it never goes back in time."""
    con = sqlite3.connect(rich.db)
    first = json.loads(con.execute("SELECT payload FROM events WHERE seq = 1").fetchone()[0])
    con.close()
    check("a test-clock database's first event says test_clock: true",
          first.get("test_clock") is True, first)
    p = rich.v("audit", "checkpoint", user="bob")
    check("its checkpoints say NOT EVIDENCE: times set by hand", p.returncode == 0 and
          NOT_EVIDENCE in p.stdout, p.stdout + p.stderr)
    p = run("audit", "verify", db=rich.db, now=None, as_user="bob", token=rich.tokens["bob"])
    check("audit verify of a test-clock database says so", p.returncode == 0 and
          f"note: {NOT_EVIDENCE}" in p.stdout, p.stdout + p.stderr)
    before = db_fingerprint(rich.db)
    latest = rich.clock
    p = run("scanner", "set", "late", "--kind", "network", "--cadence", "7d", db=rich.db,
            now=iso(latest - 1), as_user="alice", token=rich.tokens["alice"], backwards_ok=True)
    check("a write one second before the latest logged time is refused (exit 2) and changes "
          "nothing", p.returncode == 2 and "is before the latest time the audit log already "
          "holds, " + iso(latest) in p.stderr and db_fingerprint(rich.db) == before, p.stderr)
    p = rich.v("scanner", "set", "late", "--kind", "network", "--cadence", "7d", now=iso(latest))
    check("a write at the latest logged time is accepted", p.returncode == 0, p.stderr)


def merkle_root(leaves):
    """RFC 9162 2.1.1: the hash of a list of leaf hashes."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + merkle_root(leaves[:k]) + merkle_root(leaves[k:])).digest()


def rehash(con):
    """Rewrites every event's leaf hash and tree root from its fields, as a forger who edited
    events would; returns how many stored hashes that changed."""
    rows = con.execute("SELECT seq, at, actor, type, subject, payload, leaf_hash, root_hash "
                       "FROM events ORDER BY seq").fetchall()
    leaves, changed = [], 0
    for r in rows:
        leaves.append(hashlib.sha256(b"\x00" + canonical_leaf(*r[:6])).digest())
        leaf, root = leaves[-1].hex(), merkle_root(leaves).hex()
        if (leaf, root) != (r[6], r[7]):
            changed += 1
            con.execute("UPDATE events SET leaf_hash = ?, root_hash = ? WHERE seq = ?",
                        (leaf, root, r[0]))
    return changed


def test_backwards_log(d):
    """A log whose times run backwards fails verify, even when the forger rewrote every hash."""
    db = os.path.join(d, "backwards.db")
    run("init", db=db, now="2026-03-01T00:00:00Z")
    for day, name in ((2, "a"), (3, "b"), (4, "c")):
        run("scanner", "set", name, "--kind", "network", "--cadence", "7d", db=db,
            now=f"2026-03-0{day}T00:00:00Z")
    con = sqlite3.connect(db)
    check("the tree re-implemented from RFC 9162 gives the stored hashes", rehash(con) == 0)
    con.execute("UPDATE events SET at = at - 2 * 86400 WHERE seq = 3")
    changed = rehash(con)
    con.commit()
    con.close()
    p = run("audit", "verify", db=db, now=None)
    check("verify: an event dated before the one before it fails, hashes rewritten or not",
          changed == 2 and p.returncode == 1 and
          "FAIL event 3 (scanner.set" in p.stdout and "is dated before event 2 "
          "(2026-03-02T00:00:00Z): the log's times run backwards" in p.stdout,
          p.stdout + p.stderr)


def test_removed_state_hash(d):
    """A definition forged and the hash vigil keeps of the definitions removed, so that the
    next import would take the forged rows as found: verify names it, before and after."""
    db = os.path.join(d, "launder.db")
    run("init", db=db, now=iso(T0 - 60))
    first = write(d, "launder-1.nessus", nessus([("h1", "10.0.0.1", None, T0, True,
                                                   [(9101, 443, "remote")])]))
    second = write(d, "launder-2.nessus", nessus([("h1", "10.0.0.1", None, T0 + 86400, True,
                                                    [(9101, 443, "remote"),
                                                     (9102, 22, "remote")])]))
    p = run("import", first, db=db, now=iso(T0 + 60))
    check("launder: the first import", p.returncode == 0, p.stdout + p.stderr)
    con = sqlite3.connect(db)
    con.execute("UPDATE vulnerabilities SET title = 'Harmless', cvss3_score = 0.1 "
                "WHERE key = 'tenable:9101'")
    con.commit()
    con.close()
    p = run("audit", "verify", db=db, now=None)
    check("launder: a forged title and score fail verify",
          p.returncode == 1 and "FAIL vulnerabilities: the rows do not match the state event"
          in p.stdout, p.stdout + p.stderr)
    con = sqlite3.connect(db)
    con.execute("DELETE FROM settings WHERE key IN ('state.vulnerabilities', "
                "'state.vulnerability_refs')")
    con.commit()
    con.close()
    p = run("import", second, db=db, now=iso(T0 + 86400 + 60))
    check("launder: the next import takes the rows as found", p.returncode == 0,
          p.stdout + p.stderr)
    p = run("audit", "verify", db=db, now=None)
    check("launder: verify names the table taken as found after an event committed to it",
          p.returncode == 1 and "FAIL vulnerabilities: event " in p.stdout and
          "took the rows as found, though event " in p.stdout and
          "had committed to them" in p.stdout, p.stdout + p.stderr)


# --- 5. Evidence packs -------------------------------------------------------------------

def openssl(*args, data=None):
    return subprocess.run(["openssl"] + list(args), input=data, capture_output=True,
                          check=True).stdout


def forged_checkpoint_set(d, pack, origin):
    """checkpoint.txt, checkpoint-text.txt, checkpoint.sig, public-key.pem and
    verifier-key.txt of another installation (same origin, its own key) signing the same
    tree: {file name: bytes}."""
    other = os.path.join(d, "other.db")
    run("init", db=other, config=write(d, "other.toml", f'[audit]\norigin = "{origin}"\n'))
    vkey = run("audit", "key", db=other, now=None).stdout.strip()
    name, key_id, _ = vkey.split("+", 2)  # a name has no "+", base64 may
    text = open(os.path.join(pack, "checkpoint-text.txt"), "rb").read()
    sig = openssl("pkeyutl", "-sign", "-inkey", other + ".key", "-rawin", "-in",
                  os.path.join(pack, "checkpoint-text.txt"))
    line = "\u2014 " + name + " " + base64.b64encode(bytes.fromhex(key_id) + sig).decode()
    return {"checkpoint-text.txt": text, "checkpoint.sig": sig,
            "checkpoint.txt": text + b"\n" + line.encode() + b"\n",
            "public-key.pem": openssl("pkey", "-in", other + ".key", "-pubout"),
            "verifier-key.txt": (vkey + "\n").encode()}, vkey


def bundle(pack, *args):
    p = run("audit", "verify", "--bundle", pack, *args, now=None)
    return p, [line[5:] for line in p.stdout.splitlines() if line.startswith("FAIL ")]


def test_packs(d, rich):
    pack = os.path.join(d, "pack")
    p = rich.v("report", "--from", "2026-02-01", "--to", "2026-03-31", "--out", pack,
               user="bob")
    check("report writes the rich database's pack", p.returncode == 0, p.stdout + p.stderr)
    real_key = run("audit", "key", db=rich.db, now=None, as_user="bob",
                   token=rich.tokens["bob"]).stdout.strip()
    manifest = json.load(open(os.path.join(pack, "manifest.json")))
    html = open(os.path.join(pack, "index.html"), encoding="utf-8").read()
    check("a test-clock pack says NOT EVIDENCE in its manifest and on its page",
          NOT_EVIDENCE in manifest.get("not_evidence", "") and NOT_EVIDENCE in html,
          manifest.get("not_evidence"))
    p, fails = bundle(pack)
    check("verify --bundle: the pack verifies and says NOT EVIDENCE",
          p.returncode == 0 and not fails and p.stdout.startswith("ok: the pack") and
          f"note: {NOT_EVIDENCE}" in p.stdout, p.stdout + p.stderr)
    p, fails = bundle(pack, "--key", real_key)
    check("verify --bundle --key with the operator's key", p.returncode == 0 and not fails,
          p.stdout + p.stderr)
    real = {n: open(os.path.join(pack, n), "rb").read() for n in
            ("checkpoint.txt", "checkpoint-text.txt", "checkpoint.sig", "public-key.pem",
             "verifier-key.txt")}
    ok = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
                         os.path.join(pack, "public-key.pem"), "-rawin", "-in",
                         os.path.join(pack, "checkpoint-text.txt"), "-sigfile",
                         os.path.join(pack, "checkpoint.sig")], capture_output=True)
    check("openssl verifies checkpoint.sig over checkpoint-text.txt with public-key.pem",
          ok.returncode == 0, ok.stdout + ok.stderr)
    lines = open(os.path.join(pack, "events.jsonl"), encoding="utf-8").read().splitlines()
    n = len(lines)

    def tampered(name, change, *args, want=None):
        bad = os.path.join(d, "pack-tampered")
        shutil.rmtree(bad, ignore_errors=True)
        shutil.copytree(pack, bad)
        change(bad)
        p, fails = bundle(bad, *args)
        check(f"verify --bundle refuses a pack with {name}", p.returncode == 1 and fails and
              (want is None or any(want in f for f in fails)), p.stdout + p.stderr)
        shutil.rmtree(bad)

    def events(edit):
        def change(bad):
            ls = list(lines)
            edit(ls)
            with open(os.path.join(bad, "events.jsonl"), "w", encoding="utf-8") as f:
                f.write("\n".join(ls) + "\n")
        return change

    def edit_line(i, fn):
        def edit(ls):
            e = json.loads(ls[i])
            fn(e)
            ls[i] = json.dumps(e, ensure_ascii=False, separators=(",", ":"))
        return edit

    mid = n // 2
    seq_mid = json.loads(lines[mid])["seq"]
    tampered("a line of events.jsonl deleted", events(lambda ls: ls.pop(mid)),
             want=f"event {seq_mid} is listed in manifest.json but missing from events.jsonl")
    tampered("two lines of events.jsonl swapped",
             events(lambda ls: ls.__setitem__(slice(mid, mid + 2), [ls[mid + 1], ls[mid]])),
             want="the lines were reordered or repeated")
    tampered("an event's time field edited (at kept)",
             events(edit_line(mid, lambda e: e.__setitem__("time", iso(e["at"] - 86400)))),
             want="its time was edited")
    tampered("an event's at and time edited together",
             events(edit_line(mid, lambda e: e.update(at=e["at"] - 86400,
                                                       time=iso(e["at"] - 86400)))),
             want="does not match its leaf")
    tampered("an extra key on an event line",
             events(edit_line(mid, lambda e: e.__setitem__("approved_by", "carol"))),
             want=f"events.jsonl line {mid + 1} is not an event")

    def drop_from_manifest(bad):
        events(lambda ls: ls.pop(mid))(bad)
        path = os.path.join(bad, "manifest.json")
        m = json.load(open(path))
        m["events"].remove(seq_mid)
        with open(path, "w") as f:
            f.write(json.dumps(m, indent=2) + "\n")
    tampered("an event removed from events.jsonl and from the manifest's list",
             drop_from_manifest, want="manifest.json is not the manifest the log recorded")

    # Another installation's key, the same origin, signing the same tree.
    forged, other_key = forged_checkpoint_set(d, pack, real_key.split("+")[0])

    def replace(*names):
        def change(bad):
            for name in names:
                with open(os.path.join(bad, name), "wb") as f:
                    f.write(forged[name])
        return change
    everything = tuple(forged)
    tampered("all five checkpoint files signed by another installation, with the operator's "
             "--key", replace(*everything), "--key", real_key,
             want="not the verifier key given with --key")
    p, fails = bundle(os.path.join(pack), "--key", other_key)
    check("verify --bundle refuses the genuine pack given another installation's --key",
          p.returncode == 1 and fails, p.stdout)
    tampered("checkpoint.sig signed by another key", replace("checkpoint.sig"),
             want="checkpoint.sig is not the signature in checkpoint.txt")
    tampered("public-key.pem of another key", replace("public-key.pem"),
             want="public-key.pem is not the key of verifier-key.txt")
    tampered("checkpoint.txt and verifier-key.txt of another key, the derived files left",
             replace("checkpoint.txt", "verifier-key.txt"),
             want="checkpoint.sig is not the signature in checkpoint.txt")
    tampered("checkpoint.txt, verifier-key.txt and checkpoint.sig of another key",
             replace("checkpoint.txt", "verifier-key.txt", "checkpoint.sig"),
             want="public-key.pem is not the key of verifier-key.txt")

    def edit_text(bad):
        with open(os.path.join(bad, "checkpoint-text.txt"), "wb") as f:
            f.write(real["checkpoint-text.txt"].replace(b"time 2026", b"time 2025"))
    tampered("checkpoint-text.txt edited", edit_text,
             want="checkpoint-text.txt is not the text checkpoint.txt signs")
    tampered("all five checkpoint files signed by another installation, without --key (event "
             "1 names the log's key)", replace(*everything),
             want=f"verifier-key.txt is {other_key}, but event 1 of the log names {real_key}")

    # A dry run: read-only, no event, and its pack is no evidence.
    before = db_fingerprint(rich.db)
    dry = os.path.join(d, "pack-dry")
    p = run("report", "--dry-run", "--from", "2026-02-01", "--to", "2026-03-31", "--out", dry,
            db=rich.db, now=None, as_user="bob", token=rich.tokens["bob"])
    check("report --dry-run writes the tables and records nothing", p.returncode == 0 and
          os.path.exists(os.path.join(dry, "index.html")) and
          db_fingerprint(rich.db) == before, p.stdout + p.stderr)
    p, fails = bundle(dry)
    check("verify --bundle refuses a dry run's pack as a dry run", p.returncode == 1 and
          fails and "dry run" in fails[0], p.stdout)

    # A tampered database: report refuses it, signs nothing and writes no pack.
    forgery = Forgery(rich)
    db = forgery.copy()
    con = sqlite3.connect(db)
    con.execute("UPDATE decisions SET author = 'dave' WHERE id = 5")
    con.commit()
    con.close()
    before = db_fingerprint(db)
    out = os.path.join(d, "pack-of-forged-db")
    p = run("report", "--from", "2026-02-01", "--to", "2026-03-31", "--out", out, db=db,
            now=rich.at(), as_user="bob", token=rich.tokens["bob"])
    check("report on a tampered database is refused (exit 2), records nothing, writes no pack",
          p.returncode == 2 and "decisions 5, column author" in p.stderr and
          db_fingerprint(db) == before and not os.path.exists(out), p.stdout + p.stderr)
    # A report refused for its time (before the latest logged) leaves no pack either.
    out = os.path.join(d, "pack-backdated")
    before = db_fingerprint(rich.db)
    con = sqlite3.connect(rich.db)
    latest, = con.execute("SELECT max(at) FROM events").fetchone()
    con.close()
    p = run("report", "--from", "2026-02-01", "--to", "2026-03-31", "--out", out, db=rich.db,
            now=iso(latest - 1), as_user="bob", token=rich.tokens["bob"], backwards_ok=True)
    check("a report refused because its time runs backwards writes no pack",
          p.returncode == 2 and db_fingerprint(rich.db) == before and not os.path.exists(out),
          (p.stderr, os.listdir(out) if os.path.exists(out) else None))



# --- 4. Who is acting, and four eyes -------------------------------------------------------

def free_uid():
    import pwd
    uid = 54321
    while True:
        try:
            pwd.getpwuid(uid)
            uid += 1
        except KeyError:
            return uid


def test_no_login_name(normal):
    """A process whose uid has no passwd entry has no login name: not even $USER gives it one;
    it acts only with --as and the user's token."""
    if os.geteuid() != 0:
        print("skip the uid-without-a-login-name test: it needs root to take another uid")
        return
    uid = free_uid()
    d = tempfile.mkdtemp(prefix="vigil-nologin-")
    try:
        os.chmod(d, 0o777)
        db = os.path.join(d, "nologin.db")
        check_no_wal(normal.db)
        for src, dst in ((normal.db, db), (normal.db + ".key", db + ".key")):
            shutil.copy2(src, dst)
            os.chown(dst, uid, uid)
        os.chown(d, uid, uid)

        def as_uid(*args, token=None):
            env = {k: v for k, v in os.environ.items() if k != "VIGIL_TOKEN"}
            env.update(USER="alice", LOGNAME="alice", HOME=d)
            if token:
                env["VIGIL_TOKEN"] = token
            return subprocess.run([VIGIL, "--db", db] + list(args), capture_output=True,
                                  text=True, env=env, timeout=60, cwd=d,
                                  preexec_fn=lambda: (os.setgroups([]), os.setgid(uid),
                                                      os.setuid(uid)))
        before = db_fingerprint(db)
        refusal = (f"vigil: error: cannot tell who is acting: this process's user (uid {uid}) "
                   "has no login name; name yourself with --as NAME and prove it with your "
                   "token in $VIGIL_TOKEN\n")
        p = as_uid("vulns", "--format", "json")
        check("no login name: a read without --as is refused, though USER=alice",
              p.returncode == 2 and p.stderr == refusal, p.stderr)
        p = as_uid("scanner", "set", "x", "--kind", "network", "--cadence", "7d")
        check("no login name: a write without --as is refused", p.returncode == 2 and
              p.stderr == refusal, p.stderr)
        p = as_uid("--as", "alice", "vulns", "--format", "json")
        check("no login name: --as alice without her token is refused", p.returncode == 2 and
              "acting as 'alice' (this process's user has no login name) needs alice's token"
              in p.stderr, p.stderr)
        p = as_uid("--as", "alice", "vulns", "--format", "json", token=normal.tokens["bob"])
        check("no login name: --as alice with bob's token is refused", p.returncode == 2 and
              "the token in $VIGIL_TOKEN is not alice's" in p.stderr, p.stderr)
        check("... and the refusals change nothing", db_fingerprint(db) == before)
        p = as_uid("--as", "alice", "vulns", "--format", "json", token=normal.tokens["alice"])
        check("no login name: --as alice with alice's token reads", p.returncode == 0 and
              json.loads(p.stdout), p.stdout + p.stderr)
        p = as_uid("--as", "alice", "scanner", "set", "x", "--kind", "network", "--cadence",
                   "7d", token=normal.tokens["alice"])
        actor = sqlite3.connect(db).execute(
            "SELECT actor FROM events ORDER BY seq DESC LIMIT 1").fetchone()
        check("no login name: --as alice with alice's token writes, recorded as alice",
              p.returncode == 0 and actor == ("alice",), p.stdout + p.stderr + str(actor))
    finally:
        shutil.rmtree(d, ignore_errors=True)


def test_user_is_not_the_environment(normal):
    """$USER never names the acting user: the login name comes from the password database."""
    import pwd
    login = pwd.getpwuid(os.geteuid()).pw_name
    env = {k: v for k, v in os.environ.items() if k != "VIGIL_TOKEN"}
    env.update(USER="alice", LOGNAME="alice")
    p = subprocess.run([VIGIL, "--db", normal.db, "user", "list"], capture_output=True,
                       text=True, env=env, timeout=60)
    check(f"USER=alice does not make {login} alice", p.returncode == 2 and
          f"unknown user '{login}'" in p.stderr, p.stderr)


def test_four_eyes(d):
    """Two accounts of one person, a role given by the author, a token an admin renewed:
    none approves."""
    import pwd
    r = Rich(d, "eyes")
    run("init", db=r.db, now=r.at())
    add = lambda name, role, by="alice": r.tokens.__setitem__(
        name, r.token_of(r.v("user", "add", name, "--role", role, user=by)))
    renew = lambda name: r.tokens.__setitem__(name, r.token_of(r.v("user", "token", name,
                                                                   user=name)))
    add("alice", "admin")
    add("bob", "analyst")
    add("carol", "approver")
    add("alice2", "approver")  # alice's second account
    add("zoe", "admin")
    add("frank", "analyst")
    for name in ("carol", "alice2", "frank"):
        renew(name)
    r.v("user", "role", "frank", "--role", "approver", user="zoe")
    login = pwd.getpwuid(os.geteuid()).pw_name
    add(login, "approver")  # this process's own login: approves without a token
    scan = write(d, "eyes.nessus", nessus([("ca1", "10.20.0.11", "", T0, True,
                                            [(9401 + i, 443, "remote") for i in range(6)])]))
    r.v("import", scan, user="bob")
    basis = "the service listens only on the management VLAN behind the jump host"
    decide = lambda key, who: re.search(r"decision #(\d+)", r.v(
        "decide", key, "--type", "recast", "--reason", "other", "--severity", "LOW",
        "--basis", basis, user=who).stdout).group(1)
    by_alice = decide("tenable:9401", "alice")
    by_zoe = decide("tenable:9402", "zoe")
    by_bob = [decide(f"tenable:{9403 + i}", "bob") for i in range(3)]
    check("the decisions are recorded", not r.failed, r.failed)
    before = db_fingerprint(r.db)

    def refused(name, args, user, want, token=None):
        p = run(*args, db=r.db, now=r.at(), as_user=user, token=token or r.tokens.get(user))
        check(f"four eyes: {name}", p.returncode == 2 and want in p.stderr and
              db_fingerprint(r.db) == before, p.stdout + p.stderr)
    refused("alice's second approver account cannot approve her decision",
            ["approve", by_alice], "alice2",
            f"was made by alice, who created the account of alice2")
    refused("... nor reject it", ["reject", by_alice, "--basis", "x" * 30], "alice2",
            f"was made by alice, who created the account of alice2")
    refused("an approver zoe gave the role cannot approve zoe's decision",
            ["approve", by_zoe], "frank", "was made by zoe, who gave the approver role to frank")
    # carol's token renewed by an admin: alice knows it.
    p = r.v("user", "token", "carol", user="alice")
    admin_issued = r.token_of(p)
    before = db_fingerprint(r.db)
    refused("a token an admin renewed cannot approve", ["approve", by_bob[0]], "carol",
            "carol's token was issued by alice, so it cannot approve", token=admin_issued)
    r.tokens["carol"] = admin_issued
    renew("carol")
    p = r.v("approve", by_bob[0], user="carol")
    check("once carol renewed it herself, she approves", p.returncode == 0 and
          "approved by carol" in p.stdout, p.stdout + p.stderr)
    p = r.v("approve", by_bob[1], user="frank")
    check("frank, made an approver by zoe, approves bob's decision", p.returncode == 0,
          p.stdout + p.stderr)
    p = run("approve", by_bob[2], db=r.db, now=r.at())
    check(f"{login} approves with the own login, without --as or a token", p.returncode == 0 and
          f"approved by {login}" in p.stdout, p.stdout + p.stderr)
    p = run("audit", "verify", db=r.db, now=None)
    check("the four-eyes database verifies", p.returncode == 0 and
          "the tables match the log" in p.stdout, p.stdout + p.stderr)


def main():
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="vigil-tamper-") as d:
        rich = Rich(d).build()
        check("the rich database is built through the CLI without a refusal", not rich.failed,
              rich.failed)
        check_rich(rich)
        forgery = Forgery(rich)
        test_every_column(rich, forgery)
        test_named_forgeries(rich, forgery)
        test_test_clock(d, rich)
        test_backwards_log(d)
        test_removed_state_hash(d)
        test_packs(d, rich)
        normal = Normal(d, rich)
        test_now_on_writes(d, rich, normal)
        test_reads_never_write(d, normal)
        test_reads_during_imports(d, normal)
        test_no_login_name(normal)
        test_user_is_not_the_environment(normal)
        test_four_eyes(d)
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed "
          f"({time.time() - started:.1f} s)")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
