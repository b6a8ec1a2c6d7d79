#!/usr/bin/env bash
# Import benchmark: vigil vs xmllint --stream and a Python ElementTree baseline on the same
# synthetic .nessus file, then a rescan imported into the same database.
#
#   bench/run_import_bench.sh [--size-gb X] [--vigil PATH] [--workdir DIR] [--seed S] [--runs N]
#                             [--dense] [--postgres] [--dry-run]
#
# Every tool runs N times (default 3), interleaved round by round; the table shows the median.
# --dense: the findings-dense variant of the report (gen_nessus.py --dense, 600 findings/MB).
# --postgres: also imports both files into PostgreSQL 15 (a throwaway cluster with PostgreSQL's
# default durability, tests/support/pg_cluster.py --durable, on a unix socket), a fresh
# database each round, and reports its ratio to SQLite.
# --dry-run skips the vigil steps (no binary needed).  Exits non-zero if any command fails.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE_GB=1.0
VIGIL="build/vigil"
WORKDIR="bench/out"
SEED=1
DRY_RUN=0
DENSE=0
POSTGRES=0
RUNS=3
NOW="2026-01-01T00:00:00Z"

usage() {
    sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
        --size-gb) SIZE_GB="${2:?--size-gb needs a value}"; shift 2 ;;
        --size-gb=*) SIZE_GB="${1#*=}"; shift ;;
        --vigil) VIGIL="${2:?--vigil needs a value}"; shift 2 ;;
        --vigil=*) VIGIL="${1#*=}"; shift ;;
        --workdir) WORKDIR="${2:?--workdir needs a value}"; shift 2 ;;
        --workdir=*) WORKDIR="${1#*=}"; shift ;;
        --seed) SEED="${2:?--seed needs a value}"; shift 2 ;;
        --seed=*) SEED="${1#*=}"; shift ;;
        --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
        --dry-run) DRY_RUN=1; shift ;;
        --dense) DENSE=1; shift ;;
        --postgres) POSTGRES=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run_import_bench.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

case "$SIZE_GB" in
    ''|*[!0-9.]*|*.*.*) echo "run_import_bench.sh: bad --size-gb: $SIZE_GB" >&2; exit 2 ;;
esac
case "$SEED" in
    ''|*[!0-9]*) echo "run_import_bench.sh: bad --seed: $SEED" >&2; exit 2 ;;
esac

cd "$ROOT"   # relative --vigil / --workdir are relative to the repository root

for tool in /usr/bin/time xmllint python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "run_import_bench.sh: $tool not found" >&2; exit 1; }
done
if [ "$DRY_RUN" -eq 0 ]; then
    case "$VIGIL" in */*) ;; *) VIGIL="$(command -v "$VIGIL" || echo "$VIGIL")" ;; esac
    if [ ! -x "$VIGIL" ]; then
        echo "run_import_bench.sh: vigil binary not found or not executable: $VIGIL" >&2
        echo "  (build it first, pass --vigil PATH, or use --dry-run)" >&2
        exit 1
    fi
fi

mkdir -p "$WORKDIR"
GEN="bench/gen_nessus.py"
TAG="$(printf '%s' "$SIZE_GB" | tr '.' '_')gb-s$SEED"
DENSE_ARG=()
if [ "$DENSE" -eq 1 ]; then
    TAG="$TAG-dense"
    DENSE_ARG=(--dense)
fi
BASE="$WORKDIR/scan-$TAG.nessus"
RESCAN="$WORKDIR/scan-$TAG-rescan.nessus"
DB="$WORKDIR/bench.db"
LOGS="$WORKDIR/logs"
mkdir -p "$LOGS"

GEN_SUM="$( (sha256sum "$GEN" 2>/dev/null || shasum -a 256 "$GEN") | cut -c1-16)"

# generate FILE STAMP-PARAMS ARGS...: (re)generate unless FILE.params matches.
generate() {
    local file="$1" params="$2"; shift 2
    if [ -f "$file" ] && [ -f "$file.params" ] && [ "$(cat "$file.params")" = "$params" ]; then
        echo "reusing $file"
        return 0
    fi
    rm -f "$file" "$file.params"
    echo "generating $file ($params)"
    python3 "$GEN" "$@" --out "$file"
    printf '%s\n' "$params" > "$file.params"
}

generate "$BASE" "size_gb=$SIZE_GB seed=$SEED rescan=0 dense=$DENSE gen=$GEN_SUM" \
    --size-gb "$SIZE_GB" --seed "$SEED" "${DENSE_ARG[@]}"
generate "$RESCAN" "size_gb=$SIZE_GB seed=$SEED rescan=1 dense=$DENSE gen=$GEN_SUM" \
    --size-gb "$SIZE_GB" --seed "$SEED" --rescan "${DENSE_ARG[@]}"

file_bytes() { stat -c %s "$1" 2>/dev/null || wc -c < "$1"; }
BASE_BYTES="$(file_bytes "$BASE")"
RESCAN_BYTES="$(file_bytes "$RESCAN")"

# Warm the page cache so every tool sees the same (cached) file.
cat "$BASE" > /dev/null
cat "$RESCAN" > /dev/null

# PostgreSQL: a throwaway cluster for the whole run, stopped whatever happens.
PG_BASE=""
PG_SOCK=""
if [ "$POSTGRES" -eq 1 ] && [ "$DRY_RUN" -eq 0 ]; then
    PG_BIN="${PG_BIN:-/usr/lib/postgresql/15/bin}"
    PG_URL="$(python3 tests/support/pg_cluster.py --durable 2> "$LOGS/pg_cluster.stderr")" || {
        echo "run_import_bench.sh: cannot start PostgreSQL" >&2; cat "$LOGS/pg_cluster.stderr" >&2
        exit 1; }
    PG_BASE="$(sed -n 's/.*--stop //p' "$LOGS/pg_cluster.stderr")"
    PG_SOCK="$(printf '%s' "$PG_URL" | sed -n 's/.*host=\([^&]*\).*/\1/p')"
    trap 'python3 tests/support/pg_cluster.py --stop "$PG_BASE"' EXIT
    PG_CONFIG="$(cd "$WORKDIR" && pwd)/pg-bench.toml"
    printf '[audit]\nkey_file = "%s"\n' "$(cd "$WORKDIR" && pwd)/pg-bench.key" > "$PG_CONFIG"
fi
PG_BENCH_URL="postgresql:///vigil_bench?host=$PG_SOCK&user=vigil"

TIMES="$LOGS/times.tsv"   # name, seconds, peak RSS KB, bytes: one line per run
: > "$TIMES"

# timed NAME BYTES OUTFILE CMD...: run CMD under /usr/bin/time, stdout to OUTFILE.
timed() {
    local name="$1" bytes="$2" out="$3"; shift 3
    local slug
    slug="$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '-' | tr -s '-')"
    local tf="$LOGS/$slug.time" ef="$LOGS/$slug.stderr"
    echo "running: $*" >&2
    local rc=0
    /usr/bin/time -f '%e %M' -o "$tf" "$@" > "$out" 2> "$ef" || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "run_import_bench.sh: '$name' failed with exit status $rc: $*" >&2
        tail -n 20 "$ef" >&2 || true
        exit 1
    fi
    local secs rss
    read -r secs rss < <(tail -n 1 "$tf")
    printf '%s\t%s\t%s\t%s\n' "$name" "$secs" "$rss" "$bytes" >> "$TIMES"
}

for round in $(seq 1 "$RUNS"); do
    echo "round $round of $RUNS" >&2
    timed "xmllint --stream" "$BASE_BYTES" "$LOGS/xmllint.out" xmllint --stream --noout "$BASE"
    timed "python etree" "$BASE_BYTES" "$LOGS/etree.out" python3 bench/etree_baseline.py "$BASE"
    if [ "$DRY_RUN" -eq 0 ]; then
        rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal"
        # A test-clock database: the imports take the bench's fixed time (--now).
        "$VIGIL" --db "$DB" --now "$NOW" init --test-clock > "$LOGS/vigil-init.out" \
            2> "$LOGS/vigil-init.stderr" || {
            echo "run_import_bench.sh: vigil init failed" >&2; cat "$LOGS/vigil-init.stderr" >&2
            exit 1; }
        timed "vigil import" "$BASE_BYTES" "$LOGS/vigil-import.json" \
            "$VIGIL" --db "$DB" --now "$NOW" import --scanner bench --format json "$BASE"
        # The floor: SQLite copying the rows this import wrote into a new database, in-engine
        # (bench/sqlite_floor.py).
        FLOOR_DB="$WORKDIR/floor.db"
        rm -f "$FLOOR_DB" "$FLOOR_DB-wal" "$FLOOR_DB-shm"
        "$VIGIL" --db "$FLOOR_DB" --now "$NOW" init --test-clock > /dev/null \
            2> "$LOGS/vigil-floor-init.stderr" || {
            echo "run_import_bench.sh: vigil init of the floor's database failed" >&2
            cat "$LOGS/vigil-floor-init.stderr" >&2; exit 1; }
        python3 bench/sqlite_floor.py prepare "$DB" "$FLOOR_DB"
        timed "SQLite floor (rows copied in-engine)" "$BASE_BYTES" \
            "$LOGS/floor.out" python3 bench/sqlite_floor.py copy "$DB" "$FLOOR_DB"
        rm -f "$FLOOR_DB" "$FLOOR_DB-wal" "$FLOOR_DB-shm" "$FLOOR_DB.key"
        timed "vigil import rescan" "$RESCAN_BYTES" "$LOGS/vigil-rescan.json" \
            "$VIGIL" --db "$DB" --now "$NOW" import --scanner bench --format json "$RESCAN"
        if [ "$POSTGRES" -eq 1 ]; then
            "$PG_BIN/dropdb" -h "$PG_SOCK" -U vigil --if-exists vigil_bench
            "$PG_BIN/createdb" -h "$PG_SOCK" -U vigil vigil_bench
            "$VIGIL" --db "$PG_BENCH_URL" --config "$PG_CONFIG" --now "$NOW" init --test-clock \
                > "$LOGS/vigil-pg-init.out" 2> "$LOGS/vigil-pg-init.stderr" || {
                echo "run_import_bench.sh: vigil init on PostgreSQL failed" >&2
                cat "$LOGS/vigil-pg-init.stderr" >&2; exit 1; }
            timed "vigil import, PostgreSQL" "$BASE_BYTES" "$LOGS/vigil-pg-import.json" \
                "$VIGIL" --db "$PG_BENCH_URL" --now "$NOW" import --scanner bench --format json "$BASE"
            timed "vigil import rescan, PostgreSQL" "$RESCAN_BYTES" "$LOGS/vigil-pg-rescan.json" \
                "$VIGIL" --db "$PG_BENCH_URL" --now "$NOW" import --scanner bench --format json \
                "$RESCAN"
            # Both databases hold the same state: the same counts, the same vulnerabilities.
            for f in import rescan; do
                if ! diff <(grep -v '"file"\|"scan_id"' "$LOGS/vigil-$f.json") \
                        <(grep -v '"file"\|"scan_id"' "$LOGS/vigil-pg-$f.json") > /dev/null; then
                    echo "run_import_bench.sh: PostgreSQL's $f summary differs from SQLite's" >&2
                    diff "$LOGS/vigil-$f.json" "$LOGS/vigil-pg-$f.json" >&2 || true
                    exit 1
                fi
            done
        fi
        for f in vigil-import.json vigil-rescan.json; do
            if [ ! -s "$LOGS/$f" ] || ! grep -q '"scan_id"' "$LOGS/$f"; then
                echo "run_import_bench.sh: vigil printed no JSON summary ($LOGS/$f)" >&2
                exit 1
            fi
        done
    fi
done

# ---- report
echo
echo "## Machine"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "- nproc: $(nproc 2>/dev/null || echo '?')"
MODEL="$( (lscpu 2>/dev/null || true) | sed -n 's/^Model name:[[:space:]]*//p' | head -n 1)"
if [ -z "$MODEL" ]; then
    MODEL="$( (grep -m1 '^model name' /proc/cpuinfo 2>/dev/null || true) | sed 's/^[^:]*:[[:space:]]*//')"
fi
echo "- cpu: ${MODEL:-unknown}"
echo "- memory (free -g):"
echo '```'
free -g 2>/dev/null || echo "free not available"
echo '```'
echo "- disk (df -h $WORKDIR):"
echo '```'
df -h "$WORKDIR" 2>/dev/null || echo "df not available"
echo '```'
echo "- python: $(python3 --version 2>&1); xmllint: $(xmllint --version 2>&1 | head -n 1)"
echo "- base file: $BASE ($BASE_BYTES bytes); rescan file: $RESCAN ($RESCAN_BYTES bytes)"
echo "- etree baseline: $(cat "$LOGS/etree.out")"
if [ "$DRY_RUN" -eq 0 ]; then
    python3 - "$LOGS/vigil-import.json" "$BASE_BYTES" <<'PY'
import json, sys
findings = json.load(open(sys.argv[1]))["findings"]
print(f"- findings in the base file: {findings:,} ({findings / (int(sys.argv[2]) / 1e6):.0f} per MB)")
PY
    if [ "$POSTGRES" -eq 1 ]; then
        echo "- PostgreSQL: $("$PG_BIN/postgres" --version), default durability (fsync on)," \
            "unix socket"
    fi
fi
echo
echo "## Import benchmark ($RUNS runs each, median; warm page cache; MB = 10^6 bytes, RSS MiB = 2^20 bytes)"
echo
python3 - "$TIMES" <<'PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    name, secs, rss, size = line.rstrip("\n").split("\t")
    runs.setdefault(name, []).append((float(secs), int(rss), int(size)))
def median(name):
    return statistics.median(s for s, _, _ in runs[name])
base = median("xmllint --stream")
print("| tool | median s | all runs s | MB/s | peak RSS MiB | ratio vs xmllint |")
print("|---|---:|---|---:|---:|---:|")
for name, rs in runs.items():
    med = median(name)
    print(f"| {name} | {med:.2f} | {' / '.join(f'{s:.2f}' for s, _, _ in rs)} | "
          f"{rs[0][2] / 1e6 / med:.0f} | {max(r for _, r, _ in rs) / 1024:.1f} | {med / base:.2f} |")
if "vigil import" in runs:
    print()
    print("| ratio | value |")
    print("|---|---:|")
    print(f"| first import / xmllint | {median('vigil import') / base:.2f} |")
    print(f"| python etree / first import | "
          f"{median('python etree') / median('vigil import'):.2f} |")
    floor = median("SQLite floor (rows copied in-engine)")
    print(f"| first import / SQLite floor | {median('vigil import') / floor:.2f} |")
    print(f"| SQLite floor / xmllint | {floor / base:.2f} |")
    print(f"| rescan / first import | "
          f"{median('vigil import rescan') / median('vigil import'):.2f} |")
    if "vigil import, PostgreSQL" in runs:
        print(f"| PostgreSQL / SQLite, first import | "
              f"{median('vigil import, PostgreSQL') / median('vigil import'):.2f} |")
        print(f"| PostgreSQL / SQLite, rescan | "
              f"{median('vigil import rescan, PostgreSQL') / median('vigil import rescan'):.2f} |")
PY
echo
if [ "$DRY_RUN" -eq 0 ]; then
    echo "vigil import (base) JSON:"
    echo '```'
    cat "$LOGS/vigil-import.json"
    echo '```'
    echo "vigil import (rescan) JSON:"
    echo '```'
    cat "$LOGS/vigil-rescan.json"
    echo '```'
else
    echo "(dry run: vigil not run)"
fi
