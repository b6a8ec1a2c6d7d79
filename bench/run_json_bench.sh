#!/usr/bin/env bash
# vigil's JSON readers against simdjson and nlohmann/json: speed and peak memory on real-shaped
# reports, and what each does with hostile input (docs/decisions/0006-json-reader.md).
#
#   bench/run_json_bench.sh [--mb N] [--nvd-records N] [--runs R] [--workdir DIR]
#                           [--build DIR] [--only speed|hostile]
#
# Defaults: --mb 100 (Trivy, Grype, SARIF and CycloneDX files of bench/gen_formats.py),
# --nvd-records 30000 (one NVD CVE API document made of bench/gen_nvd.py's records; needs
# VIGIL_CORPUS), --runs 3 (in-process repetitions, the fastest counts), --workdir bench/out,
# --build build-bench. Installs libsimdjson-dev from Debian when it is missing, then builds
# bench/json_reader_bench with -DVIGIL_BENCH=ON in the --build directory (the normal build
# never needs simdjson). Each reader runs in a process of its own under /usr/bin/time, for its
# peak RSS. Prints markdown tables and the machine.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MB=100
NVD_RECORDS=30000
RUNS=3
WORKDIR="bench/out"
BUILD="build-bench"
ONLY=""
READERS=(utf8-check vigil-cursor vigil-cursor-skip vigil-stream nlohmann-sax nlohmann-dom simdjson-dom
         simdjson-ondemand simdjson-ondemand-native)

usage() {
    sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'
}

while [ $# -gt 0 ]; do
    case "$1" in
        --mb) MB="${2:?--mb needs a value}"; shift 2 ;;
        --nvd-records) NVD_RECORDS="${2:?--nvd-records needs a value}"; shift 2 ;;
        --runs) RUNS="${2:?--runs needs a value}"; shift 2 ;;
        --workdir) WORKDIR="${2:?--workdir needs a value}"; shift 2 ;;
        --build) BUILD="${2:?--build needs a value}"; shift 2 ;;
        --only) ONLY="${2:?--only needs a value}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run_json_bench.sh: unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
case "$MB" in ''|*[!0-9]*|0) echo "run_json_bench.sh: bad --mb: $MB" >&2; exit 2 ;; esac
case "$NVD_RECORDS" in ''|*[!0-9]*) echo "run_json_bench.sh: bad --nvd-records" >&2; exit 2 ;; esac
case "$RUNS" in ''|*[!0-9]*|0) echo "run_json_bench.sh: bad --runs: $RUNS" >&2; exit 2 ;; esac
case "$ONLY" in ''|speed|hostile) ;; *) echo "run_json_bench.sh: bad --only: $ONLY" >&2; exit 2 ;; esac

cd "$ROOT"

# simdjson is for this benchmark only: not in scripts/setup.sh.
if ! dpkg-query -W -f='${Status}' libsimdjson-dev 2>/dev/null | grep -q "install ok installed"; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "run_json_bench.sh: installing libsimdjson-dev" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
        libsimdjson-dev >/dev/null
fi
scripts/setup.sh >/dev/null
cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release -DVIGIL_WERROR=ON -DVIGIL_TESTS=OFF \
    -DVIGIL_BENCH=ON >/dev/null
cmake --build "$BUILD" --target json_reader_bench json_reader_bench_native >/dev/null
BENCH="$BUILD/bench/json_reader_bench"

mkdir -p "$WORKDIR/json" "$WORKDIR/json/hostile"
LOG="$WORKDIR/json/results.tsv"
: > "$LOG"

# run READER FILE PATHS REPEAT: one process, its line and its peak RSS appended to $LOG.
run() {
    local reader="$1" file="$2" paths="$3" repeat="$4" bin="$BENCH" out rss
    if [ "$reader" = simdjson-ondemand-native ]; then
        bin="${BENCH}_native"
        reader=simdjson-ondemand
    fi
    local args=("$reader" "$file" --repeat "$repeat")
    [ -n "$paths" ] && args+=(--paths "$paths")
    out="$( { /usr/bin/time -f 'RSS %M' "$bin" "${args[@]}" 2>&1 || true; } | tr '\t' ' ')"
    rss="$(printf '%s\n' "$out" | sed -n 's/^RSS //p' | tail -1)"
    printf '%s\t%s\t%s\t%s\n' "$1" "$(basename "$file")" "${rss:-?}" \
        "$(printf '%s\n' "$out" | grep '^reader=' | head -1)" >> "$LOG"
}

# --- speed and memory on real-shaped reports ----------------------------------------------

declare -A PATHS=(
    [trivy]="Results/*/Vulnerabilities/*,Results/*,."
    [grype]="matches/*,."
    [sarif]="runs/*/results/*,runs/*,."
    [cyclonedx]="components/*,vulnerabilities/*,."
    [nvd]="vulnerabilities/*,."
    [kev]="vulnerabilities/*,."
)
FILES=()
if [ "$ONLY" != hostile ]; then
    for f in trivy grype sarif cyclonedx; do
        out="$WORKDIR/json/$f-${MB}mb.json"
        [ -s "$out" ] || python3 bench/gen_formats.py "$f" "$out" "$MB" --quiet
        FILES+=("$f:$out")
    done
    if [ "$NVD_RECORDS" -gt 0 ] && [ -n "${VIGIL_CORPUS:-}" ]; then
        out="$WORKDIR/json/nvd-${NVD_RECORDS}.json"
        if [ ! -s "$out" ]; then
            rm -rf "$WORKDIR/json/nvd-pages"
            python3 bench/gen_nvd.py "$VIGIL_CORPUS/nvd" "$WORKDIR/json/nvd-pages" \
                "$NVD_RECORDS" >/dev/null
            # One API response holding every record (the pages' shape, one page).
            python3 - "$WORKDIR/json/nvd-pages" "$out" <<'EOF'
import json, os, sys
pages = sorted(os.path.join(r, n) for r, _, ns in os.walk(sys.argv[1]) for n in ns
               if n.endswith(".json"))
docs = [json.load(open(p, encoding="utf-8")) for p in pages]
doc = docs[0]
doc["vulnerabilities"] = [v for d in docs for v in d["vulnerabilities"]]
doc["resultsPerPage"] = doc["totalResults"] = len(doc["vulnerabilities"])
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(doc, f, ensure_ascii=False, indent=2)
EOF
        fi
        FILES+=("nvd:$out")
    fi
    if [ -n "${VIGIL_CORPUS:-}" ] && [ -s "$VIGIL_CORPUS/kev/known_exploited_vulnerabilities.json" ]; then
        FILES+=("kev:$VIGIL_CORPUS/kev/known_exploited_vulnerabilities.json")
    fi
    for entry in "${FILES[@]}"; do
        kind="${entry%%:*}" file="${entry#*:}"
        cat "$file" > /dev/null
        for r in "${READERS[@]}"; do
            paths=""
            [ "$r" = vigil-stream ] && paths="${PATHS[$kind]}"
            run "$r" "$file" "$paths" "$RUNS"
        done
    done
fi

# --- hostile input ------------------------------------------------------------------------

if [ "$ONLY" != speed ]; then
    python3 - "$WORKDIR/json/hostile" <<'EOF'
import os, sys
d = sys.argv[1]
cases = {
    "deep-5m": b"[" * 5_000_000 + b"]" * 5_000_000,
    "deep-5m-open": b"[" * 5_000_000,
    "deep-64": b"[" * 64 + b"]" * 64,
    "duplicate-keys": b'{"a":1,"a":2}',
    "invalid-utf8": b'["\xff\xfe"]',
    "overlong-utf8": b'["\xc0\xaf"]',
    "utf8-surrogate": b'["\xed\xa0\x80"]',
    "lone-surrogate": b'["\\ud800"]',
    "lone-low-surrogate": b'["\\udc00x"]',
    "huge-number": b"[1e999]",
    "huge-integer": b"[123456789012345678901234567890]",
    "nan": b"[NaN]",
    "escaped-nul": b'["a\\u0000b"]',
    "raw-nul-in-string": b'["a\x00b"]',
    "nul-after": b"[1]\x00",
    "truncated": b'{"a":[1,2',
    "truncated-string": b'{"a":"b',
    "bom": b'\xef\xbb\xbf{"a":1}',
    "trailing-comma": b"[1,]",
    "trailing-garbage": b"[1] x",
}
for name, data in cases.items():
    with open(os.path.join(d, name + ".json"), "wb") as f:
        f.write(data)
EOF
    for name in deep-5m deep-5m-open deep-64 duplicate-keys invalid-utf8 overlong-utf8 \
                utf8-surrogate lone-surrogate lone-low-surrogate huge-number huge-integer nan \
                escaped-nul raw-nul-in-string nul-after truncated truncated-string bom \
                trailing-comma trailing-garbage; do
        for r in vigil-cursor vigil-stream nlohmann-dom simdjson-dom simdjson-ondemand; do
            run "$r" "$WORKDIR/json/hostile/$name.json" "" 1
        done
    done
fi

# --- the tables ---------------------------------------------------------------------------

python3 - "$LOG" <<'EOF'
import collections, re, sys
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1], encoding="utf-8")]
def fields(line):
    m = re.match(r"reader=(\S+) bytes=(\d+) seconds=(\S+) mbps=(\S+) values=(\d+) .*?"
                 r"result=(.*?) echo=(.*)$", line)
    return m.groups() if m else None
speed = collections.OrderedDict()
hostile = collections.OrderedDict()
for label, file, rss, line in rows:
    f = fields(line)
    target = hostile if file.startswith(tuple(
        ["deep-", "duplicate", "invalid", "overlong", "utf8", "lone", "huge", "nan", "escaped",
         "raw-nul", "nul-", "truncated", "bom", "trailing"])) else speed
    target.setdefault(file, {})[label] = (f, rss)
if speed:
    readers = list(next(iter(speed.values())).keys())
    print("MB/s (parse and walk every value; fastest of the runs) / peak RSS MiB\n")
    print("| file | MB | " + " | ".join(readers) + " |")
    print("|---|---:|" + "---:|" * len(readers))
    for file, by in speed.items():
        first = next(f for f, _ in by.values() if f)
        cells = []
        for r in readers:
            f, rss = by.get(r, (None, "?"))
            mib = f"{int(rss) / 1024:.0f}" if rss.isdigit() else "?"
            if f is None:
                cells.append("failed")
            elif f[5] != "ok":
                cells.append(f"{f[5][:40]} / {mib}")
            else:
                cells.append(f"{float(f[3]):.0f} / {mib}")
        print(f"| {file} | {int(first[1]) / 1e6:.1f} | " + " | ".join(cells) + " |")
    print()
if hostile:
    readers = list(next(iter(hostile.values())).keys())
    print("Hostile input: what each reader did (ok: accepted, with what it read), seconds and "
          "peak RSS MiB\n")
    print("| input | " + " | ".join(readers) + " |")
    print("|---|" + "---|" * len(readers))
    for file, by in hostile.items():
        cells = []
        for r in readers:
            f, rss = by.get(r, (None, "?"))
            mib = f"{int(rss) / 1024:.0f}" if rss.isdigit() else "?"
            if f is None:
                cells.append(f"crashed, {mib} MiB")
                continue
            what = ("ok " + f[6][:40]) if f[5] == "ok" else f[5][7:][:70]
            what = what.replace("|", "\\|")
            cells.append(f"{what} ({float(f[2]):.2f} s, {mib} MiB)")
        print(f"| {file[:-5]} | " + " | ".join(cells) + " |")
    print()
EOF
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), \
$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo); load $(cut -d' ' -f1-3 /proc/loadavg); \
g++ $(g++ -dumpfullversion), simdjson $(dpkg-query -W -f='${Version}' libsimdjson-dev), \
nlohmann-json $(dpkg-query -W -f='${Version}' nlohmann-json3-dev)"
echo "raw lines: $LOG"
