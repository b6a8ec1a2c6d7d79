#!/usr/bin/env bash
# NVD import benchmark: `vigil nvd import` of N generated CVE records (default 300,000, made
# by varying the real records of $VIGIL_CORPUS/nvd) into a fresh database, against two
# parse-only baselines on the same files: Python's json.load and `jq -c .`.
#
#   bench/run_nvd_bench.sh [--records N] [--vigil PATH] [--workdir DIR] [--runs R]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RECORDS=300000
VIGIL="build/vigil"
WORKDIR="bench/out"
RUNS=3
while [ $# -gt 0 ]; do
    case "$1" in
        --records) RECORDS="$2"; shift 2 ;;
        --vigil) VIGIL="$2"; shift 2 ;;
        --workdir) WORKDIR="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        -h|--help) sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run_nvd_bench.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
cd "$ROOT"
: "${VIGIL_CORPUS:?set VIGIL_CORPUS to the fixtures directory (it holds nvd/)}"
DATA="$WORKDIR/nvd-$RECORDS"
if [ ! -d "$DATA" ]; then
    python3 bench/gen_nvd.py "$VIGIL_CORPUS/nvd" "$DATA" "$RECORDS"
fi
BYTES=$(cat "$DATA"/*.json | wc -c)
timed() {  # prints the wall-clock seconds of "$@"
    local start end
    start=$(date +%s.%N)
    "$@" > /dev/null
    end=$(date +%s.%N)
    python3 -c "print(round($end - $start, 3))"
}
vigil_import() {
    rm -f "$WORKDIR/nvd.db" "$WORKDIR/nvd.db-wal" "$WORKDIR/nvd.db-shm" "$WORKDIR/nvd.db.key"
    "$VIGIL" --db "$WORKDIR/nvd.db" init > /dev/null
    "$VIGIL" --db "$WORKDIR/nvd.db" nvd import "$DATA"
}
python_parse() {
    python3 -c 'import json, sys
for p in sys.argv[1:]:
    with open(p, "rb") as f:
        json.load(f)' "$DATA"/*.json
}
jq_parse() {
    for f in "$DATA"/*.json; do jq -c . "$f"; done
}
cat "$DATA"/*.json > /dev/null  # warm the page cache
v=(); p=(); j=()
for _ in $(seq "$RUNS"); do
    v+=("$(timed vigil_import)")
    p+=("$(timed python_parse)")
    j+=("$(timed jq_parse)")
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
mv=$(median "${v[@]}"); mp=$(median "${p[@]}"); mj=$(median "${j[@]}")
stored=$(sqlite3 "$WORKDIR/nvd.db" "SELECT count(*) FROM nvd_cves")
metrics=$(sqlite3 "$WORKDIR/nvd.db" "SELECT count(*) FROM nvd_metrics")
echo "$RECORDS records, $((BYTES / 1048576)) MiB of JSON; vigil stored $stored CVEs with $metrics metrics"
echo "| step | median of $RUNS (s) | MB/s | ratio to Python json.load |"
echo "| --- | --- | --- | --- |"
for row in "Python json.load (parse only)|$mp" "jq -c . (parse only)|$mj" "vigil nvd import|$mv"; do
    name=${row%%|*}; t=${row##*|}
    python3 -c "print('| $name | $t | %.0f | %.2f |' % ($BYTES / 1e6 / $t, $t / $mp))"
done
