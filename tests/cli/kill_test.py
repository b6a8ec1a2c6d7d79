#!/usr/bin/env python3
"""End-to-end: a vigil process killed with SIGKILL at any moment leaves a consistent database.

Two writing commands are killed at random moments (half of --kills each, 50 in all by
default):

- `vigil import` of generated Nessus reports of 1,500 hosts and about 60,000 findings, which
  take about a second each: a first import into an empty database, then rescans that fix,
  keep, add and reopen findings. Each report is killed up to four times, then imported to the
  end.
- `vigil decide` (a recast) and `vigil approve` of it, by two users with tokens, each killed
  at random microsecond offsets within its run (about 40 ms), then run to the end.

A third of the moments fall in the last fifth of the command's expected run, where it commits
and exits; the rest anywhere from the start. After every kill:

- `vigil audit verify` passes (run first, on the database as the killed process left it: the
  log, the tables against the log, the state digests);
- `PRAGMA integrity_check` is ok and `PRAGMA foreign_key_check` finds no orphan row;
- the command's change is wholly there or wholly absent: for an import, either no new scan
  and every finding as before, or one new scan whose row counts, host rows, finding sources
  and finding states are all exactly what the complete import gives (a model of the reports
  tells what that is); for a decision, the decisions and their events agree, and an approval
  either happened whole (state, approver, class, class change) or not at all;
- the same command then completes (an import of a report whose import had committed just
  before the kill says "already imported"; an approval that had committed is refused as not
  pending, and its effect is there).

The seed is printed; --seed N (or VIGIL_KILL_SEED=N) repeats a run's reports and moments.

Usage: kill_test.py VIGIL_BINARY [--sanitized] [--seed N] [--kills N]
"""
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_test import RESULTS, SANITIZED, VIGIL, check, nessus, write  # noqa: E402
from cli_test import vigil_now as vigil  # noqa: E402

T0 = 1772352000  # 2026-03-01T08:00:00Z: the first report's scan
HOSTS = 300 if SANITIZED else 1500
PLUGINS = list(range(20000, 20048))
KILLS_PER_REPORT = 4
TOKEN = re.compile(r"vgt_[A-Za-z0-9_-]{43}")


def option(name, default):
    args = sys.argv[2:]
    if name in args and args.index(name) + 1 < len(args):
        return int(args[args.index(name) + 1])
    return default


class Killer:
    """Starts a command and kills it with SIGKILL after a random offset."""

    def __init__(self, rng):
        self.rng = rng
        self.kills = 0
        self.late = 0  # moments that came after the command had finished

    def moment(self, expected):
        """Seconds after the start: a third in the last fifth of the expected run (commit and
        exit), the rest anywhere in it, with microsecond resolution."""
        if self.rng.random() < 1 / 3:
            low, high = 0.8 * expected, expected
        else:
            low, high = 0.0, expected
        return self.rng.randrange(int(low * 1e6), int(high * 1e6) + 1) / 1e6

    def attempt(self, db, args, expected, user=None, token=None):
        """Returns ("killed", seconds) or ("finished", completed process)."""
        cmd = [VIGIL, "--db", db] + (["--as", user] if user else []) + list(args)
        env = dict(os.environ)
        env.pop("VIGIL_TOKEN", None)
        if token:
            env["VIGIL_TOKEN"] = token
        at = self.moment(expected)
        start = time.monotonic()
        p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        time.sleep(max(0.0, at - (time.monotonic() - start)))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
        out, err = p.communicate()
        if p.returncode == -signal.SIGKILL:
            self.kills += 1
            return "killed", at
        self.late += 1
        return "finished", subprocess.CompletedProcess(
            cmd, p.returncode, out.decode(errors="replace"), err.decode(errors="replace"))


def ro(db):
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


def storage_ok(db, what, failures):
    """integrity_check and foreign_key_check, read-only (the checks must not repair)."""
    con = ro(db)
    integrity = [r[0] for r in con.execute("PRAGMA integrity_check")]
    orphans = con.execute("PRAGMA foreign_key_check").fetchall()
    con.close()
    if integrity != ["ok"]:
        failures.append(f"{what}: integrity_check says {integrity[:3]}")
    if orphans:
        failures.append(f"{what}: {len(orphans)} orphan rows, e.g. {orphans[:3]}")


def verify_ok(db, what, failures, user=None, token=None):
    p = vigil(db, "audit", "verify", user=user, token=token)
    if p.returncode != 0 or "the tables match the log" not in p.stdout:
        failures.append(f"{what}: audit verify exit {p.returncode}: "
                        f"{(p.stdout + p.stderr)[-400:]}")


# --- Imports ------------------------------------------------------------------------------

class Reports:
    """Generated rescans of the same hosts and a model of what importing each must give."""

    def __init__(self, d, rng):
        self.d = d
        self.rng = rng
        self.state = (frozenset(), frozenset())  # the open and the fixed (host, plugin) pairs
        self.made = 0

    def next(self):
        """(path, expected counts, the model's state after it)."""
        k = self.made
        self.made += 1
        keep = 0.8 if k == 0 else 0.85
        present = set()
        hosts = []
        for i in range(HOSTS):
            items = [(p, 443, "remote") for p in PLUGINS if self.rng.random() < keep]
            present.update((i, p) for p, _, _ in items)
            hosts.append((f"h{i}", f"10.{i // 250}.{i % 250}.1", f"h{i}.example.org",
                          T0 + 86400 * k, True, items))
        path = write(self.d, f"report{k}.nessus", nessus(hosts, plugin_set=PLUGINS))
        opened, fixed = self.state
        counts = {"hosts": HOSTS, "findings": len(present),
                  "vulnerabilities": len({p for _, p in present}),
                  "new": len(present - opened - fixed), "fixed": len(opened - present),
                  "reopened": len(present & fixed), "unchanged": len(present & opened)}
        return path, counts, (frozenset(present), frozenset((opened | fixed) - present))


def histogram(state):
    return {k: v for k, v in (("open", len(state[0])), ("fixed", len(state[1]))) if v}


def import_state(db):
    con = ro(db)
    scans = con.execute("SELECT id, hosts, findings, vulnerabilities, new_findings, fixed, "
                        "reopened, unchanged, digest FROM scans ORDER BY id").fetchall()
    hosts = dict(con.execute("SELECT scan_id, count(*) FROM host_scans GROUP BY scan_id"))
    states = dict(con.execute(
        "SELECT CASE WHEN state IN ('open', 'reopened') THEN 'open' ELSE state END, count(*) "
        "FROM findings GROUP BY 1"))
    present = con.execute("SELECT count(*) FROM finding_sources WHERE presence = 'present' AND "
                          "last_scan_id = (SELECT max(id) FROM scans)").fetchone()[0]
    events = con.execute("SELECT count(*) FROM events WHERE type = 'scan.imported'").fetchone()[0]
    con.close()
    return scans, hosts, states, present, events


def wholly(db, scans_before, counts, before, after, what, failures):
    """The import is wholly there or wholly absent; returns whether it is there."""
    scans, hosts, states, present, events = import_state(db)
    states = {k: v for k, v in states.items() if v}
    if len(scans) == scans_before:
        if states != histogram(before):
            failures.append(f"{what}: no new scan, but findings {states} (before: "
                            f"{histogram(before)})")
        if events != scans_before:
            failures.append(f"{what}: {events} import events for {scans_before} scans")
        return False
    if len(scans) != scans_before + 1:
        failures.append(f"{what}: {len(scans)} scans, expected {scans_before} or one more")
        return False
    sid, h, f, v, new, fixed, reopened, unchanged, digest = scans[-1]
    got = {"hosts": h, "findings": f, "vulnerabilities": v, "new": new, "fixed": fixed,
           "reopened": reopened, "unchanged": unchanged}
    want = histogram(after)
    problems = []
    if got != counts:
        problems.append(f"scan row counts {got}, expected {counts}")
    if any(hosts.get(s[0], 0) != s[1] for s in scans):
        problems.append(f"host rows per scan {hosts} against the rows {[s[:2] for s in scans]}")
    if present != counts["findings"]:
        problems.append(f"{present} present finding sources, expected {counts['findings']}")
    if states != want:
        problems.append(f"findings {states}, expected {want}")
    if digest.startswith("pending:"):
        problems.append("the scan's digest is still pending")
    if events != scans_before + 1:
        problems.append(f"{events} import events for {scans_before + 1} scans")
    failures.extend(f"{what}: {p}" for p in problems)
    return True


def import_after_kill(db, what, scans_before, counts, before, after, failures):
    verify_ok(db, what, failures)
    storage_ok(db, what, failures)
    return wholly(db, scans_before, counts, before, after, what, failures)


def kill_import(db, path, expected, killer, most, scans, counts, before, after, failures):
    """Kills the import of `path` up to `most` times, checking after each; returns (kills
    landed, whether the scan is there)."""
    landed, present = 0, False
    while landed < most and not present and not failures:
        how, result = killer.attempt(db, ["import", "--format", "json", path], expected)
        name = os.path.basename(path)
        what = f"import of {name} killed at {result:.6f} s" if how == "killed" else \
            f"import of {name} (not killed)"
        if how == "finished" and result.returncode != 0:
            failures.append(f"{what}: exit {result.returncode}: {result.stderr[-300:]}")
            break
        landed += how == "killed"
        present = import_after_kill(db, what, scans, counts, before, after, failures)
    return landed, present


def test_imports(d, killer, kills):
    """Kills imports until `kills` kills have landed; returns how many did."""
    db = os.path.join(d, "imports.db")
    vigil(db, "init")
    reports = Reports(d, killer.rng)
    path, counts, after = reports.next()
    # Calibration: how long a first import of this size takes here.
    probe = os.path.join(d, "probe.db")
    vigil(probe, "init")
    start = time.monotonic()
    p = vigil(probe, "import", "--format", "json", path)
    expected = time.monotonic() - start
    check(f"calibration: a report of {HOSTS} hosts and {counts['findings']} findings imports "
          f"in {expected:.2f} s", p.returncode == 0, p.stderr)
    failures, scans, already, landed = [], 0, 0, 0
    # On a loaded machine many moments come after the import has finished (it commits and
    # the next report is made); allow reports for three times the kills wanted.
    while landed < kills and not failures and reports.made <= 3 * kills:
        if scans == reports.made:
            path, counts, after = reports.next()
        n, present = kill_import(db, path, expected, killer, min(KILLS_PER_REPORT, kills - landed),
                                 scans, counts, reports.state, after, failures)
        landed += n
        if failures:
            break
        # The same command then completes.
        start = time.monotonic()
        p = vigil(db, "import", "--format", "json", path)
        took = time.monotonic() - start
        out = json.loads(p.stdout) if p.returncode == 0 else {}
        if p.returncode != 0 or out.get("already_imported") is not present:
            failures.append(f"the same import of {path} then: exit {p.returncode}, "
                            f"already_imported {out.get('already_imported')} (the scan was "
                            f"{'already' if present else 'not yet'} there): {p.stderr[-300:]}")
            break
        if not present:
            got = {k: out.get(k) for k in counts}
            if got != counts:
                failures.append(f"the completed import of {path} counts {got}, expected "
                                f"{counts}")
            expected = took  # the next report's kills are timed by this import
        already += present
        wholly(db, scans, counts, reports.state, after, f"import of {path} completed",
               failures)
        scans += 1
        reports.state = after
        os.remove(path)
    if not failures:
        verify_ok(db, "after the last import", failures)
    check(f"{landed} imports killed at random moments: audit verify, integrity_check and "
          f"foreign_key_check pass after each, each scan is wholly there or absent, and the "
          f"same import then completes ({scans} reports, {already} of them committed just "
          f"before their kill)", landed >= kills and not failures, failures[:3])
    return landed


# --- Decisions ----------------------------------------------------------------------------

def token_of(p):
    m = TOKEN.search(p.stdout)
    return m.group(0) if m else ""


def decisions_state(db):
    con = ro(db)
    rows = con.execute("SELECT id, state, decided_by, new_class FROM decisions ORDER BY id")\
        .fetchall()
    events = dict(con.execute("SELECT type, count(*) FROM events WHERE type LIKE 'decision.%' "
                              "GROUP BY type"))
    classes = dict(con.execute("SELECT key, class FROM vulnerabilities"))
    changes = con.execute("SELECT count(*) FROM class_changes").fetchone()[0]
    con.close()
    return rows, events, classes, changes


class People:
    def __init__(self, d):
        self.db = os.path.join(d, "decisions.db")
        vigil(self.db, "init")
        hosts = [(f"d{i}", f"10.99.0.{i}", None, T0, True,
                  [(p, 443, "remote") for p in PLUGINS]) for i in range(20)]
        vigil(self.db, "import", write(d, "decisions.nessus", nessus(hosts, plugin_set=PLUGINS)))
        self.tokens = {"alice": token_of(vigil(self.db, "user", "add", "alice", "--role",
                                               "admin", user="alice"))}
        for name, role in (("bob", "analyst"), ("carol", "approver")):
            self.tokens[name] = token_of(vigil(self.db, "user", "add", name, "--role", role,
                                               user="alice", token=self.tokens["alice"]))
        # carol renews her token herself, so that it may approve.
        self.tokens["carol"] = token_of(vigil(self.db, "user", "token", "carol", user="carol",
                                              token=self.tokens["carol"]))

    def after_kill(self, what, failures):
        verify_ok(self.db, what, failures, user="alice", token=self.tokens["alice"])
        storage_ok(self.db, what, failures)
        rows, events, classes, changes = decisions_state(self.db)
        approved = [r for r in rows if r[1] in ("approved", "superseded")]
        if events.get("decision.created", 0) != len(rows):
            failures.append(f"{what}: {len(rows)} decisions, "
                            f"{events.get('decision.created', 0)} decision.created events")
        if events.get("decision.approved", 0) != len(approved):
            failures.append(f"{what}: {len(approved)} approved decisions, "
                            f"{events.get('decision.approved', 0)} decision.approved events")
        if any(r[2] != "carol" for r in approved):
            failures.append(f"{what}: an approved decision without its approver: {approved}")
        return rows, classes, changes


def test_decisions(d, killer, kills):
    people = People(d)
    bob = {"user": "bob", "token": people.tokens["bob"]}
    carol = {"user": "carol", "token": people.tokens["carol"]}
    basis = "the service listens only on the management network behind the jump host"
    expected = {}
    for name, args, who in (
            ("decide", ["decide", f"tenable:{PLUGINS[0]}", "--type", "recast", "--reason",
                        "compensating-controls", "--severity", "LOW", "--basis", basis], bob),
            ("approve", ["approve", "1"], carol)):
        start = time.monotonic()
        p = vigil(people.db, *args, **who)
        expected[name] = time.monotonic() - start
        check(f"calibration: {name} takes {expected[name] * 1000:.0f} ms", p.returncode == 0,
              p.stderr)
    failures, landed, rounds, committed = [], 0, 0, 0
    classes_cycle = ["MEDIUM", "LOW", "CRITICAL"]  # never HIGH, the derived class
    k = 0
    # Each round offers two kills (decide, approve); on a loaded machine many moments come
    # after the command has finished, so allow rounds for three times the kills wanted.
    while landed < kills and not failures and k < 3 * kills:
        k += 1
        key = f"tenable:{PLUGINS[k % len(PLUGINS)]}"
        severity = classes_cycle[k % len(classes_cycle)]
        # decide: killed once, then run to the end.
        rows_before = decisions_state(people.db)[0]
        args = ["decide", key, "--type", "recast", "--reason", "compensating-controls",
                "--severity", severity, "--basis", f"{basis} (round {k})"]
        how, result = killer.attempt(people.db, args, expected["decide"], **bob)
        landed += how == "killed"
        what = f"decide #{k} killed at {result * 1e6:.0f} us" if how == "killed" else \
            f"decide #{k} (not killed)"
        if how == "finished" and result.returncode != 0:
            failures.append(f"{what}: exit {result.returncode}: {result.stderr[-300:]}")
            break
        rows, _, _ = people.after_kill(what, failures)
        if len(rows) not in (len(rows_before), len(rows_before) + 1):
            failures.append(f"{what}: {len(rows)} decisions after {len(rows_before)}")
        if how == "killed":
            committed += len(rows) > len(rows_before)
            p = vigil(people.db, *args, **bob)
            if p.returncode != 0:
                failures.append(f"the same decide then: exit {p.returncode}: {p.stderr[-300:]}")
                break
        rows, _, classes_before, changes_before = decisions_state(people.db)
        if landed >= kills:
            break
        pending = rows[-1][0]
        # approve it: killed once, then run to the end.
        args = ["approve", str(pending)]
        how, result = killer.attempt(people.db, args, expected["approve"], **carol)
        landed += how == "killed"
        what = f"approve #{pending} killed at {result * 1e6:.0f} us" if how == "killed" else \
            f"approve #{pending} (not killed)"
        if how == "finished" and result.returncode != 0:
            failures.append(f"{what}: exit {result.returncode}: {result.stderr[-300:]}")
            break
        rows, classes, changes = people.after_kill(what, failures)
        done = dict((r[0], r[1]) for r in rows)[pending] == "approved"
        whole = (classes[key] == severity and changes > changes_before) if done else \
            (classes == classes_before and changes == changes_before)
        if not whole:
            failures.append(f"{what}: approval {'done' if done else 'not done'} but class "
                            f"{classes_before[key]} -> {classes[key]}, class changes "
                            f"{changes_before} -> {changes}")
        if how == "killed":
            committed += done
            p = vigil(people.db, *args, **carol)
            refused_as_done = done and p.returncode == 2 and "not pending" in p.stderr
            if p.returncode != 0 and not refused_as_done:
                failures.append(f"the same approve then: exit {p.returncode}: "
                                f"{p.stderr[-300:]}")
                break
        rounds += 1
    check(f"{landed} decide and approve commands killed at random moments: audit verify, "
          f"integrity_check and foreign_key_check pass after each, each decision and approval "
          f"is wholly there or absent, and the same command then completes ({rounds} rounds, "
          f"{committed} kills after the commit)", landed >= kills and not failures,
          failures[:3])
    return landed


def main():
    seed = option("--seed", int(os.environ.get("VIGIL_KILL_SEED", "0")) or
                  random.SystemRandom().randrange(1, 2**31))
    kills = option("--kills", 20 if SANITIZED else 50)
    print(f"seed {seed} (repeat with --seed {seed} or VIGIL_KILL_SEED={seed}); {kills} kills")
    killer = Killer(random.Random(seed))
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="vigil-kill-") as d:
        imports = test_imports(d, killer, kills // 2)
        middle = time.monotonic()
        decisions = test_decisions(d, killer, kills - kills // 2)
    end = time.monotonic()
    print(f"note: seed {seed}: {imports} imports killed in {middle - start:.1f} s and "
          f"{decisions} decision commands in {end - middle:.1f} s; {killer.late} moments came "
          f"after the command had finished; load average {os.getloadavg()[0]:.1f}")
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
