#!/usr/bin/env bash
# Audit-log benchmark: `vigil audit verify` of a log of N events (default 1,000,000) against
# the baseline of reading the same rows with sqlite3 and hashing them once with sha256sum.
#
#   bench/run_audit_bench.sh [--events N] [--vigil PATH] [--workdir DIR] [--runs R]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EVENTS=1000000
VIGIL="build/vigil"
WORKDIR="bench/out"
RUNS=3
while [ $# -gt 0 ]; do
    case "$1" in
        --events) EVENTS="$2"; shift 2 ;;
        --vigil) VIGIL="$2"; shift 2 ;;
        --workdir) WORKDIR="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        -h|--help) sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run_audit_bench.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
cd "$ROOT"
mkdir -p "$WORKDIR"
DB="$WORKDIR/audit-$EVENTS.db"
if [ ! -f "$DB" ]; then
    rm -f "$DB.key" "$DB-wal" "$DB-shm"
    "$VIGIL" --db "$DB" --now 2026-03-01T00:00:00Z init > /dev/null
    python3 bench/gen_audit_events.py "$DB" "$((EVENTS - 1))"
    "$VIGIL" --db "$DB" --now 2026-04-01T00:00:00Z audit checkpoint > /dev/null
fi
timed() {  # prints the wall-clock seconds of "$@"
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null
    end=$(date +%s.%N)
    python3 -c "print(round($end - $start, 3))"
}
baseline() {
    sqlite3 "$DB" "SELECT seq, at, actor, type, subject, payload, leaf_hash, root_hash FROM events ORDER BY seq" | sha256sum
}
cat "$DB" > /dev/null  # warm the page cache
v=(); b=()
for _ in $(seq "$RUNS"); do
    v+=("$(timed "$VIGIL" --db "$DB" audit verify)")
    b+=("$(timed baseline)")
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
mv=$(median "${v[@]}"); mb=$(median "${b[@]}")
echo "| step | median of $RUNS (s) | ratio |"
echo "|---|---|---|"
echo "| sqlite3 read + sha256sum of the $EVENTS events (baseline) | $mb | 1.00 |"
echo "| vigil audit verify ($EVENTS events, 1 checkpoint) | $mv | $(python3 -c "print(round($mv / $mb, 2))") |"
echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB"
