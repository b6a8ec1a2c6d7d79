#!/usr/bin/env python3
"""What SQLite alone needs to write an import's per-finding rows: a floor for `vigil import`.

  sqlite_floor.py prepare SRC DST   copies the rows the per-finding tables refer to (scanners,
                                    scans, assets, vulnerabilities) from SRC, a database a
                                    `vigil import` filled, into DST, a database `vigil init` made
  sqlite_floor.py copy SRC DST      copies SRC's findings, evidence and finding_sources into DST
                                    in one transaction: the step to time

The copy runs inside SQLite (INSERT ... SELECT, one statement per table, table after table),
with the settings vigil's connections use (WAL, synchronous NORMAL, a 16 MiB page cache): no
parsing, no statements prepared per row, no per-host interleaving of the tables. An import
cannot write the same rows faster; how far above this vigil's store thread is shows what the
parser, the applier and the commitment add, and what no change to them can remove.
Standard library only.
"""
import sqlite3
import sys

PARENTS = ["scanners", "scans", "assets", "vulnerabilities"]
TABLES = ["findings", "evidence", "finding_sources"]


def connect(dst, src):
    db = sqlite3.connect(dst, isolation_level=None)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "cache_size=-16384",
                   "foreign_keys=ON"):
        db.execute("PRAGMA " + pragma)
    db.execute("ATTACH DATABASE ? AS src", (src,))
    return db


def copy(db, tables):
    db.execute("BEGIN IMMEDIATE")
    for table in tables:
        db.execute(f'INSERT INTO main."{table}" SELECT * FROM src."{table}" ORDER BY rowid')
    db.execute("COMMIT")


def main(argv):
    if len(argv) != 4 or argv[1] not in ("prepare", "copy"):
        sys.stderr.write(__doc__)
        return 2
    db = connect(argv[3], argv[2])
    if argv[1] == "prepare":
        copy(db, PARENTS)
    else:
        copy(db, TABLES)
        rows = db.execute("SELECT count(*) FROM main.findings").fetchone()[0]
        print(f"copied {rows} findings with their evidence and attributions")
    db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
