#!/usr/bin/env bash
# Import throughput per scanner format: vigil against a parse-only baseline on the same
# generated file, in the same run.
#
#   bench/run_formats_bench.sh [--mb N] [--vigil PATH] [--workdir DIR] [--runs R]
#                              [--formats a,b,...] [--seed S] [--wait-load L]
#
# Defaults: --mb 200, --vigil build/vigil, --workdir bench/out, --runs 3, every format
# (openvas,qualys,nessus-csv,trivy,grype,sarif,cyclonedx), --seed 1. --wait-load L waits (up
# to 10 minutes per format) until the 1-minute load average is below L before timing.
# Exits non-zero if a generator or a baseline fails, or if vigil fails on any format.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MB=200
VIGIL="build/vigil"
WORKDIR="bench/out"
RUNS=3
SEED=1
FORMATS="openvas,qualys,nessus-csv,trivy,grype,sarif,cyclonedx"
WAIT_LOAD=""
NOW="2026-03-03T00:00:00Z"

usage() {
    sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
        --mb) MB="${2:?--mb needs a value}"; shift 2 ;;
        --mb=*) MB="${1#*=}"; shift ;;
        --vigil) VIGIL="${2:?--vigil needs a value}"; shift 2 ;;
        --vigil=*) VIGIL="${1#*=}"; shift ;;
        --workdir) WORKDIR="${2:?--workdir needs a value}"; shift 2 ;;
        --workdir=*) WORKDIR="${1#*=}"; shift ;;
        --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
        --runs=*) RUNS="${1#*=}"; shift ;;
        --formats) FORMATS="${2:?--formats needs a value}"; shift 2 ;;
        --formats=*) FORMATS="${1#*=}"; shift ;;
        --seed) SEED="${2:?--seed needs a value}"; shift 2 ;;
        --seed=*) SEED="${1#*=}"; shift ;;
        --wait-load) WAIT_LOAD="${2:?--wait-load needs a value}"; shift 2 ;;
        --wait-load=*) WAIT_LOAD="${1#*=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run_formats_bench.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done

case "$MB" in ''|*[!0-9.]*|*.*.*) echo "run_formats_bench.sh: bad --mb: $MB" >&2; exit 2 ;; esac
case "$RUNS" in ''|*[!0-9]*|0) echo "run_formats_bench.sh: bad --runs: $RUNS" >&2; exit 2 ;; esac
case "$SEED" in ''|*[!0-9]*) echo "run_formats_bench.sh: bad --seed: $SEED" >&2; exit 2 ;; esac
case "$WAIT_LOAD" in *[!0-9.]*) echo "run_formats_bench.sh: bad --wait-load: $WAIT_LOAD" >&2; exit 2 ;; esac

cd "$ROOT"   # relative --vigil / --workdir are relative to the repository root

for tool in /usr/bin/time xmllint python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "run_formats_bench.sh: $tool not found" >&2; exit 1; }
done
# The interpreter itself, not a wrapper (pyenv's shims add ~0.5 s to every start).
PY="$(python3 -c 'import sys; print(sys.executable)')"
case "$VIGIL" in */*) ;; *) VIGIL="$(command -v "$VIGIL" || echo "$VIGIL")" ;; esac
if [ ! -x "$VIGIL" ]; then
    echo "run_formats_bench.sh: vigil binary not found or not executable: $VIGIL" >&2
    exit 1
fi

IFS=',' read -r -a FMTS <<< "$FORMATS"
for f in "${FMTS[@]}"; do
    case "$f" in
        openvas|qualys|nessus-csv|trivy|grype|sarif|cyclonedx) ;;
        *) echo "run_formats_bench.sh: unknown format: $f" >&2; exit 2 ;;
    esac
done

mkdir -p "$WORKDIR"
LOGS="$WORKDIR/logs-formats"
mkdir -p "$LOGS"
GEN="bench/gen_formats.py"
GEN_SUM="$(cat "$GEN" bench/gen_nessus.py | (sha256sum 2>/dev/null || shasum -a 256) | cut -c1-16)"
DB="$WORKDIR/formats-bench.db"
TIMES="$LOGS/times.tsv"      # format, tool, seconds, peak RSS KB, bytes, load: one line per run
SUMMARY="$LOGS/summary.tsv"  # format, status, hosts, findings, vulnerabilities, warnings, baseline
: > "$TIMES"
: > "$SUMMARY"

ext_of() {
    case "$1" in
        openvas|qualys) echo xml ;;
        nessus-csv) echo csv ;;
        sarif) echo sarif ;;
        *) echo json ;;
    esac
}

baseline_name() {
    case "$1" in
        openvas|qualys) echo "xmllint --stream" ;;
        nessus-csv) echo "python csv" ;;
        *) echo "python json.load" ;;
    esac
}

# The parse-only baselines: libxml2's streaming reader; Python's json.load; Python's csv reader.
CSV_PY='
import csv, sys
n = 0
with open(sys.argv[1], newline="", encoding="utf-8") as f:
    for row in csv.reader(f):
        n += 1
print("rows", n)'
JSON_PY='
import json, sys
with open(sys.argv[1], "rb") as f:
    json.load(f)
print("ok")'

# baseline_cmd FORMAT FILE: sets BCMD to the baseline command for the format.
baseline_cmd() {
    case "$1" in
        openvas|qualys) BCMD=(xmllint --stream --noout --nonet "$2") ;;
        nessus-csv) BCMD=("$PY" -c "$CSV_PY" "$2") ;;
        *) BCMD=("$PY" -c "$JSON_PY" "$2") ;;
    esac
}

load1() { cut -d' ' -f1 /proc/loadavg 2>/dev/null || echo "?"; }

wait_for_load() {
    [ -n "$WAIT_LOAD" ] || return 0
    local waited=0
    while python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) >= float(sys.argv[2]) else 1)' \
            "$(load1)" "$WAIT_LOAD"; do
        if [ "$waited" -ge 600 ]; then
            echo "run_formats_bench.sh: load still $(load1) after 10 minutes; timing anyway" >&2
            return 0
        fi
        echo "load $(load1) >= $WAIT_LOAD, waiting" >&2
        sleep 20
        waited=$((waited + 20))
    done
}

# vigil_fresh_import DB FILE OUT ERR TIMEFILE: a fresh database, then `vigil init` (timed into
# TIMEFILE.init) and `vigil import` (timed into TIMEFILE); returns vigil's exit status.
vigil_fresh_import() {
    local db="$1" file="$2" out="$3" err="$4" tf="$5"
    rm -f "$db" "$db-wal" "$db-shm" "$db-journal" "$db.key"
    local rc=0
    /usr/bin/time -f '%e %M' -o "$tf.init" "$VIGIL" --db "$db" init > /dev/null 2> "$err.init" \
        || rc=$?
    if [ "$rc" -ne 0 ]; then
        cat "$err.init" > "$err"
        return "$rc"
    fi
    /usr/bin/time -f '%e %M' -o "$tf" "$VIGIL" --db "$db" --now "$NOW" import --format json \
        "$file" > "$out" 2> "$err" || rc=$?
    return "$rc"
}

FAILED=0
echo "vigil: $VIGIL ($(stat -c '%y' "$VIGIL" 2>/dev/null | cut -c1-19))" >&2
"$VIGIL" import --help > "$LOGS/vigil-import-help.txt" 2>&1 || {
    echo "run_formats_bench.sh: '$VIGIL import --help' failed" >&2; exit 1; }

for fmt in "${FMTS[@]}"; do
    ext="$(ext_of "$fmt")"
    tag="$(printf '%s' "$MB" | tr '.' '_')mb-s$SEED"
    file="$WORKDIR/formats-$fmt-$tag.$ext"
    params="format=$fmt mb=$MB seed=$SEED gen=$GEN_SUM"

    # 1. smoke test on a small file of the same generator: does this vigil read the format?
    small="$WORKDIR/formats-$fmt-smoke.$ext"
    "$PY" "$GEN" --quiet --seed "$SEED" "$fmt" "$small" 0.3
    if ! vigil_fresh_import "$WORKDIR/formats-smoke.db" "$small" "$LOGS/$fmt-smoke.json" \
            "$LOGS/$fmt-smoke.stderr" "$LOGS/$fmt-smoke.time"; then
        echo "run_formats_bench.sh: vigil cannot import a small $fmt file ($small):" >&2
        tail -n 5 "$LOGS/$fmt-smoke.stderr" >&2 || true
        printf '%s\tsmoke-failed\t\t\t\t\t%s\n' "$fmt" "$(baseline_name "$fmt")" >> "$SUMMARY"
        FAILED=1
        continue
    fi

    # 2. the file, generated once per (format, size, seed, generator)
    if [ -f "$file" ] && [ -f "$file.params" ] && [ "$(cat "$file.params")" = "$params" ]; then
        echo "reusing $file" >&2
    else
        rm -f "$file" "$file.params"
        echo "generating $file" >&2
        "$PY" "$GEN" --seed "$SEED" "$fmt" "$file" "$MB"
        printf '%s\n' "$params" > "$file.params"
    fi
    bytes="$(stat -c %s "$file")"
    cat "$file" > /dev/null   # warm page cache for every tool

    # 3. timed runs, interleaved: baseline, vigil
    wait_for_load
    status="ok"
    for round in $(seq 1 "$RUNS"); do
        ld="$(load1)"
        echo "$fmt: round $round of $RUNS (load $ld)" >&2
        rc=0
        baseline_cmd "$fmt" "$file"
        /usr/bin/time -f '%e %M' -o "$LOGS/$fmt-baseline.time" "${BCMD[@]}" \
            > "$LOGS/$fmt-baseline.out" 2> "$LOGS/$fmt-baseline.stderr" || rc=$?
        if [ "$rc" -ne 0 ]; then
            echo "run_formats_bench.sh: baseline $(baseline_name "$fmt") failed on $file:" >&2
            tail -n 5 "$LOGS/$fmt-baseline.stderr" >&2 || true
            exit 1
        fi
        read -r secs rss < <(tail -n 1 "$LOGS/$fmt-baseline.time")
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$fmt" "baseline" "$secs" "$rss" "$bytes" "$ld" >> "$TIMES"

        if ! vigil_fresh_import "$DB" "$file" "$LOGS/$fmt-vigil.json" "$LOGS/$fmt-vigil.stderr" \
                "$LOGS/$fmt-vigil.time"; then
            echo "run_formats_bench.sh: vigil import of $file failed:" >&2
            tail -n 5 "$LOGS/$fmt-vigil.stderr" >&2 || true
            status="import-failed"
            FAILED=1
            break
        fi
        if ! grep -q '"scan_id"' "$LOGS/$fmt-vigil.json"; then
            echo "run_formats_bench.sh: vigil printed no JSON summary ($LOGS/$fmt-vigil.json)" >&2
            status="no-summary"
            FAILED=1
            break
        fi
        read -r isecs irss < <(tail -n 1 "$LOGS/$fmt-vigil.time.init")
        read -r secs rss < <(tail -n 1 "$LOGS/$fmt-vigil.time")
        tot="$(python3 -c 'import sys; print("%.2f" % (float(sys.argv[1]) + float(sys.argv[2])))' "$isecs" "$secs")"
        [ "$irss" -gt "$rss" ] && rss="$irss"
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$fmt" "vigil" "$tot" "$rss" "$bytes" "$ld" >> "$TIMES"
    done
    if [ "$status" = "ok" ]; then
        python3 - "$fmt" "$LOGS/$fmt-vigil.json" "$(baseline_name "$fmt")" >> "$SUMMARY" <<'EOF_PY'
import json, sys
d = json.load(open(sys.argv[2]))
if isinstance(d, list):
    d = d[0]
print("\t".join([sys.argv[1], "ok", str(d.get("hosts", "")), str(d.get("findings", "")),
                 str(d.get("vulnerabilities", "")), str(d.get("warnings", "")), sys.argv[3]]))
EOF_PY
        echo "$fmt: vigil summary: $(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
d = d[0] if isinstance(d, list) else d
print(", ".join("%s %s" % (k, d[k]) for k in ("format", "hosts", "findings", "vulnerabilities", "new", "warnings") if k in d))' "$LOGS/$fmt-vigil.json")" >&2
    else
        printf '%s\t%s\t\t\t\t\t%s\n' "$fmt" "$status" "$(baseline_name "$fmt")" >> "$SUMMARY"
    fi
    rm -f "$DB" "$DB-wal" "$DB-shm" "$DB-journal" "$DB.key"
done
rm -f "$WORKDIR/formats-smoke.db" "$WORKDIR/formats-smoke.db-wal" "$WORKDIR/formats-smoke.db-shm" \
    "$WORKDIR/formats-smoke.db.key"

# ---- report
echo
echo "## Machine"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "- nproc: $(nproc 2>/dev/null || echo '?')"
MODEL="$( (grep -m1 '^model name' /proc/cpuinfo 2>/dev/null || true) | sed 's/^[^:]*:[[:space:]]*//')"
echo "- cpu: ${MODEL:-unknown}"
echo "- memory: $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null)"
echo "- load average now: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "- vigil: $VIGIL; python: $PY ($("$PY" --version 2>&1)); xmllint: $(xmllint --version 2>&1 | head -n 1)"
echo
echo "## Import throughput per format ($RUNS run(s) each, median; warm page cache; MB = 10^6 bytes, RSS MiB = 2^20 bytes)"
echo
python3 - "$TIMES" "$SUMMARY" <<'EOF_PY'
import statistics, sys
runs = {}
for line in open(sys.argv[1]):
    fmt, tool, secs, rss, size, load = line.rstrip("\n").split("\t")
    runs.setdefault((fmt, tool), []).append((float(secs), int(rss), int(size), load))
summ = {}
for line in open(sys.argv[2]):
    p = line.rstrip("\n").split("\t")
    summ[p[0]] = p
print("| format | MB | hosts | findings | vigil s (init + import) | vigil MB/s | baseline | "
      "baseline s | baseline MB/s | ratio vigil / baseline | vigil peak RSS MiB | "
      "baseline peak RSS MiB | load (1 min) |")
print("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|")
for fmt, p in summ.items():
    if p[1] != "ok":
        print(f"| {fmt} | | | | {p[1]} | | {p[6]} | | | | | | |")
        continue
    v = runs[(fmt, "vigil")]
    b = runs[(fmt, "baseline")]
    vm = statistics.median(s for s, _, _, _ in v)
    bm = statistics.median(s for s, _, _, _ in b)
    size = v[0][2] / 1e6
    vruns = " / ".join(f"{s:.2f}" for s, _, _, _ in v)
    loads = " / ".join(l for _, _, _, l in v)
    print(f"| {fmt} | {size:.1f} | {p[2]} | {p[3]} | {vm:.2f} ({vruns}) | {size / vm:.1f} | {p[6]} | "
          f"{bm:.2f} | {size / bm:.1f} | {vm / bm:.2f} | {max(r for _, r, _, _ in v) / 1024:.1f} | "
          f"{max(r for _, r, _, _ in b) / 1024:.1f} | {loads} |")
EOF_PY
echo
echo "Logs, vigil's JSON summaries and stderr: $LOGS/"
exit "$FAILED"
