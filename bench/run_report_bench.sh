#!/usr/bin/env bash
# Evidence-pack benchmark (issue 5: "the report takes under 10 seconds for a database of
# 1,000,000 findings"). Generates a real-shaped Tenable scan and its rescan a week later
# (bench/gen_nessus.py; 3.1 GB each gives about 1,000,000 findings on 6,099 hosts), imports
# both into a fresh database with the ncssr-1.7, etsi-319-401 and fedramp-rev5 profiles, then
# times on that database:
#   - vigil audit verify: the whole log, every logged table rebuilt from it, and the digests
#     of the findings, host scans and assets recomputed (issue 12: under 10 s at 1,000,000);
#   - vigil report --from --to --out (verification, then the whole pack: six tables in HTML,
#     CSV and JSON, the events they rest on with proofs, a new signed checkpoint), and vigil
#     audit verify --bundle;
#   - two baselines over the same database: the sqlite3 shell exporting every finding with
#     its vulnerability and asset as CSV (the least an operator could hand an auditor), and
#     Python's sqlite3 module counting open findings and affected assets per vulnerability
#     (the register table alone).
#
#   bench/run_report_bench.sh [--size-gb X] [--vigil PATH] [--workdir DIR] [--runs R]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SIZE=3.1
VIGIL="build/vigil"
WORKDIR="bench/out"
RUNS=3
while [ $# -gt 0 ]; do
    case "$1" in
        --size-gb) SIZE="$2"; shift 2 ;;
        --vigil) VIGIL="$2"; shift 2 ;;
        --workdir) WORKDIR="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        -h|--help) sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run_report_bench.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
cd "$ROOT"
mkdir -p "$WORKDIR"
TAG="${SIZE/./_}gb-s1"
BASE="$WORKDIR/scan-$TAG.nessus"
RESCAN="$WORKDIR/scan-$TAG-rescan.nessus"
GEN_HASH=$(sha256sum bench/gen_nessus.py | cut -c1-16)
generate() {  # generate OUT [--rescan]: only when missing or made by another generator
    local out="$1"; shift
    local params="size=$SIZE seed=1 $* gen=$GEN_HASH"
    if [ -f "$out" ] && [ "$(cat "$out.params" 2>/dev/null)" = "$params" ]; then
        return
    fi
    python3 bench/gen_nessus.py --size-gb "$SIZE" --seed 1 "$@" --out "$out"
    echo "$params" > "$out.params"
}
generate "$BASE"
generate "$RESCAN" --rescan

DB="$WORKDIR/report.db"
CONFIG="$WORKDIR/report.toml"
printf '[policy]\nprofiles = ["ncssr-1.7", "etsi-319-401", "fedramp-rev5"]\n' > "$CONFIG"
rm -f "$DB" "$DB-wal" "$DB-shm" "$DB.key"
# A test-clock database: the imports and the report take the bench's own dates.
"$VIGIL" --db "$DB" --now 2025-12-31T00:00:00Z init --test-clock --config "$CONFIG" > /dev/null
"$VIGIL" --db "$DB" --now 2026-01-01T00:00:00Z import --scanner bench "$BASE"
"$VIGIL" --db "$DB" --now 2026-01-08T00:00:00Z import --scanner bench "$RESCAN"
FINDINGS=$(sqlite3 "$DB" "SELECT count(*) FROM findings")

timed() {  # prints "seconds peak-RSS-MiB" of "$@", its output discarded
    local s kb
    /usr/bin/time -f '%e %M' -o "$WORKDIR/report-bench.time" bash -c "$1" > /dev/null 2>&1
    read -r s kb < "$WORKDIR/report-bench.time"
    echo "$s $((kb / 1024))"
}
PACK="$WORKDIR/report-pack"
vigil_report() {
    rm -rf "$PACK"
    "$VIGIL" --db "$DB" --now 2026-01-10T00:00:00Z report \
        --from 2025-12-01T00:00:00Z --to 2026-01-09T00:00:00Z --out "$PACK"
}
vigil_audit_verify() {  # the whole log, every logged table and the findings' digests
    "$VIGIL" --db "$DB" audit verify
}
vigil_verify() {
    "$VIGIL" audit verify --bundle "$PACK"
}
sqlite_export() {
    sqlite3 -csv -header "$DB" "SELECT v.key, v.title, v.class, a.name, f.port, f.protocol,
        f.state, f.first_seen, f.last_seen, f.fixed_at FROM findings f
        JOIN vulnerabilities v ON v.id = f.vuln_id JOIN assets a ON a.id = f.asset_id
        ORDER BY a.name, v.key, f.port" > "$WORKDIR/report-baseline.csv"
}
python_register() {
    python3 - "$DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
open_n, assets, first, last = {}, {}, {}, {}
for vid, aid, state, fs, ls in db.execute(
        "SELECT vuln_id, asset_id, state, first_seen, last_seen FROM findings"):
    if state in ("open", "reopened"):
        open_n[vid] = open_n.get(vid, 0) + 1
        assets.setdefault(vid, set()).add(aid)
    first[vid] = min(first.get(vid, fs), fs)
    last[vid] = max(last.get(vid, ls), ls)
rows = [(k, t, c, open_n.get(i, 0), len(assets.get(i, ())), first.get(i), last.get(i))
        for i, k, t, c in db.execute("SELECT id, key, title, class FROM vulnerabilities ORDER BY key")]
print(len(rows))
PY
}
export VIGIL DB CONFIG PACK WORKDIR
export -f vigil_report vigil_verify vigil_audit_verify sqlite_export python_register
cat "$DB" > /dev/null  # warm the page cache
declare -A T M
for _ in $(seq "$RUNS"); do
    for step in vigil_audit_verify vigil_report vigil_verify sqlite_export python_register; do
        read -r s m <<< "$(timed "$step")"
        T[$step]+="$s "; M[$step]=$m
    done
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
base=$(median ${T[sqlite_export]})
echo "$FINDINGS findings in $(du -m "$DB" | cut -f1) MB of SQLite; $RUNS runs each, median"
echo "| step | seconds | peak RSS (MiB) | ratio to the sqlite3 export |"
echo "| --- | --- | --- | --- |"
for row in "sqlite3 shell: every finding as CSV (baseline)|sqlite_export" \
           "Python sqlite3: the register counts alone|python_register" \
           "vigil audit verify (log, tables, findings digests)|vigil_audit_verify" \
           "vigil report (verifies, then the whole evidence pack)|vigil_report" \
           "vigil audit verify --bundle (the pack)|vigil_verify"; do
    name=${row%%|*}; step=${row##*|}
    t=$(median ${T[$step]})
    python3 -c "print('| $name | $t | ${M[$step]} | %.2f |' % ($t / $base))"
done
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
     "$(free -g | awk '/Mem:/ {print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
