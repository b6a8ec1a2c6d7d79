#!/usr/bin/env python3
"""Backups and restores as docs/deployment.md describes them, end to end with the binary.

SQLite: a database with a user, imported scans and a signed checkpoint is backed up with
SQLite's online backup API (what `sqlite3 DB ".backup FILE"` uses) while a second vigil process
imports, and with VACUUM INTO; the copy restored to a new path (with its signing key, backed up
separately) verifies, and its log root is the original's at the size the backup holds; it
verifies against the checkpoint kept offline, and it can sign checkpoints again. A backup older
than the latest kept checkpoint is named as truncated by `vigil audit verify --checkpoint`, and
a restored copy with one row's text changed in SQL fails verification.

PostgreSQL (only when VIGIL_PG_URL is set; run under tests/support/pg_cluster.py): the same with
`pg_dump -Fc` during an import and `pg_restore` into a second, empty database made with
`createdb`.

Usage: backup_restore_test.py VIGIL_BINARY [TESTDATA_DIR]
(pg_cluster.py -- python3 backup_restore_test.py VIGIL_BINARY runs both halves.)
"""
import base64
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
TESTDATA = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "testdata")
PG_URL = os.environ.get("VIGIL_PG_URL", "")
PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
FAILED = []


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what, flush=True)
    if not ok:
        FAILED.append(what)
        if detail:
            print("     " + str(detail).strip().replace("\n", "\n     "))
    return ok


def env_with(token):
    env = dict(os.environ)
    env.pop("VIGIL_TOKEN", None)
    env.pop("VIGIL_DB", None)
    if token:
        env["VIGIL_TOKEN"] = token
    return env


def vigil(db, *args, user=None, token=None, config=None):
    cmd = [VIGIL, "--db", db] + (["--as", user] if user else []) + \
        (["--config", config] if config else []) + list(args)
    return subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=120,
                          env=env_with(token))


def vigil_bg(db, *args, user=None, token=None):
    cmd = [VIGIL, "--db", db] + (["--as", user] if user else []) + list(args)
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            errors="replace", env=env_with(token))


def scan(kind, name):
    return os.path.join(TESTDATA, kind, name)


class Install:
    """One database with its admin alice and her token."""

    def __init__(self, db, label):
        self.db, self.label, self.token = db, label, None

    def v(self, *args, db=None):
        return vigil(db or self.db, *args, user="alice", token=self.token)

    def setup(self, config=None):
        p = vigil(self.db, "init", config=config)
        check(self.label + ": vigil init", p.returncode == 0, p.stdout + p.stderr)
        p = vigil(self.db, "user", "add", "alice", "--role", "admin", user="alice")
        m = re.search(r"^token: (vgt_\S+)$", p.stdout, re.M)
        check(self.label + ": the first admin is registered", p.returncode == 0 and m,
              p.stdout + p.stderr)
        self.token = m.group(1) if m else None
        for f in (scan("nessus", "all_fields.nessus"), scan("nessus", "several_hosts.nessus")):
            p = self.v("import", f)
            check(self.label + ": import " + os.path.basename(f), p.returncode == 0,
                  p.stdout + p.stderr)

    def checkpoint(self, path, db=None):
        """Signs a checkpoint; keeps it at `path` (offline, in real life); returns (size, root hex)."""
        p = self.v("audit", "checkpoint", db=db)
        lines = p.stdout.split("\n")
        ok = p.returncode == 0 and len(lines) > 3 and "\n\n\u2014 " in p.stdout
        check(self.label + ": vigil audit checkpoint prints a signed note", ok,
              p.stdout + p.stderr)
        if not ok:
            return None, None
        with open(path, "w", encoding="utf-8") as f:
            f.write(p.stdout)
        return int(lines[1]), base64.b64decode(lines[2]).hex()

    def verify(self, db=None, checkpoint=None):
        """`vigil audit verify`: (passed, events, root hex, output)."""
        p = self.v("audit", "verify", *(["--checkpoint", checkpoint] if checkpoint else []),
                   db=db)
        m = re.search(r"the log: (\d+) events.* root ([0-9a-f]{64})", p.stdout)
        passed = p.returncode == 0 and p.stdout.startswith("ok") and m is not None
        return (passed, int(m.group(1)) if m else None, m.group(2) if m else None,
                p.stdout + p.stderr)


def sqlite_half(d):
    print("# SQLite")
    live = os.path.join(d, "live")
    os.mkdir(live)
    db = os.path.join(live, "vigil.db")
    inst = Install(db, "sqlite")
    inst.setup()
    size1, root1 = inst.checkpoint(os.path.join(d, "checkpoint-1.txt"))
    ok, n, root, out = inst.verify()
    check("sqlite: vigil audit verify prints the root of the checkpoint just signed",
          ok and n == size1 and root == root1, out)

    # An online backup while a second vigil process imports: the copy is the database either
    # before or after that import's transaction, never between.
    backups = os.path.join(d, "backup")
    os.mkdir(backups)
    before = os.path.join(backups, "vigil-before.db")
    with sqlite3.connect(db, timeout=30) as src, sqlite3.connect(before) as dst:
        src.backup(dst)
    # Backups taken over and over while the importer runs, and one after it.
    importer = vigil_bg(db, "import", scan("openvas", "gmp_response.xml"),
                        scan("nessus", "non_ascii.nessus"), scan("trivy", "fs_lockfiles.json"),
                        user="alice", token=inst.token)
    copies = []
    while True:
        running = importer.poll() is None
        copies.append(os.path.join(backups, "vigil-during-{}.db".format(len(copies))))
        with sqlite3.connect(db, timeout=30) as src, sqlite3.connect(copies[-1]) as dst:
            src.backup(dst)
        if not running or len(copies) >= 200:
            break
    out, err = importer.communicate(timeout=120)
    check("sqlite: the import beside the backups succeeds ({} backups taken while it ran)"
          .format(len(copies) - 1), importer.returncode == 0, out + err)
    ok, size2, root2, out = inst.verify()
    check("sqlite: the live database verifies after the import", ok and size2 > size1, out)
    seen = {}
    for c in copies:
        ok, n, root, out = inst.verify(db=c)
        seen.setdefault((ok, n, root), out)
    check("sqlite: every backup verifies and is the database before or after the import, "
          "never between ({} distinct)".format(len(seen)),
          set(seen) <= {(True, size1, root1), (True, size2, root2)},
          "\n".join(seen.values()))
    during = copies[len(copies) // 2]

    # The restore: the backup and the key (kept separately) to a new place.
    restored_dir = os.path.join(d, "restored")
    os.mkdir(restored_dir)
    restored = os.path.join(restored_dir, "vigil.db")
    shutil.copyfile(during, restored)
    os.chmod(restored, 0o600)
    shutil.copyfile(db + ".key", restored + ".key")
    os.chmod(restored + ".key", 0o600)
    ok, n, root, out = inst.verify(db=restored)
    check("sqlite: vigil audit verify passes on the restored copy", ok, out)
    check("sqlite: its log root is the original's at the size the backup holds "
          "({} events)".format(n),
          (n == size1 and root == root1) or (n == size2 and root == root2),
          "restored {} {}; original {} {} / {} {}".format(n, root, size1, root1, size2, root2))
    ok, _, _, out = inst.verify(db=restored, checkpoint=os.path.join(d, "checkpoint-1.txt"))
    check("sqlite: the restored copy verifies against the checkpoint kept offline", ok, out)

    # VACUUM INTO, the other online copy the documentation names.
    vacuumed = os.path.join(backups, "vigil-vacuum.db")
    con = sqlite3.connect(db, timeout=30)
    con.execute("VACUUM INTO ?", (vacuumed,))
    con.close()
    ok, n, root, out = inst.verify(db=vacuumed)
    check("sqlite: a VACUUM INTO copy verifies with the live root",
          ok and n == size2 and root == root2, out)

    # The latest checkpoint, kept offline, is newer than an old backup: verify names the gap.
    size3, root3 = inst.checkpoint(os.path.join(d, "checkpoint-2.txt"))
    old = os.path.join(d, "old")
    os.mkdir(old)
    old_db = os.path.join(old, "vigil.db")
    shutil.copyfile(before, old_db)
    ok, n, _, out = inst.verify(db=old_db)
    check("sqlite: a backup from before the import verifies by itself ({} events)".format(n),
          ok and n == size1, out)
    ok, n, _, out = inst.verify(db=old_db, checkpoint=os.path.join(d, "checkpoint-2.txt"))
    check("sqlite: against the latest kept checkpoint ({} events) it fails and says the log "
          "was truncated".format(size3),
          not ok and size3 > size1 and "covers {} events but the log holds {}: the log was "
          "truncated".format(size3, size1) in out, out)

    # The restored copy signs again with the restored key; its checkpoints go on from the log.
    size4, root4 = inst.checkpoint(os.path.join(d, "checkpoint-restored.txt"), db=restored)
    ok, n, root, out = inst.verify(db=restored)
    check("sqlite: the restored copy signs a checkpoint with the restored key and verifies",
          ok and size4 == n and root4 == root, out)

    # Tampering with a restored copy: one row's text changed in SQL.
    for what, sql, expect in (
            ("a class change's note", "UPDATE class_changes SET note = 'reviewed by the board' "
             "WHERE id = (SELECT min(id) FROM class_changes)", "class_changes"),
            ("an event's text", "UPDATE events SET payload = replace(payload, '\"admin\"', "
             "'\"auditor\"') WHERE type = 'user.added'", "does not match its recorded leaf hash")):
        tampered = os.path.join(d, "tampered-{}.db".format(len(expect)))
        shutil.copyfile(restored, tampered)
        con = sqlite3.connect(tampered)
        changed = con.execute(sql).rowcount
        con.commit()
        con.close()
        ok, _, _, out = inst.verify(db=tampered)
        check("sqlite: a restored copy with {} changed fails verify, naming it".format(what),
              changed == 1 and not ok and expect in out, "rows changed: {}\n{}".format(
                  changed, out))


def pg_half(d):
    print("# PostgreSQL")
    url = urllib.parse.urlsplit(PG_URL)
    query = urllib.parse.parse_qs(url.query)
    host = query.get("host", [os.environ.get("PGHOST", "")])[0]
    user = query.get("user", [os.environ.get("PGUSER", "")])[0]
    dbname = url.path.lstrip("/")
    conn = (["-h", host] if host else []) + (["-U", user] if user else [])
    pgbin = lambda tool: os.path.join(PG_BIN, tool)  # noqa: E731

    def pg(tool, *args):
        return subprocess.run([pgbin(tool)] + conn + list(args), capture_output=True, text=True,
                              timeout=120)

    def url_of(name):
        return "{}://{}/{}{}".format(url.scheme, url.netloc, name,
                                     "?" + url.query if url.query else "")

    # init on PostgreSQL needs [audit] key_file; the origin is set so that it does not come
    # from the URL (docs/deployment.md).
    cfg = os.path.join(d, "pg.toml")
    key = os.path.join(d, "pg-audit.key")
    with open(cfg, "w", encoding="utf-8") as f:
        f.write('[audit]\nkey_file = "{}"\norigin = "vigil/backup-test"\n'.format(key))
    inst = Install(PG_URL, "postgresql")
    inst.setup(config=cfg)
    size1, root1 = inst.checkpoint(os.path.join(d, "pg-checkpoint-1.txt"))
    with open(os.path.join(d, "pg-checkpoint-1.txt"), encoding="utf-8") as f:
        check("postgresql: the checkpoint's origin is the configured one",
              f.readline().strip() == "vigil/backup-test")

    # Dumps taken over and over while a second vigil imports, and one after it.
    importer = vigil_bg(PG_URL, "import", scan("openvas", "gmp_response.xml"),
                        scan("nessus", "non_ascii.nessus"), scan("trivy", "fs_lockfiles.json"),
                        user="alice", token=inst.token)
    dumps, failures = [], []
    while True:
        running = importer.poll() is None
        dumps.append(os.path.join(d, "vigil-{}.dump".format(len(dumps))))
        p = pg("pg_dump", "-Fc", "-f", dumps[-1], dbname)
        if p.returncode != 0:
            failures.append(p.stdout + p.stderr)
        if not running or len(dumps) >= 50:
            break
    check("postgresql: pg_dump -Fc while a second vigil imports ({} dumps)".format(len(dumps)),
          not failures, "\n".join(failures))
    out, err = importer.communicate(timeout=120)
    check("postgresql: the import beside the dumps succeeds", importer.returncode == 0,
          out + err)
    dump = dumps[(len(dumps) - 1) // 2]
    ok, size2, root2, out = inst.verify()
    check("postgresql: the live database verifies after the import", ok and size2 > size1, out)

    restored_name = dbname + "_restored"
    p = pg("createdb", restored_name)
    check("postgresql: createdb an empty database for the restore", p.returncode == 0, p.stderr)
    p = pg("pg_restore", "--no-owner", "--exit-on-error", "-d", restored_name, dump)
    check("postgresql: pg_restore into it", p.returncode == 0, p.stdout + p.stderr)
    restored = url_of(restored_name)
    ok, n, root, out = inst.verify(db=restored)
    check("postgresql: vigil audit verify passes on the restored database", ok, out)
    check("postgresql: its log root is the original's at the size the dump holds "
          "({} events)".format(n),
          (n == size1 and root == root1) or (n == size2 and root == root2),
          "restored {} {}; original {} {} / {} {}".format(n, root, size1, root1, size2, root2))
    ok, _, _, out = inst.verify(db=restored, checkpoint=os.path.join(d, "pg-checkpoint-1.txt"))
    check("postgresql: the restored database verifies against the checkpoint kept offline",
          ok, out)
    size3, root3 = inst.checkpoint(os.path.join(d, "pg-checkpoint-restored.txt"), db=restored)
    ok, n, root, out = inst.verify(db=restored)
    check("postgresql: the restored database signs a checkpoint with the same key file",
          ok and n == size3 and root == root3, out)

    p = subprocess.run([pgbin("psql")] + conn + [
        "-v", "ON_ERROR_STOP=1", "-Atc",
        "UPDATE class_changes SET note = 'reviewed by the board' "
        "WHERE id = (SELECT min(id) FROM class_changes)", restored_name],
        capture_output=True, text=True, timeout=60)
    ok, _, _, out = inst.verify(db=restored)
    check("postgresql: the restored database with one row's text changed fails verify",
          p.returncode == 0 and p.stdout.strip() == "UPDATE 1" and not ok and
          "class_changes" in out, p.stdout + p.stderr + out)


def main():
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="vigil-backup-") as d:
        sqlite_half(d)
        if PG_URL:
            pg_half(d)
        else:
            print("# PostgreSQL: skipped (VIGIL_PG_URL is not set; run under "
                  "tests/support/pg_cluster.py --)")
    print("{} in {:.1f} s".format("{} failed".format(len(FAILED)) if FAILED else "all passed",
                                  time.monotonic() - start))
    return 1 if FAILED else 0


if __name__ == "__main__":
    sys.exit(main())
