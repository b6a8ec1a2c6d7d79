#!/usr/bin/env python3
"""Corpus test for the feeds: every file of $VIGIL_CORPUS/nvd and $VIGIL_CORPUS/kev is loaded
into a fresh database, and what vigil reports and stores is compared with a count made here
from the file itself.

- nvd: each `.json`/`.json.gz` page or CVE record must load with `read N CVE records` equal to
  the records in the file, and the database must then hold as many distinct CVEs and as many
  distinct (cve, version, source, type, vector) metrics as the file has. The JSON schemas in
  nvd/schema are not NVD data: loading one by name is refused ("not an NVD CVE API response
  page nor a CVE record"); loading the whole directory skips them and loads the rest.
- kev: the JSON catalog loads with `loaded N KEV entries`, N = its vulnerabilities; the CSV
  form and the JSON schema are refused (the catalog is read from its JSON form).

Without VIGIL_CORPUS: exit 77 (skipped). Python 3 standard library only.
"""

import gzip
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

SKIP_EXIT = 77


def load_json(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rt", encoding="utf-8") as f:
        return json.load(f)


def nvd_records(doc):
    if isinstance(doc, dict) and ("resultsPerPage" in doc or doc.get("format") == "NVD_CVE"):
        return [v["cve"] for v in doc.get("vulnerabilities", [])]
    if isinstance(doc, dict) and "id" in doc and "lastModified" in doc:
        return [doc]
    return None


def metrics_of(record):
    out = set()
    for key, version in (("cvssMetricV2", "2.0"), ("cvssMetricV30", "3.0"),
                         ("cvssMetricV31", "3.1"), ("cvssMetricV40", "4.0")):
        for m in record.get("metrics", {}).get(key, []):
            data = m.get("cvssData", {})
            if data.get("vectorString") and "baseScore" in data:
                out.add((record["id"], data.get("version", version), m.get("source", ""),
                         m.get("type", ""), data["vectorString"]))
    return out


def run(vigil, db, *args):
    return subprocess.run([vigil, "--db", db] + list(args), capture_output=True, text=True,
                          timeout=600)


def main(argv):
    corpus = os.environ.get("VIGIL_CORPUS", "")
    if not corpus:
        print("SKIP: VIGIL_CORPUS is not set; corpus tests need real feed files (see README)")
        return SKIP_EXIT
    vigil = os.path.abspath(argv[1])
    passed = failed = 0

    def verdict(ok, name, message):
        nonlocal passed, failed
        if ok:
            passed += 1
            print("ok %s %s" % (name, message))
        else:
            failed += 1
            print("FAIL %s: %s" % (name, message))

    with tempfile.TemporaryDirectory(prefix="vigil-feeds-") as tmp:
        n = 0
        nvd_dir = os.path.join(corpus, "nvd")
        all_cves, all_metrics = set(), set()
        for root, dirs, files in os.walk(nvd_dir):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(root, name)
                shown = os.path.relpath(path, corpus)
                if not (name.endswith(".json") or name.endswith(".json.gz")):
                    print("skip %s: not a .json or .json.gz file" % shown)
                    continue
                n += 1
                db = os.path.join(tmp, "nvd%d.db" % n)
                run(vigil, db, "init")
                records = nvd_records(load_json(path))
                p = run(vigil, db, "nvd", "import", path)
                if records is None:
                    verdict(p.returncode == 2 and "not an NVD CVE API response page nor a CVE "
                            "record" in p.stderr, shown, "refused: " + p.stderr.strip()[:120])
                    continue
                m = re.search(r"read (\d+) CVE records", p.stdout)
                cves = {r["id"] for r in records}
                metrics = set().union(*[metrics_of(r) for r in records]) if records else set()
                all_cves |= cves
                all_metrics |= metrics
                con = sqlite3.connect(db)
                got_cves = con.execute("SELECT count(*) FROM nvd_cves").fetchone()[0]
                got_metrics = con.execute("SELECT count(*) FROM nvd_metrics").fetchone()[0]
                con.close()
                ok = (p.returncode == 0 and m and int(m.group(1)) == len(records) and
                      got_cves == len(cves) and got_metrics == len(metrics))
                verdict(ok, shown, "records=%d cves=%d metrics=%d (vigil: %s, %d, %d) %s" % (
                    len(records), len(cves), len(metrics), m.group(1) if m else "?", got_cves,
                    got_metrics, p.stderr.strip()[:200]))
        if os.path.isdir(nvd_dir):
            db = os.path.join(tmp, "nvd-all.db")
            run(vigil, db, "init")
            p = run(vigil, db, "nvd", "import", nvd_dir)
            con = sqlite3.connect(db)
            got_cves = con.execute("SELECT count(*) FROM nvd_cves").fetchone()[0]
            got_metrics = con.execute("SELECT count(*) FROM nvd_metrics").fetchone()[0]
            con.close()
            # A CVE in several files keeps its newest record; the corpus's duplicates are equal.
            verdict(p.returncode == 0 and got_cves == len(all_cves) and "skipped" in p.stdout,
                    "nvd/ (whole directory)", "cves=%d (vigil %d), metrics %d (vigil %d)" % (
                        len(all_cves), got_cves, len(all_metrics), got_metrics))

        kev_dir = os.path.join(corpus, "kev")
        for name in sorted(os.listdir(kev_dir)) if os.path.isdir(kev_dir) else []:
            path = os.path.join(kev_dir, name)
            shown = os.path.relpath(path, corpus)
            n += 1
            db = os.path.join(tmp, "kev%d.db" % n)
            run(vigil, db, "init")
            p = run(vigil, db, "kev", "import", path)
            try:
                doc = load_json(path)
            except ValueError:
                doc = None
            if isinstance(doc, dict) and isinstance(doc.get("vulnerabilities"), list) and \
                    "catalogVersion" in doc:
                want = len(doc["vulnerabilities"])
                verdict(p.returncode == 0 and ("loaded %d KEV entries" % want) in p.stdout,
                        shown, "entries=%d: %s" % (want, (p.stdout + p.stderr).strip()[:120]))
            else:
                verdict(p.returncode == 2 and p.stderr.strip() != "", shown,
                        "refused: " + p.stderr.strip()[:120])
    print("%d passed, %d failed" % (passed, failed))
    if passed + failed == 0:
        print("FAIL: no corpus file was checked")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
