"""Shared harness for the corpus tests: import a real scanner file with the vigil binary
into a fresh database and compare vigil's counts with a count the test makes itself.

A format's test module calls `main(argv, directories, check)` where `check(path)` returns
one of:
  ("import", {"hosts": H, "findings": F, "vulnerabilities": V, "assets": A}, parser_or_None)
      the file must import (with `--parser parser` when given, else detected) and vigil's
      import counts, `findings`, `vulns` and `assets` rows must equal these numbers
      ("assets" may be left out when it equals "hosts");
  ("reject", "text the error must contain", parser_or_None)
      the file is not a scan (or not one vigil reads): import must exit non-zero with an
      error containing the text, and leave the database with no scan;
  ("skip", "why")   the file is not for this test (a README, a schema).

Without VIGIL_CORPUS the test exits 77 (skipped). Python 3 standard library only.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

SKIP_EXIT = 77
NOW = "2026-01-01T00:00:00Z"
TIMEOUT = 1800


def run(cmd):
    return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=TIMEOUT)


def short(data, limit=400):
    text = data.decode("utf-8", "replace").strip().replace("\n", " | ")
    return text if len(text) <= limit else text[:limit] + "..."


def json_rows(vigil, db, command):
    p = run([vigil, "--db", db, command, "--format", "json"])
    if p.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (command, p.returncode, short(p.stderr)))
    rows = json.loads(p.stdout)
    if not isinstance(rows, list):
        raise RuntimeError("%s --format json did not return an array" % command)
    return rows


def import_file(vigil, db, path, parser):
    cmd = [vigil, "--db", db, "--now", NOW, "import", "--format", "json"]
    if parser:
        cmd += ["--parser", parser]
    return run(cmd + [path])


def check_import(vigil, path, want, parser):
    tmp = tempfile.mkdtemp(prefix="vigil-corpus-")
    try:
        db = os.path.join(tmp, "vigil.db")
        p = run([vigil, "--db", db, "--now", NOW, "init", "--test-clock"])
        if p.returncode != 0:
            return False, "init exited %d: %s" % (p.returncode, short(p.stderr))
        p = import_file(vigil, db, path, parser)
        if p.returncode != 0:
            return False, "import exited %d: %s" % (p.returncode, short(p.stderr))
        verify = run([vigil, "--db", db, "audit", "verify"])
        if verify.returncode != 0 or b"the tables match the log" not in verify.stdout:
            return False, "audit verify after the import: %s" % short(verify.stdout + verify.stderr)
        try:
            got = json.loads(p.stdout)
        except ValueError as e:
            return False, "import printed no JSON (%s): %s" % (e, short(p.stdout))
        if isinstance(got, list) and len(got) == 1:
            got = got[0]
        problems = []
        for field in ("hosts", "findings", "vulnerabilities"):
            if got.get(field) != want[field]:
                problems.append("%s: vigil %s, expected %d" % (field, got.get(field), want[field]))
        rows = (("findings", want["findings"]), ("vulns", want["vulnerabilities"]),
                ("assets", want.get("assets", want["hosts"])))
        for command, n_want in rows:
            try:
                n = len(json_rows(vigil, db, command))
            except (RuntimeError, ValueError) as e:
                problems.append(str(e))
                continue
            if n != n_want:
                problems.append("%s rows: vigil %d, expected %d" % (command, n, n_want))
        if problems:
            return False, "; ".join(problems)
        return True, " ".join("%s=%d" % (k, v) for k, v in sorted(want.items()))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def check_reject(vigil, path, text, parser):
    tmp = tempfile.mkdtemp(prefix="vigil-corpus-")
    try:
        db = os.path.join(tmp, "vigil.db")
        p = run([vigil, "--db", db, "--now", NOW, "init", "--test-clock"])
        if p.returncode != 0:
            return False, "init exited %d: %s" % (p.returncode, short(p.stderr))
        p = import_file(vigil, db, path, parser)
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode == 0:
            return False, "imported, but must be rejected with '%s'" % text
        if text not in err:
            return False, "rejected, but the message lacks '%s': %s" % (text, short(p.stderr))
        if json_rows(vigil, db, "vulns"):
            return False, "rejected, but the database is not untouched"
        return True, "rejected: %s" % short(p.stderr, 160)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv, directories, check):
    if len(argv) != 2:
        print("usage: %s VIGIL_BINARY" % os.path.basename(argv[0]), file=sys.stderr)
        return 2
    corpus = os.environ.get("VIGIL_CORPUS", "")
    if not corpus:
        print("SKIP: VIGIL_CORPUS is not set; corpus tests need real scanner files (see README)")
        return SKIP_EXIT
    vigil = os.path.abspath(argv[1])
    passed = failed = 0
    for directory in directories:
        root = os.path.join(corpus, directory)
        if not os.path.isdir(root):
            print("note: %s does not exist; nothing to test there" % root)
            continue
        for dirpath, dirnames, filenames in os.walk(root, followlinks=True):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(dirpath, name)
                shown = os.path.relpath(path, corpus)
                try:
                    verdict = check(path)
                    if verdict[0] == "skip":
                        print("skip %s: %s" % (shown, verdict[1]))
                        continue
                    if verdict[0] == "import":
                        ok, message = check_import(vigil, path, verdict[1], verdict[2])
                    else:
                        ok, message = check_reject(vigil, path, verdict[1], verdict[2])
                except (OSError, ValueError, KeyError, TypeError, RuntimeError,
                        subprocess.SubprocessError) as e:
                    ok, message = False, "test error: %r" % (e,)
                if ok:
                    passed += 1
                    print("ok %s %s" % (shown, message))
                else:
                    failed += 1
                    print("FAIL %s: %s" % (shown, message))
                sys.stdout.flush()
    print("%d passed, %d failed" % (passed, failed))
    if passed + failed == 0:
        print("FAIL: no corpus file was checked")
        return 1
    return 1 if failed else 0
