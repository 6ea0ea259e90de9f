#!/usr/bin/env bash
# make soak: minutes of mixed load (wrk) plus slow clients, sampling the server's RSS and open
# descriptors every few seconds; prints the series and whether they stayed flat. Not in CI.
#
#   scripts/soak.sh                         # 5 minutes on a 20,000-participant demo
#   SOAK_SECONDS=900 scripts/soak.sh
#
# Knobs: SOAK_SECONDS=300 SOAK_PARTICIPANTS=20000 SOAK_PORT=18490 SOAK_CONNECTIONS=64
#        SLOW_CLIENTS=50 SAMPLE_EVERY=5
# "Flat": the second half's peak of anonymous RSS is within 4 MiB (or 10 %) of the first
# half's, and its peak of descriptors within 5 (or 5 % of the connections); the first half
# includes the warm-up of caches. File-backed RSS (the database mapped by SQLite) is shown.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
SECONDS_TOTAL=${SOAK_SECONDS:-300}
PARTICIPANTS=${SOAK_PARTICIPANTS:-20000}
PORT=${SOAK_PORT:-18490}
CONNS=${SOAK_CONNECTIONS:-64}
SLOW=${SLOW_CLIENTS:-50}
EVERY=${SAMPLE_EVERY:-5}

command -v wrk > /dev/null || { SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo; $SUDO apt-get update -qq && $SUDO apt-get install -y -qq wrk; }
"${MAKE:-make}" --no-print-directory release 2>&1 | tail -1  # the flags of the Makefile's RELEASE_BUILD
bin=$root/.build/release/parcours

work=$(mktemp -d /tmp/parcours-soak.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done; rm -rf "$work"; true; }
trap cleanup EXIT

cache=$root/.build/soak-demo-$PARTICIPANTS.sqlite
if [[ ! -s $cache || ! -s $cache.token ]]; then
    rm -f "$cache" "$cache.tmp"*
    "$bin" demo --db "$cache.tmp" --participants "$PARTICIPANTS" --seed 7 --quiet > "$cache.token"
    mv "$cache.tmp" "$cache"
fi
token=$(cat "$cache.token")
cp "$cache" "$work/soak.sqlite"
sqlite3 "$work/soak.sqlite" "SELECT id FROM participants ORDER BY random() LIMIT 20000" > "$work/ids"
sqlite3 "$work/soak.sqlite" "SELECT id FROM participants WHERE status IN ('active', 'in_follow_up') ORDER BY random() LIMIT 20000" > "$work/active"
sqlite3 "$work/soak.sqlite" "SELECT id FROM referents" > "$work/referents"

"$bin" serve --db "$work/soak.sqlite" --port "$PORT" --log-level warning > "$work/serve.log" 2>&1 &
server=$!; pids+=("$server")
until curl -fsS --max-time 1 "http://127.0.0.1:$PORT/health" > /dev/null 2>&1; do kill -0 "$server" || exit 1; sleep 0.05; done
echo "== soak: ${SECONDS_TOTAL}s, wrk $CONNS connections + $SLOW slow clients, server pid $server"

BENCH_TOKEN=$token BENCH_IDS=$work/ids BENCH_ACTIVE_IDS=$work/active BENCH_REFERENTS=$work/referents BENCH_LABEL=soak \
    timeout $((SECONDS_TOTAL + 60)) wrk -t2 -c"$CONNS" -d"${SECONDS_TOTAL}s" --timeout 10s --latency -s scripts/bench-workload.lua \
    "http://127.0.0.1:$PORT" > "$work/wrk.txt" 2>&1 &
wrk_pid=$!; pids+=("$wrk_pid")
python3 scripts/slow-clients.py --port "$PORT" --clients "$SLOW" --seconds "$SECONDS_TOTAL" > "$work/slow.txt" 2>&1 &
slow_pid=$!; pids+=("$slow_pid")

printf '%6s %9s %9s %6s\n' "t(s)" "RSS MiB" "anon MiB" "fds"
start=$(date +%s)
: > "$work/series"
while kill -0 "$wrk_pid" 2>/dev/null; do
    t=$(( $(date +%s) - start ))
    rss=$(awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server/status")
    anon=$(awk '/^RssAnon/ {printf "%.1f", $2 / 1024}' "/proc/$server/status")
    fds=$(ls "/proc/$server/fd" | wc -l)
    printf '%6d %9s %9s %6d\n' "$t" "$rss" "$anon" "$fds" | tee -a "$work/series"
    sleep "$EVERY"
done
wait "$slow_pid" 2>/dev/null || true
sleep 12  # idle: the slow clients' sockets close, keep-alive timeouts expire
rss=$(awk '/^VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$server/status"); fds=$(ls "/proc/$server/fd" | wc -l)
anon=$(awk '/^RssAnon/ {printf "%.1f", $2 / 1024}' "/proc/$server/status")
echo "after the load (12 s idle): RSS $rss MiB (anon $anon), $fds descriptors (first sample, as the load started: $(head -1 "$work/series" | awk '{print $4}'))"
grep '^RESULT' "$work/wrk.txt" || cat "$work/wrk.txt"
cat "$work/slow.txt"
python3 - "$work/series" "$CONNS" "$SLOW" <<'PY'
import sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
conns = int(sys.argv[2]) + int(sys.argv[3])
rows = rows[1:]  # the sample before any load
if len(rows) < 4:
    print("too few samples to judge"); sys.exit(0)
first, second = rows[:len(rows) // 2], rows[len(rows) // 2:]
def peak(rs, i): return max(float(r[i]) for r in rs)
# Flat: the second half's peak is no higher than the first half's, within a tolerance (the
# first half includes the warm-up of caches); RSS judged on anonymous memory (file-backed
# pages are the database mapped by SQLite, bounded by the file and mmap_size).
anon_growth = peak(second, 2) - peak(first, 2)
rss_growth = peak(second, 1) - peak(first, 1)
fd_growth = peak(second, 3) - peak(first, 3)
anon_flat = anon_growth < max(4, 0.10 * peak(first, 2))
fd_flat = fd_growth <= max(5, 0.05 * conns)
print(f"peaks first half -> second half: RSS {peak(first, 1):.1f} -> {peak(second, 1):.1f} MiB ({rss_growth:+.1f}), "
      f"anon {peak(first, 2):.1f} -> {peak(second, 2):.1f} MiB ({anon_growth:+.1f}) -> {'flat' if anon_flat else 'GROWING'}; "
      f"descriptors {peak(first, 3):.0f} -> {peak(second, 3):.0f} -> {'flat' if fd_flat else 'GROWING'}")
PY
