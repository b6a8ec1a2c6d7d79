#!/usr/bin/env python3
"""End-to-end: safe exports. Text from a scan or a person that a spreadsheet would run as a
formula (a plugin title `=HYPERLINK("http://x","y")`, decision bases starting with `+`, `@`
and `-`, a host name starting with `@`) is neutralised in every CSV vigil writes (every
listing and every CSV file of the evidence pack), while numbers stay numbers, JSON keeps the
exact text and HTML shows it escaped under its Content-Security-Policy.

Usage: exports_test.py VIGIL_BINARY [--sanitized]
"""
import csv
import html
import io
import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cli_test import RESULTS, People, check, nessus, run, write  # noqa: E402

TITLE = '=HYPERLINK("http://x","y")'
BASIS = "+1 checked by hand: the banner is forged by the web application firewall"
# Bases of two more decisions: a function call and what a spreadsheet reads as arithmetic.
BASES = {"tenable:7002": "@SUM(1+1) hosts were checked by hand",
         "tenable:7003": "-2+3 the scanner misreads the banner"}
HOST = "@host.example.org"
# Clock rules and a zone, so that every listing has rows; an owner and a requirement that a
# spreadsheet would run, from the configuration.
CONFIG = """
[policy]
profiles = ["ncssr-1.7"]
[review]
max_share = 1.0
[[asset_rule]]
name = "*"
zone = "dmz"
owner = "+web-team"
[[zone]]
name = "dmz"
scan_every = "90d"
requirement = "=NCSSR 1.7 4.c"
"""
NOTES = "=1+1 weekly triage"
# Notes with an escape sequence that would clear a terminal and a bell.
TERMINAL_NOTES = "\x1b[2J\x1b[31mweekly triage\x07 done"
T0 = 1772352000  # 2026-03-01T08:00:00Z


def rows(text):
    return list(csv.DictReader(io.StringIO(text, newline="")))


def by(items, field, value):
    return next((r for r in items if r.get(field) == value), {})


NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")


def unsafe_cells(text):
    """The cells of a CSV text that a spreadsheet would run as a formula: those starting with
    = + - @ tab or CR, except a decimal number (which a spreadsheet reads as that number)."""
    cells = [c for row in csv.reader(io.StringIO(text, newline="")) for c in row]
    return [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r") or
            (c[:1] == "-" and not NUMBER.fullmatch(c))]


def has_every_hostile_text(text):
    """Whether the CSV text holds each hostile text, behind its apostrophe."""
    cells = {c for row in csv.reader(io.StringIO(text, newline="")) for c in row}
    return all("'" + t in cells for t in [TITLE, BASIS, *BASES.values()])


def hostile_report(d):
    xml = nessus([(HOST, "10.0.0.7", HOST, T0, True,
                   [(7001, 443, "remote"), (7002, 443, "remote"), (7003, 443, "remote")])],
                 plugin_set=[7001, 7002, 7003])
    escaped = TITLE.replace('"', "&quot;")
    xml = xml.replace('pluginName="Plugin 7001 &amp; co"', f'pluginName="{escaped}"')
    return write(d, "formula.nessus", xml)


def test_listings(people):
    p = people.v("vulns", "--format", "csv")
    vulns = rows(p.stdout)
    cell = by(vulns, "key", "tenable:7001").get("title")
    check("vulns --format csv neutralises a formula title with a leading apostrophe",
          p.returncode == 0 and cell == "'" + TITLE, (cell, p.stdout[:400]))
    check("and quotes the cell, its quotes doubled",
          '"\'=HYPERLINK(""http://x"",""y"")"' in p.stdout, p.stdout[:400])
    check("other text and numbers are written as they are",
          by(vulns, "key", "tenable:7002").get("title") == "Plugin 7002 & co" and
          by(vulns, "key", "tenable:7001").get("open_findings") == "1", vulns)
    listed = json.loads(people.v("vulns", "--format", "json").stdout)
    check("vulns --format json keeps the exact title",
          by(listed, "key", "tenable:7001").get("title") == TITLE, listed)
    p = people.v("findings", "--format", "csv")
    finding = by(rows(p.stdout), "vulnerability", "tenable:7001")
    check("findings --format csv neutralises the title and a host name starting with @",
          finding.get("title") == "'" + TITLE and finding.get("asset") == "'" + HOST, finding)
    p = people.v("decisions", "--format", "csv")
    decision = rows(p.stdout)[0] if p.returncode == 0 and rows(p.stdout) else {}
    check("decisions --format csv neutralises a basis starting with +",
          decision.get("basis") == "'" + BASIS, decision)
    decided = rows(p.stdout)
    check("decisions --format csv neutralises bases starting with @ and -, numbers stay numbers",
          all(by(decided, "vulnerability", key).get("basis") == "'" + basis
              for key, basis in BASES.items()) and
          [r.get("id") for r in decided] == ["1", "2", "3"], decided)
    listed = json.loads(people.v("decisions", "--format", "json").stdout)
    check("decisions --format json keeps the exact bases",
          [by(listed, "vulnerability", k).get("basis") for k in ["tenable:7001", *BASES]] ==
          [BASIS, *BASES.values()], listed)
    for listing, key, value in [(["assets"], "owner", "+web-team"),
                                (["coverage"], "requirement", "=NCSSR 1.7 4.c"),
                                (["review", "list"], "notes", NOTES)]:
        p = people.v(*listing, "--format", "csv")
        cells = [r.get(key) for r in rows(p.stdout)]
        check(f"{' '.join(listing)} --format csv neutralises the {key} {value}",
              cells and cells[0] == "'" + value, (cells, p.stderr))
    p = people.v("review", "list")
    check("the table form shows control characters as spaces",
          p.returncode == 0 and " [2J [31mweekly triage  done" in p.stdout and
          not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", p.stdout), repr(p.stdout))
    listed = json.loads(people.v("review", "list", "--format", "json").stdout)
    check("and the JSON form keeps them", [r.get("notes") for r in listed] ==
          [NOTES, TERMINAL_NOTES], listed)
    for listing in LISTINGS:
        p = people.v(*listing, "--format", "csv")
        check(f"{' '.join(listing)} --format csv has no cell a spreadsheet would run",
              not p.stderr and p.stdout.count("\n") > 1 and not unsafe_cells(p.stdout),
              (unsafe_cells(p.stdout), p.stdout[:400], p.stderr))


# Every command that prints a listing with --format (import's is checked on the import).
LISTINGS = [["vulns"], ["findings"], ["decisions"], ["assets"], ["clocks"], ["check"],
            ["coverage"], ["scanners"], ["review", "list"], ["user", "list"]]


def visible_text(page):
    return html.unescape(re.sub(r"<[^>]+>", "", page))


def test_pack(d, people):
    pack = os.path.join(d, "pack")
    p = people.v("report", "--from", "2026-03-01", "--to", "2026-03-31", "--out", pack,
                 now="2026-04-01T00:00:00Z")
    check("report writes the evidence pack", p.returncode == 0, p.stdout + p.stderr)
    if p.returncode != 0:
        return

    def read(name):
        with open(os.path.join(pack, name), encoding="utf-8", newline="") as f:
            return f.read()

    vuln = by(rows(read("vulnerabilities.csv")), "key", "tenable:7001")
    check("the pack's vulnerabilities.csv neutralises the title", vuln.get("title") ==
          "'" + TITLE, vuln)
    decisions = rows(read("decisions.csv"))
    decision = by(decisions, "vulnerability", "tenable:7001")
    check("the pack's decisions.csv neutralises the basis and keeps the number a number",
          decision.get("basis") == "'" + BASIS and decision.get("id") == "1", decision)
    check("the pack's decisions.csv neutralises bases starting with @ and -",
          all(by(decisions, "vulnerability", key).get("basis") == "'" + basis
              for key, basis in BASES.items()), decisions)
    names = sorted(n for n in os.listdir(pack) if n.endswith(".csv"))
    check("the pack has its CSV files", len(names) >= 5, names)
    for name in names:
        text = read(name)
        check(f"the pack's {name} has no cell a spreadsheet would run", not unsafe_cells(text),
              unsafe_cells(text))
    check("the pack's CSV files hold every hostile text, each behind its apostrophe",
          has_every_hostile_text("".join(read(n) for n in names)), names)
    vuln = by(json.loads(read("vulnerabilities.json")), "key", "tenable:7001")
    decision = by(json.loads(read("decisions.json")), "vulnerability", "tenable:7001")
    bases = [d.get("basis") for d in json.loads(read("decisions.json"))]
    check("the pack's JSON keeps the exact title and bases",
          vuln.get("title") == TITLE and decision.get("basis") == BASIS and
          sorted(bases) == sorted([BASIS, *BASES.values()]), (vuln, decision, bases))
    page = read("index.html")
    text = visible_text(page)
    check("index.html shows the exact title and bases, escaped, without apostrophes",
          all(t in text and "'" + t not in text for t in [TITLE, BASIS, *BASES.values()]) and
          "=HYPERLINK(&quot;http://x&quot;,&quot;y&quot;)" in page and
          TITLE not in page, page[:300])
    check("index.html keeps its Content-Security-Policy",
          re.search(r'<meta http-equiv="Content-Security-Policy" content="default-src \'none\';',
                    page) is not None, page[:600])
    p = run("audit", "verify", "--bundle", pack)
    check("the pack verifies offline", p.returncode == 0 and p.stdout.startswith("ok: the pack"),
          p.stdout + p.stderr)


def main():
    with tempfile.TemporaryDirectory(prefix="vigil-exports-") as d:
        people = People(d, "exports", CONFIG)
        p = people.v("import", "--scanner", "net", hostile_report(d), "--format", "csv",
                     now="2026-03-02T09:00:00Z")
        check("a report with a formula as a plugin title imports", p.returncode == 0, p.stderr)
        check("import --format csv has no cell a spreadsheet would run",
              p.stdout and not unsafe_cells(p.stdout), (unsafe_cells(p.stdout), p.stdout))
        number = people.decided("tenable:7001", "--type", "false-positive", "--reason",
                                "false-positive", "--basis", BASIS, now="2026-03-03T09:00:00Z")
        check("a decision whose basis starts with + is made and approved", number == "1",
              number)
        numbers = [people.decided(key, "--type", "false-positive", "--reason", "false-positive",
                                  "--basis=" + basis, now="2026-03-03T10:00:00Z")
                   for key, basis in BASES.items()]
        check("decisions whose bases start with @ and - are made and approved",
              numbers == ["2", "3"], numbers)
        p = people.v("review", "record", "--participants", "bob,carol", "--notes", NOTES,
                     now="2026-03-04T09:00:00Z")
        check("a review whose notes start with = is recorded", p.returncode == 0, p.stderr)
        p = people.v("review", "record", "--participants", "bob,carol", "--notes",
                     TERMINAL_NOTES, now="2026-03-04T10:00:00Z")
        check("a review whose notes hold an escape sequence is recorded", p.returncode == 0,
              p.stderr)
        test_listings(people)
        test_pack(d, people)
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
