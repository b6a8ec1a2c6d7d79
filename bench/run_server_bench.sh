#!/usr/bin/env bash
# The server under load (docs/benchmarks.md#the-server): `vigil serve` over a database of about
# a million findings, measured with wrk next to nginx serving a static JSON file of the same
# size as the list page, in the same run:
#   1. GET /api/v1/vulnerabilities (100 per page), GET /api/v1/vulnerabilities/{key}, the
#      dashboard page (a signed-in session) and /metrics, then nginx's static file;
#   2. the list again while 1,000 idle keep-alive connections are open;
#   3. a soak of mixed reads, decisions (proposed and approved) and imports for --soak
#      seconds: requests and errors per kind, the server's RSS at start and end; then
#      `vigil audit verify` of the database.
# Installs wrk and nginx-light from Debian when missing. Prints markdown tables.
#   --db PATH        a database with the findings (default: bench/out/report.db, which
#                    bench/run_report_bench.sh makes; copied, never changed)
#   --vigil PATH     (default build/vigil)   --workdir DIR (default bench/out/server)
#   --duration S     seconds per wrk run (default 20)   --soak S (default 600)
# Each row gives the first request's time (the server's read cache is cold: a write came
# before) and then wrk's figures (the cache warm, as long as nothing is written).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SOURCE_DB="bench/out/report.db"
VIGIL="build/vigil"
WORKDIR="bench/out/server"
DURATION=20
SOAK=600
while [ $# -gt 0 ]; do
    case "$1" in
        --db) SOURCE_DB="$2"; shift 2 ;;
        --vigil) VIGIL="$2"; shift 2 ;;
        --workdir) WORKDIR="$2"; shift 2 ;;
        --duration) DURATION="$2"; shift 2 ;;
        --soak) SOAK="$2"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "run_server_bench.sh: unknown argument: $1" >&2; exit 2 ;;
    esac
done
cd "$ROOT"
VIGIL="$(realpath "$VIGIL")"
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
if [ ! -f "$SOURCE_DB" ]; then
    echo "run_server_bench.sh: $SOURCE_DB is missing: run bench/run_report_bench.sh first" >&2
    exit 2
fi
rm -rf "$WORKDIR"; mkdir -p "$WORKDIR"
WORKDIR="$(realpath "$WORKDIR")"
DB="$WORKDIR/server.db"
cp "$SOURCE_DB" "$DB"; cp "$SOURCE_DB.key" "$DB.key"; chmod 600 "$DB" "$DB.key"
"$VIGIL" --db "$DB" init > /dev/null   # to this version's schema
FINDINGS=$(sqlite3 "$DB" "SELECT COUNT(*) FROM findings")

# People and credentials: alice (admin) registers the others; erin reads, bob proposes, carol
# (who renews her own token) approves, and a pipeline token imports.
token() { grep -o 'vgt_[A-Za-z0-9_-]*' | head -1; }
ALICE=$("$VIGIL" --db "$DB" --as alice user add alice --role admin | token)
add() { VIGIL_TOKEN=$ALICE "$VIGIL" --db "$DB" --as alice user add "$1" --role "$2"; }
BOB=$(add bob analyst | token)
ERIN=$(add erin auditor | token)
CAROL_OUT=$(add carol approver)
CAROL=$(echo "$CAROL_OUT" | token)
CAROL=$(VIGIL_TOKEN=$CAROL "$VIGIL" --db "$DB" --as carol user token carol | token)
ERIN_CODE=$(add erin2 auditor | grep -o 'enrolment code: .*' | cut -d' ' -f3)
PIPE=$(VIGIL_TOKEN=$ALICE "$VIGIL" --db "$DB" --as alice token add --label bench \
    --scopes import --user bob | grep -o 'vgp_[A-Za-z0-9_-]*')
printf '{"erin":"%s","bob":"%s","carol":"%s","pipeline":"%s"}\n' "$ERIN" "$BOB" "$CAROL" \
    "$PIPE" > "$WORKDIR/tokens.json"

ulimit -n 16384
PORT=18480
"$VIGIL" --db "$DB" serve --listen 127.0.0.1:$PORT --threads 4 > "$WORKDIR/access.log" \
    2> "$WORKDIR/serve.err" &
SERVER=$!
NGINX_PORT=18481
cleanup() {
    kill "$SERVER" 2>/dev/null || true
    [ -f "$WORKDIR/nginx.pid" ] && kill "$(cat "$WORKDIR/nginx.pid")" 2>/dev/null || true
}
trap cleanup EXIT
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/healthz" > /dev/null && break
    sleep 0.2
done
B="http://127.0.0.1:$PORT"
KEY=$(curl -sf -H "Authorization: Bearer $ERIN" "$B/api/v1/vulnerabilities?limit=1" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["key"])')
curl -sf -H "Authorization: Bearer $ERIN" "$B/api/v1/vulnerabilities?limit=100" \
    > "$WORKDIR/list.json"
# The runs below start cold: a write makes every cached read stale.
VIGIL_TOKEN=$ALICE "$VIGIL" --db "$DB" --as alice scanner set warmup --kind network \
    --cadence 7d > /dev/null
# A session for the dashboard page.
curl -sf -X POST "$B/api/v1/enrolment" -d "{\"user\":\"erin2\",\"code\":\"$ERIN_CODE\",\"password\":\"bench password long enough\"}" > /dev/null
COOKIE=$(curl -s -D - -o /dev/null -X POST "$B/api/v1/session" \
    -d '{"user":"erin2","password":"bench password long enough"}' |
    grep -i '^set-cookie:' | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//')

# nginx serving the list page's JSON as a static file.
mkdir -p "$WORKDIR/www" "$WORKDIR/nginx"
cp "$WORKDIR/list.json" "$WORKDIR/www/list.json"
cat > "$WORKDIR/nginx.conf" <<EOF
worker_processes 2;
pid $WORKDIR/nginx.pid;
error_log $WORKDIR/nginx/error.log;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $WORKDIR/nginx;
    proxy_temp_path $WORKDIR/nginx;
    fastcgi_temp_path $WORKDIR/nginx;
    uwsgi_temp_path $WORKDIR/nginx;
    scgi_temp_path $WORKDIR/nginx;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        root $WORKDIR/www;
        location / { default_type application/json; }
    }
}
EOF
nginx -c "$WORKDIR/nginx.conf" -p "$WORKDIR/nginx"
sleep 0.5

run_wrk() {  # run_wrk NAME URL [HEADER]: the first request (cold), then wrk (steady)
    local name="$1" url="$2" header="${3:-}"
    local args=(-t2 -c16 -d"${DURATION}s" --latency --timeout 10s)
    local first
    if [ -n "$header" ]; then
        args+=(-H "$header")
        first=$(curl -s -o /dev/null -w '%{time_total}' -H "$header" "$url")
    else
        first=$(curl -s -o /dev/null -w '%{time_total}' "$url")
    fi
    wrk "${args[@]}" "$url" > "$WORKDIR/wrk-$name.txt"
    python3 - "$name" "$WORKDIR/wrk-$name.txt" "$first" <<'PY'
import re, sys
name, path, first = sys.argv[1], sys.argv[2], float(sys.argv[3]) * 1000
text = open(path).read()
def ms(label):
    m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m:
        return float("nan")
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
errors = re.search(r"Socket errors: (.*)", text)
print(f"| {name} | {first:.0f} | {rps:,.0f} | {ms('50%'):.2f} | {ms('99%'):.2f} | "
      f"{non2xx.group(1) if non2xx else 0} | {errors.group(1) if errors else 'none'} |")
PY
}

echo "## vigil serve with $FINDINGS findings ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))"
echo
echo "| endpoint | first request ms | requests/s | p50 ms | p99 ms | non-2xx | socket errors |"
echo "|---|---|---|---|---|---|---|"
run_wrk "list (100 per page)" "$B/api/v1/vulnerabilities?limit=100" "Authorization: Bearer $ERIN"
run_wrk "detail" "$B/api/v1/vulnerabilities/$KEY" "Authorization: Bearer $ERIN"
run_wrk "dashboard page" "$B/" "Cookie: $COOKIE"
run_wrk "metrics" "$B/metrics" "Authorization: Bearer $ERIN"
run_wrk "nginx, the list's JSON as a file" "http://127.0.0.1:$NGINX_PORT/list.json"
# Held for less than the server's 30 s idle timeout, so all are open during the run.
python3 bench/server_load.py idle $PORT 1000 $((DURATION + 6)) > "$WORKDIR/idle.json" &
IDLE=$!
sleep 4
run_wrk "list, with 1,000 idle connections open" "$B/api/v1/vulnerabilities?limit=100" \
    "Authorization: Bearer $ERIN"
wait $IDLE
echo
echo "idle connections: $(cat "$WORKDIR/idle.json")"
echo "list page: $(wc -c < "$WORKDIR/list.json") bytes"
echo
echo "## Soak: $SOAK s of mixed reads, decisions and imports"
python3 bench/server_load.py soak $PORT "$SOAK" $SERVER "$WORKDIR/tokens.json" "$WORKDIR" \
    | tee "$WORKDIR/soak.json"
kill -TERM $SERVER; wait $SERVER || true
VIGIL_TOKEN=$ERIN "$VIGIL" --db "$DB" --as erin audit verify | grep -v "^note:" | tail -1
