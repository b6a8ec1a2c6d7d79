#!/usr/bin/env bash
# Notification benchmark: what queueing notifications in an import's own transaction costs.
# The same synthetic .nessus report and its rescan imported into a fresh database without
# [notify] rules, and with a new-vulnerability alert and Jira tickets for HIGH and above (the
# change-driven rules, evaluated before the import commits; nothing is sent here).
#
#   bench/run_notify_bench.sh [--hosts N] [--vigil PATH] [--workdir DIR] [--runs N]
#
# Every variant runs N times (default 3), interleaved; the table shows medians and the ratio.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOSTS=3000
VIGIL="build/vigil"
WORKDIR="bench/out/notify"
RUNS=3
NOW="2026-01-01T00:00:00Z"
LATER="2026-01-08T00:00:00Z"

while [ $# -gt 0 ]; do
    case "$1" in
        --hosts) HOSTS="${2:?--hosts needs a value}"; shift 2 ;;
        --vigil) VIGIL="${2:?--vigil needs a value}"; shift 2 ;;
        --workdir) WORKDIR="${2:?--workdir needs a value}"; shift 2 ;;
        --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
VIGIL="$(cd "$(dirname "$VIGIL")" && pwd)/$(basename "$VIGIL")"
mkdir -p "$WORKDIR"
cd "$WORKDIR"

if [ ! -f base.nessus ]; then
    python3 "$ROOT/bench/gen_nessus.py" --hosts "$HOSTS" --out base.nessus --seed 1
    python3 "$ROOT/bench/gen_nessus.py" --hosts "$HOSTS" --out rescan.nessus --seed 1 --rescan
fi
printf 'token\n' > jira-token
: > plain.toml
cat > rules.toml <<TOML
[[notify.alert]]
name = "new-high"
on = ["new-vulnerability", "asset-reappeared"]
min_class = "HIGH"
webhook = "http://127.0.0.1:9/hook"

[notify.jira]
url = "http://127.0.0.1:9"
user = "vigil@example.org"
token_file = "$PWD/jira-token"
project = "VUL"
min_class = "HIGH"
TOML

# seconds and peak RSS (KiB) of one command
timed() { /usr/bin/time -f "%e %M" -o t.txt "$@" > /dev/null; cat t.txt; }

declare -A RESULTS
for run in $(seq 1 "$RUNS"); do
    for variant in plain rules; do
        rm -f "$variant.db" "$variant.db-wal" "$variant.db-shm" "$variant.db.key"
        "$VIGIL" --db "$variant.db" --now "$NOW" init --test-clock --config "$variant.toml" > /dev/null
        RESULTS[$variant,import,$run]=$(timed "$VIGIL" --db "$variant.db" --now "$NOW" import base.nessus)
        RESULTS[$variant,rescan,$run]=$(timed "$VIGIL" --db "$variant.db" --now "$LATER" import rescan.nessus)
    done
done
QUEUED=$("$VIGIL" --db rules.db --now "$LATER" notify log --limit 100000 --format csv | tail -n +2 | wc -l)

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "hosts: $HOSTS, runs: $RUNS, report $(du -m base.nessus | cut -f1) MB, $(nproc) cores"
echo "notifications queued by the two imports (rules variant): $QUEUED"
echo "| step | no rules (s) | change-driven rules (s) | ratio | peak RSS no rules / rules (MiB) |"
echo "| --- | --- | --- | --- | --- |"
for step in import rescan; do
    p=$(for r in $(seq 1 "$RUNS"); do echo "${RESULTS[plain,$step,$r]}" | cut -d' ' -f1; done | median)
    q=$(for r in $(seq 1 "$RUNS"); do echo "${RESULTS[rules,$step,$r]}" | cut -d' ' -f1; done | median)
    pm=$(for r in $(seq 1 "$RUNS"); do echo "${RESULTS[plain,$step,$r]}" | cut -d' ' -f2; done | median)
    qm=$(for r in $(seq 1 "$RUNS"); do echo "${RESULTS[rules,$step,$r]}" | cut -d' ' -f2; done | median)
    echo "| $step | $p | $q | $(awk -v a="$q" -v b="$p" 'BEGIN {printf "%.2f", a / b}') | $((pm / 1024)) / $((qm / 1024)) |"
done
