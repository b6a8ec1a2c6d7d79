#!/usr/bin/env python3
"""The hostile corpus: every reader of vigil against input made to hurt it.

Each case of cases.tsv runs the real binary on one input against a fresh copy of a populated
test-clock database and checks the exit code, that stderr holds the expected message (with
the file's position where the format has one), that the database is exactly as it was, the
wall time (the process is killed at the bound: a FIFO must not block) and the peak RSS
(ru_maxrss, through /usr/bin/time).

Inputs: a path under tests/hostile/ (small files, committed); `gen:NAME`, a file made at
test time by GENERATORS below (deterministic; big ones: gzip bombs, 10 MB of nesting, 80,000
attributes); `special:fifo`, `special:dir`, `special:dev-zero`, `special:symlink-dev-zero`.

Columns: case, command (vigil words before the file; `init --config` too), input, exit code,
message (`{file}` is the input's path), seconds, MiB, db (`same`: the dump must be
unchanged; `any`: a case that is accepted with a warning; `no-nul`: accepted, and no NUL
reaches the database).

Usage: hostile_test.py VIGIL_BINARY [--sanitized]
(--sanitized: ASan's shadow memory makes RSS meaningless, and it runs slower: memory is not
checked and time bounds are multiplied by 5.)
"""

import gzip
import hashlib
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "cli"))
from cli_test import RESULTS, SANITIZED, VIGIL, check  # noqa: E402

REPO = os.path.dirname(os.path.dirname(HERE))
NOW = "2026-03-05T12:00:00Z"

def dump_digest(path):
    """SHA-256 of the database's SQL dump; text that is not UTF-8 is dumped as bytes."""
    con = sqlite3.connect(path)
    con.text_factory = lambda b: b.decode("utf-8", "surrogateescape")
    h = hashlib.sha256()
    for line in con.iterdump():
        h.update(line.encode("utf-8", "surrogateescape"))
    con.close()
    return h.hexdigest()


def holds_nul(path):
    """Whether any text or blob in the database holds a NUL byte (the dump cannot tell:
    quote() stops at a NUL)."""
    con = sqlite3.connect(path)
    tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    found = False
    for t in tables:
        for col in con.execute(f'PRAGMA table_info("{t}")').fetchall():
            q = f'SELECT 1 FROM "{t}" WHERE instr(CAST("{col[1]}" AS BLOB), x\'00\') > 0 LIMIT 1'
            if con.execute(q).fetchone():
                found = True
    con.close()
    return found


def file_digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def run(args, db, seconds):
    """Runs vigil under /usr/bin/time (whose own child starts small: ru_maxrss survives exec,
    so a child forked from this process would count this process's memory); returns (exit
    code or None when killed at the bound, stderr, seconds, peak RSS in KiB)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, \
            tempfile.NamedTemporaryFile(mode="r") as rss_file:
        start = time.monotonic()
        p = subprocess.Popen(["/usr/bin/time", "-q", "-f", "%M", "-o", rss_file.name, VIGIL,
                              "--db", db, "--now", NOW] + args, stdin=subprocess.DEVNULL,
                             stdout=out, stderr=err, start_new_session=True)
        try:
            code = p.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
            code = None
        elapsed = time.monotonic() - start
        err.seek(0)
        text = rss_file.read().split()
        rss = int(text[-1]) if text and text[-1].isdigit() else 0
        return code, err.read().decode("utf-8", "replace"), elapsed, rss


# --- Inputs made at test time --------------------------------------------------------------

def members(head, piece, times, tail=b""):
    """A gzip file of concatenated members (gzip allows them, vigil reads them): the head,
    `piece` compressed once and repeated, the tail. A bomb never exists inflated, and it is
    made in milliseconds."""
    return gzip.compress(head, mtime=0) + gzip.compress(piece, mtime=0) * times + \
        gzip.compress(tail, mtime=0)


NVD_HEAD = b'{"resultsPerPage": 1, "startIndex": 0, "totalResults": 1, "format": "NVD_CVE", ' \
           b'"version": "2.0", "vulnerabilities": ['
EPSS_HEAD = b"#model_version:v2025.03.14,score_date:2026-03-01T00:00:00+0000\n" \
            b"cve,epss,percentile\n"
NESSUS_HEAD = b'<?xml version="1.0" ?>\n<NessusClientData_v2>\n'
NESSUS_TAIL = b"</NessusClientData_v2>\n"


def trivy_with(results):
    return b'{"SchemaVersion": 2, "ArtifactName": "registry.example.test/x:1", ' \
           b'"ArtifactType": "container_image", "Results": ' + results + b"}"


GENERATORS = {
    # 2 MB that inflate to 2 GiB (4.1 GB reached memory before the input policy).
    "nvd-gzip-bomb.json.gz": lambda: members(NVD_HEAD, b" " * (1 << 20), 2048, b"]}"),
    # 1 MB of blank lines after a valid header: once 2 GB, and every score replaced by none.
    "epss-blank-lines.csv.gz": lambda: members(EPSS_HEAD, b"\n" * (1 << 20), 1024),
    # Under the ratio, over the decompressed limit (64 MiB): 66 MiB in blocks of 512 bytes
    # that do not compress and 32.5 KiB that do (beyond deflate's 32 KiB window, so no block
    # refers to the one before), about 60:1.
    "epss-over-decompressed-limit.csv.gz": lambda: members(
        # Comment lines of random hex (skipped by the reader, so that the decompressed limit is
        # what stops it), enough of them to stay under the ratio.
        EPSS_HEAD,
        b"#" + random.Random(13).randbytes(512).hex().encode() + b"\n" * (33 * 1024 - 1025), 2048),
    # Five million '[' in 10 MB (0.8-1.2 GB, and an empty scan, before the depth limit).
    "nesting-5m.json": lambda: b"[" * 5_000_000 + b"]" * 5_000_000,
    # The same within the KEV catalog's 4 MiB.
    "nesting-2m.json": lambda: b"[" * 2_000_000 + b"]" * 2_000_000,
    "trivy-nesting-5m.json": lambda: trivy_with(b"[" * 5_000_000 + b"]" * 5_000_000),
    "nvd-nesting-5m.json": lambda: NVD_HEAD + b'{"cve": {"id": "CVE-2024-0001", "x": ' +
    b"[" * 5_000_000 + b"]" * 5_000_000 + b"}}]}",
    "config-nesting-1m.toml": lambda: b"x = " + b"[" * 1_000_000 + b"]" * 1_000_000 + b"\n",
    # 80,000 attributes on one element, the last a repeat of the first (was 20 s, quadratic).
    "nessus-80000-attributes.nessus": lambda: NESSUS_HEAD + b"<Report name=\"r\" " + b" ".join(
        b'a%d="x"' % i for i in range(80_000)) + b' a0="y">\n</Report>\n' + NESSUS_TAIL,
    "nessus-huge-attribute.nessus": lambda: NESSUS_HEAD + b'<Report name="' + b"A" * (2 << 20)
    + b'">\n</Report>\n' + NESSUS_TAIL,
    # One text node of 17 MiB (the limit is 16 MiB).
    "nessus-huge-text.nessus": lambda: NESSUS_HEAD + b'<Report name="r"><ReportHost name="h">'
    b"<HostProperties><tag name=\"x\">" + b"A" * (17 << 20) + b"</tag></HostProperties>"
    b"</ReportHost></Report>\n" + NESSUS_TAIL,
    "trivy-huge-string.json": lambda: trivy_with(b'[{"Target": "' + b"A" * (17 << 20) + b'"}]'),
    "nessus-csv-huge-field.csv": lambda: b"Plugin ID,CVE,Risk,Host,Protocol,Port,Name\n"
    b"19506,,None,192.0.2.30,tcp,0,\"" + b"A" * (17 << 20) + b"\"\n",
    "openvas-csv-5000-fields.csv": lambda: b"IP,Hostname,Port,Port Protocol,CVSS,Severity,"
    b"NVT Name,NVT OID\n192.0.2.1,h,22,tcp,5.0,Medium,x,1.3.6.1" + b",x" * 5000 + b"\n",
    # Files over the size limit of their kind (the limit is checked before a byte is read).
    "kev-over-4mib.json": lambda: b'{"vulnerabilities": []}' + b" " * (4 << 20),
    "inventory-over-4mib.csv": lambda: b"name,addresses\n" + b"x,10.0.0.1\n" * (400 << 10),
    "config-over-4mib.toml": lambda: b"# " + b"x" * (4 << 20) + b"\n",
    # A truncated gzip of a valid NVD page, and one whose CRC is wrong.
    "nvd-truncated-half.json.gz": lambda: gzip.compress(NVD_HEAD + b"]}" + b" " * 4096,
                                                        mtime=0)[:30],
    "nvd-bad-crc.json.gz": lambda: (lambda g: g[:-8] + bytes([g[-8] ^ 1]) + g[-7:])(
        gzip.compress(NVD_HEAD + b"]}", mtime=0)),
}


def make_input(spec, d):
    """The path of a case's input, made when it is generated or special."""
    kind, _, name = spec.partition(":")
    if kind == "gen":
        path = os.path.join(d, "gen", name)
        if not os.path.exists(path):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(GENERATORS[name]())
        return path
    if kind == "special":
        path = os.path.join(d, "special", name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        if name == "dev-zero":
            return "/dev/zero"
        if not os.path.lexists(path):
            if name == "fifo":
                os.mkfifo(path)
            elif name == "dir":
                os.mkdir(path)
            elif name == "symlink-dev-zero":
                os.symlink("/dev/zero", path)
            elif name == "dir-with-fifo":
                os.mkdir(path)
                os.mkfifo(os.path.join(path, "page.json"))
        return path
    return os.path.join(HERE, spec)


def read_cases():
    cases = []
    with open(os.path.join(HERE, "cases.tsv"), encoding="utf-8") as f:
        for line in f:
            if not line.strip() or line.startswith("#"):
                continue
            name, command, spec, code, message, seconds, mib, db = line.rstrip("\n").split("\t")
            cases.append({"name": name, "command": command.split(), "input": spec,
                          "exit": int(code), "message": message, "seconds": float(seconds),
                          "mib": int(mib), "db": db})
    return cases


def populated_database(d):
    """A test-clock database holding something of everything the readers replace: a
    configuration, scans, NVD records, the KEV catalog, EPSS scores and an inventory."""
    db = os.path.join(d, "base.db")
    valid = os.path.join(HERE, "valid")
    steps = [["init", "--test-clock", "--config", os.path.join(REPO, "samples", "vigil.toml")],
             ["import", os.path.join(REPO, "samples", "week1-network.nessus")],
             ["import", os.path.join(valid, "trivy.json")],
             ["nvd", "import", os.path.join(valid, "nvd.json")],
             ["kev", "import", os.path.join(valid, "kev.json")],
             ["epss", "import", os.path.join(valid, "epss.csv")],
             ["assets", "import", os.path.join(valid, "inventory.csv")]]
    for args in steps:
        code, err, _, _ = run(args, db, 60)
        check("the base database: " + " ".join(args[:2]), code == 0, err)
    # The other base documents the hostile files are cut from are accepted as they are.
    for args in [["import", os.path.join(valid, "nessus.nessus")],
                 ["import", os.path.join(valid, "grype.json")],
                 ["config", "apply", os.path.join(valid, "vigil.toml")]]:
        scratch = os.path.join(d, "scratch.db")
        shutil.copyfile(db, scratch)
        code, err, _, _ = run(args, scratch, 60)
        check("a base document is accepted: " + os.path.basename(args[-1]), code == 0, err)
    return db


def run_case(case, base, base_bytes, base_dump, d):
    path = make_input(case["input"], d)
    db = os.path.join(d, "case.db")
    shutil.copyfile(base, db)
    seconds = case["seconds"] * (5 if SANITIZED else 1)
    code, err, elapsed, rss = run(case["command"] + [path], db, seconds)
    name = case["name"]
    want = case["message"].replace("{file}", path)
    failures = []
    if code is None:
        failures.append(f"killed after {seconds:.0f} s")
    elif code != case["exit"]:
        failures.append(f"exit {code}, expected {case['exit']}")
    if want not in err:
        failures.append(f"no {want!r} in stderr")
    if case["exit"] != 0 and (err.count("\n") != 1 or not err.startswith("vigil: error: ")):
        failures.append("not one error line")
    if any(c < " " and c != "\n" or c == "\x7f" or c == "\ufffd" for c in err):
        failures.append("control characters or invalid UTF-8 on stderr")
    if case["db"] == "same" and file_digest(db) != base_bytes and dump_digest(db) != base_dump:
        failures.append("the database changed")
    if case["db"] == "no-nul" and holds_nul(db):
        failures.append("a NUL reached the database")
    if not SANITIZED and rss > case["mib"] * 1024:
        failures.append(f"peak RSS {rss // 1024} MiB over {case['mib']} MiB")
    check(f"{name} ({elapsed:.2f} s, {rss // 1024} MiB)", not failures,
          "; ".join(failures) + f"; stderr: {err[:400]!r}")
    return elapsed


def main():
    cases = read_cases()
    names = [c["name"] for c in cases]
    check("case names are unique", len(names) == len(set(names)),
          sorted(n for n in names if names.count(n) > 1))
    files = {os.path.relpath(os.path.join(root, f), HERE)
             for root, _, fs in os.walk(HERE) for f in fs
             if os.path.relpath(root, HERE).split(os.sep)[0] not in (".", "valid")}
    listed = {c["input"] for c in cases}
    check("every file of the corpus is a case", files <= listed, sorted(files - listed))
    check("every generated input has a generator",
          all(c["input"][4:] in GENERATORS for c in cases if c["input"].startswith("gen:")))
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="vigil-hostile-") as d:
        base = populated_database(d)
        base_bytes, base_dump = file_digest(base), dump_digest(base)
        slowest = max((run_case(c, base, base_bytes, base_dump, d), c["name"]) for c in cases)
    print(f"{len(cases)} cases in {time.monotonic() - start:.1f} s; slowest {slowest[1]} "
          f"({slowest[0]:.2f} s)")
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
