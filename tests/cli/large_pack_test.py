#!/usr/bin/env python3
"""The evidence pack of a large period still prints: a year of a generated installation
(bench/gen_nessus.py: 60 hosts, about 10,000 findings of 3,200 vulnerabilities, scanned twice a
week apart, under three policy profiles: thousands of clocks and open items). Chromium opens
its index.html, which shows at most report::kHtmlRowLimit rows a table, with the summary on
the first printed page, and prints it to an A4 PDF. Prints what it measured.

Usage: large_pack_test.py VIGIL_BINARY [--sanitized]
(--sanitized: skipped, exit 77; the page is the same bytes either way and prints once.)
"""
import json
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cli_test  # noqa: E402  (the helpers; VIGIL is argv[1] there too)
from cli_test import RESULTS, check, run, write  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def generate(d, name, *args):
    out = os.path.join(d, name)
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "gen_nessus.py"), "--hosts", "60",
                    "--seed", "1", *args, "--out", out], check=True, capture_output=True)
    return out


def main():
    if cli_test.SANITIZED:
        print("skipped under the sanitizers: the release build prints the same page")
        return 77
    with tempfile.TemporaryDirectory(prefix="vigil-large-pack-") as d:
        db = os.path.join(d, "large.db")
        cfg = write(d, "policy.toml",
                    '[policy]\nprofiles = ["ncssr-1.7", "etsi-319-401", "fedramp-rev5"]\n')
        base, rescan = generate(d, "base.nessus"), generate(d, "rescan.nessus", "--rescan")
        run("init", db=db, config=cfg, now="2025-11-01T00:00:00Z")
        run("scanner", "set", "bench", "--kind", "network", "--cadence", "7d", "--grace", "1d",
            db=db, config=cfg, now="2025-11-01T00:00:00Z")
        for scan, now in ((base, "2025-12-01T12:00:00Z"), (rescan, "2025-12-08T12:00:00Z")):
            p = run("import", "--scanner", "bench", scan, db=db, config=cfg, now=now)
            check(f"import {os.path.basename(scan)}", p.returncode == 0, p.stderr[-2000:])
        pack = os.path.join(d, "year")
        started = time.monotonic()
        p = run("report", "--from", "2025-09-01", "--to", "2026-08-31", "--out", pack, db=db,
                config=cfg, now="2026-09-01T08:00:00Z")
        report_s = time.monotonic() - started
        check("report writes the pack of a year", p.returncode == 0, p.stdout + p.stderr)
        if p.returncode != 0:
            return 1
        rows = {name: len(json.load(open(os.path.join(pack, name + ".json"))))
                for name in cli_test.TABLES}
        check("the period is large: tables beyond what the page shows",
              rows["clocks"] > cli_test.HTML_ROW_LIMIT and
              rows["vulnerabilities"] > cli_test.HTML_ROW_LIMIT, rows)
        html = open(os.path.join(pack, "index.html"), encoding="utf-8").read()
        check("each cut table says where its complete rows are",
              html.count("The complete table, which is the evidence, is in") ==
              sum(1 for n in rows.values() if n > cli_test.HTML_ROW_LIMIT), rows)
        summary = json.load(open(os.path.join(pack, "summary.json")))
        bench = next((s for s in summary["scanners"] if s["name"] == "bench"), {})
        check("a scanner with two scans in a year missed its weekly cadence",
              bench.get("cadence_kept") == "missed" and bench.get("scans") == 2, bench)
        series = summary["open_vulnerabilities"]["series"]
        total = lambda point: sum(v for k, v in point.items() if k != "time")
        check("the chart's year: daily samples, none open before the first scan, some after",
              len(series) == 366 and total(series[0]) == 0 and total(series[-1]) > 1000,
              (len(series), series[0], series[-1]))
        seen = cli_test.open_pack_in_browser(pack, " of a year")
        if seen:
            pdf = os.path.join(d, "year.pdf")
            info = subprocess.run(["pdfinfo", pdf], capture_output=True, text=True)
            pages = next((line.split()[-1] for line in info.stdout.splitlines()
                          if line.startswith("Pages:")), "?")
            print(f"measured: {sum(rows.values())} table rows {rows}; index.html "
                  f"{len(html.encode()) / 1e6:.2f} MB; report {report_s:.1f} s; printed in "
                  f"{seen['print_ms'] / 1000:.1f} s to {pages} A4 pages, "
                  f"{seen['pdf_bytes'] / 1e6:.2f} MB")
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
