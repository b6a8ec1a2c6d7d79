#!/usr/bin/env python3
"""Peak memory of every import at the limits of its input (issue 13).

    memory_bench.py [--vigil PATH] [--workdir DIR] [--corpus DIR] [--mb N] [--only a,b]

For every reader, generates the largest or densest input the input policy lets through (or a
little more, to see the refusal), runs the real binary on a fresh database, and reports its
exit code, wall time and peak resident memory (the child's ru_maxrss, from wait4), beside the
file's size. The bounds under test: any import under 256 MB of peak memory whatever the input,
`vigil kev import` under 64 MB. Exits 1 when a run breaks a bound or ends other than with exit
0 or 2 (2 being a clean refusal).

Inputs: the JSON scan formats at the 256 MiB limit of a JSON report (bench/gen_formats.py,
--mb, default 250), the XML and CSV formats at the same size (their file limit is 64 GiB; the
memory they hold depends on the shape: Greenbone sorts results across hosts, Qualys keeps its
glossary), an NVD page at its 64 MiB limit made of real records (bench/gen_nvd.py, needs
--corpus, default $VIGIL_CORPUS), a gzip bomb and 5 million nested arrays, an EPSS file at
its 64 MiB limit plain and gzip-compressed, a KEV catalog at its 4 MiB and 10,000-entry
limits, and an inventory at its 4 MiB and 50,000-asset limits. Python 3 standard library only.
"""

import argparse
import gzip
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
MIB = 1 << 20
ANY_IMPORT_BOUND = 256 * 10**6  # bytes: "under 256 MB"
KEV_BOUND = 64 * 10**6


def measure(cmd, timeout=600):
    """Runs cmd in a fresh Python child that reports the grandchild's ru_maxrss exactly."""
    probe = (
        "import os,subprocess,sys,time,json\n"
        "t=time.monotonic()\n"
        "p=subprocess.Popen(sys.argv[1:],stdout=subprocess.PIPE,stderr=subprocess.PIPE)\n"
        "out,err=p.communicate()\n"
        "import resource\n"
        "ru=resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'rc':p.returncode,'s':time.monotonic()-t,'kb':ru.ru_maxrss,"
        "'err':err.decode(errors='replace')[-400:],'out':out.decode(errors='replace')[-300:]}))\n"
    )
    p = subprocess.run([sys.executable, "-c", probe] + cmd, capture_output=True, text=True,
                       timeout=timeout)
    return json.loads(p.stdout)


def gen_format(fmt, path, mb):
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_formats.py"), fmt, path, str(mb),
                        "--quiet"], check=True)


def gen_nvd_page(corpus, path, limit):
    if os.path.exists(path):
        return
    tmp = path + ".d"
    shutil.rmtree(tmp, ignore_errors=True)
    subprocess.run([sys.executable, os.path.join(HERE, "gen_nvd.py"), os.path.join(corpus, "nvd"),
                    tmp, "30000"], check=True, stdout=subprocess.DEVNULL)
    records = []
    size = 200
    for name in sorted(os.listdir(tmp)):
        with open(os.path.join(tmp, name), encoding="utf-8") as f:
            for v in json.load(f)["vulnerabilities"]:
                n = len(json.dumps(v)) + 2
                if size + n > limit:
                    break
                records.append(v)
                size += n
    shutil.rmtree(tmp)
    page = {"resultsPerPage": len(records), "startIndex": 0, "totalResults": len(records),
            "format": "NVD_CVE", "version": "2.0", "timestamp": "2026-03-01T00:00:00.000",
            "vulnerabilities": records}
    with open(path, "w", encoding="utf-8") as f:
        json.dump(page, f)


def gen_gzip_bomb(path, inflated):
    with gzip.open(path, "wb", compresslevel=9) as f:
        f.write(b'{"resultsPerPage": 1, "vulnerabilities": [')
        chunk = b" " * MIB
        for _ in range(inflated // MIB):
            f.write(chunk)
        f.write(b"]}")


def gen_nested(path, depth):
    with open(path, "w") as f:
        f.write('{"SchemaVersion": 2, "ArtifactName": "x", "Results": ' + "[" * depth)


def gen_epss(path, limit, compress):
    head = "#model_version:v2025.03.14,score_date:2026-03-01T00:00:00+0000\ncve,epss,percentile\n"
    rows = []
    size = len(head)
    i = 0
    while True:
        row = "CVE-%d-%07d,0.%05d,0.%05d\n" % (2000 + i // 9000000, i % 9000000 + 1000,
                                              i % 99991, i % 99989)
        if size + len(row) > limit:
            break
        rows.append(row)
        size += len(row)
        i += 1
    data = (head + "".join(rows)).encode()
    if compress:
        with gzip.open(path, "wb", compresslevel=6) as f:
            f.write(data)
    else:
        with open(path, "wb") as f:
            f.write(data)


def gen_kev(path, entries, limit):
    per = max(16, (limit - 400) // entries - 380)
    vulns = []
    for i in range(entries):
        vulns.append({"cveID": "CVE-2024-%05d" % (10000 + i), "vendorProject": "vendor%d" % i,
                      "product": "product%d" % i, "vulnerabilityName": "n" * 20,
                      "dateAdded": "2024-01-01", "shortDescription": "d" * per,
                      "requiredAction": "Apply mitigations per vendor instructions.",
                      "dueDate": "2024-01-22", "knownRansomwareCampaignUse": "Unknown",
                      "notes": "https://example.com/%d" % i, "cwes": ["CWE-79"]})
    doc = {"title": "CISA Catalog of Known Exploited Vulnerabilities", "catalogVersion": "x",
           "dateReleased": "2026-03-01T00:00:00.000Z", "count": entries, "vulnerabilities": vulns}
    with open(path, "w") as f:
        json.dump(doc, f)


def gen_inventory(path, limit):
    with open(path, "w") as f:
        f.write("name,addresses,zone,site,owner,scanners\n")
        size = 0
        i = 0
        while True:
            row = "host%07d.example.com,10.%d.%d.%d,zone%d,site%d,owner%d,scanner-a;scanner-b\n" % (
                i, (i >> 16) & 255, (i >> 8) & 255, i & 255, i % 50, i % 7, i % 300)
            if size + len(row) > limit - 100 or i == 49999:
                break
            f.write(row)
            size += len(row)
            i += 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--vigil", default=os.path.join(HERE, "..", "build", "vigil"))
    ap.add_argument("--workdir", default=os.path.join(HERE, "out", "memory"))
    ap.add_argument("--corpus", default=os.environ.get("VIGIL_CORPUS", ""))
    ap.add_argument("--mb", type=int, default=250)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    vigil = os.path.abspath(args.vigil)
    work = os.path.abspath(args.workdir)
    os.makedirs(work, exist_ok=True)
    only = set(filter(None, args.only.split(",")))

    cases = []  # (name, command words after --db DB, file, bound)
    for fmt in ("trivy", "grype", "sarif", "cyclonedx", "openvas", "qualys", "nessus-csv"):
        path = os.path.join(work, "%s-%d.%s" % (fmt, args.mb, "csv" if fmt == "nessus-csv" else
                                                  "xml" if fmt in ("openvas", "qualys") else "json"))
        cases.append((fmt, lambda p=path, f=fmt: gen_format(f, p, args.mb),
                      ["import", "--scanner", "s", path], path, ANY_IMPORT_BOUND))
    nested = os.path.join(work, "trivy-nested-5M.json")
    cases.append(("trivy-5M-nested-arrays", lambda: gen_nested(nested, 5_000_000),
                  ["import", "--scanner", "s", nested], nested, ANY_IMPORT_BOUND))
    if args.corpus:
        page = os.path.join(work, "nvd-page-64MiB.json")
        cases.append(("nvd-page-at-limit", lambda: gen_nvd_page(args.corpus, page, 64 * MIB - 4096),
                      ["nvd", "import", page], page, ANY_IMPORT_BOUND))
    bomb = os.path.join(work, "nvd-bomb.json.gz")
    cases.append(("nvd-gzip-bomb-4GiB", lambda: gen_gzip_bomb(bomb, 4096 * MIB),
                  ["nvd", "import", bomb], bomb, ANY_IMPORT_BOUND))
    epss = os.path.join(work, "epss-64MiB.csv")
    cases.append(("epss-at-limit", lambda: gen_epss(epss, 64 * MIB - 1024, False),
                  ["epss", "import", epss], epss, ANY_IMPORT_BOUND))
    epss_gz = os.path.join(work, "epss-64MiB.csv.gz")
    cases.append(("epss-gzip-at-limit", lambda: gen_epss(epss_gz, 64 * MIB - 1024, True),
                  ["epss", "import", epss_gz], epss_gz, ANY_IMPORT_BOUND))
    kev = os.path.join(work, "kev-4MiB.json")
    cases.append(("kev-at-limits", lambda: gen_kev(kev, 9999, 4 * MIB - 4096),
                  ["kev", "import", kev], kev, KEV_BOUND))
    if args.corpus:
        real_kev = os.path.join(args.corpus, "kev", "known_exploited_vulnerabilities.json")
        cases.append(("kev-real-catalog", lambda: None, ["kev", "import", real_kev], real_kev,
                      KEV_BOUND))
    inv = os.path.join(work, "inventory-4MiB.csv")
    cases.append(("inventory-at-limits", lambda: gen_inventory(inv, 4 * MIB),
                  ["assets", "import", inv], inv, ANY_IMPORT_BOUND))

    failed = False
    print("| input | file MB | exit | seconds | peak RSS MB | bound MB | result |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for name, generate, words, path, bound in cases:
        if only and name not in only:
            continue
        generate()
        db = os.path.join(work, "bench.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        subprocess.run([vigil, "--db", db, "init"], check=True, stdout=subprocess.DEVNULL)
        r = measure([vigil, "--db", db] + words)
        peak = r["kb"] * 1024
        ok = r["rc"] in (0, 2) and peak < bound
        failed = failed or not ok
        outcome = "imported" if r["rc"] == 0 else (r["err"].strip().splitlines() or ["?"])[-1]
        outcome = outcome.replace(path, "FILE").replace("|", "/")
        if len(outcome) > 110:
            outcome = outcome[:107] + "..."
        print("| %s | %.1f | %d | %.2f | %.0f | %d | %s%s |" % (
            name, os.path.getsize(path) / 1e6, r["rc"], r["s"], peak / 1e6, bound // 10**6,
            "" if ok else "**BOUND BROKEN** ", outcome), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
